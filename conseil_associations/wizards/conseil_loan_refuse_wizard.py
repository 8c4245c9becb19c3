from odoo import fields, models


class ConseilLoanRefuseWizard(models.TransientModel):
    _name = "conseil.loan.refuse.wizard"
    _description = "Refusal of a Loan"
    _inherit = ["conseil.guarded.mixin"]

    _plausible = {"reason": 2_000}

    loan_id = fields.Many2one("conseil.loan", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_refuse(self):
        self.ensure_one()
        self.loan_id.action_refuse(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
