"""The conventions the town issues: the convention de mise à disposition of an agent loan (décret 2008-580, art. 2),
the objectives convention above the threshold of aid (loi 2000-321, art. 10), and their reminders."""

import base64
import re
import subprocess
import threading
import unittest
import uuid
from functools import partial

from freezegun import freeze_time
from psycopg2 import IntegrityError
from test_rpc import RpcCase, RpcError

import odoo
from conseil_testing import HR_OFFICER, MANAGER, LoanCase
from odoo import SUPERUSER_ID, api
from odoo.addons.conseil_associations.models.conseil_demo import signed_copy
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import retrying
from odoo.tests import get_db_name, new_test_user, tagged
from odoo.tools import mute_logger

AGENT_REPORT = "conseil_associations.action_report_agent_convention"
OBJECTIVES_REPORT = "conseil_associations.action_report_objectives_convention"
SIGNED_PDF = signed_copy()  # a real one-page PDF: a signed copy is read before it is kept


def pdf_text(raw):
    """The text of a PDF, its whitespace collapsed: what a reader finds in it."""
    assert raw.startswith(b"%PDF"), "a real PDF, rendered by wkhtmltopdf"
    output = subprocess.run(
        ["/usr/bin/pdftotext", "-", "-"], input=raw, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    return " ".join(output.split())


class ConventionCase(LoanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"name": "Hautmont-sur-Lys", "city": "Hautmont-sur-Lys"})
        cls.food_bank.write({"rna": "W595012345", "siret": "73282932000074", "city": "Hautmont-sur-Lys"})
        cls.env["res.partner"].create(
            {"name": "Claire Dumont", "parent_id": cls.food_bank.partner_id.id, "conseil_role": "president"}
        )
        cls.agent.job_title = "Agent technique territorial"

    def agent_loan(self, **values):
        """An agent loan whose terms are all known, its convention not issued yet."""
        terms = {
            "convention_ref": False,
            "agent_activities": "Réception des bénéficiaires et tenue du stock, en agent d'exécution",
            "agent_workplace": "Entrepôt, 12 rue des Tanneurs",
            "agent_schedule": "Mardi et jeudi matin",
        }
        return self.make_loan(
            "agent", start="2027-03-01 08:00:00", end="2028-08-31 16:00:00", **{**terms, **values}
        )

    def sign(self, convention):
        convention.with_user(self.manager).write(
            {"signed_copy": base64.b64encode(SIGNED_PDF), "signed_copy_name": "signed.pdf"}
        )
        convention.with_user(self.manager).action_sign()

    def objectives_convention(self, association=None, year=2027, **values):
        return (
            self.env["conseil.objectives.convention"]
            .with_user(self.manager)
            .create(
                {
                    "association_id": (association or self.food_bank).id,
                    "year": year,
                    "date_start": f"{year}-01-01",
                    "date_end": f"{year}-12-31",
                    "object": "L'aide alimentaire aux familles de la commune",
                    **values,
                }
            )
        )


@tagged("post_install", "-at_install")
class TestAgentConvention(ConventionCase):
    def test_the_convention_states_what_the_decree_asks_and_stays_as_issued(self):
        loan = self.agent_loan()
        loan.with_user(self.officer).action_request()
        loan.with_user(self.hr_officer).with_context(force_report_rendering=True).action_issue_convention()
        self.assertRegex(loan.convention_ref, r"^CMAD/\d{4}/\d{4}$")
        act = loan.convention_act_id
        self.assertTrue(act.conseil_act)
        self.assertEqual(act, loan._conseil_act(AGENT_REPORT))
        text = pdf_text(act.raw)
        for mention in (
            loan.convention_ref,
            "Hautmont-sur-Lys",
            "represented by its Mayor",
            "Banque alimentaire",
            "W595012345",
            "73282932000074",
            "Claire Dumont",
            "Marc Agent",
            "Agent technique territorial",
            "Réception des bénéficiaires et tenue du stock",
            "Weekly hours: 10 h",
            "Entrepôt, 12 rue des Tanneurs",
            "Mardi et jeudi matin",
            "1 March 2027",
            "31 August 2028",
            "three years at most",
            "Control and evaluation",
            "The association directs the agent's work",
            "waives the reimbursement",
            "Aide d'intérêt général aux seniors isolés",
            "1 October 2026",  # the agent's consent
            "For the town, the Mayor",
            "For the association, its President",
        ):
            self.assertIn(mention, text)

        # the act does not follow the records any more
        raw = act.raw
        self.food_bank.name = "Banque alimentaire de la Lys"
        self.agent.name = "Marc Autre"
        self.assertEqual(loan._conseil_act(AGENT_REPORT).raw, raw)
        printed, __ = (
            self.env["ir.actions.report"]
            .with_user(self.hr_officer)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(AGENT_REPORT, loan.ids)
        )
        self.assertEqual(printed, raw, "printing an issued convention gives the issued file")

    def test_terms_are_frozen_while_the_convention_stands_and_cancelling_frees_them(self):
        loan = self.agent_loan()
        loan.with_user(self.manager).action_issue_convention()
        first = loan.convention_ref
        act = loan.convention_act_id
        with self.assertRaisesRegex(UserError, "convention .* is issued"):
            loan.with_user(self.officer).write({"weekly_hours": 12})
        with self.assertRaises(UserError):
            loan.with_user(self.officer).write({"convention_ref": "PAPER-1"})
        with self.assertRaises(AccessError):
            loan.with_user(self.hr_officer).action_cancel_convention()

        loan.with_user(self.manager).action_cancel_convention()
        self.assertFalse(loan.convention_ref)
        self.assertFalse(loan.convention_act_id)
        self.assertTrue(act.exists() and act.conseil_act, "the cancelled act stays filed")
        self.assertIn(act, loan.message_ids.attachment_ids)
        self.assertIn("cancelled", loan.message_ids[0].body)
        loan.with_user(self.officer).write({"weekly_hours": 12})

        loan.with_user(self.hr_officer).action_issue_convention()
        self.assertNotEqual(loan.convention_ref, first, "a new convention gets a new number")
        self.assertNotEqual(loan.convention_act_id, act)
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "conseil.loan"), ("res_id", "=", loan.id), ("conseil_act", "=", True)]
            ),
            2,
        )

    def test_who_issues_and_what_it_needs(self):
        loan = self.agent_loan(agent_activities=False)
        for user in (self.officer, self.fleet_manager):
            with self.assertRaises(AccessError):
                loan.with_user(user).action_issue_convention()
        with self.assertRaisesRegex(UserError, "Activities Entrusted"):
            loan.with_user(self.hr_officer).action_issue_convention()
        self.assertFalse(loan.convention_ref, "nothing numbered")
        vehicle = self.make_loan("vehicle")
        with self.assertRaisesRegex(UserError, "lends no agent"):
            vehicle.with_user(self.manager).action_issue_convention()

    def test_approval_asks_for_the_issued_convention(self):
        loan = self.agent_loan()
        loan.with_user(self.officer).action_request()
        with self.assertRaisesRegex(ValidationError, "issue it"):
            loan.with_user(self.hr_officer).action_approve()
        loan.with_user(self.hr_officer).action_issue_convention()
        loan.with_user(self.hr_officer).action_approve()
        self.assertEqual(loan.state, "approved")
        with self.assertRaises(UserError):
            loan.with_user(self.manager).action_cancel_convention()

    def test_a_paper_convention_signed_before_the_addon_is_still_accepted(self):
        loan = self.requested("agent")  # its reference typed by the officer: CONV-2027-01
        loan.with_user(self.hr_officer).action_approve()
        self.assertEqual(loan.convention_ref, "CONV-2027-01")
        self.assertFalse(loan.convention_act_id)

    def test_a_typed_reference_is_never_one_of_the_towns_numbers(self):
        """Typing CMAD/… would print a convention with a number the town never issued for it."""
        loan = self.agent_loan()
        with self.assertRaisesRegex(ValidationError, "looks like a number the town gives"):
            loan.with_user(self.officer).write({"convention_ref": " cmad/2027/0007"})


@tagged("post_install", "-at_install")
class TestObjectivesConvention(ConventionCase):
    def test_the_convention_states_its_object_amount_breakdown_and_obligations(self):
        self.env["conseil.subsidy"].with_user(self.manager).create(
            {"name": "Fonctionnement", "association_id": self.food_bank.id, "year": 2027, "amount": 22000}
        )
        self.van.conseil_daily_rate = 400.0
        loan = self.requested("vehicle", start="2027-03-01 08:00:00", end="2027-03-03 18:00:00")
        loan.with_user(self.fleet_manager).action_approve()  # 1 200 € in kind
        convention = self.objectives_convention()
        self.assertEqual(convention.amount_total, 23200.0)
        convention.with_context(force_report_rendering=True).action_issue()
        self.assertEqual(convention.state, "issued")
        self.assertRegex(convention.name, r"^COBJ/\d{4}/\d{4}$")
        act = convention._conseil_act(OBJECTIVES_REPORT)
        text = pdf_text(act.raw)
        for mention in (
            convention.name,
            "Objectives convention",
            "Banque alimentaire",
            "W595012345",
            "Claire Dumont",
            "L'aide alimentaire aux familles de la commune",
            "23,200.00",
            "Subsidy: Fonctionnement",
            "22,000.00",
            "Aid in kind, valued: Vehicle",
            "1,200.00",
            "Payment terms",
            "bank transfer",
            "Reporting obligations",
            "compte rendu financier",
            "six months",
            "For the town, the Mayor",
        ):
            self.assertIn(mention, text)

        raw = act.raw
        self.env["conseil.subsidy"].with_user(self.manager).create(
            {"name": "Projet", "association_id": self.food_bank.id, "year": 2027, "amount": 5000}
        )
        self.food_bank.name = "Autre nom"
        self.assertEqual(convention._conseil_act(OBJECTIVES_REPORT).raw, raw)
        with self.assertRaises(UserError):
            convention.with_user(self.manager).write({"object": "Autre chose"})

    def test_only_a_signed_convention_of_the_year_clears_the_flag(self):
        association = self.food_bank.with_context(conseil_aid_year=2027)
        flagged = self.env["conseil.association"].with_context(conseil_aid_year=2027)
        convention_type = self.env.ref("conseil_associations.mail_activity_type_convention_required")

        def required_activities():
            return self.food_bank.activity_ids.filtered(lambda a: a.activity_type_id == convention_type)

        self.env["conseil.subsidy"].with_user(self.manager).create(
            {"name": "Fonctionnement", "association_id": self.food_bank.id, "year": 2027, "amount": 24000}
        )
        self.assertTrue(association.needs_convention)
        self.assertTrue(required_activities())

        # a signed convention of another year does not clear it
        self.sign(self.issued(self.objectives_convention(year=2026)))
        association.invalidate_recordset()
        self.assertTrue(association.needs_convention)

        convention = self.issued(self.objectives_convention())
        association.invalidate_recordset()
        self.assertTrue(association.needs_convention, "issued but not signed: still required")
        self.assertIn(self.food_bank, flagged.search([("needs_convention", "=", True)]))

        self.sign(convention)
        self.assertEqual(convention.state, "signed")
        self.assertTrue(convention.signed_attachment_id.conseil_act, "the signed copy is kept")
        self.assertEqual(convention.signed_attachment_id.raw, SIGNED_PDF)
        association.invalidate_recordset()
        self.assertFalse(association.needs_convention)
        self.assertNotIn(self.food_bank, flagged.search([("needs_convention", "=", True)]))
        self.assertIn(self.food_bank, flagged.search([("needs_convention", "=", False)]))
        self.assertFalse(required_activities(), "the activity is done")
        # more aid that year asks nothing more
        self.env["conseil.subsidy"].with_user(self.manager).create(
            {"name": "Projet", "association_id": self.food_bank.id, "year": 2027, "amount": 3000}
        )
        self.assertFalse(required_activities())

        convention.with_user(self.manager).action_cancel()
        association.invalidate_recordset()
        self.assertTrue(association.needs_convention, "a cancelled convention covers nothing")
        self.assertTrue(required_activities())

    def test_a_multi_year_convention_covers_each_of_its_years(self):
        self.env["conseil.subsidy"].with_user(self.manager).create(
            {"name": "Fonctionnement", "association_id": self.food_bank.id, "year": 2028, "amount": 24000}
        )
        convention = self.issued(self.objectives_convention(date_end="2030-12-31"))
        self.sign(convention)
        self.assertFalse(self.food_bank.with_context(conseil_aid_year=2028).needs_convention)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.objectives_convention(association=self.grocery, date_end="2031-01-01")

    def test_the_signed_copy_is_a_document(self):
        convention = self.issued(self.objectives_convention())
        with self.assertRaisesRegex(UserError, "Upload the signed copy"):
            convention.with_user(self.manager).action_sign()
        convention.with_user(self.manager).write(
            {"signed_copy": base64.b64encode(b"MZ not a scan"), "signed_copy_name": "x.exe"}
        )
        with self.assertRaisesRegex(ValidationError, "PDF, JPEG or PNG"):
            convention.with_user(self.manager).action_sign()
        convention.with_user(self.manager).write(
            {
                "signed_copy": base64.b64encode(b"%PDF-1.4\n<script>alert(1)</script>"),
                "signed_copy_name": "x.pdf",
            }
        )
        with self.assertRaisesRegex(ValidationError, "PDF, JPEG or PNG"):
            convention.with_user(self.manager).action_sign()  # only the first bytes of a PDF
        self.assertEqual(convention.state, "issued")

    def test_issued_from_the_association_for_the_year_that_crosses(self):
        self.env["conseil.subsidy"].with_user(self.manager).create(
            {"name": "Fonctionnement", "association_id": self.food_bank.id, "year": 2027, "amount": 24000}
        )
        with self.assertRaises(AccessError):
            self.food_bank.with_user(self.officer).with_context(
                conseil_aid_year=2027
            ).action_issue_objectives_convention()
        association = self.food_bank.with_user(self.manager).with_context(conseil_aid_year=2027)
        action = association.action_issue_objectives_convention()
        convention = self.env["conseil.objectives.convention"].browse(action["res_id"])
        self.assertEqual((convention.year, convention.state), (2027, "issued"))
        self.assertEqual(association.action_issue_objectives_convention()["res_id"], convention.id, "once")

    def issued(self, convention):
        convention.with_user(self.manager).action_issue()
        return convention


@tagged("post_install", "-at_install")
class TestReminders(ConventionCase):
    def test_hr_hears_three_months_before_an_agent_loan_ends_once(self):
        loan = self.requested("agent", start="2027-03-01 08:00:00", end="2027-12-15 16:00:00")
        loan.with_user(self.hr_officer).action_approve()
        end_type = self.env.ref("conseil_associations.mail_activity_type_agent_loan_end")
        Loan = self.env["conseil.loan"]

        def reminders():
            return loan.activity_ids.filtered(lambda a: a.activity_type_id == end_type)

        with freeze_time("2027-09-14 10:00:00"):
            Loan._cron_remind_agent_loan_ends()
        self.assertFalse(reminders())
        with freeze_time("2027-09-15 10:00:00"):
            Loan._cron_remind_agent_loan_ends()
            Loan._cron_remind_agent_loan_ends()
        self.assertIn(self.hr_officer, reminders().user_id)
        self.assertNotIn(self.officer, reminders().user_id)
        self.assertEqual(len(reminders()), len(reminders().user_id), "one each")
        self.assertIn("new convention", reminders()[0].note)
        reminders().action_feedback()
        with freeze_time("2027-09-16 10:00:00"):
            Loan._cron_remind_agent_loan_ends()
        self.assertFalse(reminders(), "never twice, even once done")

        # extended to a later end (reset, changed, approved again): reminded of its new end
        loan.with_user(self.hr_officer).action_reset_to_requested()
        loan.with_user(self.officer).write({"date_end": "2028-01-31 16:00:00"})
        loan.with_user(self.hr_officer).action_approve()
        with freeze_time("2027-10-30 10:00:00"):
            Loan._cron_remind_agent_loan_ends()
        self.assertFalse(reminders())
        with freeze_time("2027-10-31 10:00:00"):
            Loan._cron_remind_agent_loan_ends()
        self.assertIn(self.hr_officer, reminders().user_id)

    def test_managers_hear_before_an_objectives_convention_expires_once(self):
        self.company.conseil_objectives_expiry_days = 60
        convention = self.objectives_convention()
        convention.with_user(self.manager).action_issue()
        self.sign(convention)
        expiry_type = self.env.ref("conseil_associations.mail_activity_type_objectives_convention_expiry")
        Convention = self.env["conseil.objectives.convention"]

        def reminders():
            return convention.activity_ids.filtered(lambda a: a.activity_type_id == expiry_type)

        with freeze_time("2027-10-31 10:00:00"):
            Convention._cron_remind_expiry()
        self.assertFalse(reminders())
        with freeze_time("2027-11-01 10:00:00"):
            Convention._cron_remind_expiry()
            Convention._cron_remind_expiry()
        self.assertIn(self.manager, reminders().user_id)
        self.assertNotIn(self.hr_officer, reminders().user_id)
        self.assertEqual(len(reminders()), len(reminders().user_id), "one each")


@tagged("post_install", "-at_install")
class TestConventionDoors(RpcCase, ConventionCase):
    """What each role may do with the conventions through JSON-RPC, as the web client calls."""

    def login(self, user):
        self.authenticate(user.login, user.login)

    def test_the_convention_of_a_loan_on_every_door(self):
        loan = self.agent_loan()
        self.login(self.officer)
        for forged in ({"convention_issued_on": "2027-01-01 00:00:00"}, {"convention_act_id": 1}):
            with self.assertRaisesRegex(RpcError, "AccessError"):
                self.call_kw("conseil.loan", "write", [[loan.id], forged])
        for user in (self.officer, self.fleet_manager):
            self.login(user)
            with self.assertRaisesRegex(RpcError, "AccessError"):
                self.call_button("conseil.loan", "action_issue_convention", loan.id)
        self.assertFalse(loan.convention_ref)

        self.login(self.hr_officer)
        self.call_button("conseil.loan", "action_issue_convention", loan.id)
        loan.invalidate_recordset()
        number = loan.convention_ref
        self.assertTrue(number)
        for user in (self.officer, self.hr_officer, self.manager):
            self.login(user)
            with self.assertRaises(RpcError):
                self.call_kw("conseil.loan", "write", [[loan.id], {"convention_ref": "FORGED"}])
        self.login(self.hr_officer)
        with self.assertRaisesRegex(RpcError, "AccessError"):
            self.call_button("conseil.loan", "action_cancel_convention", loan.id)
        self.login(self.manager)
        self.call_button("conseil.loan", "action_cancel_convention", loan.id)
        loan.invalidate_recordset()
        self.assertFalse(loan.convention_ref)

    def test_the_objectives_convention_on_every_door(self):
        values = {
            "association_id": self.food_bank.id,
            "year": 2027,
            "date_start": "2027-01-01",
            "date_end": "2027-12-31",
            "object": "Aide alimentaire",
        }
        self.login(self.officer)
        with self.assertRaisesRegex(RpcError, "AccessError"):
            self.call_kw("conseil.objectives.convention", "create", [values])
        self.login(self.manager)
        for forged in ({"state": "signed"}, {"name": "COBJ/2027/9999"}, {"signed_on": "2027-05-01"}):
            with self.assertRaisesRegex(RpcError, "AccessError"):
                self.call_kw("conseil.objectives.convention", "create", [{**values, **forged}])
        convention_id = self.call_kw("conseil.objectives.convention", "create", [values])
        for forged in ({"state": "signed"}, {"signed_attachment_id": 1}, {"expiry_reminded": True}):
            with self.assertRaisesRegex(RpcError, "AccessError"):
                self.call_kw("conseil.objectives.convention", "write", [[convention_id], forged])
        for user in (self.officer, self.hr_officer):
            self.login(user)
            with self.assertRaisesRegex(RpcError, "AccessError"):
                self.call_button("conseil.objectives.convention", "action_issue", convention_id)
        self.login(self.manager)
        self.call_button("conseil.objectives.convention", "action_issue", convention_id)
        self.call_kw(
            "conseil.objectives.convention",
            "write",
            [
                [convention_id],
                {"signed_copy": base64.b64encode(SIGNED_PDF).decode(), "signed_copy_name": "s.pdf"},
            ],
        )
        self.login(self.officer)
        with self.assertRaisesRegex(RpcError, "AccessError"):
            self.call_button("conseil.objectives.convention", "action_sign", convention_id)
        self.login(self.manager)
        self.call_button("conseil.objectives.convention", "action_sign", convention_id)
        convention = self.env["conseil.objectives.convention"].browse(convention_id)
        self.assertEqual(convention.state, "signed")
        with self.assertRaisesRegex(RpcError, "UserError"):
            self.call_kw(
                "conseil.objectives.convention", "write", [[convention_id], {"object": "Autre chose"}]
            )
        with self.assertRaises(RpcError):
            self.call_kw("ir.attachment", "unlink", [convention.signed_attachment_id.ids])


@tagged("post_install", "-at_install")
class TestConcurrentIssues(unittest.TestCase):
    """Two HR officers issue the same convention at the same second, in two real transactions."""

    @classmethod
    def setUpClass(cls):
        cls.registry = odoo.modules.registry.Registry(get_db_name())
        suffix = uuid.uuid4().hex[:8]
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            cls.hr_ids = [
                new_test_user(env, login=f"issue_hr_{n}_{suffix}", groups=f"base.group_user,{HR_OFFICER}").id
                for n in (1, 2)
            ]
            cls.manager_id = new_test_user(env, login=f"issue_manager_{suffix}", groups=MANAGER).id
            cls.association_id = env["conseil.association"].create({"name": f"Course {suffix}"}).id
            employee = env["hr.employee"].create({"name": f"Agent {suffix}", "conseil_is_titulaire": True})
            cls.employee_id = employee.id
            cls.loan_id = (
                env["conseil.loan"]
                .create(
                    {
                        "loan_type": "agent",
                        "association_id": cls.association_id,
                        "purpose": "Course",
                        "employee_id": employee.id,
                        "date_start": "2027-05-03 08:00:00",
                        "date_end": "2027-09-05 18:00:00",
                        "weekly_hours": 4,
                        "agent_activities": "Accueil",
                        "agent_workplace": "Local",
                        "agent_schedule": "Lundi",
                        "agent_consent_date": "2026-10-01",
                        "reimbursement": "reimbursed",
                    }
                )
                .id
            )
            cr.commit()

    @classmethod
    def tearDownClass(cls):
        with cls.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM ir_attachment WHERE res_model = 'conseil.loan' AND res_id = %s", (cls.loan_id,)
            )
            cr.execute("DELETE FROM conseil_loan WHERE id = %s", (cls.loan_id,))
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["conseil.association"].browse(cls.association_id).unlink()
            env["hr.employee"].browse(cls.employee_id).unlink()
            env["res.users"].browse([*cls.hr_ids, cls.manager_id]).action_archive()
            cr.commit()

    def test_two_issues_at_once_give_one_number_and_one_act(self):
        barrier = threading.Barrier(2)
        outcomes = {}

        def issue(uid):
            with self.registry.cursor() as cr:
                env = api.Environment(cr, uid, {})
                loan = env["conseil.loan"].browse(self.loan_id)
                loan.state  # noqa: B018 - start the transaction (and its snapshot) before the barrier
                barrier.wait(timeout=30)
                try:
                    retrying(partial(loan.action_issue_convention), env)
                    outcomes[uid] = loan.convention_ref
                except Exception as error:
                    outcomes[uid] = error

        threads = [threading.Thread(target=issue, args=(uid,)) for uid in self.hr_ids]
        with mute_logger("odoo.sql_db", "odoo.service.model"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        with self.registry.cursor() as cr:
            cr.execute("SELECT convention_ref FROM conseil_loan WHERE id = %s", (self.loan_id,))
            (number,) = cr.fetchone()
            cr.execute(
                "SELECT count(*) FROM ir_attachment WHERE res_model = 'conseil.loan' AND res_id = %s AND conseil_act",
                (self.loan_id,),
            )
            (acts,) = cr.fetchone()
        self.assertTrue(number and re.match(r"^CMAD/\d{4}/\d{4}$", number), outcomes)
        self.assertEqual(set(outcomes.values()), {number}, f"both users see the one number: {outcomes}")
        self.assertEqual(acts, 1, "one act")
