from datetime import datetime, timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_date, format_datetime, format_list

from .conseil_facts import APPROVER_GROUPS, BLOCKING_STATES, OFFICER, RESOURCE_FIELDS
from .conseil_guarded import DATES, plausible_values
from .conseil_loan_terms import TERMS_PLAUSIBLE

WEEKDAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# The occurrences still to come, which cancelling the rest of a series cancels.
OPEN_STATES = ("draft", "requested", "approved")
# The one mail an association gets for a decided series, sent by its cron (data/conseil_loan_series_data.xml).
DECIDED_TEMPLATE = "conseil_associations.mail_template_series_decided"
MAIL_CRON = "conseil_associations.ir_cron_send_series_mails"
# What the requesting side sets on a series, while it is a draft.
SERIES_TERMS = frozenset(
    {
        "loan_type",
        "association_id",
        "company_id",
        "purpose",
        "room_id",
        "employee_id",
        "vehicle_id",
        *WEEKDAY_FIELDS,
        "hour_from",
        "hour_to",
        "date_from",
        "date_to",
        "expected_attendance",
        "weekly_hours",
        "agent_consent_date",
        "convention_ref",
        "council_informed_date",
        "reimbursement",
        "waiver_reason",
    }
)


def _hour_label(hour):
    minutes = round(hour * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class ConseilLoanSeries(models.Model):
    _name = "conseil.loan.series"
    _description = "Recurring Loan to an Association"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "conseil.workflow.mixin",
        "conseil.mailing.mixin",
        "conseil.loan.terms.mixin",
    ]
    _order = "date_from desc, id desc"

    _server_fields = frozenset({"state", "requested_by_id", "skipped_days"})
    _transitions = {
        ("draft", "requested"): "officer",
        ("draft", "cancelled"): "officer",
        ("requested", "decided"): "approver",
        ("requested", "cancelled"): "officer",
        ("decided", "cancelled"): "officer",
    }
    _moves = {
        "request": ("requested", ("draft",)),
        "decide": ("decided", ("requested",)),
        "cancel": ("cancelled", None),
    }
    _editable_by_state = {"draft": SERIES_TERMS}
    _plausible = {
        **TERMS_PLAUSIBLE,
        "date_from": DATES,
        "date_to": DATES,
        "hour_from": (0, 24),
        "hour_to": (0, 24),
        "purpose": 2_000,
        "convention_ref": 64,
    }

    state = fields.Selection(
        [("draft", "Draft"), ("requested", "Requested"), ("decided", "Decided"), ("cancelled", "Cancelled")],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    loan_type = fields.Selection(
        [("room", "Room"), ("agent", "Agent"), ("vehicle", "Vehicle")],
        string="Kind",
        required=True,
        default="room",
        index=True,
        tracking=True,
    )
    purpose = fields.Text(
        required=True, help="What the association does each time, e.g. the choir's rehearsal."
    )
    monday = fields.Boolean()
    tuesday = fields.Boolean()
    wednesday = fields.Boolean()
    thursday = fields.Boolean()
    friday = fields.Boolean()
    saturday = fields.Boolean()
    sunday = fields.Boolean()
    hour_from = fields.Float(
        string="From", required=True, default=18.0, help="Local time, in the room's time zone."
    )
    hour_to = fields.Float(
        string="To", required=True, default=20.0, help="Local time, in the room's time zone."
    )
    tz = fields.Char(string="Time Zone", compute="_compute_tz")
    date_from = fields.Date(string="First Day", required=True, tracking=True)
    date_to = fields.Date(string="Last Day", required=True, tracking=True)
    convention_ref = fields.Char(
        string="Convention", help="The convention the occurrences are lent under, signed for the season."
    )
    requested_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    skipped_days = fields.Json(
        readonly=True, copy=False, help="The days skipped when the series was requested."
    )
    loan_ids = fields.One2many("conseil.loan", "series_id", string="Occurrences", readonly=True)
    loan_count = fields.Integer(compute="_compute_loan_counts", string="Occurrences Count")
    approved_count = fields.Integer(compute="_compute_loan_counts", string="Approved Occurrences")
    requested_count = fields.Integer(compute="_compute_loan_counts", string="Occurrences to Decide")
    schedule_html = fields.Html(compute="_compute_schedule_html", string="Schedule", sanitize=False)
    can_request = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_decide = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_cancel = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_edit_terms = fields.Boolean(compute="_compute_can_edit", export_string_translation=False)

    _editable_groups = {"can_edit_terms": SERIES_TERMS}

    _values_plausible = plausible_values(_plausible)
    _hours_ordered = models.Constraint(
        "CHECK (hour_to > hour_from AND hour_from >= 0 AND hour_to <= 24)",
        "Each occurrence ends after it starts, on the same day.",
    )
    _season_ordered = models.Constraint(
        "CHECK (date_to >= date_from AND date_to <= date_from + 366)",
        "A series runs from its first day to its last day, a year at most.",
    )
    _resource_matches_kind = models.Constraint(
        "CHECK ((loan_type = 'vehicle' OR vehicle_id IS NULL) AND (loan_type = 'agent' OR employee_id IS NULL)"
        " AND (loan_type = 'room' OR room_id IS NULL))",
        "A series lends one resource, of its kind: a room, an agent or a vehicle.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("loan_type", "room_id", "company_id")
    def _compute_tz(self):
        """A room's hours are its own time zone's; an agent's or a vehicle's, the commune's."""
        for series in self:
            company_tz = (series.company_id or self.env.company).partner_id.tz
            room_tz = series.room_id.tz if series.loan_type == "room" else False
            series.tz = room_tz or company_tz or "Europe/Paris"

    @api.depends("loan_ids.state")
    def _compute_loan_counts(self):
        counts = {
            (series.id, state): count
            for series, state, count in self.env["conseil.loan"]._read_group(
                [("series_id", "in", self.ids)], ["series_id", "state"], ["__count"]
            )
        }
        for series in self:
            by_state = {
                state: counts.get((series.id, state), 0)
                for state in dict(self.env["conseil.loan"]._fields["state"].selection)
            }
            series.loan_count = sum(by_state.values())
            series.approved_count = by_state["approved"] + by_state["in_progress"] + by_state["returned"]
            series.requested_count = by_state["requested"]

    @api.depends(
        "state", "skipped_days", "loan_ids", *WEEKDAY_FIELDS, "hour_from", "hour_to", "date_from", "date_to",
        "loan_type", "room_id", "employee_id", "vehicle_id", "weekly_hours",
    )  # fmt: skip
    def _compute_schedule_html(self):
        """The rule in words, and the days skipped: planned ones while a draft, those of the request after. A
        draft also lists the dates its approver would refuse (already lent, closed, the agent's week full...)."""
        for series in self:
            if not series._is_complete():
                series.schedule_html = False
                continue
            taken = []
            if series.state == "draft":
                planned, skipped = series._planned_periods()
                count = len(planned)
                taken = series._planned_conflicts(planned)
            else:
                skipped = [
                    (fields.Date.to_date(day["date"]), day["reason"]) for day in series.skipped_days or []
                ]
                count = series.loan_count
            lines = [
                Markup("<p>%s</p>")
                % self.env._("%(rule)s: %(count)s occurrences.", rule=series._rule_summary(), count=count)
            ]
            if skipped:
                lines.append(Markup("<p><strong>%s</strong></p>") % self.env._("Skipped"))
                lines.append(
                    Markup("<ul>%s</ul>")
                    % Markup("").join(
                        Markup("<li>%s — %s</li>") % (format_date(self.env, day), reason)
                        for day, reason in skipped
                    )
                )
            if taken:
                lines.append(
                    Markup('<p class="text-warning"><strong>%s</strong></p>')
                    % self.env._("Already taken: the approver will refuse these dates")
                )
                lines.append(
                    Markup("<ul>%s</ul>")
                    % Markup("").join(
                        Markup("<li>%s — %s</li>")
                        % (format_datetime(self.env, start, tz=series.tz, dt_format="short"), reason)
                        for start, reason in taken
                    )
                )
            series.schedule_html = Markup("").join(lines)

    @api.depends(
        "loan_type", "room_id", "employee_id", "vehicle_id", "association_id", *WEEKDAY_FIELDS,
        "hour_from", "hour_to", "date_from", "date_to",
    )  # fmt: skip
    def _compute_display_name(self):
        for series in self:
            resource = series._resource()
            parts = [resource.display_name or self.env._("New series")]
            if series._is_complete():
                parts.append(series._rule_summary())
            if series.association_id.name:
                parts.append(series.association_id.name)
            series.display_name = " - ".join(parts)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains(*WEEKDAY_FIELDS)
    def _check_weekdays(self):
        for series in self:
            if not series._weekdays():
                raise ValidationError(self.env._("Tick at least one day of the week for the series."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_request(self):
        """One request: the series and its occurrences, each an ordinary requested loan; holidays skipped."""
        self._check_move("request")
        self.env["conseil.loan"].check_access("create")
        for series in self:
            series._request()
        return True

    def action_open_approve_wizard(self):
        """The approver sees the occurrences that conflict, each with the loan that blocks it, and decides."""
        self.ensure_one()
        self._check_move("decide")
        wizard = self.env["conseil.series.approve.wizard"].create({"series_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approve the series"),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
            "context": {
                "dialog_size": "extra-large"
            },  # each conflict reads whole, with the loan that blocks it
        }

    def action_cancel(self):
        """Cancel the whole series: every occurrence not yet over."""
        for series in self:
            series._cancel_from(None)
        return True

    def action_view_loans(self):
        self.ensure_one()
        action = self.env["conseil.loan"]._action_for_records("series_id", self)
        action["context"] = {}
        return action

    # ------------------------------------------------------------
    # RULES
    # ------------------------------------------------------------

    def _workflow_roles(self):
        """Officers request and cancel; the kind's approver decides, as for one loan."""
        self.ensure_one()
        roles = set()
        if self.env.user.has_group(OFFICER):
            roles.add("officer")
        group = APPROVER_GROUPS.get(self.loan_type)
        if group and self.env.user.has_group(group):
            roles.add("approver")
        return roles

    def _role_label(self, role):
        return self.env["conseil.loan"].new({"loan_type": self.loan_type})._role_label(role)

    def _cancel_from(self, moment):
        """Cancel the occurrences from ``moment`` on (all of them without it), each by its own cancel: an
        approved one only by its approver. The series is cancelled once none is left to happen."""
        self.ensure_one()
        if self.state == "draft":
            self._move("cancel")
            return True
        domain = [("series_id", "=", self.id), ("state", "in", OPEN_STATES)]
        if moment:
            domain.append(("date_start", ">=", moment))
        rest = self.env["conseil.loan"].search(domain)
        rest.action_cancel()
        if not self.loan_ids.filtered(lambda loan: loan.state in (*OPEN_STATES, "in_progress")):
            self._move("cancel")
        else:
            self.message_post(
                body=self._town().env._(
                    "%(count)s occurrences cancelled by %(user)s.", count=len(rest), user=self.env.user.name
                )
            )
        return True

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _resource(self):
        self.ensure_one()
        field_name = RESOURCE_FIELDS.get(self.loan_type)
        return self[field_name] if field_name else self.env["conseil.room"]

    def _resource_label(self):
        """What the series lends, as its mail names it."""
        return self._resource().display_name or ""

    def _weekdays(self):
        self.ensure_one()
        return [index for index, name in enumerate(WEEKDAY_FIELDS) if self[name]]

    def _is_complete(self):
        self.ensure_one()
        return bool(
            self.date_from
            and self.date_to
            and self.date_from <= self.date_to
            and self._weekdays()
            and 0 <= self.hour_from < self.hour_to <= 24
        )

    def _rule_summary(self):
        """« Tuesday, Thursday 18:00-20:00, from 1 Sept. 2026 to 30 June 2027 »."""
        self.ensure_one()
        labels = dict(self.env["conseil.season.wizard"]._fields["weekday"]._description_selection(self.env))
        return self.env._(
            "%(days)s %(start)s-%(end)s, from %(first)s to %(last)s",
            days=format_list(self.env, [labels[str(day)] for day in self._weekdays()]),
            start=_hour_label(self.hour_from),
            end=_hour_label(self.hour_to),
            first=format_date(self.env, self.date_from),
            last=format_date(self.env, self.date_to),
        )

    def _planned_periods(self):
        """([(start, end) in UTC], [(day, reason) skipped]): each ticked weekday of the season at the series'
        local hours, less the public holidays of the commune and the closing days of the room."""
        self.ensure_one()
        if not self._is_complete():
            return [], []
        tz = pytz.timezone(self.tz)
        weekdays = set(self._weekdays())
        periods = []
        day = self.date_from
        while day <= self.date_to:
            if day.weekday() in weekdays:
                periods.append((day, self._utc(tz, day, self.hour_from), self._utc(tz, day, self.hour_to)))
            day += timedelta(days=1)
        if not periods:
            return [], []
        leaves = self._days_off(periods[0][1], periods[-1][2])
        planned, skipped = [], []
        for day, start, end in periods:
            leave = next((leave for leave in leaves if leave.date_from < end and leave.date_to > start), None)
            if leave:
                skipped.append((day, self._day_off_reason(leave)))
            else:
                planned.append((start, end))
        return planned, skipped

    @api.model
    def _day_off_reason(self, leave):
        """Why a day is skipped, as the association reads it: a holiday's or closing day's name, never what an
        agent's own time off is (a sick leave is the agent's and the town's)."""
        if leave.resource_id:
            return self.env._("The agent is absent")
        return leave.name or self.env._("Closing day")

    @api.model
    def _utc(self, tz, day, hour):
        minutes = round(hour * 60)
        local = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minutes)
        return tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    def _days_off(self, start, end):
        """The public holidays of the commune (its calendar's leaves for everyone), for a room its closing days,
        for an agent their own time off and their schedule's holidays, over the period."""
        self.ensure_one()
        company = self.company_id or self.env.company
        calendars = company.resource_calendar_id
        own = self.env["resource.resource"]
        if self.loan_type == "room":
            calendars |= self.room_id.resource_calendar_id
        if self.loan_type == "agent":
            agent = self.employee_id.sudo()
            calendars |= agent.resource_calendar_id
            own = agent.resource_id
        everyone = Domain("resource_id", "=", False) & (
            Domain("calendar_id", "in", calendars.ids)
            | (Domain("calendar_id", "=", False) & Domain("company_id", "=", company.id))
        )
        return (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                (everyone | Domain("resource_id", "in", own.ids))
                & Domain("time_type", "=", "leave")
                & Domain("date_from", "<", end)
                & Domain("date_to", ">", start),
                order="date_from",
            )
        )

    def _occurrence_conflicts(self, loans):
        """{occurrence: (why it cannot be approved or False, the loan that blocks it)} for occurrences ``loans`` of
        the series — its requested loans, or the new records a draft plans —, in a few queries for the whole
        season: one search of the loans holding the resource, one of the room's closing days, one per kind for the
        town's records (time off, a vehicle at the garage, no contract)."""
        self.ensure_one()
        none = self.env["conseil.loan"]
        conflicts = dict.fromkeys(loans, (False, none))
        resource = self._resource()
        if not loans or not resource:
            return conflicts
        start = min(loans.mapped("date_start"))
        end = max(loans.mapped("date_end")) + max(loan._buffer() for loan in loans)
        held = (
            self.env["conseil.loan"]
            .sudo()
            .search(
                [
                    (RESOURCE_FIELDS[self.loan_type], "=", resource.id),
                    ("state", "in", BLOCKING_STATES),
                    ("date_start", "<", end),
                    ("buffered_end", ">", start),
                    ("id", "not in", loans._origin.ids),
                ],
                order="date_start",
            )
        )
        closures = resource._conseil_closures(start, end)[resource] if self.loan_type == "room" else []
        for loan in loans:
            conflicts[loan] = loan._series_conflict(held, closures)
        free = loans.filtered(lambda loan: not conflicts[loan][0])
        for loan, reason in free._town_records_obstacles().items():
            conflicts[loan] = (reason, none)
        return conflicts

    def _planned_conflicts(self, planned):
        """[(start, why)] of the occurrences a draft plans that its approver would have to refuse: the officer
        reads them while writing the series, and changes its hours, its days or its resource."""
        self.ensure_one()
        if not planned or not self._resource():
            return []
        Loan = self.env["conseil.loan"]
        loans = Loan.concat(
            *(Loan.new(dict(self._occurrence_values(start, end), series_id=False)) for start, end in planned)
        )
        conflicts = self._occurrence_conflicts(loans)
        return [(loan.date_start, conflicts[loan][0]) for loan in loans if conflicts[loan][0]]

    def _request(self):
        """Create the occurrences (the server's: the series was checked) and request them together."""
        self.ensure_one()
        if not self._resource():
            raise UserError(self.env._("Choose the room, agent or vehicle of the series first."))
        planned, skipped = self._planned_periods()
        if not planned:
            raise UserError(
                self.env._("No day of the season is left for the series: check its days and its dates.")
            )
        loans = (
            self.env["conseil.loan"]
            .sudo()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create([self._occurrence_values(start, end) for start, end in planned])
        )
        loans = loans.with_env(self.env)
        for loan in loans:
            loan._check_ready_to_request()
        loans._move("request")
        self._move(
            "request",
            {
                "requested_by_id": self.env.user.id,
                "skipped_days": [{"date": str(day), "reason": reason} for day, reason in skipped],
            },
        )
        self._schedule_decision_activities()

    def _occurrence_values(self, start, end):
        values = {
            "series_id": self.id,
            "loan_type": self.loan_type,
            "association_id": self.association_id.id,
            "company_id": self.company_id.id,
            "purpose": self.purpose,
            "date_start": start,
            "date_end": end,
            "requested_by_id": self.env.user.id,
            RESOURCE_FIELDS[self.loan_type]: self._resource().id,
        }
        if self.loan_type == "room":
            values["expected_attendance"] = self.expected_attendance
        elif self.loan_type == "agent":
            values.update(
                weekly_hours=self.weekly_hours,
                # the agent works the occurrence's hours: its value is them, not a share of the weekly hours
                actual_hours=round((end - start).total_seconds() / 3600, 2),
                agent_consent_date=self.agent_consent_date,
                convention_ref=self.convention_ref,
                council_informed_date=self.council_informed_date,
                reimbursement=self.reimbursement,
                waiver_reason=self.waiver_reason,
            )
        return values

    def _schedule_decision_activities(self):
        """One activity for the series' approvers, not one per occurrence."""
        self.ensure_one()
        activity_type = self.env.ref("conseil_associations.mail_activity_type_series_approval")
        approvers = self.env["conseil.loan"]._role_holders(APPROVER_GROUPS[self.loan_type], self.company_id)
        for user in approvers:
            self.sudo().activity_schedule(
                activity_type_id=activity_type.id,
                user_id=user.id,
                summary=self._town().env._(
                    "Approve the series of loans to %(association)s", association=self.association_id.name
                ),
                date_deadline=min(fields.Date.context_today(self) + timedelta(days=2), self.date_from),
            )

    def _decided(self):
        """The approver has decided every occurrence: the series is decided, its activity done, and the
        association hears it in one mail."""
        self._move("decide")
        self.sudo().activity_unlink(["conseil_associations.mail_activity_type_series_approval"])
        self._conseil_mail_once_later("decided", DECIDED_TEMPLATE, MAIL_CRON)

    def _refused_occurrences(self):
        """The refused occurrences, in date order, for the mail that tells the decision."""
        self.ensure_one()
        return self.loan_ids.filtered(lambda loan: loan.state == "refused").sorted("date_start")
