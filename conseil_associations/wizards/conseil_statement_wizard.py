from odoo import api, fields, models
from odoo.exceptions import UserError


class ConseilStatementWizard(models.TransientModel):
    _name = "conseil.statement.wizard"
    _description = "Yearly In-Kind Statements"
    _inherit = ["conseil.guarded.mixin"]

    _plausible = {"year": (1900, 2199)}

    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year - 1)
    association_ids = fields.Many2many(
        "conseil.association",
        string="Associations",
        help="Leave empty for every association that received aid.",
    )

    def action_print(self):
        self.ensure_one()
        associations = self.association_ids
        if not associations:
            aided = self.env["conseil.aid"]._read_group(
                [("year", "=", self.year), ("nature", "=", "in_kind")], ["association_id"]
            )
            associations = self.env["conseil.association"].union(*(row[0] for row in aided))
        if not associations:
            raise UserError(self.env._("No association received aid in kind in %(year)s.", year=self.year))
        return self._report_action(associations, self.year)

    @api.model
    def _report_action(self, associations, year):
        """The statement of ``associations`` for ``year``: the web client sends the data, and the ids with it."""
        action = self.env.ref("conseil_associations.action_report_in_kind_statement").report_action(
            associations, data={"year": year, "association_ids": associations.ids}
        )
        action["close_on_report_download"] = True  # the wizard closes once its PDF is downloaded
        return action
