from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

OUTCOMES = [
    ("approve", "Approved"),
    ("partial", "Partially approved"),
    ("refuse", "Refused"),
    ("redirect", "Redirected to another association"),
]
NEED_STATE_BY_OUTCOME = {
    "approve": "approved",
    "partial": "partial",
    "refuse": "refused",
    "redirect": "redirected",
}
# What may change on a decision once recorded: its notification and cancellation, not its content.
UNLOCKED_WRITABLE = {"state", "is_locked"}


class ConseilDecision(models.Model):
    _name = "conseil.decision"
    _description = "Municipal Decision on a Need"
    _inherit = ["mail.thread"]
    _order = "decision_date desc, reference desc"
    _rec_name = "reference"

    reference = fields.Char(required=True, readonly=True, copy=False, index=True, default="/")
    need_id = fields.Many2one(
        "conseil.need", required=True, index=True, ondelete="restrict", check_company=True
    )
    association_id = fields.Many2one(related="need_id.association_id", store=True, index=True)
    review_meeting_id = fields.Many2one(
        "conseil.meeting", string="Municipal Review", index=True, ondelete="restrict", check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    outcome = fields.Selection(OUTCOMES, required=True, tracking=True)
    granted = fields.Text(string="What Is Granted", help="For a partial approval: what the town grants.")
    reason = fields.Text(help="Why the need is refused (told to the association).")
    redirect_association_id = fields.Many2one(
        "conseil.association", string="Redirected To", check_company=True, ondelete="restrict"
    )
    decided_by_id = fields.Many2one(
        "res.users", string="Deciding Official", required=True, default=lambda self: self.env.user
    )
    decision_date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    state = fields.Selection(
        [("done", "Recorded"), ("cancelled", "Cancelled")], default="done", required=True, tracking=True
    )
    is_locked = fields.Boolean(readonly=True, copy=False, help="The municipal review is closed.")

    _reference_unique = models.UniqueIndex(
        "(company_id, reference)", "This decision reference is already used in this company."
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("outcome", "granted", "reason", "redirect_association_id")
    def _check_outcome_details(self):
        for decision in self:
            if decision.outcome == "partial" and not (decision.granted or "").strip():
                raise ValidationError(self.env._("A partial approval says what is granted."))
            if decision.outcome == "refuse" and not (decision.reason or "").strip():
                raise ValidationError(self.env._("A refusal gives its reason: the association will read it."))
            if decision.outcome == "redirect":
                if not decision.redirect_association_id:
                    raise ValidationError(self.env._("Say which association the need is redirected to."))
                if decision.redirect_association_id == decision.need_id.association_id:
                    raise ValidationError(
                        self.env._("A need cannot be redirected to the association that raised it.")
                    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self.env["conseil.need"]._check_decider()
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            vals["reference"] = self._next_reference(company, vals.get("decision_date"))
        decisions = super().create(vals_list)
        for decision in decisions:
            decision.need_id._transition({"state": NEED_STATE_BY_OUTCOME[decision.outcome]})
        decisions.need_id.activity_unlink(["conseil_associations.mail_activity_type_need_review"])
        decisions._notify_referent()
        return decisions

    def write(self, vals):
        if not self.env.context.get("conseil_decision_system"):
            self.env["conseil.need"]._check_decider()
            locked = self.filtered("is_locked")
            if locked and set(vals) - UNLOCKED_WRITABLE - {"message_follower_ids"}:
                raise UserError(
                    self.env._(
                        "Decision %(reference)s belongs to a closed municipal review: it can no longer change.",
                        reference=locked[0].reference,
                    )
                )
            if locked and "state" in vals:
                raise UserError(
                    self.env._(
                        "Decision %(reference)s belongs to a closed municipal review: it can no longer be cancelled.",
                        reference=locked[0].reference,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        """Decisions are the municipality's acts: cancel, never delete."""
        raise UserError(self.env._("A decision is never deleted: cancel it while its review is still open."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_cancel(self):
        """Cancel a decision of an open review; its reference is never given again."""
        if self.filtered(lambda d: d.state != "done"):
            raise UserError(self.env._("Only a recorded decision can be cancelled."))
        self.write({"state": "cancelled"})
        for decision in self:
            if decision.need_id.state in NEED_STATE_BY_OUTCOME.values() and not decision.need_id.loan_ids:
                decision.need_id._transition({"state": "in_review"})
        return True

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    @api.model
    def _next_reference(self, company, decision_date=None):
        """DEC-<year>-<number>, numbered per company and per year, never reused."""
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search([("code", "=", "conseil.decision"), ("company_id", "=", company.id)], limit=1)
        )
        if not sequence:
            sequence = (
                self.env["ir.sequence"]
                .sudo()
                .create(
                    {
                        "name": self.env._("Decisions of %(company)s", company=company.name),
                        "code": "conseil.decision",
                        "company_id": company.id,
                        "prefix": "DEC-%(range_year)s-",
                        "padding": 4,
                        "use_date_range": True,
                    }
                )
            )
        return sequence._next(
            sequence_date=fields.Date.to_date(decision_date) or fields.Date.context_today(self)
        )

    def _outcome_label(self):
        self.ensure_one()
        return dict(self._fields["outcome"]._description_selection(self.env))[self.outcome]

    def _notify_referent(self):
        """The association's referent officer hears of the decision."""
        for decision in self:
            need = decision.need_id
            referent = need.association_id.referent_user_id
            body = self.env._(
                "Decision %(reference)s on %(need)s: %(outcome)s.",
                reference=decision.reference,
                need=need.name,
                outcome=decision._outcome_label(),
            )
            need.message_post(
                body=body,
                partner_ids=referent.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment" if referent else "mail.mt_note",
            )
