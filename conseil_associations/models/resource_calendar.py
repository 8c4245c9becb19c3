from odoo import api, models


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    @api.constrains("attendance_ids", "hours_per_week")
    def _check_conseil_lent_hours(self):
        """A shorter working week still holds the hours lent to associations by the agents who work it."""
        self.env["hr.employee"].sudo().search(
            [("version_ids.resource_calendar_id", "in", self.ids)]
        )._conseil_check_lent_hours()
