from odoo import fields, models


class ConseilAidAnnexWizard(models.TransientModel):
    """The annex of aid to third parties of the budget documents (CGCT L2313-1): reserved for the acts work."""

    _name = "conseil.aid.annex.wizard"
    _description = "Annex of Aid to Third Parties"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year - 1)
