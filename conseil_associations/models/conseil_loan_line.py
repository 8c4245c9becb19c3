from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .conseil_facts import BLOCKING_STATES, sql_list
from .conseil_guarded import plausible_values


class ConseilLoanLine(models.Model):
    """A quantity of one equipment in an equipment loan: 30 chairs, 6 tables, 2 barriers.

    Its quantities are terms of the loan, frozen with them once it is approved. It carries copies of its loan's
    period, state and company, so that the database finds the lines holding an equipment over a period by index,
    and holds the stock (``init()``).
    """

    _name = "conseil.loan.line"
    _description = "Equipment Lent in a Loan"
    _inherit = ["conseil.guarded.mixin"]
    _order = "loan_id, id"

    _server_fields = frozenset({"missing_quantity", "damaged_quantity"})
    _plausible = {
        "quantity": (1, 100_000),
        "missing_quantity": (0, 100_000),
        "damaged_quantity": (0, 100_000),
    }

    loan_id = fields.Many2one(
        "conseil.loan", required=True, index=True, check_company=True, ondelete="cascade"
    )
    equipment_id = fields.Many2one(
        "conseil.equipment",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    quantity = fields.Integer(required=True, default=1)
    missing_quantity = fields.Integer(
        string="Missing", readonly=True, copy=False, help="Items not brought back at the return."
    )
    damaged_quantity = fields.Integer(
        string="Damaged", readonly=True, copy=False, help="Items brought back damaged."
    )
    storage_place = fields.Char(related="equipment_id.storage_place")
    # copies of the loan's, for the database: the stock trigger and the searches by period read them by index
    company_id = fields.Many2one(related="loan_id.company_id", store=True, index=True, precompute=True)
    association_id = fields.Many2one(related="loan_id.association_id", store=True, precompute=True)
    state = fields.Selection(related="loan_id.state", store=True, precompute=True)
    date_start = fields.Datetime(related="loan_id.date_start", store=True, precompute=True)
    date_end = fields.Datetime(related="loan_id.date_end", store=True, precompute=True)

    _quantity_positive = models.Constraint(
        "CHECK (quantity > 0)", "Lend at least one item of each equipment of the loan."
    )
    _returns_within_quantity = models.Constraint(
        "CHECK (missing_quantity >= 0 AND damaged_quantity >= 0"
        " AND COALESCE(missing_quantity, 0) + COALESCE(damaged_quantity, 0) <= quantity)",
        "The missing and damaged items of a line are at most the quantity lent.",
    )
    _values_plausible = plausible_values(_plausible)
    _equipment_once_per_loan = models.UniqueIndex(
        "(loan_id, equipment_id)", "An equipment appears once in a loan: change the quantity of its line."
    )
    # The lines holding an equipment over a period: the stock trigger, the approval and the availability search.
    _held_index = models.Index(
        f"(equipment_id, date_start, date_end) WHERE state IN {sql_list(BLOCKING_STATES)}"
    )
    _held_period_index = models.Index(
        f"USING gist (tsrange(date_start, date_end, '[)')) WHERE state IN {sql_list(BLOCKING_STATES)}"
    )

    def init(self):
        """The stock as a database invariant: the approved lines of an equipment never hold more than it owns.

        A constraint trigger checks every approved or in-progress line written, whatever the path. It first
        bumps a counter on the equipment's row: a second transaction approving a loan of the same equipment
        waits for the first, then fails with a serialization error that Odoo retries, and the retry sees the
        first approval. At each moment of the line's period when a line of the equipment starts, the quantities
        held then must fit in the quantity owned. The approval checks the same first, to name the loans.
        """
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE FUNCTION conseil_loan_line_check_stock() RETURNS trigger AS $$
            DECLARE
                owned integer;
                peak record;
            BEGIN
                UPDATE conseil_equipment SET conseil_loan_lock = COALESCE(conseil_loan_lock, 0) + 1
                 WHERE id = NEW.equipment_id
                 RETURNING quantity INTO owned;
                SELECT moments.moment, SUM(l.quantity) AS held INTO peak
                  FROM (SELECT DISTINCT GREATEST(o.date_start, NEW.date_start) AS moment
                          FROM conseil_loan_line o
                         WHERE o.equipment_id = NEW.equipment_id AND o.state IN %(blocking)s
                           AND o.date_start < NEW.date_end AND o.date_end > NEW.date_start
                       ) AS moments
                  JOIN conseil_loan_line l ON l.equipment_id = NEW.equipment_id AND l.state IN %(blocking)s
                                          AND l.date_start <= moments.moment AND l.date_end > moments.moment
                 GROUP BY moments.moment
                HAVING SUM(l.quantity) > owned
                 LIMIT 1;
                IF FOUND THEN
                    RAISE EXCEPTION 'equipment %% would lend %% at %%, above the %% owned',
                        NEW.equipment_id, peak.held, peak.moment, owned
                        USING ERRCODE = 'check_violation', CONSTRAINT = 'conseil_loan_line_equipment_stock',
                              TABLE = 'conseil_loan_line';
                END IF;
                RETURN NULL;
            END
            $$ LANGUAGE plpgsql;
            DROP TRIGGER IF EXISTS conseil_loan_line_equipment_stock ON conseil_loan_line;
            CREATE CONSTRAINT TRIGGER conseil_loan_line_equipment_stock
                AFTER INSERT OR UPDATE OF state, equipment_id, quantity, date_start, date_end ON conseil_loan_line
                FOR EACH ROW WHEN (NEW.state IN %(blocking)s)
                EXECUTE FUNCTION conseil_loan_line_check_stock();
            """,
                blocking=BLOCKING_STATES,
            )
        )

    @api.model
    def _sql_error_to_message(self, exc):
        if exc.diag.constraint_name == "conseil_loan_line_equipment_stock":
            return self.env._(
                "The town does not own enough of this equipment: the loans approved over this period would hold "
                "more than its stock. Reduce the quantities or choose another period."
            )
        return super()._sql_error_to_message(exc)

    def _held_beside(self, exclude_loan_ids):
        """{line id: {"held", "moment", "line_ids"}}: for each of these lines, the most the other approved lines
        of its equipment hold at once over its period (``exclude_loan_ids``' aside), in one query for them all.

        An in-progress line whose end passed still holds its items: they are not back.
        """
        if not self:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT a.id, peak.held, peak.moment, peak.ids
              FROM conseil_loan_line a
             CROSS JOIN LATERAL (
                   SELECT m.moment, SUM(o.quantity) AS held, ARRAY_AGG(o.id ORDER BY o.id) AS ids
                     FROM (SELECT DISTINCT GREATEST(b.date_start, a.date_start) AS moment
                             FROM conseil_loan_line b
                            WHERE b.equipment_id = a.equipment_id AND b.state IN %(blocking)s
                              AND b.loan_id NOT IN %(exclude)s AND b.date_start < a.date_end
                              AND (b.date_end > a.date_start OR (b.state = 'in_progress' AND b.date_end < %(now)s))
                          ) AS m
                     JOIN conseil_loan_line o
                       ON o.equipment_id = a.equipment_id AND o.state IN %(blocking)s
                      AND o.loan_id NOT IN %(exclude)s AND o.date_start <= m.moment
                      AND (o.date_end > m.moment OR (o.state = 'in_progress' AND o.date_end < %(now)s))
                    GROUP BY m.moment
                    ORDER BY held DESC, m.moment
                    LIMIT 1
                   ) AS peak
             WHERE a.id IN %(ids)s
            """,
                ids=tuple(self.ids),
                blocking=BLOCKING_STATES,
                exclude=tuple(exclude_loan_ids) or (0,),
                now=fields.Datetime.now(),
            )
        )
        return {
            line_id: {"held": held, "moment": moment, "line_ids": line_ids}
            for line_id, held, moment, line_ids in self.env.cr.fetchall()
        }

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("quantity", "equipment_id")
    def _check_quantity_owned(self):
        """A line never asks for more than the town owns, from the draft on."""
        for line in self:
            if line.quantity > line.equipment_id.quantity:
                raise ValidationError(
                    self.env._(
                        "The town owns %(owned)s of %(equipment)s: %(quantity)s cannot be lent (%(loan)s).",
                        owned=line.equipment_id.quantity,
                        equipment=line.equipment_id.name,
                        quantity=line.quantity,
                        loan=line.loan_id.display_name,
                    )
                )

    @api.constrains("loan_id")
    def _check_equipment_loan(self):
        for line in self:
            if line.loan_id.loan_type != "equipment":
                raise ValidationError(
                    self.env._(
                        "%(loan)s lends no equipment: it has no equipment lines.",
                        loan=line.loan_id.display_name,
                    )
                )

    # ------------------------------------------------------------
    # THE GUARD: lines are terms of their loan
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # only ids: anything else is refused by the ORM, with its message, when the lines are created
            loan_ids = [vals.get("loan_id") for vals in vals_list]
            loans = self.env["conseil.loan"].browse(
                {loan_id for loan_id in loan_ids if type(loan_id) is int and loan_id > 0}
            )
            loans.exists()._check_lines_editable()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if "loan_id" in vals and any(line.loan_id.id != vals["loan_id"] for line in self):
                raise UserError(
                    self.env._("A line stays in its loan: remove it and add one to the other loan.")
                )
            self.loan_id._check_lines_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_frozen(self):
        if not self.env.su:
            self.loan_id._check_lines_editable()

    def _check_company_of_values(self, vals):
        """A new line belongs to its loan's commune, whichever commune the user works in now."""
        loan_id = vals.get("loan_id") if not self else None
        loan = self.env["conseil.loan"].sudo().browse(loan_id).exists() if isinstance(loan_id, int) else None
        if loan:
            vals = dict(vals, company_id=loan.company_id.id)
        return super()._check_company_of_values(vals)

    @api.depends("equipment_id", "quantity")
    def _compute_display_name(self):
        for line in self:
            line.display_name = self.env._(
                "%(quantity)s × %(equipment)s", quantity=line.quantity, equipment=line.equipment_id.name or ""
            )
