from odoo import api, models


class ResourceCalendarLeaves(models.Model):
    """The agents' time off keeps them from loans: who may change it is held by a rule (HR, or the agent
    themself, conseil_security.xml), and its dates are the town's, not a typo of year 1 or 9999."""

    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_conseil_dates(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_conseil_dates(vals)
        return super().write(vals)

    def _check_conseil_dates(self, vals):
        """Dates within the addon's window, with a message; Odoo itself refuses an end before the start."""
        self.env["conseil.guarded.mixin"]._check_values_of(self, vals, ["date_from", "date_to"])
