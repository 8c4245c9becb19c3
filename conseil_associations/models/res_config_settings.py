from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    conseil_allow_contract_agents = fields.Boolean(
        related="company_id.conseil_allow_contract_agents", readonly=False
    )
