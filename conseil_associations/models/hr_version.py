from odoo import api, models


class HrVersion(models.Model):
    _inherit = "hr.version"

    @api.constrains("resource_calendar_id", "date_version", "active", "employee_id")
    def _check_conseil_lent_hours(self):
        """An agent's schedule, now or planned, still holds the hours lent to associations."""
        self.employee_id._conseil_check_lent_hours()
