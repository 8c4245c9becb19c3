from odoo import fields, models


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
