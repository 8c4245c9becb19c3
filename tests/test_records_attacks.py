"""What two outside attacks found in the town's records and the series dialog: each attack, refused or harmless."""

from freezegun import freeze_time
from test_availability_records import RecordsCase
from test_engineering_networking import AnswersCase
from test_rpc import RpcCase, RpcError
from test_series import SeriesCase

from conseil_testing import FLEET_MANAGER, HR_OFFICER
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAgentLeavesThroughRpc(RpcCase):
    """Only HR, or the agent themself, change an agent's time off: an officer shortening a sick leave would have
    a loan approved over the real absence."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(cls.env, login="rpc_hr", password="rpc_hr_pwd", groups=f"base.group_user,{HR_OFFICER}")
        new_test_user(
            cls.env, login="rpc_fleet", password="rpc_fleet_pwd", groups=f"base.group_user,{FLEET_MANAGER}"
        )
        cls.lent_self = new_test_user(
            cls.env, login="rpc_agent", password="rpc_agent_pwd", groups="base.group_user"
        )
        cls.agent = cls.env["hr.employee"].create({"name": "Paul Malade"})
        cls.own = cls.env["hr.employee"].create({"name": "Agent Lui-même", "user_id": cls.lent_self.id})
        cls.Leave = cls.env["resource.calendar.leaves"]
        cls.sick = cls.Leave.create(
            {"name": "Maladie", "resource_id": cls.agent.resource_id.id,
             "date_from": "2027-03-01 00:00:00", "date_to": "2027-03-20 00:00:00"}
        )  # fmt: skip
        cls.holiday = cls.Leave.create(
            {"name": "Fête communale", "calendar_id": cls.env.company.resource_calendar_id.id,
             "date_from": "2027-04-05 22:00:00", "date_to": "2027-04-06 21:59:59"}
        )  # fmt: skip

    def leave_values(self, employee, date_from="2027-05-03 07:00:00", date_to="2027-05-03 16:00:00"):
        return {
            "name": "Congé",
            "resource_id": employee.resource_id.id,
            "date_from": date_from,
            "date_to": date_to,
        }

    def refused(self, login, method, args):
        self.authenticate(login, f"{login}_pwd")
        with self.assertRaises(RpcError) as refusal:
            self.call_kw("resource.calendar.leaves", method, args)
        return refusal.exception

    def test_officer_and_fleet_manager_change_no_agent_leave(self):
        for login in ("rpc_officer", "rpc_fleet", "rpc_internal"):
            error = self.refused(login, "write", [self.sick.ids, {"date_to": "2027-03-02 00:00:00"}])
            self.assertEqual(error.name, "odoo.exceptions.AccessError")
            error = self.refused(login, "create", [self.leave_values(self.agent)])
            self.assertEqual(error.name, "odoo.exceptions.AccessError")
            error = self.refused(login, "unlink", [self.sick.ids])
            self.assertEqual(error.name, "odoo.exceptions.AccessError")
            error = self.refused(login, "write", [self.holiday.ids, {"name": "Forgé"}])
            self.assertEqual(error.name, "odoo.exceptions.AccessError", "Public holidays keep Odoo's rule")
        self.sick.invalidate_recordset()
        self.assertEqual(str(self.sick.date_to), "2027-03-20 00:00:00")
        self.assertEqual(self.Leave.search_count([("resource_id", "=", self.agent.resource_id.id)]), 1)
        self.authenticate("rpc_officer", "rpc_officer_pwd")
        found = self.call_kw(
            "resource.calendar.leaves", "search_read", [[("id", "=", self.sick.id)], ["name"]]
        )
        self.assertEqual(len(found), 1, "Reading stays open, as Odoo gives it")

    def test_hr_and_the_agent_themself_change_leaves(self):
        self.authenticate("rpc_hr", "rpc_hr_pwd")
        self.call_kw("resource.calendar.leaves", "write", [self.sick.ids, {"date_to": "2027-03-10 00:00:00"}])
        self.assertTrue(self.call_kw("resource.calendar.leaves", "create", [self.leave_values(self.agent)]))
        self.authenticate("rpc_agent", "rpc_agent_pwd")
        self.assertTrue(self.call_kw("resource.calendar.leaves", "create", [self.leave_values(self.own)]))
        self.sick.invalidate_recordset()
        self.assertEqual(str(self.sick.date_to), "2027-03-10 00:00:00")

    def test_absurd_dates_refused_with_a_message(self):
        for date_from, date_to in (
            ("0001-01-01 00:00:00", "9999-12-31 00:00:00"),
            ("2027-03-01 00:00:00", "2300-01-01 00:00:00"),
        ):
            error = self.refused("rpc_hr", "create", [self.leave_values(self.agent, date_from, date_to)])
            self.assertEqual(error.name, "odoo.exceptions.ValidationError")
            self.assertIn("between 1900 and 2200", error.message)
        error = self.refused(
            "rpc_hr", "create", [self.leave_values(self.agent, "2027-03-02 00:00:00", "2027-03-01 00:00:00")]
        )
        self.assertEqual(error.name, "odoo.exceptions.ValidationError")
        self.assertIn("earlier than the end date", error.message)


@tagged("post_install", "-at_install")
class TestSeriesAndTheTownsRecords(SeriesCase):
    def test_agent_series_skips_the_agents_own_leave_without_telling_why(self):
        self.env["resource.calendar.leaves"].create(
            {"name": "Maladie", "resource_id": self.agent.resource_id.id,
             "date_from": "2027-03-10 00:00:00", "date_to": "2027-03-11 00:00:00"}
        )  # fmt: skip
        series = self.requested_series(**self.AGENT_SERIES)
        self.assertEqual(len(series.loan_ids), 4)
        self.assertEqual(series.skipped_days, [{"date": "2027-03-10", "reason": "The agent is absent"}])
        self.decide(series, self.hr_officer).action_approve_free()
        self.assertEqual(series.approved_count, 4)

    def test_a_leave_after_the_request_is_a_conflict_and_the_others_are_approved(self):
        series = self.requested_series(**self.AGENT_SERIES)
        self.env["resource.calendar.leaves"].create(
            {"name": "Maladie", "resource_id": self.agent.resource_id.id,
             "date_from": "2027-03-17 00:00:00", "date_to": "2027-03-18 00:00:00"}
        )  # fmt: skip
        wizard = self.decide(series, self.hr_officer)
        line = wizard.line_ids.filtered("conflict")
        self.assertEqual(line.loan_id.date_start.day, 17)
        self.assertIn("Marc Agent is absent", line.conflict)
        wizard.action_approve_free()
        self.assertEqual(series.approved_count, 4)
        self.assertEqual(line.loan_id.state, "refused")
        self.assertNotIn(
            "Maladie", line.loan_id.refusal_reason, "The agent's time off is not the association's"
        )
        self.assertIn("is not available on", line.loan_id.refusal_reason)

    def test_vehicle_at_the_garage_one_saturday(self):
        series = self.requested_series(
            loan_type="vehicle",
            room_id=False,
            vehicle_id=self.van.id,
            tuesday=False,
            saturday=True,
            hour_from=9.0,
            hour_to=17.0,
            date_to="2027-03-31",
        )
        repair = self.env["fleet.service.type"].create({"name": "Réparation", "category": "service"})
        self.env["fleet.vehicle.log.services"].create(
            {"vehicle_id": self.van.id, "service_type_id": repair.id, "date": "2027-03-13", "state": "new"}
        )
        wizard = self.decide(series, self.fleet_manager)
        self.assertEqual(wizard.conflict_count, 1)
        self.assertIn("at the garage", wizard.line_ids.filtered("conflict").conflict)
        wizard.action_approve_free()
        self.assertEqual(series.approved_count, 3)


@tagged("post_install", "-at_install")
class TestHoursAndHandOver(RecordsCase):
    def test_hours_in_all_held_by_the_period(self):
        with self.assertRaisesRegex(ValidationError, r"at 1 h a week its period allows at most 1 h"):
            self.make_loan(
                "agent",
                start="2027-03-01 08:00:00",
                end="2027-03-01 16:00:00",
                weekly_hours=1,
                total_hours=10_000,
            )
        loan = self.make_loan("agent", end="2027-03-29 08:00:00", weekly_hours=5, total_hours=20)
        with self.assertRaisesRegex(ValidationError, "allows at most 20 h"):
            loan.with_user(self.officer).total_hours = 21
        with self.assertRaisesRegex(ValidationError, "allows at most"):
            loan.with_user(self.officer).weekly_hours = 1

    def test_hand_over_rechecks_the_fleet(self):
        loan = self.requested()
        loan.with_user(self.fleet_manager).action_approve()
        self.env["fleet.vehicle.log.services"].create(
            {"vehicle_id": self.van.id, "service_type_id": self.repair.id, "description": "Embrayage",
             "date": "2027-02-28", "state": "running"}
        )  # fmt: skip
        with freeze_time("2027-03-01 07:30:00"), self.assertRaisesRegex(UserError, "is at the garage"):
            loan.with_user(self.officer).action_start()
        self.assertEqual(loan.state, "approved")

    def test_returned_without_hand_over_checks_the_licence(self):
        brand = self.env["fleet.vehicle.model.brand"].create({"name": "Peugeot"})
        model = self.env["fleet.vehicle.model"].create({"name": "Boxer 12 places", "brand_id": brand.id})
        bus = self.env["fleet.vehicle"].create(
            {"model_id": model.id, "license_plate": "MB-012-CD", "seats": 12}
        )
        loan = self.requested(vehicle_id=bus.id, driver_licence="B")
        loan.with_user(self.fleet_manager).action_approve()
        with freeze_time("2027-03-04 09:00:00"), self.assertRaisesRegex(UserError, "has 12 seats"):
            loan.with_user(self.officer).action_return()
        self.assertEqual(loan.state, "approved")

    def test_contracts_all_cancelled_leave_the_vehicle_uninsured(self):
        loan = self.requested()
        contract = self.env["fleet.vehicle.log.contract"].create(
            {"vehicle_id": self.van.id, "cost_subtype_id": self.insurance.id, "start_date": "2026-01-01",
             "expiration_date": "2028-01-01"}
        )  # fmt: skip
        self.assertIn(self.van.id, self.free_vehicles())
        contract.state = "closed"
        self.assertNotIn(self.van.id, self.free_vehicles())
        with self.assertRaisesRegex(ValidationError, "no insurance or contract valid"):
            loan.with_user(self.fleet_manager).action_approve()

    def test_vehicle_states_setting_refuses_what_is_not_a_state(self):
        with self.assertRaises(ValidationError):
            self.company.write({"conseil_unavailable_vehicle_state_ids": [(6, 0, ["x"])]})


@tagged("post_install", "-at_install")
class TestNeedAndIntroductionChecks(AnswersCase):
    def test_the_need_refuses_what_its_answer_would(self):
        stranger = self.env["res.partner"].create({"name": "Boulangerie Martin"})
        with self.assertRaisesRegex(
            ValidationError, "Boulangerie Martin is not tagged as a structuring actor"
        ):
            self.make_need(need_type="networking", actor_id=stranger.id)
        with self.assertRaisesRegex(ValidationError, "is not an engineering help: no department"):
            self.make_need(need_type="networking", department_id=self.technical.id)
        with self.assertRaisesRegex(ValidationError, "is not a networking need"):
            self.make_need(need_type="vehicle", actor_id=self.ccas.id)
        with self.assertRaisesRegex(ValidationError, "asks for 7,000,000 h of engineering help"):
            self.make_need(
                need_type="engineering", quantity=1_000_000, unit="days", department_id=self.technical.id
            )
        with self.assertRaisesRegex(ValidationError, "168 h a week"):
            self.make_need(
                need_type="engineering", quantity=400, unit="hours", department_id=self.technical.id
            )
        need = self.make_need(
            need_type="engineering", quantity=20, unit="hours", department_id=self.technical.id
        )
        self.assertEqual(need.department_id, self.technical)

    def test_an_introduction_is_followed_by_an_officer(self):
        need = self.approved_need(name="Rencontrer le CCAS", need_type="networking", actor_id=self.ccas.id)
        need.with_user(self.officer).action_create_introduction()
        introduction = need.introduction_ids
        portal = new_test_user(self.env, login="conseil_portal_follower", groups="base.group_portal")
        for user in (portal, self.internal_user, self.fleet_manager):
            with self.assertRaisesRegex(ValidationError, "choose an officer of associative life"):
                introduction.with_user(self.officer).user_id = user
        introduction.with_user(self.officer).user_id = self.manager
        self.assertEqual(introduction.user_id, self.manager)
