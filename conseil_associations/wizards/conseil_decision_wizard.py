from odoo import api, fields, models

from ..models.conseil_decision import OUTCOMES


class ConseilDecisionWizard(models.TransientModel):
    _name = "conseil.decision.wizard"
    _description = "Record a Decision on a Need"
    _inherit = ["conseil.guarded.mixin"]

    _plausible = {"granted": 2_000, "reason": 2_000}

    need_id = fields.Many2one("conseil.need", required=True, ondelete="cascade")
    association_id = fields.Many2one(related="need_id.association_id")
    outcome = fields.Selection(OUTCOMES, required=True, default="approve")
    granted = fields.Text(string="What Is Granted")
    reason = fields.Text()
    redirect_association_id = fields.Many2one(
        "conseil.association", string="Redirected To", domain="[('id', '!=', association_id)]"
    )
    decided_by_id = fields.Many2one(
        "res.users", string="Deciding Official", required=True, domain="[('share', '=', False)]"
    )
    decision_date = fields.Date(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        need = self.env["conseil.need"].browse(values.get("need_id"))
        review = need.review_meeting_id
        values.setdefault("decided_by_id", (review.chair_id or self.env.user).id)
        values.setdefault(
            "decision_date",
            need._default_decision_date() if need.raised_on else fields.Date.context_today(self),
        )
        return values

    def action_confirm(self):
        self.ensure_one()
        self.need_id._decide(
            {
                "outcome": self.outcome,
                "granted": self.granted,
                "reason": self.reason,
                "redirect_association_id": self.redirect_association_id.id,
                "decided_by_id": self.decided_by_id.id,
                "decision_date": self.decision_date,
            }
        )
        return {"type": "ir.actions.act_window_close"}
