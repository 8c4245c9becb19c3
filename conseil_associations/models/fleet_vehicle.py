from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, format_date

# The daily rate of a vehicle, as its database constraint holds it.
DAILY_RATE_BOUNDS = {"conseil_daily_rate": (0, 10_000)}


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
            self.env["conseil.guarded.mixin"]._check_values_of(
                self, vals, ["conseil_daily_rate"], DAILY_RATE_BOUNDS
            )
        return super().create(vals_list)

    def write(self, vals):
        self.env["conseil.guarded.mixin"]._check_values_of(
            self, vals, ["conseil_daily_rate"], DAILY_RATE_BOUNDS
        )
        result = super().write(vals)
        if "conseil_daily_rate" in vals:
            self.env["conseil.loan"]._revalue([("vehicle_id", "in", self.ids)])
        return result

    @api.model
    def _conseil_free_for_loan(
        self,
        date_start,
        date_end,
        company,
        weekly_hours=0.0,
        exclude_loan=None,
        name=None,
        limit=None,
    ):
        """The vehicles of the commune, and those shared by all, that no loan holds over the period.

        The commune's and the shared ones are read apart, each along the index of its commune's names, and
        merged: a page stops both reads at its last row.
        """

        def free(owner):
            return SQL(
                """(SELECT r.id, r.name FROM fleet_vehicle r
                     WHERE r.active AND %(owner)s %(named)s AND NOT EXISTS (%(busy)s) AND NOT EXISTS (%(unfit)s)
                     %(page)s)""",
                owner=owner,
                named=self._conseil_named_sql(name),
                busy=self._conseil_busy_sql(date_start, date_end, exclude_loan),
                unfit=self._conseil_unfit_sql(date_start, date_end, company),
                page=self._conseil_page_sql(limit),
            )

        return self._conseil_free_ids(
            SQL(
                "SELECT r.id FROM (%s UNION ALL %s) r %s",
                free(SQL("r.company_id = %s", company.id)),
                free(SQL("r.company_id IS NULL")),
                self._conseil_page_sql(limit),
            )
        )

    @api.model
    def _conseil_unfit_sql(self, date_start, date_end, company):
        """Why the Fleet app's records keep vehicle ``r`` off the road over the period: rows (reason, record id).
        ``date_start``/``date_end``/``company``: values, or SQL of the loans' columns.

        - ``state``: its Fleet state is one the commune sets as unavailable (by default Downgraded);
        - ``service``: a service of it is running (the vehicle is at the garage until the service is done), or
          a new one is planned on a day of the period;
        - ``contract``: it has contracts (insurance, leasing...) and none of them, neither cancelled nor expired,
          covers the whole period (contracts all cancelled leave it uninsured). A vehicle without any contract in
          Fleet is not refused: the town does not keep its insurance there.
        """
        return SQL(
            """SELECT 'state' AS reason, r.state_id AS record_id
                WHERE r.state_id IN (SELECT u.state_id FROM conseil_company_unavailable_vehicle_state_rel u
                                      WHERE u.company_id = %(company)s)
               UNION ALL
               SELECT 'service', s.id FROM fleet_vehicle_log_services s
                WHERE s.vehicle_id = r.id AND s.active
                  AND (s.state = 'running'
                       OR (s.state = 'new' AND s.date BETWEEN %(start)s::date AND %(end)s::date))
               UNION ALL
               SELECT 'contract', (ARRAY_AGG(k.id ORDER BY k.expiration_date DESC NULLS FIRST))[1]
                 FROM fleet_vehicle_log_contract k
                WHERE k.vehicle_id = r.id AND k.active
               HAVING COUNT(*) > 0 AND NOT BOOL_OR(
                      k.state NOT IN ('closed', 'expired')
                      AND COALESCE(k.start_date, %(start)s::date) <= %(start)s::date
                      AND COALESCE(k.expiration_date, %(end)s::date) >= %(end)s::date)""",
            start=date_start,
            end=date_end,
            company=company if isinstance(company, SQL) else company.id,
        )

    def _conseil_record_odometer(self, value, moment, driver, floor=0.0):
        """A reading in the vehicle's own log, on the day it was read, when a loan hands it over or takes it back.

        An odometer never goes backwards: the value lies between the log's readings before and after ``moment``
        (and is at least ``floor``, the reading at hand-over).
        """
        self.ensure_one()
        Odometer = self.env["fleet.vehicle.odometer"].sudo()
        vehicle = [("vehicle_id", "=", self.id)]
        [(before,)] = Odometer._read_group([*vehicle, ("date", "<=", moment.date())], [], ["value:max"])
        [(after,)] = Odometer._read_group([*vehicle, ("date", ">", moment.date())], [], ["value:min"])
        floor = max(before or 0.0, floor)
        if value + 1e-6 < floor or (after and value > after + 1e-6):
            raise ValidationError(
                self.env._(
                    "The odometer of %(vehicle)s cannot read %(value)s on %(date)s: its log reads %(floor)s before "
                    "and %(after)s after. An odometer never goes backwards.",
                    vehicle=self.display_name,
                    value=f"{value:g}",
                    date=format_date(self.env, moment.date()),
                    floor=f"{floor:g}",
                    after=f"{after:g}" if after else "—",
                )
            )
        return Odometer.create(
            {
                "vehicle_id": self.id,
                "value": value,
                "date": fields.Date.context_today(self, moment),
                # a vehicle shared between communes (no company) shows its readings to all of them
                "driver_id": driver.id if self.company_id else False,
            }
        )
