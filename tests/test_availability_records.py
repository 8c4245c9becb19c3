"""Availability from the town's own records: time off and public holidays, working schedules, Fleet states,
services and contracts, the driver's licence."""

from freezegun import freeze_time
from test_rpc import RpcCase, RpcError

from conseil_testing import HR_OFFICER, LoanCase
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

# make_loan's default period: Monday 1 March 2027, 08:00 UTC, to Wednesday 3 March, 18:00 UTC.
START, END = "2027-03-01 08:00:00", "2027-03-03 18:00:00"


class RecordsCase(LoanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Leave = cls.env["resource.calendar.leaves"]
        cls.Employee = cls.env["hr.employee"]
        cls.Vehicle = cls.env["fleet.vehicle"]
        cls.downgraded = cls.env.ref("fleet.fleet_vehicle_state_downgraded")
        cls.registered = cls.env.ref("fleet.fleet_vehicle_state_registered")
        cls.repair = cls.env["fleet.service.type"].create({"name": "Réparation", "category": "service"})
        cls.insurance = cls.env["fleet.service.type"].create({"name": "Assurance", "category": "contract"})

    def time_off(self, date_from, date_to, employee=None, name="Congés annuels"):
        return self.Leave.create(
            {
                "name": name,
                "resource_id": (employee or self.agent).resource_id.id,
                "date_from": date_from,
                "date_to": date_to,
            }
        )

    def free_agents(self, start=START, end=END, hours=10):
        return self.Employee._conseil_free_for_loan(start, end, self.company, weekly_hours=hours)

    def free_vehicles(self, start=START, end=END):
        return self.Vehicle._conseil_free_for_loan(start, end, self.company)


@tagged("post_install", "-at_install")
class TestAgentAbsent(RecordsCase):
    def test_agent_on_leave_is_shown_and_refused_with_the_dates(self):
        loan = self.requested("agent")
        self.assertIn(self.agent.id, self.free_agents())
        self.assertFalse(loan.availability_warning)
        self.time_off("2027-03-02 07:00:00", "2027-03-02 16:00:00")
        loan.invalidate_recordset(["availability_warning"])
        self.assertIn("Marc Agent is absent from", loan.with_user(self.officer).availability_warning)
        self.assertNotIn("Congés annuels", loan.with_user(self.officer).availability_warning, "why is HR's")
        self.assertNotIn(
            self.agent.id, self.free_agents(), "The free-agent search leaves the absent agent out"
        )
        with self.assertRaisesRegex(
            ValidationError,
            r"Marc Agent is absent from 3/2/27, 7:00 AM to 3/2/27, 4:00 PM \(Congés annuels\)",
        ):
            loan.with_user(self.hr_officer).action_approve()
        self.assertEqual(loan.state, "requested", "Nothing is approved")

    def test_public_holiday_of_the_working_calendar(self):
        self.Leave.create(
            {
                "name": "Jour férié",
                "calendar_id": self.calendar_35h.id,
                "date_from": "2027-03-02 00:00:00",
                "date_to": "2027-03-02 23:00:00",
            }
        )
        loan = self.requested("agent")
        self.assertNotIn(self.agent.id, self.free_agents())
        with self.assertRaisesRegex(ValidationError, "Jour férié"):
            loan.with_user(self.hr_officer).action_approve()
        # a holiday of another calendar keeps nobody of this one
        other = self.env["resource.calendar"].create({"name": "Autre"})
        self.Leave.search([("name", "=", "Jour férié")]).calendar_id = other
        self.assertIn(self.agent.id, self.free_agents())
        loan.with_user(self.hr_officer).action_approve()
        self.assertEqual(loan.state, "approved")

    def test_a_day_off_does_not_block_a_long_part_time_loan(self):
        long_loan = self.requested("agent", end="2028-02-28 18:00:00", weekly_hours=5)
        self.time_off("2027-06-14 07:00:00", "2027-06-14 16:00:00")
        self.time_off("2027-08-02 07:00:00", "2027-08-20 16:00:00", name="Vacances d'été")
        self.assertIn(self.agent.id, self.free_agents(START, "2028-02-28 18:00:00", hours=5))
        self.assertFalse(long_loan.availability_warning)
        long_loan.with_user(self.hr_officer).action_approve()
        self.assertEqual(long_loan.state, "approved")

    def test_a_leave_covering_most_of_a_long_loan_blocks_it(self):
        long_loan = self.requested("agent", end="2027-09-01 18:00:00", weekly_hours=5)
        self.time_off("2027-04-01 07:00:00", "2027-12-31 16:00:00", name="Congé parental")
        self.assertNotIn(self.agent.id, self.free_agents(START, "2027-09-01 18:00:00", hours=5))
        with self.assertRaisesRegex(ValidationError, "Congé parental"):
            long_loan.with_user(self.hr_officer).action_approve()

    def test_off_the_working_schedule(self):
        # Sunday 7 March 2027, 09:00-12:00 in Paris: the agent works Monday to Friday
        sunday = {"start": "2027-03-07 08:00:00", "end": "2027-03-07 11:00:00"}
        loan = self.requested("agent", **sunday)
        self.assertIn("does not work at any time", loan.availability_warning)
        self.assertNotIn(self.agent.id, self.free_agents(sunday["start"], sunday["end"]))
        with self.assertRaisesRegex(ValidationError, "Marc Agent does not work at any time"):
            loan.with_user(self.hr_officer).action_approve()
        # a weekday morning is within it
        self.assertIn(self.agent.id, self.free_agents("2027-03-08 08:00:00", "2027-03-08 11:00:00"))

    def test_the_free_agent_search_is_one_query(self):
        for day in range(1, 20):
            self.time_off(f"2027-04-{day:02d} 07:00:00", f"2027-04-{day:02d} 16:00:00")
        self.free_agents()  # the commune's settings, in the cache
        with self.assertQueryCount(1):
            self.free_agents()

    def test_approving_many_asks_the_records_once(self):
        loans = self.Loan
        for index, agent in enumerate((self.agent, self.contract_agent)):
            loans |= self.requested("agent", employee_id=agent.id, weekly_hours=5 + index)
        self.time_off("2027-03-01 07:00:00", "2027-03-01 16:00:00", employee=self.contract_agent)
        with self.assertRaisesRegex(ValidationError, "Julie Contractuelle is absent"):
            loans.with_user(self.hr_officer).action_approve()
        self.assertEqual(set(loans.mapped("state")), {"requested"})


@tagged("post_install", "-at_install")
class TestVehicleUnfit(RecordsCase):
    def test_vehicle_at_the_garage(self):
        loan = self.requested()
        service = self.env["fleet.vehicle.log.services"].create(
            {"vehicle_id": self.van.id, "service_type_id": self.repair.id, "description": "Embrayage",
             "date": "2027-02-25", "state": "running"}
        )  # fmt: skip
        self.assertIn("at the garage", loan.availability_warning)
        self.assertNotIn(self.van.id, self.free_vehicles())
        self.assertIn(self.minibus.id, self.free_vehicles())
        with self.assertRaisesRegex(ValidationError, "AB-123-CD.* is at the garage: its service Embrayage"):
            loan.with_user(self.fleet_manager).action_approve()
        service.state = "done"
        loan.with_user(self.fleet_manager).action_approve()
        self.assertEqual(loan.state, "approved")

    def test_a_service_planned_during_the_loan(self):
        self.env["fleet.vehicle.log.services"].create(
            {
                "vehicle_id": self.van.id,
                "service_type_id": self.repair.id,
                "date": "2027-03-02",
                "state": "new",
            }
        )
        self.assertNotIn(self.van.id, self.free_vehicles())
        self.assertIn(self.van.id, self.free_vehicles("2027-03-05 08:00:00", "2027-03-06 18:00:00"))

    def test_downgraded_state_is_a_setting(self):
        self.assertIn(self.downgraded, self.company.conseil_unavailable_vehicle_state_ids)
        loan = self.requested()
        self.van.state_id = self.downgraded
        with self.assertRaisesRegex(ValidationError, "is Downgraded in the Fleet app"):
            loan.with_user(self.fleet_manager).action_approve()
        self.assertNotIn(self.van.id, self.free_vehicles())
        self.company.conseil_unavailable_vehicle_state_ids = self.registered
        self.assertIn(self.van.id, self.free_vehicles())
        loan.with_user(self.fleet_manager).action_approve()
        self.assertEqual(loan.state, "approved")

    def test_expired_insurance(self):
        Contract = self.env["fleet.vehicle.log.contract"]
        loan = self.requested()
        expired = Contract.create(
            {"vehicle_id": self.van.id, "cost_subtype_id": self.insurance.id, "start_date": "2026-01-01",
             "expiration_date": "2027-03-02"}
        )  # fmt: skip
        self.assertIn("no insurance or contract valid", loan.availability_warning)
        self.assertNotIn(self.van.id, self.free_vehicles())
        with self.assertRaisesRegex(ValidationError, "runs until 03/02/2027"):
            loan.with_user(self.fleet_manager).action_approve()
        Contract.create(
            {"vehicle_id": self.van.id, "cost_subtype_id": self.insurance.id, "start_date": "2027-03-01",
             "expiration_date": "2028-02-28"}
        )  # fmt: skip
        self.assertIn(self.van.id, self.free_vehicles(), "One valid contract over the period is enough")
        expired.state = "closed"
        loan.with_user(self.fleet_manager).action_approve()
        self.assertEqual(loan.state, "approved")

    def test_the_free_vehicle_search_is_one_query(self):
        self.env["fleet.vehicle.log.services"].create(
            [
                {"vehicle_id": self.van.id, "service_type_id": self.repair.id, "date": f"2027-04-{day:02d}"}
                for day in range(1, 20)
            ]
        )
        self.free_vehicles()  # the commune, in the cache
        with self.assertQueryCount(1):
            self.free_vehicles()


@tagged("post_install", "-at_install")
class TestDriverLicence(RecordsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        brand = cls.env["fleet.vehicle.model.brand"].create({"name": "Peugeot"})
        model = cls.env["fleet.vehicle.model"].create({"name": "Boxer 12 places", "brand_id": brand.id})
        cls.bus = cls.env["fleet.vehicle"].create(
            {"model_id": model.id, "license_plate": "MB-012-CD", "seats": 12}
        )

    def test_a_b_licence_for_a_12_seat_minibus(self):
        loan = self.requested(vehicle_id=self.bus.id, driver_licence="B")
        self.assertEqual(loan.required_licence, "D1")
        self.assertIn("needs a D1 (minibus, up to 17 seats) licence", loan.licence_warning)
        loan.with_user(self.fleet_manager).action_approve()
        with freeze_time("2027-03-01 07:30:00"), self.assertRaisesRegex(UserError, "has 12 seats"):
            loan.with_user(self.officer).action_start()
        self.assertEqual(loan.state, "approved")
        loan.with_user(self.officer).driver_licence = "D"
        self.assertFalse(loan.licence_warning)
        with freeze_time("2027-03-01 07:30:00"):
            loan.with_user(self.officer).action_start()
        self.assertEqual(loan.state, "in_progress")

    def test_a_car_needs_no_more_than_the_licence_checked(self):
        loan = self.requested()
        self.assertEqual(loan.required_licence, "B")
        self.assertFalse(loan.licence_warning)


@tagged("post_install", "-at_install")
class TestRecordsThroughRpc(RpcCase):
    """The refusal reaches the approver through JSON-RPC, as a message with the dates."""

    def test_agent_on_leave_refused_through_rpc(self):
        new_test_user(self.env, login="rpc_hr", password="rpc_hr_pwd", groups=f"base.group_user,{HR_OFFICER}")
        calendar = self.env["resource.calendar"].create({"name": "35 h", "tz": "Europe/Paris"})
        agent = self.env["hr.employee"].create(
            {"name": "Paul Absent", "resource_calendar_id": calendar.id, "conseil_is_titulaire": True}
        )
        association = self.env["conseil.association"].create({"name": "Club RPC"})
        loan = self.env["conseil.loan"].create(
            {"loan_type": "agent", "association_id": association.id, "purpose": "Animation",
             "date_start": "2027-03-01 08:00:00", "date_end": "2027-03-03 18:00:00", "employee_id": agent.id,
             "weekly_hours": 10, "agent_consent_date": "2026-10-01", "convention_ref": "CONV-RPC",
             "council_informed_date": "2026-10-15", "reimbursement": "reimbursed"}
        )  # fmt: skip
        loan.action_request()
        self.env["resource.calendar.leaves"].create(
            {"name": "Maladie", "resource_id": agent.resource_id.id, "date_from": "2027-02-28 00:00:00",
             "date_to": "2027-03-05 00:00:00"}
        )  # fmt: skip
        self.authenticate("rpc_hr", "rpc_hr_pwd")
        with self.assertRaises(RpcError) as refused:
            self.call_button("conseil.loan", "action_approve", loan.id)
        self.assertEqual(refused.exception.name, "odoo.exceptions.ValidationError")
        self.assertIn(
            "Paul Absent is absent from 2/28/27, 12:00 AM to 3/5/27, 12:00 AM (Maladie)",
            refused.exception.message,
        )
        self.assertEqual(loan.state, "requested")
