from odoo import fields, models
from odoo.exceptions import UserError


class ConseilEquipmentCategory(models.Model):
    _name = "conseil.equipment.category"
    _description = "Category of Equipment Lent to Associations"
    _inherit = ["conseil.guarded.mixin"]
    _order = "name, id"

    _plausible = {"name": 128}

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Empty: a category every commune of the database uses.",
    )
    equipment_ids = fields.One2many("conseil.equipment", "category_id")

    def write(self, vals):
        if vals.get("company_id"):
            self._check_equipment_in_commune(vals["company_id"])
        return super().write(vals)

    def _check_equipment_in_commune(self, company_id):
        """A category of one commune classes that commune's equipment only."""
        elsewhere = (
            self.env["conseil.equipment"]
            .sudo()
            .with_context(active_test=False)
            .search_count([("category_id", "in", self.ids), ("company_id", "!=", company_id)], limit=1)
        )
        if elsewhere:
            raise UserError(
                self.env._(
                    "%(category)s classes equipment of other communes: it stays shared by them.",
                    category=self[0].name,
                )
            )
