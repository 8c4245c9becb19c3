from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .conseil_guarded import DATES, plausible_values
from .conseil_need import NEED_STATE_BY_OUTCOME

# What happens to the need: read as its status reads (« Accordé », a need)
OUTCOMES = [
    ("approve", "Granted"),
    ("partial", "Partly Granted"),
    ("refuse", "Declined"),
    ("redirect", "Redirected to another association"),
]


class ConseilDecision(models.Model):
    _name = "conseil.decision"
    _description = "Municipal Decision on a Need"
    _inherit = [
        "mail.thread",
        "portal.mixin",
        "conseil.workflow.mixin",
        "conseil.mailing.mixin",
        "conseil.act.mixin",
    ]
    _order = "decision_date desc, reference desc"
    _rec_name = "reference"

    # A decision is an act: recorded by deciding a need (conseil.need._decide), then never changed.
    _transitions = {("done", "cancelled"): "decider"}
    _moves = {"cancel": ("cancelled", None)}
    _plausible = {"decision_date": DATES, "reference": 64, "granted": 2_000, "reason": 2_000}

    reference = fields.Char(required=True, readonly=True, copy=False, index=True, default="/")
    need_id = fields.Many2one(
        "conseil.need", required=True, index=True, ondelete="restrict", check_company=True, readonly=True
    )
    association_id = fields.Many2one(related="need_id.association_id", store=True, index=True)
    review_meeting_id = fields.Many2one(
        "conseil.meeting",
        string="Municipal Review",
        index=True,
        ondelete="restrict",
        check_company=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda self: self.env.company
    )
    outcome = fields.Selection(OUTCOMES, required=True, readonly=True, tracking=True)
    granted = fields.Text(
        string="What Is Granted", readonly=True, help="For a partial approval: what the town grants."
    )
    reason = fields.Text(readonly=True, help="Why the need is refused (told to the association).")
    redirect_association_id = fields.Many2one(
        "conseil.association", string="Redirected To", check_company=True, ondelete="restrict", readonly=True
    )
    decided_by_id = fields.Many2one(
        "res.users",
        string="Deciding Official",
        required=True,
        readonly=True,
        check_company=True,
        default=lambda self: self.env.user,
    )
    decision_date = fields.Date(required=True, readonly=True, default=fields.Date.context_today, index=True)
    state = fields.Selection(
        [("done", "Recorded"), ("cancelled", "Cancelled")],
        string="Status",
        default="done",
        required=True,
        readonly=True,
        tracking=True,
    )
    is_locked = fields.Boolean(readonly=True, copy=False, help="The municipal review is closed.")
    can_cancel = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)

    _reference_unique = models.UniqueIndex(
        "(company_id, reference)", "This decision reference is already used in this company."
    )
    _values_plausible = plausible_values(_plausible)

    def _compute_access_url(self):
        for record in self:
            record.access_url = f"/my/decisions/{record.id}"

    def _get_report_base_filename(self):
        """The name of the letter's PDF downloaded from the portal."""
        self.ensure_one()
        return self.env._("Decision %(reference)s", reference=self.reference)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("decided_by_id")
    def _check_decided_by_staff(self):
        self._check_internal_users("decided_by_id")

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
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "A decision is recorded by deciding a need gathered in an open municipal review "
                    "(the Decide button of the need), never created directly."
                )
            )
        return super().create(vals_list)

    @api.model
    def _add_server_values(self, vals_list):
        """DEC-<year>-<number>, from the sequence of the company and the year of the decision."""
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            vals["reference"] = self._next_reference(company, vals.get("decision_date"))
        return super()._add_server_values(vals_list)

    def _editable_fields(self):
        """Nothing of an act changes: its reference, need, outcome and date stay as decided."""
        return frozenset()

    def _frozen_message(self, field_names):
        return self.env._(
            "Decision %(reference)s is an act of the municipality: it never changes. While its review is open, "
            "cancel it and decide again.",
            reference=self.reference,
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        """Decisions are the municipality's acts: cancel, never delete."""
        raise UserError(self.env._("A decision is never deleted: cancel it while its review is still open."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_cancel(self):
        """Cancel a decision of an open review; its reference is never given again."""
        self._move("cancel")
        for decision in self:
            need = decision.need_id
            if need.state in NEED_STATE_BY_OUTCOME.values() and not need.loan_ids:
                need._move("reopen_review")
        return True

    # ------------------------------------------------------------
    # RULES
    # ------------------------------------------------------------

    def _workflow_roles(self):
        """Council managers cancel a decision, while its review is open."""
        return {"decider"} if self.env["conseil.need"]._user_decides() else set()

    def _role_label(self, role):
        return self.env._("council managers, while the review is open")

    def _transition_obstacle(self, target):
        if self.is_locked or not self.review_meeting_id._is_open_review():
            return self.env._(
                "Decision %(reference)s belongs to a closed municipal review: it is final.",
                reference=self.reference,
            )
        if self.need_id.loan_ids.filtered(lambda loan: loan.state != "cancelled"):
            return self.env._(
                "Loans were created from decision %(reference)s: cancel them before cancelling the decision.",
                reference=self.reference,
            )
        return super()._transition_obstacle(target)

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    @api.model
    def _next_reference(self, company, decision_date=None):
        """DEC-<year>-<number>, numbered per company and per year, never reused."""
        return self.env["ir.sequence"]._conseil_next(
            "conseil.decision",
            company,
            self.env._("Decisions of %(company)s", company=company.name),
            "DEC-%(range_year)s-",
            fields.Date.to_date(decision_date) or fields.Date.context_today(self),
        )

    def _outcome_label(self):
        self.ensure_one()
        return dict(self._fields["outcome"]._description_selection(self.env))[self.outcome]

    def _notify_association(self):
        """Each decision still in force goes to its association, with its letter, once.

        Sent when the review is closed, not when the decision is recorded: while the review is open the
        municipal team may still cancel a decision and decide again, and the association must only read the
        decision that holds. A cancelled decision is never sent. The letter is then issued as an act, in the
        association's language: the mail attaches it, and every later print gives that file.
        """
        in_force = self.filtered(lambda decision: decision.state == "done")
        in_force._conseil_issue_act("conseil_associations.action_report_decision_letter")
        return in_force._conseil_mail_once("decision", "conseil_associations.mail_template_decision")

    def _notify_referent(self):
        """The association's referent officer hears of the decision."""
        for decision in self:
            need = decision.need_id
            referent = need.association_id.referent_user_id
            town = decision._town()
            body = town.env._(
                "Decision %(reference)s on %(need)s: %(outcome)s.",
                reference=decision.reference,
                need=need.name,
                outcome=town._outcome_label(),
            )
            need.message_post(
                body=body,
                partner_ids=referent.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment" if referent else "mail.mt_note",
            )
