from odoo import api, fields, models
from odoo.exceptions import UserError

# Calendar fields and the session fields they drive, when the event is moved in the Calendar app.
EVENT_TO_MEETING = {"name": "name", "start": "date_start", "stop": "date_end", "location": "location"}
# What links an event to the record that owns it: the owner's, never a user's to re-point.
OWNER_FIELDS = {"res_model_id", "res_model", "res_id"}
# What a loan's event shows of the loan: changed on the loan, never on the event.
LOAN_EVENT_FIELDS = {"name", "start", "stop", "start_date", "stop_date", "allday", "description", "partner_ids",
                     "user_id", "privacy", "location", "active", "duration"}  # fmt: skip
OWNER_MODELS = ("conseil.meeting", "conseil.loan")


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    conseil_meeting_id = fields.Many2one(
        "conseil.meeting", string="Council Session", compute="_compute_conseil_meeting_id"
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

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            model_ids = {self.env["ir.model"]._get_id(name) for name in OWNER_MODELS}
            if any(
                vals.get("res_model") in OWNER_MODELS or vals.get("res_model_id") in model_ids
                for vals in vals_list
            ):
                raise UserError(self.env._("The events of council sessions and loans are created by them."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_owned_event_write(vals)
        result = super().write(vals)
        changed = EVENT_TO_MEETING.keys() & vals.keys()
        if changed and not self.env.su:
            # moved in the Calendar app: the session follows, as the user who moved it may change it
            for event in self.filtered("conseil_meeting_id"):
                event.conseil_meeting_id.write({EVENT_TO_MEETING[name]: event[name] for name in changed})
        return result

    def _check_owned_event_write(self, vals):
        owned = self.filtered(lambda event: event.res_model in OWNER_MODELS)
        if not owned:
            if OWNER_FIELDS & vals.keys() and (
                vals.get("res_model") in OWNER_MODELS
                or vals.get("res_model_id") in {self.env["ir.model"]._get_id(name) for name in OWNER_MODELS}
            ):
                raise UserError(self.env._("The events of council sessions and loans are created by them."))
            return
        if OWNER_FIELDS & vals.keys():
            raise UserError(
                self.env._("%(event)s belongs to its session or loan: it cannot be moved to another record.",
                           event=owned[0].display_name)
            )  # fmt: skip
        loan_events = owned.filtered(lambda event: event.res_model == "conseil.loan")
        if loan_events and LOAN_EVENT_FIELDS & vals.keys():
            raise UserError(
                self.env._(
                    "%(event)s shows a loan to an association: change the loan itself, and its event follows.",
                    event=loan_events[0].display_name,
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

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals:
            self._sync_conseil_attendance()
        return result

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
