"""Engineering help (an agent loan of a number of hours from a department) and networking (an introduction to
a structuring actor), from the approved need to the association's history and the council agenda."""

from datetime import datetime, timedelta

from test_need import NeedCase
from test_rpc import RpcCase, RpcError

from conseil_testing import FLEET_MANAGER, HR_OFFICER
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

ACTOR_TAG = "conseil_associations.partner_category_structuring_actor"


class AnswersCase(NeedCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technical = cls.env["hr.department"].create({"name": "Services techniques"})
        cls.agent.department_id = cls.technical
        cls.agent.hourly_cost = 30
        cls.ccas = cls.env["res.partner"].create(
            {"name": "CCAS d'Halluin", "is_company": True, "category_id": [(4, cls.env.ref(ACTOR_TAG).id)]}
        )

    def approved_need(self, **values):
        need = self.make_need(**values)
        need.with_user(self.officer).action_submit()
        self.make_review()._gather_needs(need)
        self.decide(need)
        self.assertEqual(need.state, "approved")
        return need

    def council(self, start=datetime(2027, 2, 24, 17, 0)):
        return self.Meeting.with_user(self.officer).create(
            {
                "name": "Conseil",
                "meeting_type": "council",
                "date_start": start,
                "date_end": start + timedelta(hours=2),
            }
        )


@tagged("post_install", "-at_install")
class TestEngineeringHelp(AnswersCase):
    def engineering_need(self, **values):
        return self.approved_need(
            **{
                "name": "Plans du futur local",
                "need_type": "engineering",
                "quantity": 20,
                "unit": "hours",
                "date_from": datetime(2027, 3, 1).date(),
                "date_to": datetime(2027, 3, 26).date(),
                "department_id": self.technical.id,
                **values,
            }
        )

    def test_approved_engineering_need_makes_an_agent_loan_of_its_hours(self):
        need = self.engineering_need()
        need.with_user(self.officer).action_create_loans()
        loan = need.loan_ids
        self.assertEqual(
            (loan.loan_type, loan.department_id, loan.total_hours), ("agent", self.technical, 20)
        )
        self.assertEqual(loan.weekly_hours, 5.51, "20 hours over its 3.6 weeks, rounded up")
        self.assertFalse(loan.employee_id, "The officer chooses the agent of the department")
        self.assertEqual(loan.value, 20 * self.company.conseil_default_hourly_cost)
        loan.with_user(self.officer).employee_id = self.agent
        self.assertEqual((loan.valuation_quantity, loan.value), (20, 600), "20 h × the agent's 30 € an hour")
        self.assertEqual(loan.value_by_year, {"2027": {"quantity": 20.0, "value": 600.0}})
        librarian = self.env["hr.employee"].create(
            {
                "name": "Anne Bibliothèque",
                "resource_calendar_id": self.calendar_35h.id,
                "conseil_is_titulaire": True,
            }
        )
        with self.assertRaisesRegex(
            ValidationError, "Anne Bibliothèque is not a member of Services techniques"
        ):
            loan.with_user(self.officer).employee_id = librarian
        loan.with_user(self.officer).write(
            {"agent_consent_date": "2026-10-01", "convention_ref": "CONV-ING", "council_informed_date": "2026-10-15",
             "reimbursement": "waived", "waiver_reason": "Intérêt général"}
        )  # fmt: skip
        loan.with_user(self.officer).action_request()
        loan.with_user(self.hr_officer).action_approve()
        self.assertEqual(loan.state, "approved")
        self.assertIn(loan, self.food_bank.loan_ids, "In the association's history")
        items = self.env["conseil.loan"]._conseil_agenda_items(self.council())
        self.assertIn(
            "Engineering help from Services techniques starts on",
            {i["res_id"]: i for i in items}[loan.id]["name"],
        )

    def test_engineering_needs_a_department_and_hours(self):
        need = self.engineering_need(department_id=False)
        with self.assertRaisesRegex(UserError, "Choose the department"):
            need.with_user(self.officer).action_create_loans()
        need = self.engineering_need(unit="units")
        with self.assertRaisesRegex(UserError, "how many hours or days"):
            need.with_user(self.officer).action_create_loans()

    def test_days_of_help_are_seven_hours(self):
        need = self.engineering_need(quantity=3, unit="days")
        need.with_user(self.officer).action_create_loans()
        self.assertEqual(need.loan_ids.total_hours, 21)

    def test_hours_in_all_belong_to_an_agent_loan(self):
        with self.assertRaisesRegex(ValidationError, "lends no agent"):
            self.make_loan("vehicle", total_hours=4)


@tagged("post_install", "-at_install")
class TestNetworking(AnswersCase):
    def networking_need(self, **values):
        return self.approved_need(
            **{
                "name": "Rencontrer le CCAS pour le plan grand froid",
                "need_type": "networking",
                "actor_id": self.ccas.id,
                **values,
            }
        )

    def test_introduction_from_need_to_outcome(self):
        need = self.networking_need()
        action = need.with_user(self.officer).action_create_introduction()
        introduction = need.introduction_ids
        self.assertEqual(action["res_id"], introduction.id)
        self.assertEqual(
            (introduction.association_id, introduction.actor_id, introduction.state),
            (self.food_bank, self.ccas, "planned"),
        )
        self.assertEqual(introduction.date, need.date_from, "On the wanted day")
        self.assertEqual(
            introduction.activity_ids.user_id, self.officer, "The referent officer follows it up"
        )
        self.assertEqual(self.food_bank.introduction_count, 1)
        with self.assertRaisesRegex(UserError, "already created"):
            need.with_user(self.officer).action_create_introduction()
        with self.assertRaisesRegex(UserError, "Write what came of"):
            introduction.with_user(self.officer).action_done()
        introduction.with_user(self.officer).outcome = "Le CCAS oriente ses bénéficiaires vers la banque."
        introduction.with_user(self.officer).action_done()
        self.assertEqual(introduction.state, "done")
        self.assertEqual(need.networking_outcome, "Le CCAS oriente ses bénéficiaires vers la banque.")
        self.assertFalse(introduction.activity_ids, "The follow-up is done")
        with self.assertRaisesRegex(UserError, "can no longer change"):
            introduction.with_user(self.officer).outcome = "Autre chose"
        with self.assertRaisesRegex(UserError, "stays in the association's history"):
            introduction.with_user(self.manager).unlink()

    def test_on_the_council_agenda(self):
        need = self.networking_need()
        need.with_user(self.officer).action_create_introduction()
        introduction = need.introduction_ids
        council = self.council()
        items = self.env["conseil.introduction"]._conseil_agenda_items(council)
        self.assertEqual([item["res_id"] for item in items], introduction.ids)
        self.assertIn("Introduction on", items[0]["name"])

    def test_only_a_structuring_actor(self):
        need = self.networking_need()
        need.with_user(self.officer).action_create_introduction()
        stranger = self.env["res.partner"].create({"name": "Boulangerie Martin"})
        with self.assertRaisesRegex(ValidationError, "not tagged as a structuring actor"):
            need.introduction_ids.with_user(self.officer).actor_id = stranger

    def test_needs_an_actor_and_an_approved_networking_need(self):
        need = self.networking_need(actor_id=False)
        with self.assertRaisesRegex(UserError, "Choose the actor"):
            need.with_user(self.officer).action_create_introduction()
        other = self.approved_need(need_type="room", name="Salle")
        with self.assertRaisesRegex(UserError, "approved networking need"):
            other.with_user(self.officer).action_create_introduction()

    def test_users_never_create_an_introduction_directly(self):
        need = self.networking_need()
        with self.assertRaises(AccessError):
            self.env["conseil.introduction"].with_user(self.officer).create(
                {"need_id": need.id, "association_id": self.food_bank.id, "actor_id": self.ccas.id}
            )


@tagged("post_install", "-at_install")
class TestAnswersThroughRpc(RpcCase):
    """Every new server field, attacked through JSON-RPC as each role: nothing is written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        roles = {
            "manager": "conseil_associations.group_conseil_manager",
            "hr": f"base.group_user,{HR_OFFICER}",
            "fleet": f"base.group_user,{FLEET_MANAGER}",
        }
        for role, groups in roles.items():
            new_test_user(cls.env, login=f"rpc_{role}", password=f"rpc_{role}_pwd", groups=groups)
        cls.association = cls.env["conseil.association"].create({"name": "Club RPC"})
        cls.actor = cls.env["res.partner"].create(
            {"name": "CAF du Nord", "category_id": [(4, cls.env.ref(ACTOR_TAG).id)]}
        )
        cls.need = cls.env["conseil.need"].create(
            {"name": "Réseau", "association_id": cls.association.id, "need_type": "networking"}
        )
        cls.other_need = cls.env["conseil.need"].create(
            {"name": "Autre", "association_id": cls.association.id, "need_type": "networking"}
        )
        cls.introduction = cls.env["conseil.introduction"].create(
            {"need_id": cls.need.id, "association_id": cls.association.id, "actor_id": cls.actor.id}
        )

    def attack(self, login, model, record, values):
        self.authenticate(login, f"{login}_pwd")
        with self.assertRaises(RpcError) as refused:
            self.call_kw(model, "write", [record.ids, values], {"context": {"install_mode": True}})
        self.assertIn(refused.exception.name, {"odoo.exceptions.AccessError", "odoo.exceptions.UserError"})

    def test_server_fields_refused_to_every_role(self):
        forged = {
            "state": "done",
            "need_id": self.other_need.id,
            "association_id": self.env["conseil.association"].create({"name": "Autre club"}).id,
            "done_on": "2027-01-01",
        }
        for login in ("rpc_officer", "rpc_manager", "rpc_hr", "rpc_fleet"):
            for name, value in forged.items():
                self.attack(login, "conseil.introduction", self.introduction, {name: value})
            self.attack(login, "conseil.need", self.need, {"networking_outcome": "Forgé"})
            self.attack(
                login,
                "conseil.need",
                self.other_need,
                {
                    "introduction_ids": [
                        [0, 0, {"association_id": self.association.id, "actor_id": self.actor.id}]
                    ]
                },
            )
        self.introduction.invalidate_recordset()
        self.need.invalidate_recordset()
        self.assertEqual(
            (self.introduction.state, self.introduction.need_id, self.introduction.done_on),
            ("planned", self.need, False),
        )
        self.assertFalse(self.need.networking_outcome)
        self.assertFalse(self.other_need.introduction_ids)

    def test_no_introduction_created_through_rpc(self):
        self.authenticate("rpc_officer", "rpc_officer_pwd")
        with self.assertRaises(RpcError) as refused:
            self.call_kw(
                "conseil.introduction",
                "create",
                [{"need_id": self.need.id, "association_id": self.association.id, "actor_id": self.actor.id}],
            )
        self.assertEqual(refused.exception.name, "odoo.exceptions.AccessError")
        self.assertEqual(self.env["conseil.introduction"].search_count([("need_id", "=", self.need.id)]), 1)
