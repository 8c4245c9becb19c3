from odoo import api, models
from odoo.exceptions import UserError


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    @api.model_create_multi
    def create(self, vals_list):
        attendees = super().create(vals_list)
        if not self.env.su:
            attendees._check_owned_event_attendees()
        return attendees

    def write(self, vals):
        if not self.env.su:
            self._check_owned_event_attendees(reply=vals.keys() <= {"state", "availability"})
        result = super().write(vals)
        if "state" in vals:
            self._sync_conseil_attendance()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_owned_event(self):
        if not self.env.su:
            self._check_owned_event_attendees()

    def _check_owned_event_attendees(self, reply=False):
        """A session or a loan invites its people; each attendee only answers for themself."""
        owned = self.filtered(lambda attendee: attendee.event_id._conseil_owned())
        if not owned:
            return
        if not reply or owned.filtered(lambda attendee: attendee.partner_id != self.env.user.partner_id):
            raise UserError(
                self.env._(
                    "The attendees of %(event)s are those of its session or loan: each of them answers the "
                    "invitation for themself.",
                    event=owned[0].event_id.display_name,
                )
            )

    def _sync_conseil_attendance(self):
        """An association's reply to its session's invitation shows on its attendance line."""
        replies = {
            "accepted": (("invited", "excused"), "confirmed"),
            "declined": (("invited", "confirmed"), "excused"),
        }
        for attendee in self.filtered(lambda a: a.state in replies and a.event_id.conseil_meeting_id):
            from_states, to_state = replies[attendee.state]
            lines = (
                self.env["conseil.meeting.attendance"]
                .sudo()
                .search(
                    [
                        ("meeting_id", "=", attendee.event_id.conseil_meeting_id.id),
                        ("meeting_id.state", "=", "planned"),
                        ("state", "in", from_states),
                        "|",
                        ("association_id.partner_id", "=", attendee.partner_id.id),
                        ("representative_id", "=", attendee.partner_id.id),
                    ]
                )
            )
            lines._move(f"mark_{to_state}")
