from odoo import fields, models


class ConseilAgentReportWizard(models.TransientModel):
    """The yearly report of agent loans to the municipal council: reserved for the acts work."""

    _name = "conseil.agent.report.wizard"
    _description = "Yearly Report of Agent Loans"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year - 1)
