from contextlib import contextmanager
from datetime import datetime, time, timedelta

import psycopg2
import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from .conseil_facts import MANAGER, OFFICER
from .conseil_guarded import DATES, long_date, plausible_values, text_to_html
from .conseil_introduction import actor_domain

NEED_TYPES = [
    ("agent", "Agent"),
    ("vehicle", "Vehicle"),
    ("room", "Room"),
    ("equipment", "Equipment"),
    ("engineering", "Engineering help"),
    ("networking", "Networking"),
    ("funding", "Funding"),
    ("other", "Other"),
]
UNITS = [
    ("hours_week", "Hours per week"),
    ("days", "Days"),
    ("hours", "Hours"),
    ("persons", "Persons"),
    ("parcels", "Parcels"),
    ("units", "Units"),
    ("euros", "Euros"),
]
OPEN_STATES = ("submitted", "in_review")
DECIDED_STATES = ("approved", "partial", "refused", "redirected")
# The status a decision gives its need.
NEED_STATE_BY_OUTCOME = {
    "approve": "approved",
    "partial": "partial",
    "refuse": "refused",
    "redirect": "redirected",
}
# Needs that a loan answers, and the kind of loan: engineering help is an agent loan of a number of hours.
LOAN_KINDS = {
    "agent": "agent",
    "vehicle": "vehicle",
    "room": "room",
    "equipment": "equipment",  # one loan; the officer writes its lines (30 chairs, 6 tables...)
    "engineering": "agent",
}
# Hours of a day of engineering help (the territorial civil service's 35 h week).
HOURS_PER_DAY = 7
# The most hours a week an agent's loan carries (conseil.loan's bound of its weekly hours).
HOURS_PER_WEEK = 168
LATE_AFTER_DAYS = 7
# Loans created at once from one need: beyond, an officer creates them one by one.
MAX_LOANS_PER_NEED = 20
# What the association asks: frozen once the municipal team looks at it.
TERMS = frozenset(
    {
        "name",
        "need_type",
        "quantity",
        "unit",
        "date_from",
        "date_to",
        "priority",
        "beneficiaries_affected",
        "aid_form",
        "request_kind",
        "meeting_id",
        "description",
        "is_urgent",
        "urgent_reason",
    }
)
# What an association's people give from the portal: the terms, never where or when the council heard them.
PORTAL_TERMS = TERMS - {"meeting_id", "aid_form", "request_kind"}
# The setting of the commune holding the notice it asks for each kind of need; other kinds ask none.
LEAD_DAYS_SETTINGS = {
    "room": "conseil_lead_days_room",
    "vehicle": "conseil_lead_days_vehicle",
    "agent": "conseil_lead_days_agent",
    "equipment": "conseil_lead_days_equipment",
}
# How the council files the need, and who answers it (the department of an engineering help, the actor of a
# networking need): it may change while the need lives.
FILING = frozenset({"theme_ids", "challenge_id", "department_id", "actor_id"})


class ConseilNeed(models.Model):
    _name = "conseil.need"
    _description = "Need of an Association"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "conseil.agenda.source",
        "conseil.workflow.mixin",
    ]
    _kanban_states = ("draft", "submitted", "in_review", "approved")
    _order = "priority desc, submitted_on, id desc"

    _conseil_agenda_section_sequence = 20
    # Set by the actions, each of which checks who acts (README, "Security model").
    _server_fields = frozenset(
        {
            "state",
            "raised_on",
            "submitted_on",
            "review_meeting_id",
            "decision_ids",
            "loan_ids",
            "partnership_ids",
            "introduction_ids",
            "networking_outcome",
        }
    )
    _transitions = {
        ("draft", "submitted"): "officer",
        ("draft", "cancelled"): "officer",
        ("submitted", "cancelled"): "officer",
        ("cancelled", "draft"): "officer",
        # an offer of another association answers an open need (Who Could Help?)
        ("draft", "redirected"): "officer",
        ("submitted", "redirected"): "officer",
        ("submitted", "in_review"): "decider",
        ("in_review", "submitted"): "decider",
        ("in_review", "approved"): "decider",
        ("in_review", "partial"): "decider",
        ("in_review", "refused"): "decider",
        ("in_review", "redirected"): "decider",
        # a decision cancelled while its review is open
        ("approved", "in_review"): "decider",
        ("partial", "in_review"): "decider",
        ("refused", "in_review"): "decider",
        ("redirected", "in_review"): "decider",
        ("approved", "fulfilled"): "officer",
        ("partial", "fulfilled"): "officer",
        ("redirected", "fulfilled"): "officer",
        ("fulfilled", "closed"): "officer",
        ("refused", "closed"): "officer",
        ("redirected", "closed"): "officer",
    }
    _moves = {
        "submit": ("submitted", ("draft",)),
        "cancel": ("cancelled", None),
        "reset_to_draft": ("draft", None),
        "gather": ("in_review", ("submitted",)),
        "decide": ("approved", ("in_review",)),
        "redirect": ("redirected", ("draft", "submitted")),
        "reopen_review": ("in_review", DECIDED_STATES),
        "leave_review": ("submitted", ("in_review",)),
        "mark_fulfilled": ("fulfilled", None),
        "close": ("closed", None),
    }
    _editable_by_state = {
        "draft": TERMS | FILING | {"association_id", "company_id"},
        "submitted": TERMS | FILING,
        "in_review": FILING,
        "approved": FILING,
        "partial": FILING,
        "refused": FILING,
        "redirected": FILING,
        "fulfilled": FILING,
        "closed": FILING,
    }
    _editable_groups = {"can_edit_terms": TERMS}
    _plausible = {
        "raised_on": DATES,
        "submitted_on": DATES,
        "date_from": DATES,
        "date_to": DATES,
        "quantity": (0, 1_000_000),
        "beneficiaries_affected": (0, 10_000_000),
        "name": 256,
        "urgent_reason": 2_000,
    }

    name = fields.Char(string="Need", required=True, tracking=True)
    association_id = fields.Many2one(
        "conseil.association",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    theme_ids = fields.Many2many(
        "conseil.theme",
        "conseil_need_theme_rel",
        "need_id",
        "theme_id",
        string="Themes",
        compute="_compute_theme_ids",
        store=True,
        readonly=False,
        check_company=True,
    )
    meeting_id = fields.Many2one(
        "conseil.meeting",
        string="Raised At",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('meeting_type', '=', 'council')]",
        help="The council session where the association raised the need; empty when it came between sessions.",
    )
    review_meeting_id = fields.Many2one(
        "conseil.meeting",
        string="Municipal Review",
        index="btree_not_null",
        tracking=True,
        readonly=True,
        copy=False,
        check_company=True,
        domain="[('meeting_type', '=', 'review')]",
    )
    need_type = fields.Selection(NEED_TYPES, string="Type", required=True, index=True, tracking=True)
    description = fields.Html()
    quantity = fields.Float(default=1.0, tracking=True)
    unit = fields.Selection(
        UNITS,
        default="units",
        required=True,
    )
    date_from = fields.Date(string="Wanted From", tracking=True)
    date_to = fields.Date(string="Wanted Until", tracking=True)
    priority = fields.Selection(
        [("0", "Normal"), ("1", "Urgent"), ("2", "Critical")],
        string="Urgency",
        default="0",
        index=True,
        tracking=True,
    )
    is_urgent = fields.Boolean(
        string="Asked at Short Notice",
        tracking=True,
        help="Wanted sooner than the town's lead time for its kind: the reason says why it cannot wait.",
    )
    urgent_reason = fields.Text(string="Why It Cannot Wait", tracking=True)
    lead_time_notice = fields.Char(compute="_compute_lead_time_notice", export_string_translation=False)
    beneficiaries_affected = fields.Integer(help="People who go without if the need is not met.")
    aid_form = fields.Selection(
        [("in_kind", "In kind"), ("cash", "Cash")], string="Form of Aid", required=True, default="in_kind"
    )
    request_kind = fields.Selection(
        [("first", "First request"), ("renewal", "Renewal")],
        string="Kind of Request",
        required=True,
        default="first",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("in_review", "In Review"),
            ("approved", "Granted"),
            ("partial", "Partly Granted"),
            ("refused", "Declined"),
            ("redirected", "Redirected"),
            ("fulfilled", "Fulfilled"),
            ("closed", "Closed"),
            ("cancelled", "Withdrawn"),
        ],
        string="Status",
        group_expand="_expand_states",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    raised_on = fields.Datetime(
        string="Recorded On",
        default=fields.Datetime.now,
        required=True,
        index=True,
        copy=False,
        readonly=True,
    )
    submitted_on = fields.Datetime(readonly=True, copy=False, index=True)
    decision_ids = fields.One2many("conseil.decision", "need_id", string="Decisions", copy=False)
    decision_id = fields.Many2one(
        "conseil.decision",
        compute="_compute_decision_id",
        store=True,
        index="btree_not_null",
    )
    decision_reference = fields.Char(related="decision_id.reference", string="Decision Reference")
    decision_date = fields.Date(related="decision_id.decision_date", store=True, string="Decided On")
    days_to_decision = fields.Integer(
        compute="_compute_days_to_decision",
        store=True,
        aggregator="avg",
        string="Days to Decision",
        help="Days from submission to decision; the dashboard's median reads it.",
    )
    loan_ids = fields.One2many("conseil.loan", "need_id", string="Loans", copy=False)
    loan_count = fields.Integer(compute="_compute_loan_count")
    department_id = fields.Many2one(
        "hr.department",
        string="Department Helping",
        check_company=True,
        tracking=True,
        help="Engineering help: the department that lends an agent for the hours of the need.",
    )
    actor_id = fields.Many2one(
        "res.partner",
        string="Actor to Meet",
        check_company=True,
        tracking=True,
        domain=actor_domain,
        help="Networking: the structuring actor (a contact tagged « Structuring Actor ») the association is "
        "introduced to.",
    )
    introduction_ids = fields.One2many("conseil.introduction", "need_id", string="Introductions", copy=False)
    networking_outcome = fields.Text(
        string="Outcome of the Introduction",
        readonly=True,
        copy=False,
        tracking=True,
        help="What came of the introduction, as its officer recorded it.",
    )
    is_late = fields.Boolean(
        compute="_compute_is_late",
        search="_search_is_late",
        string="Waiting Too Long",
        help=f"Submitted more than {LATE_AFTER_DAYS} days ago and still without decision.",
    )
    referent_user_id = fields.Many2one(related="association_id.referent_user_id", string="Referent Officer")
    color = fields.Integer()
    can_submit = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_cancel = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_reset_to_draft = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_decide = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_mark_fulfilled = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_close = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_edit_terms = fields.Boolean(compute="_compute_can_edit", export_string_translation=False)

    _quantity_positive = models.Constraint(
        "CHECK (quantity >= 0 AND beneficiaries_affected >= 0)",
        "Quantities and beneficiaries cannot be negative.",
    )
    _values_plausible = plausible_values(_plausible)
    _period_ordered = models.Constraint(
        "CHECK (date_to IS NULL OR date_from IS NULL OR date_to >= date_from)",
        "The wanted period must end after it starts.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    def _compute_access_url(self):
        for record in self:
            record.access_url = f"/my/needs/{record.id}"

    @api.depends("association_id")
    def _compute_theme_ids(self):
        for need in self:
            need.theme_ids = need.association_id.theme_ids

    @api.depends("state", "need_type", "company_id", "date_from", "is_urgent", "urgent_reason")
    @api.depends_context("lang")
    def _compute_lead_time_notice(self):
        """On a draft, what stands in the way of its submission, else what the town asks for its kind."""
        for need in self:
            obstacle = need.state == "draft" and need._lead_time_obstacle()
            need.lead_time_notice = obstacle or need._lead_time_sentence()

    @api.depends_context("uid")
    @api.depends("state", "need_type", "company_id", "date_from", "is_urgent", "urgent_reason")
    def _compute_workflow_buttons(self):
        """Submit follows the lead time as the terms change on the form."""
        return super()._compute_workflow_buttons()

    @api.depends("decision_ids.state")
    def _compute_decision_id(self):
        for need in self:
            valid = need.decision_ids.filtered(lambda d: d.state != "cancelled").sorted("id")
            need.decision_id = valid[-1:]

    @api.depends("submitted_on", "decision_date")
    def _compute_days_to_decision(self):
        for need in self:
            decided = need.submitted_on and need.decision_date
            need.days_to_decision = (
                max((need.decision_date - need.submitted_on.date()).days, 0) if decided else 0
            )

    def _compute_loan_count(self):
        counts = dict(
            self.env["conseil.loan"]._read_group([("need_id", "in", self.ids)], ["need_id"], ["__count"])
        )
        for need in self:
            need.loan_count = counts.get(need, 0)

    @api.depends("state", "submitted_on")
    def _compute_is_late(self):
        limit = fields.Datetime.now() - timedelta(days=LATE_AFTER_DAYS)
        for need in self:
            need.is_late = bool(need.state in OPEN_STATES and need.submitted_on and need.submitted_on < limit)

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the late flag."))
        limit = fields.Datetime.now() - timedelta(days=LATE_AFTER_DAYS)
        late = [("state", "in", OPEN_STATES), ("submitted_on", "<", limit)]
        return late if (operator == "=") == value else ["!", *late]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        """A need once submitted is part of the council's history: cancel it, never delete it."""
        kept = self.filtered(lambda need: need.state != "draft" or need.submitted_on or need.decision_ids)
        if kept:
            raise UserError(
                self.env._(
                    "%(need)s has been submitted: cancel it instead of deleting it, so that its history stays.",
                    need=kept[0].display_name,
                )
            )

    @api.constrains("need_type", "department_id", "actor_id")
    def _check_who_answers(self):
        """A department answers an engineering help, a structuring actor a networking need: the need refuses
        what its loan or its introduction would refuse later."""
        tag = self.env.ref("conseil_associations.partner_category_structuring_actor")
        for need in self:
            if need.department_id and need.need_type != "engineering":
                raise ValidationError(
                    self.env._(
                        "%(need)s is not an engineering help: no department helps it.", need=need.display_name
                    )
                )
            if need.actor_id and need.need_type != "networking":
                raise ValidationError(
                    self.env._(
                        "%(need)s is not a networking need: it has no actor to meet.", need=need.display_name
                    )
                )
            if need.actor_id and tag not in need.actor_id.sudo().category_id:
                raise ValidationError(
                    self.env._(
                        "%(actor)s is not tagged as a structuring actor: tag the contact « %(tag)s » before "
                        "choosing it as the actor to meet of %(need)s.",
                        actor=need.actor_id.display_name,
                        tag=tag.name,
                        need=need.display_name,
                    )
                )

    @api.constrains("need_type", "quantity", "unit", "date_from", "date_to")
    def _check_engineering_hours(self):
        """The hours of an engineering help fit what a loan of an agent may carry, in all and a week."""
        most = self.env["conseil.loan"]._plausible["total_hours"][1]
        for need in self.filtered(
            lambda need: need.need_type == "engineering" and need.unit in ("hours", "days")
        ):
            hours = need.quantity * (HOURS_PER_DAY if need.unit == "days" else 1)
            weeks = (
                max(((need.date_to - need.date_from).days + 1) / 7, 1)
                if need.date_from and need.date_to
                else 0
            )
            if hours > most or (weeks and hours / weeks > HOURS_PER_WEEK):
                raise ValidationError(
                    self.env._(
                        "%(need)s asks for %(hours)s h of engineering help: an agent's loan carries at most "
                        "%(most)s h, and %(week)s h a week over the period wanted. Ask for fewer hours or "
                        "a longer period.",
                        need=need.display_name,
                        hours=self.env["conseil.guarded.mixin"]._number_label(hours),
                        most=self.env["conseil.guarded.mixin"]._number_label(most),
                        week=HOURS_PER_WEEK,
                    )
                )

    @api.constrains("meeting_id")
    def _check_raised_at_a_council(self):
        for need in self.filtered("meeting_id"):
            if need.meeting_id.meeting_type != "council":
                raise ValidationError(
                    self.env._(
                        "%(need)s is raised at an associations council, not at %(meeting)s.",
                        need=need.display_name,
                        meeting=need.meeting_id.display_name,
                    )
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_submit(self):
        """The association's need goes to the municipal team; the Managers get an activity."""
        self._move("submit", {"submitted_on": fields.Datetime.now()})
        activity_type = self.env.ref("conseil_associations.mail_activity_type_need_review")
        for need in self:
            town = need._town().env
            summary = (
                town._("Review the urgent need of %(association)s", association=need.association_id.name)
                if need.is_urgent
                else town._("Review the need of %(association)s", association=need.association_id.name)
            )
            for manager in need._managers():
                need.activity_schedule(activity_type_id=activity_type.id, user_id=manager.id, summary=summary)
        return True

    def action_cancel(self):
        self._move("cancel")
        self.sudo().activity_unlink(["conseil_associations.mail_activity_type_need_review"])
        return True

    def action_reset_to_draft(self):
        self._move("reset_to_draft", {"submitted_on": False})
        return True

    def action_open_decision_wizard(self):
        self._check_move("decide")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decision"),
            "res_model": "conseil.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_need_id": self.id},
        }

    def action_create_loans(self):
        """Create the loan requests an approved need implies, pre-filled from the need and its decision."""
        wrong = self.filtered(lambda need: need.state not in ("approved", "partial"))
        if wrong:
            raise UserError(
                self.env._("Loans are created for an approved need (%(need)s).", need=wrong[0].display_name)
            )
        Loan = self.env["conseil.loan"]
        Loan.check_access("create")
        values = []
        for need in self:
            if need.loan_ids.filtered(lambda loan: loan.state != "cancelled"):
                raise UserError(
                    self.env._(
                        "The loans of %(need)s are already created: open them from the need.",
                        need=need.display_name,
                    )
                )
            kind = LOAN_KINDS.get(need.need_type)
            if not kind:
                raise UserError(
                    self.env._(
                        "%(need)s asks for %(type)s: it is not answered by lending a vehicle, an agent, a room or equipment.",
                        need=need.display_name,
                        type=dict(self._fields["need_type"]._description_selection(self.env))[need.need_type],
                    )
                )
            start, end = need._loan_period()
            count = int(need.quantity) if kind in ("vehicle", "room") and need.unit == "units" else 1
            if count > MAX_LOANS_PER_NEED:
                raise UserError(
                    self.env._(
                        "%(need)s asks for %(count)s resources: create its loans one by one from the Loans menu "
                        "(at most %(max)s at once).",
                        need=need.display_name,
                        count=count,
                        max=MAX_LOANS_PER_NEED,
                    )
                )
            for __ in range(max(count, 1)):
                values.append(
                    {
                        "loan_type": kind,
                        "association_id": need.association_id.id,
                        "company_id": need.company_id.id,
                        "need_id": need.id,
                        "decision_id": need.decision_id.id,
                        "purpose": need.name,
                        "date_start": start,
                        "date_end": end,
                        "weekly_hours": need.quantity
                        if need.need_type == "agent" and need.unit == "hours_week"
                        else 0.0,
                        "expected_attendance": need.beneficiaries_affected if kind == "room" else 0,
                        **(
                            need._engineering_loan_values(start, end)
                            if need.need_type == "engineering"
                            else {}
                        ),
                    }
                )
        # the links to the need and its decision are the server's: users may not set them
        loans = Loan.sudo().create(values).sudo(False)
        return (
            {
                "type": "ir.actions.act_window",
                "name": self.env._("Loans"),
                "res_model": "conseil.loan",
                "view_mode": "list,form",
                "domain": [("id", "in", loans.ids)],
            }
            if len(loans) > 1
            else loans.get_formview_action()
        )

    def _engineering_loan_values(self, start, end):
        """An engineering help is an agent loan of the need's hours, from the department that helps: the officer
        then chooses one of its agents, whose consent and convention the loan needs as any agent loan's."""
        self.ensure_one()
        if not self.department_id:
            raise UserError(
                self.env._(
                    "Choose the department that gives the engineering help of %(need)s.",
                    need=self.display_name,
                )
            )
        if self.unit not in ("hours", "days") or not self.quantity:
            raise UserError(
                self.env._(
                    "Say how many hours or days of engineering help %(need)s asks for.",
                    need=self.display_name,
                )
            )
        hours = self.quantity * (HOURS_PER_DAY if self.unit == "days" else 1)
        return {
            "department_id": self.department_id.id,
            "total_hours": hours,
            "weekly_hours": self.env["conseil.loan"]._engineering_weekly_hours(hours, start, end),
        }

    def action_create_introduction(self):
        """An approved networking need introduces its association to the actor chosen: the introduction, with a
        follow-up activity for the officer who records its outcome."""
        self.ensure_one()
        if self.need_type != "networking" or self.state not in ("approved", "partial"):
            raise UserError(
                self.env._(
                    "An introduction answers an approved networking need (%(need)s).", need=self.display_name
                )
            )
        if self.introduction_ids.filtered(lambda introduction: introduction.state != "cancelled"):
            raise UserError(
                self.env._(
                    "The introduction of %(need)s is already created: open it from the need.",
                    need=self.display_name,
                )
            )
        if not self.actor_id:
            raise UserError(
                self.env._("Choose the actor to meet for %(need)s first.", need=self.display_name)
            )
        Introduction = self.env["conseil.introduction"]
        Introduction.check_access("create")
        values = {
            "need_id": self.id,
            "association_id": self.association_id.id,
            "company_id": self.company_id.id,
            "actor_id": self.actor_id.id,
            "user_id": (self.association_id.referent_user_id or self.env.user).id,
        }
        if self.date_from and self.date_from > fields.Date.context_today(self):
            values["date"] = self.date_from
        # the links to the need and its association are the server's: users may not set them
        introduction = Introduction.sudo().create(values).sudo(False)
        introduction._schedule_follow_up()
        return introduction.get_formview_action()

    def action_view_introductions(self):
        self.ensure_one()
        return self.env["conseil.introduction"]._action_for_records("need_id", self)

    def _record_networking_outcome(self, introduction):
        """The outcome of the need's introduction, on the need and in its chatter."""
        self.ensure_one()
        self._server_write({"networking_outcome": introduction.outcome})
        self.sudo().message_post(
            body=text_to_html(
                self._town().env._(
                    "Introduction to %(actor)s: %(outcome)s",
                    actor=introduction.actor_id.name,
                    outcome=introduction.outcome,
                )
            )
        )

    def action_mark_fulfilled(self):
        self._move("mark_fulfilled")
        return True

    def action_close(self):
        self._move("close")
        return True

    def action_view_loans(self):
        self.ensure_one()
        return self.env["conseil.loan"]._action_for_records("need_id", self)

    # ------------------------------------------------------------
    # AGENDA SOURCE
    # ------------------------------------------------------------

    @api.model
    def _conseil_agenda_section_label(self):
        return self.env._("Needs")

    @api.model
    def _conseil_agenda_items(self, meeting):
        if meeting.meeting_type == "review":
            return [
                need._agenda_item(self.env._("%(need)s — to decide", need=need._agenda_label()))
                for need in self.search(
                    [("review_meeting_id", "=", meeting.id)], order="priority desc, submitted_on"
                )
            ]
        previous = meeting._previous_council()
        since = previous.date_start if previous else meeting.date_start - timedelta(days=31)
        company = [("company_id", "=", meeting.company_id.id)]
        if meeting.attendance_ids:
            # The council follows the needs of the associations it gathers.
            company.append(("association_id", "in", meeting.attendance_ids.association_id.ids))
        late_limit = meeting.date_start - timedelta(days=LATE_AFTER_DAYS)

        def item(need, label):
            """Urgent needs without decision for 7 days are flagged, whatever their section."""
            if (
                need.priority != "0"
                and need.state in OPEN_STATES
                and need.submitted_on
                and need.submitted_on < late_limit
            ):
                label = self.env._(
                    "Urgent need waiting for a decision for over 7 days: %(need)s", need=need._agenda_label()
                )
                return need._agenda_item(label, flagged=True)
            return need._agenda_item(label)

        items = []
        new_needs = self.search(
            [
                *company,
                ("raised_on", ">=", since),
                ("raised_on", "<", meeting.date_start),
                # submitted and waiting: drafts are not the town's yet, decisions are announced below
                ("state", "in", OPEN_STATES),
            ],
            order="priority desc, id",
        )
        for need in new_needs:
            items.append(item(need, self.env._("New need: %(need)s", need=need._agenda_label())))
        decisions = self.env["conseil.decision"].search(
            [
                *company,
                ("state", "=", "done"),
                ("decision_date", ">=", since.date()),
                ("decision_date", "<=", meeting.date_start.date()),
            ],
            order="reference",
        )
        for decision in decisions:
            items.append(
                decision.need_id._agenda_item(
                    self.env._(
                        "Decision %(reference)s to announce: %(need)s — %(outcome)s",
                        reference=decision.reference,
                        need=decision.need_id._agenda_label(),
                        outcome=decision._outcome_label(),
                    )
                )
            )
        still_open = self.search([*company, ("state", "in", OPEN_STATES), ("id", "not in", new_needs.ids)])
        for need in still_open.sorted(lambda n: (-int(n.priority), n.submitted_on or n.raised_on)):
            items.append(item(need, self.env._("Still open: %(need)s", need=need._agenda_label())))
        return items

    def _agenda_label(self):
        return f"{self.association_id.name} — {self.name}"

    def _agenda_item(self, name, flagged=None):
        return {
            "name": name,
            "res_model": self._name,
            "res_id": self.id,
            "is_flagged": self.priority != "0" if flagged is None else flagged,
        }

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _transition_obstacle(self, target):
        if target == "submitted" and self.state == "draft":
            return self._lead_time_obstacle() or super()._transition_obstacle(target)
        return super()._transition_obstacle(target)

    def _workflow_roles(self):
        """Officers record, submit and follow needs; council managers gather and decide them."""
        roles = set()
        if self.env.user.has_group(OFFICER):
            roles.add("officer")
        if self._user_decides():
            roles.add("decider")
        return roles

    def _role_label(self, role):
        return {
            "officer": self.env._("associative-life officers"),
            "decider": self.env._("council managers, at a municipal review"),
        }.get(role, role)

    @api.model
    def _user_decides(self):
        """The municipal team (council managers) decides: one rule for needs, reviews and decisions."""
        return self.env.su or self.env.user.has_group(MANAGER)

    @api.model
    def _check_decider(self):
        if not self._user_decides():
            raise AccessError(
                self.env._("Only a council manager records the decisions of the municipal review.")
            )

    def _decide(self, values):
        """Record the decision on this need, gathered in an open review: the one way a decision is made.

        ``values``: outcome, granted, reason, redirect_association_id,
        decided_by_id, decision_date. The decision is created by the server:
        its reference, need, review and date are never a user's to write.
        """
        self.ensure_one()
        outcome = values.get("outcome")
        target = NEED_STATE_BY_OUTCOME.get(outcome)
        if not target:
            raise ValidationError(self.env._("Choose the outcome of the decision."))
        self._check_transition(target, ("in_review",))
        review = self.review_meeting_id
        if not review or not review._is_open_review():
            raise UserError(
                self.env._(
                    "%(need)s is decided at an open municipal review: gather it into one first.",
                    need=self.display_name,
                )
            )
        decision_date = fields.Date.to_date(values.get("decision_date")) or fields.Date.context_today(self)
        earliest, latest = self._decision_date_bounds()
        if not earliest <= decision_date <= latest:
            raise ValidationError(
                self.env._(
                    "Date the decision on %(need)s between its submission (%(earliest)s) and %(latest)s.",
                    need=self.display_name,
                    earliest=format_date(self.env, earliest),
                    latest=format_date(self.env, latest),
                )
            )
        self.check_access("write")
        decision = (
            self.env["conseil.decision"]
            .sudo()
            .create(
                {
                    "need_id": self.id,
                    "review_meeting_id": review.id,
                    "company_id": self.company_id.id,
                    "outcome": outcome,
                    "granted": values.get("granted") or False,
                    "reason": values.get("reason") or False,
                    "redirect_association_id": values.get("redirect_association_id") or False,
                    "decided_by_id": values.get("decided_by_id") or self.env.user.id,
                    "decision_date": decision_date,
                }
            )
        )
        self._transition(target, sources=("in_review",))
        self.sudo().activity_unlink(["conseil_associations.mail_activity_type_need_review"])
        decision._notify_referent()
        return decision.sudo(False)

    def _decision_date_bounds(self):
        """A decision is dated on or after the need's submission, and never in the future."""
        self.ensure_one()
        earliest = (self.submitted_on or self.raised_on).date()
        return earliest, max(fields.Date.context_today(self), earliest)

    def _default_decision_date(self):
        """The review's day, unless the need came in after it: then the day of its submission."""
        earliest, latest = self._decision_date_bounds()
        review_day = self.review_meeting_id.date_start.date() if self.review_meeting_id.date_start else None
        return min(max(review_day or fields.Date.context_today(self), earliest), latest)

    def _managers(self):
        self.ensure_one()
        return self._role_holders(MANAGER, self.company_id)

    def _loan_period(self):
        """Wanted period as UTC datetimes: from 08:00 on the first day to 18:00 on the last, local time."""
        self.ensure_one()
        tz = pytz.timezone(self.env.user.tz or self.company_id.partner_id.tz or "Europe/Paris")
        first = self.date_from or fields.Date.context_today(self)
        last = self.date_to or first
        start = tz.localize(datetime.combine(first, time(8, 0))).astimezone(pytz.utc).replace(tzinfo=None)
        end = tz.localize(datetime.combine(last, time(18, 0))).astimezone(pytz.utc).replace(tzinfo=None)
        return start, end

    def _on_loans_progress(self):
        """A need whose loans are all over, at least one returned, is fulfilled."""
        for need in self.filtered(lambda n: n.state in ("approved", "partial")):
            states = set(need.loan_ids.mapped("state"))
            if "returned" in states and states <= {"returned", "cancelled", "refused"}:
                need.sudo()._move("mark_fulfilled")

    # ------------------------------------------------------------
    # LEAD TIMES: the one rule, read by every door that submits a need
    # ------------------------------------------------------------

    def _lead_days(self):
        """Days of notice the commune asks for this kind of need (its settings); 0 for kinds without."""
        self.ensure_one()
        setting = LEAD_DAYS_SETTINGS.get(self.need_type)
        company = self.company_id or self.env.company
        return (company.sudo()[setting] or 0) if setting else 0

    def _earliest_date(self):
        self.ensure_one()
        return fields.Date.context_today(self) + timedelta(days=self._lead_days())

    def _kind_phrase(self):
        """The kind of need as a sentence names it: « pour une salle »."""
        self.ensure_one()
        return {
            "room": self.env._("a room"),
            "vehicle": self.env._("a vehicle"),
            "agent": self.env._("a communal agent"),
            "equipment": self.env._("equipment"),
        }.get(self.need_type, "")

    def _lead_time_sentence(self):
        """What the town asks, in words, or an empty text for kinds without a lead time."""
        self.ensure_one()
        days = self._lead_days()
        if not days:
            return ""
        return self.env._(
            "The town hall asks for %(days)s days' notice for %(kind)s.", days=days, kind=self._kind_phrase()
        )

    def _lead_time_obstacle(self):
        """Why this need cannot be submitted yet: wanted too soon for its kind, unless urgent with a reason.

        The same rule for the portal, the back office and JSON-RPC: it is read by
        the submit move itself (``_transition_obstacle``).
        """
        self.ensure_one()
        reason = (self.urgent_reason or "").strip()
        if self.is_urgent and not reason:
            return self.env._("%(need)s is marked urgent: say why it cannot wait.", need=self.display_name)
        days = self._lead_days()
        # without a wanted date, the town hall answers when it can: nothing is asked of it sooner than its delay
        if not days or not self.date_from or (self.is_urgent and reason):
            return None
        earliest = self._earliest_date()
        if self.date_from >= earliest:
            return None
        return self.env._(
            "The town hall asks for %(days)s days' notice for %(kind)s: %(need)s can be wanted from "
            "%(earliest)s at the earliest. Choose a later date, or ask at short notice and say why it cannot wait.",
            days=days,
            kind=self._kind_phrase(),
            need=self.display_name,
            earliest=long_date(self.env, earliest),
        )

    # ------------------------------------------------------------
    # PORTAL: called as the association's person, checked as them, written by the server
    # ------------------------------------------------------------

    @api.model
    def _portal_create(self, association, vals):
        """A person of the association records a need of theirs, in draft: the association must be theirs."""
        association = association.with_env(self.env)  # read as the caller, whatever env it came with
        association.check_access("read")
        vals = self._portal_terms(vals)
        with self._database_checks_told():
            need = self.sudo().create(
                {**vals, "association_id": association.id, "company_id": association.sudo().company_id.id}
            )
        need.message_subscribe(partner_ids=self.env.user.partner_id.ids)
        need._post_portal_note(
            lambda town: town._(
                "%(person)s recorded this need from the portal.", person=self.env.user.partner_id.name
            )
        )
        return need.sudo(False)

    def _portal_update(self, vals):
        """Its terms change from the portal while it is a draft, and only its terms."""
        self.ensure_one()
        self.check_access("read")
        self._check_portal_draft()
        vals = self._portal_terms(vals)
        with self._database_checks_told():
            self.sudo().write(vals)
        return True

    def _portal_submit(self):
        """Submitted to the town hall from the portal: the submit move of the back office, lead time included."""
        self.ensure_one()
        self.check_access("read")
        self._check_portal_draft()
        self.sudo().action_submit()
        self.sudo()._post_portal_note(
            lambda town: town._(
                "%(person)s submitted this need to the town hall from the portal.",
                person=self.env.user.partner_id.name,
            )
        )
        return True

    def _portal_cancel(self):
        """A draft the association no longer wants is withdrawn, its history kept."""
        self.ensure_one()
        self.check_access("read")
        self._check_portal_draft()
        self.sudo().action_cancel()
        self.sudo()._post_portal_note(
            lambda town: town._(
                "%(person)s withdrew this need from the portal.", person=self.env.user.partner_id.name
            )
        )
        return True

    def _check_portal_draft(self):
        if self.state != "draft":
            raise UserError(
                self.env._(
                    "%(need)s is %(state)s: the town hall has it, it no longer changes from the portal.",
                    need=self.display_name,
                    state=self._state_label(self.state),
                )
            )

    @api.model
    def _portal_terms(self, vals):
        """The values a person may give from the portal, checked as the back office checks them."""
        refused = vals.keys() - PORTAL_TERMS
        if refused:
            raise AccessError(
                self.env._(
                    "%(fields)s cannot be given from the portal: the town hall sets them.",
                    fields=self._field_labels(refused),
                )
            )
        if vals.get("description") and not isinstance(vals["description"], str):
            raise ValidationError(self._wrong_type_message(self._fields["description"], vals["description"]))
        vals = self._check_plausible(vals)
        if "description" in vals:
            vals["description"] = text_to_html(vals["description"]) if vals["description"] else False
        return vals

    @contextmanager
    def _database_checks_told(self):
        """The database's own checks (a period ending before it starts) run now, and are told in words."""
        try:
            with self.env.cr.savepoint(flush=False):
                yield
                self.env.flush_all()
        except psycopg2.IntegrityError as error:
            raise ValidationError(self._sql_error_to_message(error)) from None

    def _post_portal_note(self, message):
        """Tell the town hall in the chatter, in its language (``message(env)``), who did what from the portal."""
        self.message_post(
            body=text_to_html(message(self._town().env)),
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
