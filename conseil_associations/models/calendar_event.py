from odoo import api, fields, models
from odoo.exceptions import UserError

# Owners of calendar events: each creates, moves and removes its own, under sudo().
OWNER_MODELS = ("conseil.meeting", "conseil.loan")
# What links an event to its owner: the owner's, never a user's to set or re-point.
OWNER_FIELDS = {"res_model_id", "res_model", "res_id", "conseil_company_id"}
# What a user may change on a session's event in the Calendar app: its time, name and place, which the session
# follows (as the user who moved it may change the session). The rest (attendees, reminders...) is the session's.
SESSION_EVENT_FIELDS = {"name", "start", "stop", "start_date", "stop_date", "allday", "duration", "location"}


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    conseil_meeting_id = fields.Many2one(
        "conseil.meeting", string="Council Session", compute="_compute_conseil_meeting_id"
    )
    conseil_company_id = fields.Many2one(
        "res.company",
        string="Commune",
        readonly=True,
        index="btree_not_null",
        help="The commune of the session or loan this event belongs to: only its users see the event.",
    )

    @api.depends("res_model", "res_id")
    def _compute_conseil_meeting_id(self):
        """The session that owns this event: the one whose event it is, not any the event points to."""
        for event in self:
            meeting = self.env["conseil.meeting"]
            if event.res_model == "conseil.meeting" and event.res_id:
                meeting = meeting.sudo().browse(event.res_id).exists()
                meeting = meeting if meeting.event_id == event else meeting.browse()
            event.conseil_meeting_id = meeting.sudo(False)

    def _get_activity_excluded_models(self):
        """A session or a loan is its own record: no extra 'meeting' activity on it."""
        return [*super()._get_activity_excluded_models(), "conseil.meeting", "conseil.loan"]

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        if not self.env.su and (events.filtered(lambda event: event.res_model in OWNER_MODELS) or any(
            vals.get("conseil_company_id") for vals in vals_list
        )):  # fmt: skip
            # also when the link comes from the context (default_res_model, active_model...)
            raise UserError(self.env._("The events of council sessions and loans are created by them."))
        return events

    def write(self, vals):
        if self.env.su:
            return super().write(vals)
        self._check_owned_event_write(vals)
        sessions = self.filtered("conseil_meeting_id")
        result = super(CalendarEvent, self - sessions).write(vals)
        if sessions:
            # moved in the Calendar app: the event moves as its session's, then the session follows as the user
            # who moved it, who must be one who may change the session (else nothing moves)
            super(CalendarEvent, sessions.sudo()).write(vals)
            for event in sessions:
                event.conseil_meeting_id.write(
                    {
                        "name": event.name,
                        "date_start": event.start,
                        "date_end": event.stop,
                        "location": event.location,
                    }
                )
        return result

    def _check_owned_event_write(self, vals):
        if OWNER_FIELDS & vals.keys():
            raise UserError(
                self.env._("The events of council sessions and loans belong to them and stay theirs.")
            )
        owned = self.filtered(lambda event: event.res_model in OWNER_MODELS)
        loan_events = owned.filtered(lambda event: event.res_model == "conseil.loan")
        if loan_events:
            raise UserError(
                self.env._(
                    "%(event)s shows a loan to an association: change the loan itself, and its event follows.",
                    event=loan_events[0].display_name,
                )
            )
        if owned and vals.keys() - SESSION_EVENT_FIELDS:
            raise UserError(
                self.env._(
                    "%(event)s is the event of a council session: its attendees, reminders and the rest are the "
                    "session's. Change them on the session.",
                    event=owned[0].display_name,
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_owned(self):
        """The event of a session or a loan goes with its owner, never on its own."""
        if self.env.su:
            return
        owned = self.filtered(lambda event: event.res_model in OWNER_MODELS and event.res_id)
        if owned.filtered(lambda event: event.res_model == "conseil.meeting"):
            raise UserError(
                self.env._(
                    "%(event)s is the calendar event of a council session. Cancel the session instead: "
                    "its attendees will be told.",
                    event=owned[0].display_name,
                )
            )
        if owned:
            raise UserError(
                self.env._(
                    "%(event)s shows a loan to an association: cancel the loan instead.",
                    event=owned[0].display_name,
                )
            )


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
        owned = self.filtered(lambda attendee: attendee.event_id.res_model in OWNER_MODELS)
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
        replies = {"accepted": (("invited",), "confirmed"), "declined": (("invited", "confirmed"), "excused")}
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
