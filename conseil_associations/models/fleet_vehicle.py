from odoo import api, fields, models
from odoo.tools import SQL


class FleetVehicle(models.Model):
    _name = "fleet.vehicle"
    _inherit = ["fleet.vehicle", "conseil.lendable.mixin"]

    _conseil_loan_type = "vehicle"

    conseil_daily_rate = fields.Monetary(
        string="Daily Rate for Associations",
        currency_field="currency_id",
        help="Values a day of loan of this vehicle to an association. Empty: the default rate of the settings.",
    )
    conseil_loan_ids = fields.One2many("conseil.loan", "vehicle_id", string="Loans to Associations")

    _conseil_daily_rate_plausible = models.Constraint(
        "CHECK (conseil_daily_rate IS NULL OR conseil_daily_rate BETWEEN 0 AND 10000)",
        "The daily rate of a vehicle lent to associations is between 0 and 10 000.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.env["conseil.guarded.mixin"]._check_values_of(self, vals, ["conseil_daily_rate"])
        return super().create(vals_list)

    def write(self, vals):
        self.env["conseil.guarded.mixin"]._check_values_of(self, vals, ["conseil_daily_rate"])
        return super().write(vals)

    @api.model
    def _conseil_free_for_loan(self, date_start, date_end, company, weekly_hours=0.0, exclude_loan=None):
        """The vehicles of the commune (or shared by all) that no loan holds over the period."""
        return self._conseil_free_ids(
            SQL(
                """SELECT r.id FROM fleet_vehicle r
                    WHERE r.active AND (r.company_id = %(company)s OR r.company_id IS NULL)
                      AND NOT EXISTS (%(busy)s) ORDER BY r.id""",
                company=company.id,
                busy=self._conseil_busy_sql(date_start, date_end, exclude_loan),
            )
        )
