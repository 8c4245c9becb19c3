from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    conseil_allow_contract_agents = fields.Boolean(
        string="Lend Contract Staff",
        help="Allow lending agents who are not established civil servants (titulaires) to associations.",
    )
