from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_datetime

from .conseil_facts import BLOCKING_STATES
from .conseil_guarded import plausible_values


class ConseilEquipment(models.Model):
    """Tables, chairs, barriers, a marquee: the town owns a quantity of each and lends part of it."""

    _name = "conseil.equipment"
    _description = "Equipment Lent to Associations"
    _inherit = ["mail.thread", "image.mixin", "conseil.guarded.mixin", "conseil.lendable.mixin"]
    _order = "name, id"

    _conseil_loan_type = "equipment"
    _server_fields = frozenset({"conseil_loan_lock"})
    _plausible = {
        "quantity": (1, 100_000),
        "unit_value": (0, 10_000),
        "storage_place": 256,
        "description": 5_000,
    }

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    category_id = fields.Many2one(
        "conseil.equipment.category", index="btree_not_null", tracking=True, check_company=True
    )
    quantity = fields.Integer(
        string="Quantity Owned",
        required=True,
        default=1,
        tracking=True,
        help="How many the town owns: the approved loans never hold more at once.",
    )
    storage_place = fields.Char(help="Where it is kept and collected: a depot of the technical services...")
    description = fields.Text()
    currency_id = fields.Many2one(related="company_id.currency_id")
    unit_value = fields.Monetary(
        string="Value per Day",
        tracking=True,
        help="Values a day of loan of one item, for the aid in kind of the associations.",
    )
    line_ids = fields.One2many("conseil.loan.line", "equipment_id", string="Loan Lines")
    # bumped by every approval of this equipment: two approvals at once queue on this row (see init())
    conseil_loan_lock = fields.Integer(readonly=True, copy=False, export_string_translation=False)
    # What the equipment's loans tell is for those who lend it (conseil.lendable.mixin).
    conseil_loan_count = fields.Integer(groups="conseil_associations.group_conseil_officer")
    conseil_current_borrower_id = fields.Many2one(groups="conseil_associations.group_conseil_officer")
    conseil_next_loan_id = fields.Many2one(groups="conseil_associations.group_conseil_officer")

    _quantity_positive = models.Constraint(
        "CHECK (quantity > 0)", "The town owns at least one item of an equipment it lends."
    )
    _unit_value_positive = models.Constraint(
        "CHECK (unit_value >= 0)", "The value per day of an equipment cannot be negative."
    )
    _values_plausible = plausible_values(
        {name: bound for name, bound in _plausible.items() if isinstance(bound, tuple)}
    )

    def init(self):
        """Owning fewer than the approved loans hold is refused by the database, whatever the path.

        A constraint trigger on the quantity owned: when it goes down, the peak of the approved or in-progress
        lines of the equipment must still fit. The write checks it first, to name the loans.
        """
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE FUNCTION conseil_equipment_check_quantity() RETURNS trigger AS $$
            DECLARE
                peak record;
            BEGIN
                SELECT moments.moment, SUM(l.quantity) AS held INTO peak
                  FROM (SELECT DISTINCT o.date_start AS moment FROM conseil_loan_line o
                         WHERE o.equipment_id = NEW.id AND o.state IN %(blocking)s) AS moments
                  JOIN conseil_loan_line l ON l.equipment_id = NEW.id AND l.state IN %(blocking)s
                                          AND l.date_start <= moments.moment AND l.date_end > moments.moment
                 GROUP BY moments.moment
                HAVING SUM(l.quantity) > NEW.quantity
                 LIMIT 1;
                IF FOUND THEN
                    RAISE EXCEPTION 'equipment %% would own %%, below the %% its approved loans hold from %%',
                        NEW.id, NEW.quantity, peak.held, peak.moment
                        USING ERRCODE = 'check_violation', CONSTRAINT = 'conseil_equipment_quantity_lent',
                              TABLE = 'conseil_equipment';
                END IF;
                RETURN NULL;
            END
            $$ LANGUAGE plpgsql;
            DROP TRIGGER IF EXISTS conseil_equipment_quantity_lent ON conseil_equipment;
            CREATE CONSTRAINT TRIGGER conseil_equipment_quantity_lent
                AFTER UPDATE OF quantity ON conseil_equipment
                FOR EACH ROW WHEN (NEW.quantity < OLD.quantity)
                EXECUTE FUNCTION conseil_equipment_check_quantity();
            """,
                blocking=BLOCKING_STATES,
            )
        )

    @api.model
    def _sql_error_to_message(self, exc):
        if exc.diag.constraint_name == "conseil_equipment_quantity_lent":
            return self.env._(
                "The town cannot own fewer items than its approved loans hold at once: lower the quantity "
                "after these loans are returned, or reduce them first."
            )
        return super()._sql_error_to_message(exc)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if "quantity" in vals:
            self.check_access("write")  # who may not change the stock hears it before it is looked at
            self._check_quantity_covers_loans(vals["quantity"])
        result = super().write(vals)
        if "unit_value" in vals:
            self.env["conseil.loan"]._revalue([("line_ids.equipment_id", "in", self.ids)])
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_lent(self):
        """An equipment once lent keeps its loans' history: archive it instead."""
        lent = (
            self.env["conseil.loan.line"]
            .sudo()
            ._read_group([("equipment_id", "in", self.ids)], ["equipment_id"])
        )
        if lent:
            raise UserError(
                self.env._(
                    "%(equipment)s has been lent to associations: archive it instead of deleting it.",
                    equipment=lent[0][0].name,
                )
            )

    @api.depends("name", "quantity")
    @api.depends_context("conseil_equipment_stock")
    def _compute_display_name(self):
        """The stock shows where the officer picks the equipment of a line; everywhere else (mails to the
        associations, breadcrumbs, acts) the equipment is its name."""
        stock = self.env.context.get("conseil_equipment_stock")
        for equipment in self:
            equipment.display_name = (
                self.env._(
                    "%(equipment)s (%(quantity)s owned)",
                    equipment=equipment.name,
                    quantity=equipment.quantity,
                )
                if stock and equipment.quantity
                else equipment.name
            )

    # ------------------------------------------------------------
    # THE STOCK
    # ------------------------------------------------------------

    def _check_quantity_covers_loans(self, quantity):
        """Owning fewer than the approved loans hold at once is refused, naming these loans."""
        if not isinstance(quantity, int) or isinstance(quantity, bool):
            return  # the guard of plausible values answers
        self._conseil_lock()
        peaks = self._conseil_peaks()
        for equipment in self:
            peak = peaks.get(equipment.id)
            if peak and peak["held"] > quantity:
                raise ValidationError(
                    self.env._(
                        "%(equipment)s: the approved loans hold %(held)s at once from %(date)s (%(loans)s). The "
                        "town cannot own fewer than %(held)s until they are returned.",
                        equipment=equipment.name,
                        held=peak["held"],
                        date=format_datetime(self.env, peak["moment"], dt_format="short"),
                        loans=self.env["conseil.loan"]._equipment_holders_label(peak["line_ids"]),
                    )
                )

    def _conseil_lock(self):
        """Queue behind any other approval or change of the stock of these items (see ``init()``)."""
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "UPDATE conseil_equipment SET conseil_loan_lock = COALESCE(conseil_loan_lock, 0) + 1"
                    " WHERE id IN %s",
                    tuple(self.ids),
                )
            )

    def _conseil_peaks(self):
        """{equipment id: {"held", "moment", "line_ids"}}: the most its approved lines ever hold at once, one query.

        An in-progress line whose end passed still holds its items: they are not back.
        """
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            WITH busy AS (
                SELECT l.id, l.equipment_id, l.quantity, l.date_start,
                       CASE WHEN l.state = 'in_progress' AND l.date_end < %(now)s THEN 'infinity'::timestamp
                            ELSE l.date_end END AS date_end
                  FROM conseil_loan_line l
                 WHERE l.equipment_id IN %(ids)s AND l.state IN %(blocking)s
            )
            SELECT DISTINCT ON (b.equipment_id) b.equipment_id, held.quantity, b.date_start, held.ids
              FROM busy b
             CROSS JOIN LATERAL (
                   SELECT SUM(o.quantity) AS quantity, ARRAY_AGG(o.id ORDER BY o.id) AS ids FROM busy o
                    WHERE o.equipment_id = b.equipment_id AND o.date_start <= b.date_start AND o.date_end > b.date_start
                   ) AS held
             ORDER BY b.equipment_id, held.quantity DESC, b.date_start
            """,
                ids=tuple(self.ids) or (0,),
                blocking=BLOCKING_STATES,
                now=fields.Datetime.now(),
            )
        )
        return {
            equipment_id: {"held": held, "moment": moment, "line_ids": line_ids}
            for equipment_id, held, moment, line_ids in self.env.cr.fetchall()
        }

    # ------------------------------------------------------------
    # LENDABLE (its loans are reached through their lines)
    # ------------------------------------------------------------

    @api.model
    def _conseil_loan_field(self):
        return "equipment_id"

    @api.model
    def _conseil_loans_model(self):
        return self.env["conseil.loan.line"]

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_conseil_loans(self):
        """Loan count, current borrower and next loan, from the lines: three queries for all the records."""
        Line = self.env["conseil.loan.line"].sudo()
        mine = [("company_id", "in", self.env.companies.ids), ("equipment_id", "in", self.ids)]
        counts = dict(Line._read_group(mine, ["equipment_id"], ["loan_id:count_distinct"]))
        current = dict(
            Line._read_group([*mine, ("state", "=", "in_progress")], ["equipment_id", "association_id"])
        )
        upcoming = Line.search(
            [*mine, ("state", "=", "approved"), ("date_start", ">", fields.Datetime.now())],
            order="date_start, id",
        )
        first = {}
        for line in upcoming:
            first.setdefault(line.equipment_id, line.loan_id)
        for equipment in self:
            equipment.conseil_loan_count = counts.get(equipment, 0)
            equipment.conseil_current_borrower_id = current.get(equipment, False)
            equipment.conseil_next_loan_id = first.get(equipment, False)

    def _conseil_lent_ids(self, loan_domain, aggregates=()):
        """The searches of the mixin, on the lines: they carry the loan's state, period and association."""
        domain = [("company_id", "in", self.env.companies.ids), *loan_domain]
        aggregates = ["loan_id:count_distinct" if spec == "__count" else spec for spec in aggregates]
        return self.env["conseil.loan.line"].sudo()._read_group(domain, ["equipment_id"], aggregates)

    def action_view_conseil_loans(self):
        self.ensure_one()
        action = self.env["conseil.loan"]._action_for_records("line_ids.equipment_id", self)
        action["context"] = {"default_loan_type": "equipment", "search_default_group_state": 1}
        return action

    @api.model
    def _conseil_free_quantities(
        self,
        date_start,
        date_end,
        company,
        exclude_loan=None,
        equipment=None,
        at_least=None,
        name=None,
        limit=None,
    ):
        """{equipment id: how many are free over the whole period} for the active equipment of the commune, by
        name: only ``equipment`` when given, of which at least ``at_least`` are free when given, whose name
        contains ``name`` when given, and a page of them when ``limit`` is.

        One query whatever the stock and the loans: for each item, along the index of the commune's names, the
        peak its approved lines reach over the period (at the start of one of them, read from the index of its
        lines), taken from the quantity owned; a page stops the database at its last row.
        """
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT r.id, r.quantity - COALESCE(p.held, 0)
              FROM conseil_equipment r
              LEFT JOIN LATERAL (
                   WITH busy AS (
                       SELECT l.quantity,
                              GREATEST(l.date_start, %(start)s) AS date_start,
                              CASE WHEN l.state = 'in_progress' AND l.date_end < %(now)s THEN 'infinity'::timestamp
                                   ELSE l.date_end END AS date_end
                         FROM conseil_loan_line l
                        WHERE l.equipment_id = r.id AND l.state IN %(blocking)s AND l.loan_id != %(exclude)s
                          AND l.date_start < %(end)s
                          AND (l.date_end > %(start)s OR (l.state = 'in_progress' AND l.date_end < %(now)s))
                   )
                   SELECT MAX(held.quantity) AS held
                     FROM busy b
                    CROSS JOIN LATERAL (
                          SELECT SUM(o.quantity) AS quantity FROM busy o
                           WHERE o.date_start <= b.date_start AND o.date_end > b.date_start
                          ) AS held
              ) p ON TRUE
             WHERE r.active AND r.company_id = %(company)s %(only)s %(named)s %(at_least)s
             %(page)s
            """,
                start=date_start,
                end=date_end,
                now=fields.Datetime.now(),
                blocking=BLOCKING_STATES,
                company=company.id,
                exclude=(exclude_loan._origin.id or 0) if exclude_loan else 0,
                only=SQL("AND r.id IN %s", tuple(equipment._origin.ids)) if equipment else SQL(""),
                named=self._conseil_named_sql(name),
                at_least=(
                    SQL("AND r.quantity - COALESCE(p.held, 0) >= %s", at_least)
                    if at_least is not None
                    else SQL("")
                ),
                page=self._conseil_page_sql(limit),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _conseil_free_for_loan(
        self,
        date_start,
        date_end,
        company,
        weekly_hours=0.0,
        exclude_loan=None,
        name=None,
        limit=None,
        quantity=1,
    ):
        """The equipment of the commune of which at least ``quantity`` are free over the whole period."""
        free = self._conseil_free_quantities(
            date_start,
            date_end,
            company,
            exclude_loan=exclude_loan,
            at_least=quantity,
            name=name,
            limit=limit,
        )
        return list(free)
