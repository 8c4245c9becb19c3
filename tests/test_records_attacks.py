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

