from odoo import fields, models


class ConseilObjectivesConvention(models.Model):
    """Convention d'objectifs (loi 2000-321 art. 10, décret 2001-495): reserved for the conventions work."""

    _name = "conseil.objectives.convention"
    _description = "Objectives Convention"
    _check_company_auto = True

    name = fields.Char(string="Number", required=True, default="/")
    association_id = fields.Many2one("conseil.association", required=True, index=True, check_company=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    year = fields.Integer(required=True, aggregator=False)
