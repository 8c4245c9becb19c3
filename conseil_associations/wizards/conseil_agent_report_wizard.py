from datetime import datetime

from odoo import fields, models
from odoo.exceptions import UserError

from ..models.conseil_facts import VALUED_STATES


class ConseilAgentReportWizard(models.TransientModel):
    """The yearly report of agent loans to the municipal council (Code général de la fonction publique, L512-12).

    Each agent loan that ran in the year: the agent, the association, the period, the hours worked for it in that
    year, reimbursed or waived and why, the convention. The loans listed are the ones the user reads.
    """

    _name = "conseil.agent.report.wizard"
    _description = "Yearly Report of Agent Loans"
    _inherit = ["conseil.guarded.mixin"]
    _check_company_auto = True

    _plausible = {"year": (1900, 2199)}

    company_id = fields.Many2one(
        "res.company", string="Commune", required=True, default=lambda self: self.env.company
    )
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year - 1)

    def action_print(self):
        self.ensure_one()
        self._agent_lines()  # refused here, with its message, rather than in the PDF download
        action = self.env.ref("conseil_associations.action_report_agent_loans").report_action(self)
        action["close_on_report_download"] = True
        return action

    def _agent_lines(self):
        """``{"lines": [...], "hours": total}``: each agent loan of the commune that ran in the year, by start."""
        self.ensure_one()
        if self.company_id not in self.env.companies:
            raise UserError(
                self.env._(
                    "You work for %(companies)s: choose one of your communes.",
                    companies=", ".join(self.env.companies.mapped("name")),
                )
            )
        domain = [
            ("loan_type", "=", "agent"),
            ("company_id", "=", self.company_id.id),
            ("state", "in", VALUED_STATES),
            ("date_start", "<", datetime(self.year + 1, 1, 1)),
            ("date_end", ">=", datetime(self.year, 1, 1)),
        ]
        lines = []
        for loan in self.env["conseil.loan"].search(domain, order="date_start, id"):
            # the agent's name and job, as the loan shows them: no more of the employee's file
            agent = loan.employee_id.sudo()
            lines.append(
                {
                    "loan": loan,
                    "agent": agent.name,
                    "job": agent.job_title or agent.job_id.name or "",
                    "hours": loan._year_share(self.year)["quantity"],
                }
            )
        return {"lines": lines, "hours": sum(line["hours"] for line in lines)}
