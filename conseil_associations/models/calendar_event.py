from odoo import api, fields, models
from odoo.exceptions import UserError

# Calendar fields and the session fields they drive, when the event is moved in the Calendar app.
EVENT_TO_MEETING = {"name": "name", "start": "date_start", "stop": "date_end", "location": "location"}


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    conseil_meeting_id = fields.Many2one(
        "conseil.meeting", string="Council Session", compute="_compute_conseil_meeting_id"
    )

    @api.depends("res_model", "res_id")
    def _compute_conseil_meeting_id(self):
        for event in self:
            event.conseil_meeting_id = event.res_id if event.res_model == "conseil.meeting" else False

    def _get_activity_excluded_models(self):
        """A session or a loan is its own record: no extra 'meeting' activity on it."""
        return [*super()._get_activity_excluded_models(), "conseil.meeting", "conseil.loan"]

    def write(self, vals):
        result = super().write(vals)
        changed = EVENT_TO_MEETING.keys() & vals.keys()
        if changed and not self.env.context.get("conseil_from_meeting"):
            for event in self.filtered("conseil_meeting_id"):
                event.conseil_meeting_id.with_context(conseil_from_event=True).write(
                    {EVENT_TO_MEETING[name]: event[name] for name in changed}
                )
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_council_session(self):
        if self.env.context.get("conseil_from_meeting"):
            return
        linked = self.filtered("conseil_meeting_id")
        if linked:
            raise UserError(
                self.env._(
                    "%(event)s is the calendar event of a council session. Cancel the session instead: "
                    "its attendees will be told.",
                    event=linked[0].display_name,
                )
            )


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals:
            self._sync_conseil_attendance()
        return result

    def _sync_conseil_attendance(self):
        """An association's reply to the invitation shows on its attendance line."""
        replies = {"accepted": (("invited",), "confirmed"), "declined": (("invited", "confirmed"), "excused")}
        for attendee in self.filtered(
            lambda a: a.state in replies and a.event_id.res_model == "conseil.meeting"
        ):
            from_states, to_state = replies[attendee.state]
            lines = (
                self.env["conseil.meeting.attendance"]
                .sudo()
                .search(
                    [
                        ("meeting_id", "=", attendee.event_id.res_id),
                        ("meeting_id.state", "=", "planned"),
                        ("state", "in", from_states),
                        "|",
                        ("association_id.partner_id", "=", attendee.partner_id.id),
                        ("representative_id", "=", attendee.partner_id.id),
                    ]
                )
            )
            lines.write({"state": to_state})
