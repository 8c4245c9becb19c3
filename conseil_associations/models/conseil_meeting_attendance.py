from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, consteq, html2plaintext

from .conseil_facts import OFFICER
from .conseil_guarded import text_to_html

STATES = [
    ("invited", "Invited"),
    ("confirmed", "Confirmed"),
    ("present", "Present"),
    ("excused", "Excused"),
    ("absent", "Absent"),
]
# Open sessions: their attendance is still being taken.
OPEN_SESSION_STATES = ("planned", "held")
# What an association writes in its progress report from the portal.
PORTAL_REPORT_FIELDS = ("actions", "beneficiaries_served", "difficulties", "good_practice")
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
        "conseil.act.mixin",
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

    @api.depends("association_id", "meeting_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.meeting_id.name} — {line.association_id.name}"

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
    # PORTAL (the association answers and reports, before the session)
    # ------------------------------------------------------------

    def _portal_check_access(self, access_token=None):
        """The line is the user's to read (its record rule), or the visitor holds the key of its shared link."""
        self.ensure_one()
        token = self.sudo().access_token
        if access_token and token and consteq(token, access_token):
            return
        self.check_access("read")

    def _portal_closed_message(self):
        """Why the association can no longer answer or send its progress report; None until the session starts.

        One rule for the buttons, the answer and the progress report.
        """
        self.ensure_one()
        meeting = self.sudo().meeting_id
        if meeting.state == "cancelled":
            return self.env._("%(session)s is cancelled: there is nothing to answer.", session=meeting.name)
        if meeting.state != "planned" or meeting.date_start <= fields.Datetime.now():
            return self.env._(
                "%(session)s has started: answers and progress reports are taken until its start. "
                "Write to the town hall if something must change.",
                session=meeting.name,
            )
        return None

    def _portal_progress_report(self):
        """The association's progress report for this session, read as the server once the line is checked."""
        line = self.sudo()
        line.ensure_one()
        return (
            self.env["conseil.progress.report"]
            .sudo()
            .search(
                [("meeting_id", "=", line.meeting_id.id), ("association_id", "=", line.association_id.id)]
            )
        )

    def _portal_progress_report_form(self):
        """The report's values as the portal form shows them: plain text."""
        report = self._portal_progress_report()
        return {
            "actions": html2plaintext(report.actions) if report.actions else "",
            "beneficiaries_served": report.beneficiaries_served if report else "",
            "difficulties": report.difficulties or "",
            "good_practice": report.good_practice or "",
        }

    def _portal_author(self):
        """Who speaks in the chatter: the person logged in, or the association when its mail's link is used."""
        user = self.env.user
        return self.association_id.partner_id if user._is_public() else user.partner_id

    def _portal_answer(self, accept, note="", access_token=None):
        """The association accepts or declines its invitation, from the portal or from its convocation's link.

        The answer is the calendar's: the association's attendee of the session's event answers, and the line
        follows (``calendar.attendee._sync_conseil_attendance``). The person answering becomes the
        representative when there is none yet.
        """
        self.ensure_one()
        self._portal_check_access(access_token)
        closed = self._portal_closed_message()
        if closed:
            raise UserError(closed)
        note = self._check_plausible({"note": (note or "").strip()})["note"]
        line = self.sudo()
        # one answer at a time per line: a double click, or two people of the association at once, waits here
        # (then Odoo retries it on the answer already given, which it does not repeat)
        self.env.cr.execute(
            SQL("SELECT id FROM %s WHERE id = %s FOR UPDATE", SQL.identifier(self._table), self.id)
        )
        answered = "confirmed" if accept else "excused"
        if line.state == answered and (not note or note == line.note):
            return line.state  # the same answer again (a double click, a second person) is not news
        author = line._portal_author()
        contact = author.filtered(lambda partner: partner.parent_id == line.association_id.partner_id)
        values = {"note": note} if note else {}
        if contact and not line.representative_id:
            values["representative_id"] = contact.id
        if values:
            line.write(values)
        attendees = line.meeting_id.calendar_event_id.attendee_ids.filtered(
            lambda attendee: attendee.partner_id in (line.association_id.partner_id | contact)
        )
        if not attendees:
            raise UserError(
                self.env._(
                    "%(session)s has no invitation to answer: write to the town hall.",
                    session=line.meeting_id.name,
                )
            )
        if accept:
            attendees.do_accept()
        else:
            attendees.do_decline()
        line._portal_tell_officers(
            self.env._("%(association)s accepts the invitation.", association=line.association_id.name)
            if accept
            else self.env._("%(association)s declines the invitation.", association=line.association_id.name),
            note,
            line.meeting_id,
        )
        return line.state

    def _portal_submit_progress_report(self, vals, access_token=None):
        """The association sends or completes its progress report for this session, until the session starts.

        ``vals`` holds the portal form's plain text; checked as the back office checks a report, then written
        as the server (portal users have no write access), one report per association and session.
        """
        self.ensure_one()
        self._portal_check_access(access_token)
        unknown = vals.keys() - set(PORTAL_REPORT_FIELDS)
        if unknown:
            raise UserError(
                self.env._(
                    "%(fields)s cannot be sent from the portal.", fields=", ".join(sorted(map(str, unknown)))
                )
            )
        closed = self._portal_closed_message()
        if closed:
            raise UserError(closed)
        Report = self.env["conseil.progress.report"]
        vals = dict(vals)
        if "actions" in vals:
            vals["actions"] = text_to_html(vals["actions"]) if (vals["actions"] or "").strip() else False
        vals = Report._check_plausible(vals)
        line = self.sudo()
        report = line._portal_progress_report()
        if report:
            report.write(vals)
            message = self.env._(
                "%(association)s completed its progress report.", association=line.association_name
            )
        else:
            report = Report.sudo().create(
                {**vals, "meeting_id": line.meeting_id.id, "association_id": line.association_id.id}
            )
            message = self.env._(
                "%(association)s sent its progress report.", association=line.association_name
            )
        line._portal_tell_officers(message, "", report)
        return report

    def _portal_tell_officers(self, message, note, record):
        """A note on ``record``'s chatter, from the person who acted, for the association's referent officer."""
        body = Markup("<p>%s</p>") % message
        if note:
            body += text_to_html(note)
        record.message_post(
            body=body,
            author_id=self._portal_author().id,
            partner_ids=self.association_id.referent_user_id.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    # ------------------------------------------------------------
    # MAIL (crons in data/conseil_mail_template_data.xml)
    # ------------------------------------------------------------

    def action_print_convocation(self):
        """The convocation and agenda of this association, from the session's list: the issued one once sent."""
        return self.env.ref("conseil_associations.action_report_convocation").report_action(self)

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
            claimed = attendances._conseil_claim_mail("convocation", fields.Datetime.to_string(meeting_date))
            # the convocation is an act: issued for the date it announces, the mail attaches that file
            claimed._conseil_issue_act("conseil_associations.action_report_convocation")
            claimed._conseil_send_mail("conseil_associations.mail_template_convocation")
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
