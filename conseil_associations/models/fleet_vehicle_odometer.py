from odoo import api, models
from odoo.exceptions import UserError

# What a reading is: changing it would change what a loan recorded.
READING_FIELDS = {"value", "date", "vehicle_id"}


class FleetVehicleOdometer(models.Model):
    """The readings a loan recorded at hand-over and return stay as recorded: the loan's value follows them."""

    _inherit = "fleet.vehicle.odometer"

    def write(self, vals):
        if not self.env.su and READING_FIELDS & vals.keys():
            self._check_not_recorded_by_a_loan()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_recorded_by_a_loan(self):
        if not self.env.su:
            self._check_not_recorded_by_a_loan()

    def _check_not_recorded_by_a_loan(self):
        loans = (
            self.env["conseil.loan"]
            .sudo()
            .search(
                ["|", ("odometer_start_id", "in", self.ids), ("odometer_end_id", "in", self.ids)], limit=1
            )
        )
        if loans:
            raise UserError(
                self.env._(
                    "This odometer reading was recorded by the loan %(loan)s to an association: it stays as "
                    "recorded.",
                    loan=loans.name,
                )
            )
