from odoo import api, fields, models


class ConseilReviewGatherWizard(models.TransientModel):
    _name = "conseil.review.gather.wizard"
    _description = "Gather Needs into a Municipal Review"
    _inherit = ["conseil.guarded.mixin"]

    meeting_id = fields.Many2one("conseil.meeting", required=True, ondelete="cascade")
    need_ids = fields.Many2many(
        "conseil.need",
        string="Needs",
        domain="[('state', '=', 'submitted'), ('review_meeting_id', '=', False)]",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        meeting = self.env["conseil.meeting"].browse(values.get("meeting_id"))
        if meeting and "need_ids" in fields_list:
            values["need_ids"] = [fields.Command.set(meeting._submitted_needs().ids)]
        return values

    def action_confirm(self):
        self.ensure_one()
        self.meeting_id._gather_needs(self.need_ids)
        return {"type": "ir.actions.act_window_close"}
