from odoo import api, fields, models
from odoo.exceptions import UserError


class ConseilStatementWizard(models.TransientModel):
    _name = "conseil.statement.wizard"
    _description = "Yearly In-Kind Statements"
    _inherit = ["conseil.guarded.mixin"]

    _plausible = {"year": (1900, 2199)}

    year = fields.Integer(
        required=True,
        default=lambda self: self._default_year(),
        help="Until March, the year just closed, whose accounts the associations are drawing up; then the current one.",
    )
    association_ids = fields.Many2many(
        "conseil.association",
        string="Associations",
        help="Leave empty for every association that received aid.",
    )

    @api.model
    def _default_year(self):
        today = fields.Date.context_today(self)
        return today.year - 1 if today.month <= 3 else today.year

    def action_print(self):
        self.ensure_one()
        return self._print(self.association_ids or None, self.year)

    @api.model
    def _print(self, associations, year):
        """The statements of ``year`` of these associations (of every one when None) that received aid in kind."""
        domain = self.env["conseil.association"]._statement_domain(year)
        if associations is not None:
            domain.append(("association_id", "in", associations.ids))
        aided = self.env["conseil.association"].union(
            *(row[0] for row in self.env["conseil.loan"]._read_group(domain, ["association_id"]))
        )
        if not aided:
            if associations is not None and len(associations) == 1:
                raise UserError(
                    self.env._(
                        "%(association)s received no aid in kind in %(year)s: there is nothing to certify.",
                        association=associations.name,
                        year=year,
                    )
                )
            raise UserError(self.env._("No association received aid in kind in %(year)s.", year=year))
        # in the order asked, or by name
        ordered = associations.filtered(lambda association: association in aided) if associations else aided
        return self._report_action(ordered.sorted("name") if associations is None else ordered, year)

    @api.model
    def _report_action(self, associations, year):
        """The statement of ``associations`` for ``year``: the web client sends the data, and the ids with it."""
        action = self.env.ref("conseil_associations.action_report_in_kind_statement").report_action(
            associations, data={"year": year, "association_ids": associations.ids}
        )
        action["close_on_report_download"] = True  # the wizard closes once its PDF is downloaded
        return action
