from odoo import api, models


class ConseilWizardReport(models.AbstractModel):
    """The reports printed from a wizard: the wizard is read as the user, a wizard gone is a page not found."""

    _name = "conseil.wizard.report"
    _description = "Report Printed from a Wizard"

    _wizard_model = None

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env[self._wizard_model].browse(docids)
        docs.check_access("read")  # another user's wizard, or one that is gone: refused before rendering
        return {"doc_ids": docids, "doc_model": self._wizard_model, "docs": docs}


class ReportAidAnnex(models.AbstractModel):
    _name = "report.conseil_associations.report_aid_annex"
    _inherit = ["conseil.wizard.report"]
    _description = "Annex of Aid to Third Parties (report)"

    _wizard_model = "conseil.aid.annex.wizard"


class ReportAgentLoans(models.AbstractModel):
    _name = "report.conseil_associations.report_agent_loans"
    _inherit = ["conseil.wizard.report"]
    _description = "Yearly Report of Agent Loans (report)"

    _wizard_model = "conseil.agent.report.wizard"
