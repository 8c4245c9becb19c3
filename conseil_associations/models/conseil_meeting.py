from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty

from .conseil_agenda_item import SECTION_SPAN
from .conseil_facts import OFFICER
from .conseil_guarded import DATES, long_date, plausible_values

# What a session's record holds while it is open: its people, its agenda, its minutes.
RECORD = frozenset(
    {"name", "location", "chair_id", "official_ids", "minutes", "attendance_ids", "progress_report_ids",
     "agenda_item_ids", "need_raised_ids"}
)  # fmt: skip
# When and what the session is: fixed once it took place.
SCHEDULE = frozenset({"meeting_type", "date_start", "date_end", "alarm_ids"})
# The acts of a session (report/): its attendance sheet, issued when it is held, and its minutes.
ATTENDANCE_SHEET = "conseil_associations.action_report_attendance_sheet"
MINUTES = "conseil_associations.action_report_meeting_minutes"
# A session lasts a day at most (an evening council, a review).
LONGEST_SESSION = "1 day"


class ConseilMeeting(models.Model):
    _name = "conseil.meeting"
    _description = "Council Session"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "conseil.workflow.mixin",
        "conseil.calendar.owner.mixin",
        "conseil.act.mixin",
    ]
    _order = "date_start desc, id desc"

    # Set by the actions, each of which checks who acts (README, "Security model").
    _server_fields = frozenset(
        {
            "state",
            "minutes_published_on",
            "is_review_closed",
            "calendar_event_id",
            "review_need_ids",
            "decision_ids",
        }
    )
    # The event mirrors these; in the Calendar app, a user may move the event (time, name, place) and the
    # session follows. The rest of the event (attendees, reminders...) is the session's.
    _calendar_event_sync_fields = frozenset(
        {"name", "date_start", "date_end", "location", "chair_id", "official_ids", "alarm_ids"}
    )
    _calendar_event_user_fields = frozenset({"name", "start", "stop", "duration", "location"})
    _transitions = {
        ("planned", "held"): "officer",
        ("planned", "cancelled"): "officer",
        ("cancelled", "planned"): "officer",
        ("held", "published"): "officer",
    }
    _moves = {
        "hold": ("held", None),
        "cancel": ("cancelled", None),
        "plan_again": ("planned", None),
        "publish": ("published", None),
    }
    _editable_by_state = {"planned": RECORD | SCHEDULE, "held": RECORD}
    _editable_groups = {"can_edit_record": RECORD, "can_edit_schedule": SCHEDULE}
    _plausible = {
        "date_start": DATES,
        "date_end": DATES,
        "minutes_published_on": DATES,
        "name": 256,
        "location": 256,
        "minutes": 200_000,
    }

    name = fields.Char(required=True, tracking=True)
    meeting_type = fields.Selection(
        [("council", "Associations council"), ("review", "Municipal review")],
        string="Type",
        required=True,
        default="council",
        index=True,
        tracking=True,
        help="A council gathers the associations; a municipal review gathers the municipal team that decides on their needs.",
    )
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("held", "Held"),
            ("published", "Minutes published"),
            ("cancelled", "Cancelled"),
        ],
        string="Status",
        default="planned",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    date_start = fields.Datetime(string="Start", required=True, index=True, tracking=True)
    date_end = fields.Datetime(string="End", required=True, tracking=True)
    duration = fields.Float(compute="_compute_duration", help="Duration in hours.")
    location = fields.Char(tracking=True)
    chair_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        index=True,
        tracking=True,
        check_company=True,
        help="Usually the deputy mayor for associative life.",
    )
    official_ids = fields.Many2many(
        "res.users",
        "conseil_meeting_official_rel",
        "meeting_id",
        "user_id",
        string="Officials",
        domain="[('share', '=', False)]",
        check_company=True,
        help="Elected officials and town-hall staff taking part in the session.",
    )
    alarm_ids = fields.Many2many(
        "calendar.alarm",
        "conseil_meeting_alarm_rel",
        "meeting_id",
        "alarm_id",
        string="Reminders",
        default=lambda self: self._default_alarm_ids(),
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    attendance_ids = fields.One2many("conseil.meeting.attendance", "meeting_id", copy=False)
    progress_report_ids = fields.One2many(
        "conseil.progress.report", "meeting_id", string="Progress Reports", copy=False
    )
    agenda_item_ids = fields.One2many("conseil.agenda.item", "meeting_id", string="Agenda", copy=False)
    # the associations receive the minutes when they are published (by mail, with the PDF), not the draft
    minutes = fields.Html(copy=False, groups="base.group_user")
    minutes_published_on = fields.Datetime(readonly=True, copy=False)
    need_raised_ids = fields.One2many("conseil.need", "meeting_id", string="Needs Raised")
    review_need_ids = fields.One2many("conseil.need", "review_meeting_id", string="Needs to Decide")
    decision_ids = fields.One2many("conseil.decision", "review_meeting_id", string="Decisions")
    is_review_closed = fields.Boolean(
        readonly=True, copy=False, tracking=True, help="The review's decisions are locked."
    )
    invited_count = fields.Integer(compute="_compute_attendance_counts", string="Invitations")
    present_count = fields.Integer(compute="_compute_attendance_counts", string="Attended")
    progress_report_count = fields.Integer(compute="_compute_progress_report_count")
    color = fields.Integer()
    can_hold = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    is_to_come = fields.Boolean(compute="_compute_is_to_come", export_string_translation=False)
    can_cancel = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_plan_again = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_publish = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_edit_record = fields.Boolean(compute="_compute_can_edit", export_string_translation=False)
    can_edit_schedule = fields.Boolean(compute="_compute_can_edit", export_string_translation=False)

    _dates_ordered = models.Constraint(
        "CHECK (date_end > date_start)",
        "A session must end after it starts.",
    )
    _one_day_at_most = models.Constraint(
        f"CHECK (date_end <= date_start + interval '{LONGEST_SESSION}')",
        "A session lasts a day at most: check its end.",
    )
    _values_plausible = plausible_values(_plausible)

    @api.model
    def _default_alarm_ids(self):
        alarm = self.env.ref("conseil_associations.calendar_alarm_email_1_day", raise_if_not_found=False)
        return alarm.ids if alarm else []

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("date_start", "date_end")
    def _compute_is_to_come(self):
        """Not started yet: marking it held asks for a confirmation."""
        now = fields.Datetime.now()
        for meeting in self:
            meeting.is_to_come = bool(meeting.date_start and meeting.date_start > now)

    def _compute_duration(self):
        for meeting in self:
            if meeting.date_start and meeting.date_end:
                meeting.duration = (meeting.date_end - meeting.date_start).total_seconds() / 3600
            else:
                meeting.duration = 0.0

    @api.depends("attendance_ids.state")
    def _compute_attendance_counts(self):
        counts = {
            (meeting, state): count
            for meeting, state, count in self.env["conseil.meeting.attendance"]._read_group(
                [("meeting_id", "in", self.ids)], ["meeting_id", "state"], ["__count"]
            )
        }
        for meeting in self:
            meeting.invited_count = sum(count for (m, __), count in counts.items() if m == meeting)
            meeting.present_count = counts.get((meeting, "present"), 0)

    @api.depends("progress_report_ids")
    def _compute_progress_report_count(self):
        counts = dict(
            self.env["conseil.progress.report"]._read_group(
                [("meeting_id", "in", self.ids)], ["meeting_id"], ["__count"]
            )
        )
        for meeting in self:
            meeting.progress_report_count = counts.get(meeting, 0)

    @api.constrains("chair_id", "official_ids")
    def _check_officials_are_staff(self):
        self._check_internal_users("chair_id", "official_ids")

    @api.constrains("meeting_type")
    def _check_type_fits_its_records(self):
        """A review that gathered needs stays a review; a council with progress reports stays a council."""
        for meeting in self:
            if meeting.meeting_type == "council" and (meeting.review_need_ids or meeting.decision_ids):
                raise ValidationError(
                    self.env._(
                        "%(session)s has needs to decide: it stays a municipal review.",
                        session=meeting.display_name,
                    )
                )
            if meeting.meeting_type == "review" and (meeting.progress_report_ids or meeting.need_raised_ids):
                raise ValidationError(
                    self.env._(
                        "%(session)s has progress reports or needs raised: it stays an associations council.",
                        session=meeting.display_name,
                    )
                )

    @api.onchange("date_start")
    def _onchange_date_start(self):
        """Keep the duration when the session moves."""
        if self.date_start:
            previous = self._origin
            length = (
                previous.date_end - previous.date_start
                if previous.date_start and previous.date_end
                else timedelta(hours=2)
            )
            self.date_end = self.date_start + length

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not (vals.get("name") or "").strip():
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                town = self.with_context(lang=company._conseil_lang())
                vals["name"] = town._default_name(vals.get("meeting_type") or "council")
        return super().create(vals_list)

    def write(self, vals):
        # a session named after its date is renamed when it moves (« … du 17 décembre » moved to the 18th)
        dated = self.browse()
        if "date_start" in vals and "name" not in vals:
            dated = self.filtered(
                lambda m: m.name == m._dated_name(m.meeting_type, m._local_day(), m.company_id)
            )
        result = super().write(vals)
        for meeting in dated:
            meeting.name = meeting._dated_name(meeting.meeting_type, meeting._local_day(), meeting.company_id)
        return result

    @api.model
    def _creatable_fields(self, vals=None):
        return super()._creatable_fields(vals) | {"company_id"}

    @api.ondelete(at_uninstall=False)
    def _unlink_except_held(self):
        """A session that took place is part of the record: cancel or archive, never delete."""
        held = self.filtered(lambda m: m.state in ("held", "published"))
        if held:
            raise UserError(
                self.env._(
                    "The session %(name)s took place and cannot be deleted. Its attendance, progress "
                    "reports and minutes are part of the town's records.",
                    name=held[0].display_name,
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_hold(self):
        """The session took place: attendance can be taken and minutes written; its attendance sheet is filed."""
        self._move("hold")
        self._conseil_issue_act(ATTENDANCE_SHEET)
        return True

    def action_cancel(self):
        self._move("cancel")
        for meeting in self:
            partners = meeting._attendee_partners()
            if partners:
                town = meeting._town()
                meeting.message_post(
                    body=town.env._("The session of %(date)s is cancelled.", date=town._local_date_label()),
                    partner_ids=partners.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
        self._archive_calendar_events()
        return True

    def action_reset_to_planned(self):
        self._move("plan_again")
        self._archive_calendar_events(active=True)
        self._sync_calendar_events()
        return True

    def action_build_agenda(self):
        """Propose the agenda: one section per source, manual items kept."""
        self._check_open(self.env._("The agenda of a closed session cannot change."))
        self.agenda_item_ids.filtered("is_generated").unlink()
        AgendaItem = self.env["conseil.agenda.item"]
        values = []
        for meeting in self:
            town = meeting._town()  # the agenda is written in the town's language
            for source in AgendaItem.with_env(town.env)._agenda_sources():
                for sequence, item in enumerate(source._conseil_agenda_items(town)):
                    values.append(
                        {
                            "meeting_id": meeting.id,
                            "section": source._conseil_agenda_section_label(),
                            "section_sequence": source._conseil_agenda_section_sequence,
                            "sequence": source._conseil_agenda_section_sequence * SECTION_SPAN + sequence,
                            "is_generated": True,
                            **item,
                        }
                    )
        # generated items point to their sources: the server's links, not a user's
        AgendaItem.sudo().create(values)
        return True

    def action_publish_minutes(self):
        """Issue the minutes as an act of the town and send them to the attendees."""
        self._check_move("publish")
        empty = self.filtered(lambda m: is_html_empty(m.minutes))
        if empty:
            raise UserError(
                self.env._(
                    "Write the minutes of %(name)s before publishing them.", name=empty[0].display_name
                )
            )
        for meeting in self:
            town = meeting._town()
            # the minutes are the town's record: printed in its language, whoever publishes them
            act = meeting._conseil_issue_act(MINUTES, lang=town.env.lang)
            meeting.message_post(
                body=meeting.minutes,
                subject=town.env._("Minutes: %(name)s", name=meeting.name),
                partner_ids=meeting._attendee_partners().ids,
                attachment_ids=act.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self._move("publish", {"minutes_published_on": fields.Datetime.now()})
        return True

    def action_open_gather_wizard(self):
        self.ensure_one()
        self._check_review_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Gather the needs"),
            "res_model": "conseil.review.gather.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_meeting_id": self.id},
        }

    def action_gather_submitted_needs(self):
        """Gather every submitted need not yet reviewed (the needs since the last review)."""
        for meeting in self:
            meeting._gather_needs(meeting._submitted_needs())
        return True

    def action_close_review(self):
        """Lock the decisions; needs left undecided wait for the next review."""
        self.env["conseil.need"]._check_decider()
        if self.filtered(lambda m: m.meeting_type != "review"):
            raise UserError(self.env._("Only a municipal review is closed this way."))
        not_held = self.filtered(lambda m: m.state != "held" or m.is_review_closed)
        if not_held:
            raise UserError(
                self.env._(
                    "Mark the review %(review)s as held before closing it, once.",
                    review=not_held[0].display_name,
                )
            )
        undecided = self.review_need_ids.filtered(lambda need: need.state == "in_review")
        undecided._move("leave_review", {"review_meeting_id": False})
        undecided._log_tracking_now(
            self[:1]._town().env._("Not decided at this review: it waits for the next one."),
            with_values=False,
        )
        self.decision_ids._server_write({"is_locked": True})
        self._server_write({"is_review_closed": True})
        self.decision_ids._notify_association()
        return True

    def action_invite_council_members(self):
        """Invite every council-member association not yet invited."""
        members = self.env["conseil.association"].search(
            [("is_council_member", "=", True), ("company_id", "in", self.company_id.ids)]
        )
        self._invite(members)
        return True

    def action_view_progress_reports(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "conseil_associations.conseil_progress_report_action"
        )
        action["domain"] = [("meeting_id", "=", self.id)]
        action["context"] = {"default_meeting_id": self.id}
        return action

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _workflow_roles(self):
        return {"officer"} if self.env.user.has_group(OFFICER) else set()

    def _transition_obstacle(self, target):
        """A review is published once closed (its decisions final), and one that gathered needs is not cancelled."""
        if self.meeting_type == "review":
            if target == "published" and not self.is_review_closed:
                return self.env._(
                    "Close the municipal review %(review)s before publishing its minutes: its decisions are then final.",
                    review=self.display_name,
                )
            if target == "cancelled" and (self.review_need_ids or self.decision_ids):
                return self.env._(
                    "The municipal review %(review)s has gathered needs: hold and close it instead of cancelling it.",
                    review=self.display_name,
                )
        return super()._transition_obstacle(target)

    def _is_open_review(self):
        """A review where needs are still gathered and decided."""
        self.ensure_one()
        return (
            self.meeting_type == "review" and self.state in ("planned", "held") and not self.is_review_closed
        )

    def _role_label(self, role):
        return self.env._("associative-life officers")

    def _check_open(self, message):
        """Refuse when a session is published or cancelled: its record is closed."""
        closed = self.filtered(lambda m: m.state not in ("planned", "held"))
        if closed:
            raise UserError(
                self.env._("%(message)s (%(session)s)", message=message, session=closed[0].display_name)
            )

    def _check_review_open(self):
        if self.filtered(lambda m: m.meeting_type != "review"):
            raise UserError(self.env._("Needs are gathered into a municipal review, not a council."))
        if self.filtered(lambda m: not m._is_open_review()):
            raise UserError(self.env._("This municipal review is closed."))

    def _submitted_needs(self):
        self.ensure_one()
        return self.env["conseil.need"].search(
            [
                ("state", "=", "submitted"),
                ("review_meeting_id", "=", False),
                ("company_id", "=", self.company_id.id),
            ],
            order="priority desc, submitted_on",
        )

    def _gather_needs(self, needs):
        self.ensure_one()
        self.env["conseil.need"]._check_decider()
        self._check_review_open()
        needs = needs.with_env(self.env)  # gathered by whoever acts on the review
        wrong = needs.filtered(lambda need: need.state != "submitted" or need.company_id != self.company_id)
        if wrong:
            raise UserError(
                self.env._("%(need)s is not a submitted need of this commune.", need=wrong[0].display_name)
            )
        needs._move("gather", {"review_meeting_id": self.id})
        needs._log_tracking_now(
            self._town().env._("Gathered for %(review)s.", review=self.display_name), with_values=False
        )

    def _previous_council(self):
        self.ensure_one()
        return self.search(
            [
                ("meeting_type", "=", "council"),
                ("company_id", "=", self.company_id.id),
                ("state", "!=", "cancelled"),
                ("date_start", "<", self.date_start),
            ],
            order="date_start desc",
            limit=1,
        )

    def _next_council(self):
        self.ensure_one()
        return self.search(
            [
                ("meeting_type", "=", "council"),
                ("company_id", "=", self.company_id.id),
                ("state", "!=", "cancelled"),
                ("date_start", ">", self.date_start),
            ],
            order="date_start",
            limit=1,
        )

    @api.model
    def _dated_name(self, meeting_type, day, company):
        """« Conseil des associations du 4 mars 2027 »: a session's name in its town's language, the month
        written out (a French reader takes 12/03 for the 12th of March)."""
        town = self.with_context(lang=company._conseil_lang())
        return town.env._(
            "%(name)s of %(date)s",
            name=town._default_name(meeting_type),
            date=long_date(town.env, day),
        )

    @api.model
    def _default_name(self, meeting_type):
        if meeting_type == "review":
            return self.env._("Municipal review")
        return self.env._("Associations council")

    def _invite(self, associations):
        """One attendance line per association; the calendar event follows."""
        existing = {(a.meeting_id.id, a.association_id.id) for a in self.attendance_ids}
        self.env["conseil.meeting.attendance"].create(
            [
                {"meeting_id": meeting.id, "association_id": association.id}
                for meeting in self
                for association in associations.filtered(lambda a, m=meeting: a.company_id == m.company_id)
                if (meeting.id, association.id) not in existing
            ]
        )

    def _attendee_partners(self):
        """Invited associations' contacts (and representatives), the chair and the officials."""
        self.ensure_one()
        attendances = self.attendance_ids
        return (
            attendances.association_id.partner_id
            | attendances.representative_id
            | self.chair_id.partner_id
            | self.official_ids.partner_id
        )

    # ------------------------------------------------------------
    # CALENDAR EVENT (conseil.calendar.owner.mixin)
    # ------------------------------------------------------------

    def _calendar_event_wanted(self):
        return self.state != "cancelled"

    def _prepare_calendar_event_values(self):
        return {
            **super()._prepare_calendar_event_values(),
            "name": self.name,
            "start": self.date_start,
            "stop": self.date_end,
            "location": self.location or False,
            "user_id": self.chair_id.id or self.env.user.id,
            "partner_ids": [Command.set(self._attendee_partners().ids)],
            "alarm_ids": [Command.set(self.alarm_ids.ids)],
            "categ_ids": [Command.set(self._event_tag().ids)],
        }

    def _event_tag(self):
        return (
            self.env.ref("conseil_associations.calendar_event_type_council", raise_if_not_found=False)
            or self.env["calendar.event.type"]
        )

    def _on_calendar_event_moved(self, event):
        """Moved in the Calendar app: the session follows, as the user who moved it, who must be one who may
        change the session (else nothing moves)."""
        values = {"date_start": event.start, "date_end": event.stop, "location": event.location}
        if event.name != self.name:
            values["name"] = event.name
        self.write(values)

    def _calendar_event_locked_message(self, event):
        return self.env._(
            "%(event)s is the event of a council session: its attendees, reminders and the rest are the "
            "session's. Change them on the session.",
            event=event.display_name,
        )

    def _calendar_event_removal_message(self, event):
        return self.env._(
            "%(event)s is the calendar event of a council session. Cancel the session instead: "
            "its attendees will be told.",
            event=event.display_name,
        )

    def _local_day(self):
        self.ensure_one()
        return fields.Datetime.context_timestamp(self.with_context(tz=self._tz()), self.date_start).date()

    def _local_date_label(self):
        self.ensure_one()
        return fields.Datetime.context_timestamp(self.with_context(tz=self._tz()), self.date_start).strftime(
            "%d/%m/%Y %H:%M"
        )

    def _tz(self):
        self.ensure_one()
        return self.env.user.tz or self.company_id.partner_id.tz or "Europe/Paris"
