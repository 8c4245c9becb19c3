from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .conseil_facts import OFFICER

STATES = [
    ("invited", "Invited"),
    ("confirmed", "Confirmed"),
    ("present", "Present"),
    ("excused", "Excused"),
    ("absent", "Absent"),
]
# Open sessions: their attendance is still being taken.
OPEN_SESSION_STATES = ("planned", "held")
# The furthest a convocation or a reminder goes out before a council (the settings' bound).
MAIL_DAYS_MAX = 60


class ConseilMeetingAttendance(models.Model):
    _name = "conseil.meeting.attendance"
    _description = "Council Session Attendance"
    # mail.thread: the convocation and the reminders sent to the association are kept on its line
    _inherit = [
        "mail.thread",
        "portal.mixin",
        "conseil.workflow.mixin",
        "conseil.session.part.mixin",
        "conseil.mailing.mixin",
    ]
    _order = "meeting_id, association_name, id"

    # Taken with one click per line while the session is open; frozen once it is closed.
    _transitions = {
        (source, target): "officer" for source, __ in STATES for target, __ in STATES if source != target
    }
    _moves = {f"mark_{state}": (state, None) for state, __ in STATES if state != "invited"}
    _editable_by_state = dict.fromkeys(
        (state for state, __ in STATES), frozenset({"representative_id", "note"})
    )
    _plausible = {"note": 256}

    meeting_id = fields.Many2one(
        "conseil.meeting", string="Session", required=True, index=True, ondelete="cascade", check_company=True
    )
    association_id = fields.Many2one(
        "conseil.association", required=True, index=True, ondelete="restrict", check_company=True
    )
    association_name = fields.Char(related="association_id.name", store=True, string="Association Name")
    representative_id = fields.Many2one(
        "res.partner",
        check_company=True,
        domain="[('parent_id', '=', association_partner_id)]",
        help="The person who represents the association at this session.",
    )
    association_partner_id = fields.Many2one(
        related="association_id.partner_id", string="Contact of the Association"
    )
    state = fields.Selection(
        STATES, string="Status", default="invited", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one(related="meeting_id.company_id", store=True, index=True)
    meeting_date = fields.Datetime(related="meeting_id.date_start", store=True, string="Session Date")
    meeting_state = fields.Selection(related="meeting_id.state", string="Session Status")
    note = fields.Char()

    _association_once = models.UniqueIndex(
        "(meeting_id, association_id)",
        "An association is invited only once to a session.",
    )

    def _compute_access_url(self):
        for record in self:
            record.access_url = f"/my/councils/{record.id}"

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("representative_id", "association_id")
    def _check_representative_of_the_association(self):
        for attendance in self.filtered("representative_id"):
            if attendance.representative_id.parent_id != attendance.association_id.partner_id:
                raise ValidationError(
                    self.env._(
                        "The representative of %(association)s at a session is one of its contacts.",
                        association=attendance.association_id.name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # the line is the association's thread: whoever invites does not follow it (nor a "created" note)
        quiet = self.with_context(mail_create_nosubscribe=True, mail_create_nolog=True)
        attendances = super(ConseilMeetingAttendance, quiet).create(vals_list).with_env(self.env)
        attendances.meeting_id._sync_calendar_event_attendees()
        return attendances

    def write(self, vals):
        meetings_before = self.meeting_id
        result = super().write(vals)
        if {"association_id", "representative_id", "meeting_id"} & vals.keys():
            (meetings_before | self.meeting_id)._sync_calendar_event_attendees()
        return result

    def _closed_session_messages(self):
        """The attendance of a session that is over is part of its record."""
        return (
            self.env._("Nobody is invited to a closed session any more."),
            self.env._("The attendance of a closed session is kept."),
        )

    def unlink(self):
        meetings = self.meeting_id
        result = super().unlink()
        meetings.exists()._sync_calendar_event_attendees()
        return result

    # ------------------------------------------------------------
    # ACTIONS (one click per line while taking attendance)
    # ------------------------------------------------------------

    def action_mark_present(self):
        return self._move("mark_present")

    def action_mark_excused(self):
        return self._move("mark_excused")

    def action_mark_absent(self):
        return self._move("mark_absent")

    def action_mark_confirmed(self):
        return self._move("mark_confirmed")

    # ------------------------------------------------------------
    # RULES
    # ------------------------------------------------------------

    def _workflow_roles(self):
        """Officers take the attendance of a session, while it is open."""
        return {"officer"} if self.env.user.has_group(OFFICER) else set()

    def _transition_obstacle(self, target):
        if self.meeting_id.state not in OPEN_SESSION_STATES:
            return self._frozen_message({"state"})
        return super()._transition_obstacle(target)

    def _role_label(self, role):
        return self.env._("associative-life officers")

    def _editable_fields(self):
        if self.meeting_id.state not in OPEN_SESSION_STATES:
            return frozenset()
        return super()._editable_fields()

    @api.model
    def _creatable_fields(self, vals=None):
        return super()._creatable_fields(vals) | {"meeting_id", "association_id"}

    def _frozen_message(self, field_names):
        if self.meeting_id.state not in OPEN_SESSION_STATES:
            return self.env._(
                "Attendance of %(session)s can no longer change: the session is closed.",
                session=self.meeting_id.display_name,
            )
        return super()._frozen_message(field_names)

    # ------------------------------------------------------------
    # MAIL (crons in data/conseil_mail_template_data.xml)
    # ------------------------------------------------------------

    @api.model
    def _cron_send_convocations(self):
        """Each association invited to a planned council receives the convocation and the agenda, once.

        Due ``conseil_convocation_days`` before the council. Once per date announced: a session moved after
        its convocation went out is announced again, once, when its new date is due (the association must
        know the date that holds); a rerun sends nothing. A cancelled session sends nothing more (its
        cancellation is posted to its attendees by the session itself).
        """
        due = self._due_before_council("conseil_convocation_days")
        for meeting_date, attendances in due.grouped("meeting_date").items():
            attendances._conseil_mail_once(
                "convocation",
                "conseil_associations.mail_template_convocation",
                fields.Datetime.to_string(meeting_date),
            )
        return due

    @api.model
    def _cron_remind_progress_reports(self):
        """Invited associations that have not sent their progress report are reminded once before the council."""
        due = self._due_before_council("conseil_progress_report_reminder_days")
        reported = {
            (report.meeting_id, report.association_id)
            for report in self.env["conseil.progress.report"]
            .sudo()
            .search([("meeting_id", "in", due.meeting_id.ids)])
        }
        missing = due.filtered(lambda line: (line.meeting_id, line.association_id) not in reported)
        return missing._conseil_mail_once(
            "progress_report_reminder", "conseil_associations.mail_template_progress_report_reminder"
        )

    @api.model
    def _due_before_council(self, days_setting):
        """Invitations to planned councils to come, within their commune's ``days_setting`` days."""
        now = fields.Datetime.now()
        lines = self.sudo().search(
            [
                ("meeting_id.meeting_type", "=", "council"),
                ("meeting_id.state", "=", "planned"),
                ("meeting_date", ">", now),
                ("meeting_date", "<=", now + timedelta(days=MAIL_DAYS_MAX)),
            ]
        )
        return lines.filtered(
            lambda line: line.meeting_date <= now + timedelta(days=line.company_id[days_setting])
        )
