from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import escape_psql

from .conseil_facts import BLOCKING_STATES, RESOURCE_FIELDS


class ConseilLendableMixin(models.AbstractModel):
    """A resource the town lends to associations: a vehicle, an agent, a room (and any added later).

    What it knows of its loans (how many, who has it now, the next one, the list of them) and when it is free:
    each resource answers with its own query (``_conseil_free_for_loan``), which the loan form, the availability
    dialog and the approvals ask.
    """

    _name = "conseil.lendable.mixin"
    _description = "Resource Lent to Associations"

    # The kind of loan that lends this resource: a key of RESOURCE_FIELDS.
    _conseil_loan_type = None

    conseil_loan_count = fields.Integer(
        compute="_compute_conseil_loans",
        search="_search_conseil_loan_count",
        string="Loans to Associations Count",
    )
    conseil_current_borrower_id = fields.Many2one(
        "conseil.association",
        compute="_compute_conseil_loans",
        search="_search_conseil_current_borrower_id",
        string="Current Borrower",
    )
    conseil_next_loan_id = fields.Many2one(
        "conseil.loan",
        compute="_compute_conseil_loans",
        search="_search_conseil_next_loan_id",
        string="Next Loan",
    )

    @api.model
    def _conseil_loan_field(self):
        return RESOURCE_FIELDS[self._conseil_loan_type]

    @api.model
    def _conseil_loans_model(self):
        """The records that name the resource in ``_conseil_loan_field``: loans (their lines, for equipment)."""
        return self.env["conseil.loan"]

    def write(self, vals):
        if "company_id" in vals:
            self._conseil_check_stays_in_its_commune(vals["company_id"])
        return super().write(vals)

    def _conseil_check_stays_in_its_commune(self, company_id):
        """A resource once lent stays in the commune that lent it (or becomes shared by all): its loans, their
        acts and figures are that commune's, and would otherwise name another commune's resource."""
        if not company_id:
            return
        moved = self.filtered(lambda resource: resource.company_id.id != company_id)
        if not moved:
            return
        field_name = self._conseil_loan_field()
        elsewhere = (
            self._conseil_loans_model()
            .sudo()
            .with_context(active_test=False)
            .search_count([(field_name, "in", moved.ids), ("company_id", "!=", company_id)], limit=1)
        )
        if elsewhere:
            raise UserError(
                self.env._(
                    "%(resource)s has been lent by its commune: it stays in it. Archive it, and create it in the "
                    "other commune.",
                    resource=moved[0].display_name,
                )
            )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_conseil_loans(self):
        """Loan count, current borrower (who has it now) and next loan, in three queries for all the records.

        Only the loans of the user's communes: a vehicle shared between communes tells none of them about the
        others' loans.
        """
        Loan = self.env["conseil.loan"].sudo()
        field_name = self._conseil_loan_field()
        mine = [("company_id", "in", self.env.companies.ids), (field_name, "in", self.ids)]
        counts = dict(Loan._read_group(mine, [field_name], ["__count"]))
        now = fields.Datetime.now()
        # who has it now: handed over and not back, whatever the planned dates (a late vehicle is still out)
        current = dict(
            Loan._read_group([*mine, ("state", "=", "in_progress")], [field_name, "association_id"])
        )
        upcoming = Loan.search(
            [*mine, ("state", "=", "approved"), ("date_start", ">", now)], order="date_start, id"
        )
        first = {}
        for loan in upcoming:
            first.setdefault(loan[field_name], loan)
        for resource in self:
            resource.conseil_loan_count = counts.get(resource, 0)
            resource.conseil_current_borrower_id = current.get(resource, False)
            resource.conseil_next_loan_id = first.get(resource, False)

    # ------------------------------------------------------------
    # SEARCHES (from the user's communes' loans, as the figures are)
    # ------------------------------------------------------------

    def _conseil_lent_ids(self, loan_domain, aggregates=()):
        field_name = self._conseil_loan_field()
        domain = [("company_id", "in", self.env.companies.ids), (field_name, "!=", False), *loan_domain]
        return self.env["conseil.loan"].sudo()._read_group(domain, [field_name], list(aggregates))

    def _search_conseil_loan_count(self, operator, value):
        compare = {
            "=": lambda count: count == value, "!=": lambda count: count != value,
            "<": lambda count: count < value, "<=": lambda count: count <= value,
            ">": lambda count: count > value, ">=": lambda count: count >= value,
        }  # fmt: skip
        if operator not in compare or isinstance(value, bool) or not isinstance(value, int):
            raise UserError(self.env._("Search the number of loans with a comparison to a whole number."))
        counts = {resource.id: count for resource, count in self._conseil_lent_ids([], ["__count"])}
        if compare[operator](0):  # the resources never lent match too
            return [("id", "not in", [rid for rid, count in counts.items() if not compare[operator](count)])]
        return [("id", "in", [rid for rid, count in counts.items() if compare[operator](count)])]

    def _search_conseil_current_borrower_id(self, operator, value):
        current = [("state", "=", "in_progress")]
        if operator in ("=", "!=") and value is False:
            lent = [resource.id for (resource,) in self._conseil_lent_ids(current)]
            return [("id", "not in" if operator == "=" else "in", lent)]
        if operator == "ilike" and isinstance(value, str):
            borrower = [("association_id.name", "ilike", value)]
        elif operator in ("=", "in") and all(
            isinstance(v, int) for v in (value if isinstance(value, list) else [value])
        ):
            borrower = [("association_id", "in", value if isinstance(value, list) else [value])]
        elif operator == "any":
            borrower = [("association_id", "any", value)]
        else:
            raise UserError(self.env._("Search the current borrower by its name."))
        return [("id", "in", [resource.id for (resource,) in self._conseil_lent_ids([*current, *borrower])])]

    def _search_conseil_next_loan_id(self, operator, value):
        if operator not in ("=", "!=") or value is not False:
            raise UserError(self.env._("Search whether a next loan is planned, not which one."))
        planned = [("state", "=", "approved"), ("date_start", ">", fields.Datetime.now())]
        ids = [resource.id for (resource,) in self._conseil_lent_ids(planned)]
        return [("id", "in" if operator == "!=" else "not in", ids)]

    def action_view_conseil_loans(self):
        self.ensure_one()
        return self.env["conseil.loan"]._action_for_records(self._conseil_loan_field(), self)

    # ------------------------------------------------------------
    # AVAILABILITY
    # ------------------------------------------------------------

    # A commune's resources by name: a page of the free ones walks this index, and the database stops at the last
    # row of the page however many resources the commune has.
    _conseil_by_name_index = models.Index("(company_id, name, id)")

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
    ):
        """Ids of the resources of this kind free over the period in ``company``, by name, computed by the
        database: only those whose name contains ``name`` when given, and a page of them when ``limit`` is."""
        raise NotImplementedError

    @api.model
    def _conseil_named_sql(self, name):
        """The condition on resource ``r`` that its name contains ``name`` (none without a name): a slash reads
        as a space (« Renault Kangoo » finds the Fleet name « Renault/Kangoo/AB-123-CD »), and accents are
        ignored where the database has ``unaccent`` (« fetes » finds « Salle des fêtes »), as Odoo's searches."""
        if not name:
            return SQL("")
        unaccent = self.env.registry.unaccent
        return SQL(
            "AND %s ILIKE %s",
            unaccent(SQL("translate(r.name, '/', ' ')")),
            unaccent(SQL("%s", f"%{escape_psql(name.replace('/', ' '))}%")),
        )

    @api.model
    def _conseil_page_sql(self, limit=None):
        """The order of a list of free resources (by name, as the index reads them), and its page."""
        if limit is None:
            return SQL("ORDER BY r.name, r.id")
        return SQL("ORDER BY r.name, r.id LIMIT %s", limit)

    @api.model
    def _conseil_free_ids(self, query):
        self.env.flush_all()
        self.env.cr.execute(query)
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _conseil_busy_sql(self, date_start, date_end, exclude_loan=None):
        """The loans that keep resource ``r`` busy over the period: for ``NOT EXISTS``.

        Two tests apart, each served by its index: an approved loan overlapping the period (the GiST index of
        the exclusion constraints), and a resource not back from an earlier loan (its end passed, still out).
        """
        return SQL(
            """SELECT 1 FROM conseil_loan l
                WHERE l.%(column)s = r.id AND l.state IN %(blocking)s AND l.id != %(exclude)s
                  AND tsrange(l.date_start, l.date_end, '[)') && tsrange(%(start)s, %(end)s, '[)')
               UNION ALL
               SELECT 1 FROM conseil_loan l
                WHERE l.%(column)s = r.id AND l.state = 'in_progress' AND l.id != %(exclude)s
                  AND l.date_end < %(now)s AND l.date_start < %(end)s""",
            column=SQL.identifier(self._conseil_loan_field()),
            blocking=BLOCKING_STATES,
            exclude=exclude_loan.id if exclude_loan else 0,
            start=date_start,
            end=date_end,
            now=fields.Datetime.now(),
        )
