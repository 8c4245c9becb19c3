from odoo import api, fields, models
from odoo.exceptions import UserError


class ConseilMeetingAttendance(models.Model):
    _name = "conseil.meeting.attendance"
    _description = "Council Session Attendance"
    _order = "meeting_id, association_name, id"

    meeting_id = fields.Many2one(
        "conseil.meeting", string="Session", required=True, index=True, ondelete="cascade"
    )
    association_id = fields.Many2one(
        "conseil.association", required=True, index=True, ondelete="cascade", check_company=True
    )
    association_name = fields.Char(related="association_id.name", store=True, string="Association Name")
    representative_id = fields.Many2one(
        "res.partner",
        domain="[('parent_id', '=', association_partner_id)]",
        help="The person who represents the association at this session.",
    )
    association_partner_id = fields.Many2one(related="association_id.partner_id")
    state = fields.Selection(
        [
            ("invited", "Invited"),
            ("confirmed", "Confirmed"),
            ("present", "Present"),
            ("excused", "Excused"),
            ("absent", "Absent"),
        ],
        default="invited",
        required=True,
        index=True,
    )
    company_id = fields.Many2one(related="meeting_id.company_id", store=True, index=True)
    meeting_date = fields.Datetime(related="meeting_id.date_start", store=True, string="Session Date")
    meeting_state = fields.Selection(related="meeting_id.state", string="Session Status")
    note = fields.Char()

    _association_once = models.UniqueIndex(
        "(meeting_id, association_id)",
        "An association is invited only once to a session.",
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        attendances.meeting_id._sync_event_attendees()
        return attendances

    def write(self, vals):
        meetings_before = self.meeting_id
        result = super().write(vals)
        if {"association_id", "representative_id", "meeting_id"} & vals.keys():
            (meetings_before | self.meeting_id)._sync_event_attendees()
        return result

    def unlink(self):
        meetings = self.meeting_id
        result = super().unlink()
        meetings.exists()._sync_event_attendees()
        return result

    # ------------------------------------------------------------
    # ACTIONS (one click per line while taking attendance)
    # ------------------------------------------------------------

    def action_mark_present(self):
        return self._set_state("present")

    def action_mark_excused(self):
        return self._set_state("excused")

    def action_mark_absent(self):
        return self._set_state("absent")

    def action_mark_confirmed(self):
        return self._set_state("confirmed")

    def _set_state(self, state):
        closed = self.filtered(lambda a: a.meeting_id.state in ("published", "cancelled"))
        if closed:
            raise UserError(
                self.env._(
                    "Attendance of %(session)s can no longer change: the session is closed.",
                    session=closed[0].meeting_id.display_name,
                )
            )
        self.write({"state": state})
        return True
