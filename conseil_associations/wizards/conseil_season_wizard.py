from datetime import date, datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta
from markupsafe import escape

from odoo import api, fields, models
from odoo.addons.base.models.res_partner import _tz_get
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..models.conseil_guarded import long_date

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]
# Occurrences of the weekday in the month, for the monthly rules.
MONTHLY_RULES = {"first_third": (1, 3), "second_fourth": (2, 4)}


class ConseilSeasonWizard(models.TransientModel):
    _name = "conseil.season.wizard"
    _description = "Plan a Season of Council Sessions"
    _inherit = ["conseil.guarded.mixin"]

    _plausible = {"start_hour": (0, 23.99), "duration": (0.25, 12), "location": 256}

    meeting_type = fields.Selection(
        [("council", "Associations council"), ("review", "Municipal review")],
        string="Type",
        required=True,
        default="council",
    )
    date_from = fields.Date(string="From", required=True, default=fields.Date.context_today)
    date_to = fields.Date(
        string="To",
        required=True,
        default=lambda self: fields.Date.context_today(self) + relativedelta(months=6),
    )
    rule = fields.Selection(
        [
            ("first_third", "1st and 3rd of the month"),
            ("second_fourth", "2nd and 4th of the month"),
            ("biweekly", "Every other week"),
        ],
        string="Twice a Month",
        required=True,
        default="first_third",
    )
    weekday = fields.Selection(WEEKDAYS, required=True, default="3")
    start_hour = fields.Float(
        string="Local Time", required=True, default=18.0, help="Time of the session in the town's time zone."
    )
    duration = fields.Float(required=True, default=2.0, help="Duration of each session, in hours.")
    tz = fields.Selection(
        _tz_get,
        string="Time Zone",
        required=True,
        default=lambda self: self.env.user.tz or self.env.company.partner_id.tz or "Europe/Paris",
    )
    location = fields.Char(default=lambda self: self.env._("Town hall, council chamber"))
    chair_id = fields.Many2one(
        "res.users", default=lambda self: self._default_chair(), domain="[('share', '=', False)]"
    )
    official_ids = fields.Many2many("res.users", string="Officials", domain="[('share', '=', False)]")
    invite_mode = fields.Selection(
        [
            ("members", "All council-member associations"),
            ("selection", "A selection of associations"),
            ("none", "Nobody yet"),
        ],
        string="Invite",
        required=True,
        default="members",
    )
    association_ids = fields.Many2many("conseil.association", string="Associations")
    skip_line_ids = fields.One2many("conseil.season.wizard.skip", "wizard_id", string="Dates to Skip")
    plan_over_existing = fields.Boolean(
        string="Also on Days With a Session",
        help="Days that already have a session of this type are skipped, unless you tick this.",
    )
    rule_summary = fields.Char(compute="_compute_preview", string="Rule")
    session_count = fields.Integer(compute="_compute_preview")
    preview = fields.Html(compute="_compute_preview", sanitize=False)

    # ------------------------------------------------------------
    # COMPUTES AND CONSTRAINTS
    # ------------------------------------------------------------

    @api.depends(
        "date_from",
        "date_to",
        "rule",
        "weekday",
        "start_hour",
        "duration",
        "tz",
        "skip_line_ids.date",
        "skip_line_ids.reason",
        "plan_over_existing",
        "meeting_type",
    )
    def _compute_preview(self):
        for wizard in self:
            if not wizard._is_complete():
                wizard.session_count = 0
                wizard.preview = False
                wizard.rule_summary = False
                continue
            wizard.rule_summary = wizard._rule_summary()
            planned = wizard._planned_dates()
            wizard.session_count = sum(1 for __, reason in planned if reason is None)
            rows = []
            hour_label = wizard._hour_label()
            # planned over days that have their session: still told, not skipped
            doubled = wizard._days_with_a_session() if wizard.plan_over_existing else set()
            already = self.env._("a session is already planned that day")
            for day, reason in planned:
                label = long_date(self.env, day, "EEEE d MMMM y")
                if reason is None:
                    note = escape(already) if day in doubled else ""
                    rows.append(
                        f'<tr><td>{escape(label)}</td><td>{hour_label}</td><td class="text-warning">{note}</td></tr>'
                    )
                else:
                    reason_text = (
                        self.env._("skipped: %(reason)s", reason=reason) if reason else self.env._("skipped")
                    )
                    rows.append(
                        f'<tr class="text-muted"><td><s>{escape(label)}</s></td><td></td>'
                        f"<td>{escape(reason_text)}</td></tr>"
                    )
            wizard.preview = (
                '<table class="table table-sm o_conseil_season_preview"><tbody>'
                + "".join(rows)
                + "</tbody></table>"
            )

    @api.constrains("date_from", "date_to", "start_hour", "duration")
    def _check_values(self):
        for wizard in self:
            wizard._validate()

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_create_sessions(self):
        self.ensure_one()
        self._validate()
        starts = self._session_starts()
        if not starts:
            raise UserError(self.env._("No session falls in this period: widen it or change the rule."))
        Meeting = self.env["conseil.meeting"]
        tzinfo = pytz.timezone(self.tz)
        meetings = Meeting.create(
            [
                {
                    "name": Meeting._dated_name(
                        self.meeting_type,
                        pytz.utc.localize(start).astimezone(tzinfo).date(),
                        self.env.company,
                    ),
                    "meeting_type": self.meeting_type,
                    "date_start": start,
                    "date_end": start + timedelta(hours=self.duration),
                    "location": self.location,
                    "chair_id": self.chair_id.id,
                    "official_ids": [fields.Command.set(self.official_ids.ids)],
                }
                for start in starts
            ]
        )
        if self.invite_mode == "members":
            meetings.action_invite_council_members()
        elif self.invite_mode == "selection":
            meetings._invite(self.association_ids)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Planned sessions"),
            "res_model": "conseil.meeting",
            "view_mode": "list,calendar,form",
            "views": [
                (self.env.ref("conseil_associations.conseil_meeting_view_list_chronological").id, "list"),
                (False, "calendar"),
                (False, "form"),
            ],
            "domain": [("id", "in", meetings.ids)],
        }

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _is_complete(self):
        return bool(
            self.date_from
            and self.date_to
            and self.rule
            and self.weekday
            and self.tz
            and self.date_from <= self.date_to
            and 0 <= self.start_hour < 24
        )

    def _validate(self):
        if not (self.date_from and self.date_to) or self.date_to < self.date_from:
            raise ValidationError(self.env._("The end of the period must come after its start."))
        if self.date_to - self.date_from > timedelta(days=731):
            raise ValidationError(self.env._("Plan at most two years of sessions at once."))
        if not 0 <= self.start_hour < 24:
            raise ValidationError(self.env._("The time of the sessions must be between 00:00 and 23:59."))
        if not 0 < self.duration <= 12:
            raise ValidationError(self.env._("A session lasts more than zero and at most 12 hours."))

    def _planned_dates(self):
        """Dates of the rule in the period, each with None or the reason it is skipped."""
        self.ensure_one()
        skipped = {line.date: line.reason or "" for line in self.skip_line_ids if line.date}
        if not self.plan_over_existing:
            already = self.env._("a session is already planned that day")
            skipped = {**dict.fromkeys(self._days_with_a_session(), already), **skipped}
        return [(day, skipped.get(day)) for day in self._rule_dates()]

    def _days_with_a_session(self):
        """Local days of the period that already have a session of this type in the commune."""
        tzinfo = pytz.timezone(self.tz)
        start = (
            tzinfo.localize(datetime.combine(self.date_from, time.min))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )
        end = (
            tzinfo.localize(datetime.combine(self.date_to, time.max))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )
        meetings = self.env["conseil.meeting"].search(
            [
                ("meeting_type", "=", self.meeting_type),
                ("company_id", "=", self.env.company.id),
                ("state", "!=", "cancelled"),
                ("date_start", ">=", start),
                ("date_start", "<=", end),
            ]
        )
        return {pytz.utc.localize(meeting.date_start).astimezone(tzinfo).date() for meeting in meetings}

    def _rule_summary(self):
        """« 1st and 3rd Thursday of the month, at 18:00 », in the reader's language."""
        weekday = format_date(
            self.env, date(2024, 1, 1) + timedelta(days=int(self.weekday)), date_format="EEEE"
        )
        summaries = {
            "first_third": self.env._(
                "1st and 3rd %(weekday)s of the month, at %(time)s", weekday=weekday, time=self._hour_label()
            ),
            "second_fourth": self.env._(
                "2nd and 4th %(weekday)s of the month, at %(time)s", weekday=weekday, time=self._hour_label()
            ),
            "biweekly": self.env._(
                "Every other %(weekday)s, at %(time)s", weekday=weekday, time=self._hour_label()
            ),
        }
        return summaries[self.rule]

    @api.model
    def _default_chair(self):
        """The chair of the commune's last session, usually the deputy mayor; else whoever plans."""
        last = self.env["conseil.meeting"].search(
            [("company_id", "=", self.env.company.id), ("chair_id", "!=", False)],
            order="date_start desc",
            limit=1,
        )
        return last.chair_id or self.env.user

    def _rule_dates(self):
        weekday = int(self.weekday)
        if self.rule == "biweekly":
            first = self.date_from + timedelta(days=(weekday - self.date_from.weekday()) % 7)
            days = []
            day = first
            while day <= self.date_to:
                days.append(day)
                day += timedelta(days=14)
            return days
        occurrences = MONTHLY_RULES[self.rule]
        days = []
        month = date(self.date_from.year, self.date_from.month, 1)
        while month <= self.date_to:
            first = month + timedelta(days=(weekday - month.weekday()) % 7)
            days.extend(
                day
                for day in (first + timedelta(weeks=n - 1) for n in occurrences)
                if self.date_from <= day <= self.date_to
            )
            month += relativedelta(months=1)
        return days

    def _session_starts(self):
        """UTC start of each session kept: the local time holds across clock changes."""
        tzinfo = pytz.timezone(self.tz)
        local_time = time(int(self.start_hour), round(self.start_hour % 1 * 60) % 60)
        return [
            tzinfo.localize(datetime.combine(day, local_time), is_dst=False)
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
            for day, reason in self._planned_dates()
            if reason is None
        ]

    def _hour_label(self):
        hours = int(self.start_hour)
        minutes = round(self.start_hour % 1 * 60) % 60
        return f"{hours:02d}:{minutes:02d}"


class ConseilSeasonWizardSkip(models.TransientModel):
    _name = "conseil.season.wizard.skip"
    _description = "Date Skipped When Planning a Season"
    _inherit = ["conseil.guarded.mixin"]
    _order = "date"

    wizard_id = fields.Many2one("conseil.season.wizard", required=True, ondelete="cascade")
    date = fields.Date(required=True)
    reason = fields.Char(help="Public holiday, school holidays, municipal event...")
