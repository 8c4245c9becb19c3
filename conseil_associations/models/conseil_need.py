from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

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
# Needs that a loan answers, and the kind of loan.
LOAN_KINDS = {"agent": "agent", "vehicle": "vehicle", "room": "room"}
LATE_AFTER_DAYS = 7


class ConseilNeed(models.Model):
    _name = "conseil.need"
    _description = "Need of an Association"
    _inherit = ["mail.thread", "mail.activity.mixin", "conseil.agenda.source", "conseil.workflow.mixin"]
    _order = "priority desc, submitted_on, id desc"

    _conseil_agenda_section_sequence = 20

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
    beneficiaries_affected = fields.Integer(help="People who go without if the need is not met.")
    aid_form = fields.Selection(
        [("in_kind", "In kind"), ("cash", "Cash")], string="Form of Aid", required=True, default="in_kind"
    )
    request_kind = fields.Selection(
        [("first", "First request"), ("renewal", "Renewal")], string="Request", required=True, default="first"
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("in_review", "In Review"),
            ("approved", "Approved"),
            ("partial", "Partially Approved"),
            ("refused", "Refused"),
            ("redirected", "Redirected"),
            ("fulfilled", "Fulfilled"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
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
    loan_ids = fields.One2many("conseil.loan", "need_id", string="Loans", copy=False)
    loan_count = fields.Integer(compute="_compute_loan_count")
    is_late = fields.Boolean(
        compute="_compute_is_late",
        search="_search_is_late",
        string="Waiting Too Long",
        help=f"Submitted more than {LATE_AFTER_DAYS} days ago and still without decision.",
    )
    referent_user_id = fields.Many2one(related="association_id.referent_user_id", string="Referent Officer")
    color = fields.Integer()

    _quantity_positive = models.Constraint(
        "CHECK (quantity >= 0 AND beneficiaries_affected >= 0)",
        "Quantities and beneficiaries cannot be negative.",
    )
    _period_ordered = models.Constraint(
        "CHECK (date_to IS NULL OR date_from IS NULL OR date_to >= date_from)",
        "The wanted period must end after it starts.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("association_id")
    def _compute_theme_ids(self):
        for need in self:
            need.theme_ids = need.association_id.theme_ids

    @api.depends("decision_ids.state")
    def _compute_decision_id(self):
        for need in self:
            valid = need.decision_ids.filtered(lambda d: d.state != "cancelled").sorted("id")
            need.decision_id = valid[-1:]

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

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") != "draft" and not self._in_transition():
                raise AccessError(
                    self.env._("A need starts as a draft; its status then follows its buttons.")
                )
        return super().create(vals_list)

    def _workflow_locked_message(self):
        return self.env._("The status of a need changes only through its buttons, which check who may do it.")

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_submit(self):
        """The association's need goes to the municipal team; the Managers get an activity."""
        self._check_state(("draft",), self.env._("Only a draft need can be submitted."))
        self._transition({"state": "submitted", "submitted_on": fields.Datetime.now()})
        activity_type = self.env.ref("conseil_associations.mail_activity_type_need_review")
        for need in self:
            for manager in need._managers():
                need.activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=manager.id,
                    summary=self.env._(
                        "Review the need of %(association)s", association=need.association_id.name
                    ),
                )
        return True

    def action_cancel(self):
        self._check_state(
            ("draft", "submitted"), self.env._("Only a draft or submitted need can be cancelled.")
        )
        self._transition({"state": "cancelled"})
        self.activity_unlink(["conseil_associations.mail_activity_type_need_review"])
        return True

    def action_reset_to_draft(self):
        self._check_state(("cancelled",), self.env._("Only a cancelled need goes back to draft."))
        self._transition({"state": "draft", "submitted_on": False})
        return True

    def action_open_decision_wizard(self):
        self._check_decider()
        self._check_state(("in_review",), self.env._("A need is decided during a municipal review."))
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
        self._check_state(("approved", "partial"), self.env._("Loans are created for an approved need."))
        Loan = self.env["conseil.loan"]
        values = []
        for need in self:
            kind = LOAN_KINDS.get(need.need_type)
            if not kind:
                raise UserError(
                    self.env._(
                        "%(need)s asks for %(type)s: it is not answered by lending a vehicle, an agent or a room.",
                        need=need.display_name,
                        type=dict(NEED_TYPES)[need.need_type],
                    )
                )
            start, end = need._loan_period()
            count = int(need.quantity) if kind in ("vehicle", "room") and need.unit == "units" else 1
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
                        if kind == "agent" and need.unit == "hours_week"
                        else 0.0,
                        "expected_attendance": need.beneficiaries_affected if kind == "room" else 0,
                    }
                )
        loans = Loan.create(values)
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

    def action_mark_fulfilled(self):
        self._check_state(
            ("approved", "partial", "redirected"),
            self.env._("Only an approved or redirected need is fulfilled."),
        )
        self._transition({"state": "fulfilled"})
        return True

    def action_close(self):
        self._check_state(
            ("fulfilled", "refused", "redirected"),
            self.env._("Only a fulfilled, refused or redirected need is closed."),
        )
        self._transition({"state": "closed"})
        return True

    def action_view_loans(self):
        self.ensure_one()
        return self.env["conseil.loan"]._action_for_resource("need_id", self)

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
                ("state", "!=", "cancelled"),
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

    def _check_decider(self):
        """Only the municipal team (council Managers) decides."""
        if not (self.env.su or self.env.user.has_group("conseil_associations.group_conseil_manager")):
            raise AccessError(
                self.env._("Only a council manager records the decisions of the municipal review.")
            )

    def _managers(self):
        self.ensure_one()
        group = self.env.ref("conseil_associations.group_conseil_manager")
        return group.sudo().all_user_ids.filtered(
            lambda user: not user.share and user.active and self.company_id in user.company_ids
        ) - self.env.ref("base.user_root")

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
                need.sudo()._transition({"state": "fulfilled"})
