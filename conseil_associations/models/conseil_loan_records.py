import math
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date, format_datetime

from . import conseil_loan
from .conseil_facts import BLOCKING_STATES
from .conseil_guarded import plausible_values

# The driving licences a town hall sees, from the lightest.
DRIVER_LICENCES = [
    ("B", "B (car, up to 9 seats)"),
    ("C", "C (lorry)"),
    ("D1", "D1 (minibus, up to 17 seats)"),
    ("D", "D (bus)"),
]
# The licence a vehicle needs, by its seats with the driver's (code de la route, R221-4): up to 9 seats a B,
# up to 17 a D1, above a D.
LICENCE_BY_SEATS = ((9, "B"), (17, "D1"))
# Which recorded licences allow driving a vehicle that needs this one: a C or D holder holds a B too.
LICENCES_ALLOWING = {"B": {"B", "C", "D1", "D"}, "D1": {"D1", "D"}, "D": {"D"}}
# An engineering loan of this many hours a week or less is spread over its weeks; a loan shorter than a week
# carries its hours in that week.
WEEK = timedelta(days=7)


# One file per concern of the loan (see conseil_loan_room.py).
# pylint: disable=consider-merging-classes-inherited
class ConseilLoan(models.Model):
    """What the town's own records say of a loan: the agent's time off and schedule, the vehicle's Fleet state,
    services and contracts, the driver's licence; and the agent loans of engineering help (hours from a
    department)."""

    _inherit = "conseil.loan"

    _plausible = {**conseil_loan.ConseilLoan._plausible, "total_hours": (0, 10_000)}

    driver_licence = fields.Selection(
        DRIVER_LICENCES,
        string="Driver's Licence",
        tracking=True,
        help="The licence of the driver, as seen by the town hall. A vehicle of more than 9 seats (driver "
        "included) needs a D1 (up to 17 seats) or a D: its keys are not handed over without it.",
    )
    required_licence = fields.Selection(
        DRIVER_LICENCES, compute="_compute_required_licence", string="Licence Needed"
    )
    licence_warning = fields.Char(compute="_compute_licence_warning")
    department_id = fields.Many2one(
        "hr.department",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        ondelete="restrict",
        help="The department that lends the agent (engineering help): the agent is one of its members.",
    )
    total_hours = fields.Float(
        string="Hours in All",
        tracking=True,
        help="Hours of engineering help lent over the whole period: the loan is valued on them (until the hours "
        "actually worked are known) instead of weekly hours × weeks.",
    )

    _values_plausible = plausible_values(_plausible)

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("vehicle_id.seats")
    def _compute_required_licence(self):
        for loan in self:
            loan.required_licence = loan.vehicle_id and loan._needed_licence()

    @api.depends("loan_type", "vehicle_id.seats", "driver_licence", "state")
    def _compute_licence_warning(self):
        """Told before the hand-over that refuses it."""
        for loan in self:
            loan.licence_warning = (
                loan.state in ("draft", "requested", "approved") and loan._licence_obstacle()
            )

    @api.depends("total_hours")
    def _compute_valuation(self):
        """Engineering help is valued on its hours in all."""
        return super()._compute_valuation()

    def _availability_warning(self):
        """The town's records too: an agent absent, a vehicle at the garage, out of service or not insured."""
        warning = super()._availability_warning()
        if warning or self.state not in ("draft", "requested") or not self._resource():
            return warning
        if not (self.date_start and self.date_end) or self.date_start >= self.date_end:
            return warning
        return next(iter(self._town_records_obstacles().values()), False)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("department_id", "employee_id")
    def _check_agent_of_the_department(self):
        for loan in self.filtered(lambda loan: loan.department_id and loan.employee_id):
            if loan.employee_id.sudo().department_id != loan.department_id:
                raise ValidationError(
                    self.env._(
                        "%(agent)s is not a member of %(department)s, which lends the engineering help of "
                        "%(loan)s: choose one of its agents.",
                        agent=loan.employee_id.name,
                        department=loan.department_id.display_name,
                        loan=loan.display_name,
                    )
                )

    @api.constrains("loan_type", "department_id", "total_hours")
    def _check_hours_of_an_agent(self):
        """Hours in all and a department belong to an agent loan."""
        for loan in self.filtered(lambda loan: loan.loan_type != "agent"):
            if loan.department_id or loan.total_hours:
                raise ValidationError(
                    self.env._(
                        "%(loan)s lends no agent: it has no department nor hours in all.",
                        loan=loan.display_name,
                    )
                )

    @api.constrains("total_hours", "weekly_hours", "date_start", "date_end")
    def _check_hours_in_the_period(self):
        """The hours in all are worked at the weekly hours over the period: no more (an 8-hour loan at 1 h a
        week does not carry 10 000 h, which would value it so)."""
        for loan in self.filtered(
            lambda loan: loan.loan_type == "agent" and loan.total_hours and loan.date_start and loan.date_end
        ):
            most = loan._most_hours_in_the_period()
            if loan.total_hours > most + 0.01:
                raise ValidationError(
                    self.env._(
                        "%(loan)s lends %(hours)s h in all, but at %(weekly)s h a week its period allows at most "
                        "%(most)s h: reduce the hours in all, or lengthen the period or the weekly hours.",
                        loan=loan.display_name,
                        hours=f"{loan.total_hours:g}",
                        weekly=f"{loan.weekly_hours:g}",
                        most=f"{most:g}",
                    )
                )

    def _most_hours_in_the_period(self):
        """The hours the period holds at the weekly hours (a loan shorter than a week carries them once)."""
        self.ensure_one()
        weeks = max((self.date_end - self.date_start) / WEEK, 1.0)
        return round(self.weekly_hours * weeks, 2)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_approve(self):
        """Refused, naming the agent and the dates or the vehicle and the reason, when the town's records say
        the resource is not there: checked on the primary, in one query per kind, before the approval."""
        self._check_move("approve")
        obstacles = self._town_records_obstacles()
        if obstacles:
            raise ValidationError(next(iter(obstacles.values())))
        return super().action_approve()

    def _check_ready_to_drive(self):
        """The driver's licence allows the vehicle: a minibus of more than 9 seats needs a D1 or a D; and Fleet
        still lends it (a service opened, a state or a contract changed since the approval)."""
        result = super()._check_ready_to_drive()
        obstacle = self._licence_obstacle() or self._vehicle_unfit_obstacles().get(self)
        if obstacle:
            raise UserError(obstacle)
        return result

    def _return(self, return_time, odometer_end, damage_notes, fuel_notes):
        """A vehicle returned without a recorded hand-over still had its keys with a driver whose licence
        was checked: the same checks as the hand-over."""
        if self.loan_type == "vehicle" and self.state == "approved":
            self._check_ready_to_drive()
        return super()._return(return_time, odometer_end, damage_notes, fuel_notes)

    # ------------------------------------------------------------
    # RULES
    # ------------------------------------------------------------

    def _licence_obstacle(self):
        """Why the recorded licence of the driver does not allow the vehicle, or False."""
        self.ensure_one()
        if self.loan_type != "vehicle" or not self.vehicle_id:
            return False
        needed = self._needed_licence()
        if needed == "B" or self.driver_licence in LICENCES_ALLOWING[needed]:
            return False
        labels = dict(self._fields["driver_licence"]._description_selection(self.env))
        return self.env._(
            "%(vehicle)s has %(seats)s seats: its driver needs a %(needed)s licence (recorded on the loan: "
            "%(recorded)s). Record the licence of a driver who holds it before handing the keys over.",
            vehicle=self.vehicle_id.display_name,
            seats=self.vehicle_id.seats,
            needed=labels[needed],
            recorded=labels.get(self.driver_licence) or self.env._("none"),
        )

    def _needed_licence(self):
        """The licence the lent vehicle needs, from its seats (an unknown number of seats: a car's)."""
        self.ensure_one()
        seats = self.vehicle_id.seats or 0
        return next((licence for most, licence in LICENCE_BY_SEATS if seats <= most), "D")

    def _town_records_obstacles(self):
        """{loan: why the town's records keep its resource from it}, for the agent and vehicle loans of ``self``
        (new records too: the form asks while the request is written)."""
        obstacles = {}
        agents = self.filtered(lambda loan: loan.loan_type == "agent" and loan.employee_id)
        vehicles = self.filtered(lambda loan: loan.loan_type == "vehicle" and loan.vehicle_id)
        if agents:
            obstacles.update(agents._agent_absence_obstacles())
        if vehicles:
            obstacles.update(vehicles._vehicle_unfit_obstacles())
        return obstacles

    def _periods_sql(self, resource_field):
        """The loans of ``self`` as SQL rows (index, resource, start, end, company), from their values in memory."""
        return SQL(", ").join(
            SQL(
                "(%s, %s, %s::timestamp, %s::timestamp, %s)",
                index,
                loan[resource_field].id,
                loan.date_start,
                loan.date_end,
                (loan.company_id or self.env.company).id,
            )
            for index, loan in enumerate(self)
        )

    def _agent_absence_obstacles(self):
        """The agents absent, or off their schedule, during their loans (hr.employee's rules, one query)."""
        Employee = self.env["hr.employee"]
        start, end = SQL("q.date_start"), SQL("q.date_end")
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT q.i, 'absent', a.date_from, a.date_to, a.name
                     FROM (VALUES %(periods)s) AS q(i, resource, date_start, date_end, company)
                     JOIN hr_employee r ON r.id = q.resource
                     JOIN hr_version v ON v.id = r.current_version_id
                     JOIN resource_calendar c ON c.id = v.resource_calendar_id
                     JOIN LATERAL (%(absences)s) AS a ON TRUE
                   UNION ALL
                   SELECT q.i, 'off_schedule', NULL, NULL, c.name
                     FROM (VALUES %(periods)s) AS q(i, resource, date_start, date_end, company)
                     JOIN hr_employee r ON r.id = q.resource
                     JOIN hr_version v ON v.id = r.current_version_id
                     JOIN resource_calendar c ON c.id = v.resource_calendar_id
                    WHERE c.id NOT IN (%(working)s)
                    ORDER BY 1, 3""",
                periods=self._periods_sql("employee_id"),
                absences=Employee._conseil_agent_absences_sql(start, end),
                working=Employee._conseil_working_calendars_sql(start, end),
            )
        )
        obstacles = {}
        # why an agent is absent (a sick leave) is HR's to know: the others read that the agent is away
        hr = self.env.user.has_group("hr.group_hr_user")
        for index, reason, date_from, date_to, name in self.env.cr.fetchall():
            loan = self[index]
            if loan in obstacles:
                continue
            if reason == "absent":
                obstacles[loan] = self.env._(
                    "%(agent)s is absent from %(start)s to %(end)s (%(reason)s), during the loan %(loan)s: it "
                    "cannot be approved. Choose another agent or another period.",
                    agent=loan.employee_id.name,
                    start=format_datetime(self.env, date_from, dt_format="short"),
                    end=format_datetime(self.env, date_to, dt_format="short"),
                    reason=(hr and name) or self.env._("time off"),
                    loan=loan.display_name,
                )
            else:
                obstacles[loan] = self.env._(
                    "%(agent)s does not work at any time from %(start)s to %(end)s (working schedule: "
                    "%(schedule)s): an agent is lent within their working time. Choose other times for %(loan)s.",
                    agent=loan.employee_id.name,
                    start=format_datetime(self.env, loan.date_start, dt_format="short"),
                    end=format_datetime(self.env, loan.date_end, dt_format="short"),
                    schedule=name,
                    loan=loan.display_name,
                )
        return obstacles

    def _vehicle_unfit_obstacles(self):
        """The vehicles that Fleet's records keep off the road during their loans (fleet.vehicle's rules)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT q.i, u.reason, u.record_id
                     FROM (VALUES %(periods)s) AS q(i, resource, date_start, date_end, company)
                     JOIN fleet_vehicle r ON r.id = q.resource
                    CROSS JOIN LATERAL (%(unfit)s) AS u
                    ORDER BY 1""",
                periods=self._periods_sql("vehicle_id"),
                unfit=self.env["fleet.vehicle"]._conseil_unfit_sql(
                    SQL("q.date_start"), SQL("q.date_end"), SQL("q.company")
                ),
            )
        )
        obstacles = {}
        for index, reason, record_id in self.env.cr.fetchall():
            loan = self[index]
            if loan not in obstacles:
                obstacles[loan] = loan._vehicle_unfit_message(reason, record_id)
        return obstacles

    def _vehicle_unfit_message(self, reason, record_id):
        self.ensure_one()
        vehicle = self.vehicle_id.display_name
        if reason == "state":
            return self.env._(
                "%(vehicle)s is %(state)s in the Fleet app: the town does not lend it (%(loan)s). Choose another "
                "vehicle.",
                vehicle=vehicle,
                state=self.env["fleet.vehicle.state"].sudo().browse(record_id).name,
                loan=self.display_name,
            )
        if reason == "service":
            service = self.env["fleet.vehicle.log.services"].sudo().browse(record_id)
            return self.env._(
                "%(vehicle)s is at the garage: its service %(service)s of %(date)s is %(state)s (%(loan)s). "
                "Choose another vehicle, or mark the service done in the Fleet app.",
                vehicle=vehicle,
                service=service.description or service.service_type_id.name,
                date=format_date(self.env, service.date),
                state=dict(service._fields["state"]._description_selection(self.env))[service.state].lower(),
                loan=self.display_name,
            )
        contract = self.env["fleet.vehicle.log.contract"].sudo().browse(record_id)
        return self.env._(
            "%(vehicle)s has no insurance or contract valid over the whole loan %(loan)s (the last one, "
            "%(contract)s, runs until %(expiry)s). Renew it in the Fleet app, or choose another vehicle.",
            vehicle=vehicle,
            loan=self.display_name,
            contract=contract.name,
            expiry=format_date(self.env, contract.expiration_date) if contract.expiration_date else "—",
        )

    # ------------------------------------------------------------
    # VALUATION AND AGENDA
    # ------------------------------------------------------------

    def _valuation(self):
        """Engineering help: its hours in all × the hourly cost, until the hours actually worked are known."""
        values = super()._valuation()
        if self.loan_type != "agent" or not self.total_hours or self.actual_hours or not values["unit"]:
            return values
        quantity = round(self.total_hours, 2)
        value = (self.company_id or self.env.company).currency_id.round(quantity * values["unit_value"])
        return {
            **values,
            "quantity": quantity,
            "value": value,
            "by_year": self._split_by_year(quantity, value),
        }

    @api.model
    def _engineering_weekly_hours(self, total_hours, date_start, date_end):
        """The hours a week an engineering help of ``total_hours`` takes over its period, rounded up."""
        weeks = max((date_end - date_start) / WEEK, 1.0)
        return math.ceil(total_hours / weeks * 100) / 100

    @api.model
    def _conseil_agenda_items(self, meeting):
        """The engineering help that starts before the next session, too."""
        items = super()._conseil_agenda_items(meeting)
        if meeting.meeting_type != "council":
            return items
        following = meeting._next_council()
        until = following.date_start if following else meeting.date_start + timedelta(days=15)
        domain = [
            ("company_id", "=", meeting.company_id.id),
            ("department_id", "!=", False),
            ("state", "in", BLOCKING_STATES),
            ("date_start", ">=", meeting.date_start),
            ("date_start", "<", until),
        ]
        if meeting.attendance_ids:
            domain.append(("association_id", "in", meeting.attendance_ids.association_id.ids))
        listed = {item["res_id"] for item in items}
        return items + [
            {
                "name": self.env._(
                    "Engineering help from %(department)s starts on %(date)s: %(loan)s",
                    department=loan.department_id.name,
                    date=format_datetime(self.env, loan.date_start, tz=meeting._tz(), dt_format="short"),
                    loan=loan._agenda_label(),
                ),
                "res_model": self._name,
                "res_id": loan.id,
                "is_flagged": False,
            }
            for loan in self.search(domain, order="date_start")
            if loan.id not in listed
        ]
