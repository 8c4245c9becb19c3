"""The yearly acts of aid (issue 17): the annex of aid to third parties, the report of agent loans.

Real PDFs read back with pdftotext, the spreadsheet read back with openpyxl: the same lines, the same totals.
"""

import base64
import io

import openpyxl
from test_acts_council import pdf_text
from test_aid import AidCase
from test_rpc import RpcCase, RpcError

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import format_amount

ANNEX = "conseil_associations.action_report_aid_annex"
AGENTS = "conseil_associations.action_report_agent_loans"


def spaced(text):
    """French and English amounts are spaced with no-break spaces: read them as spaces."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


class AnnexCase(AidCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent.job_title = "Animateur sportif"
        cls.room.write({"hourly_rate": 30.0})

    def setUp(self):
        super().setUp()
        self.subsidy = self.env["conseil.subsidy"].create(
            {"name": "Fonctionnement 2027", "association_id": self.food_bank.id, "year": 2027, "amount": 1500}
        )
        self.agent_loan = self.approved("agent", start="2027-03-01 08:00:00", end="2027-03-29 08:00:00")
        self.room_loan = self.approved("room", start="2027-03-01 12:00:00", end="2027-03-01 16:00:00")
        self.van_loan = self.approved("vehicle", association_id=self.grocery.id)

    def render(self, xmlid, wizard):
        report = self.env.ref(xmlid).with_user(wizard.create_uid)
        return report.with_context(force_report_rendering=True)._render_qweb_pdf(report.id, wizard.ids)[0]

    def money(self, amount):
        return spaced(format_amount(self.env, amount, self.company.currency_id))


@tagged("post_install", "-at_install")
class TestAidAnnex(AnnexCase):
    def annex_wizard(self, **values):
        return self.env["conseil.aid.annex.wizard"].with_user(self.officer).create({"year": 2027, **values})

    def test_each_beneficiary_with_its_subsidies_and_its_aid_in_kind_valued(self):
        wizard = self.annex_wizard()
        annex = wizard._annex()
        food_bank, grocery = annex["lines"]
        self.assertEqual(food_bank["association"], self.food_bank)
        self.assertEqual(
            (food_bank["cash"], food_bank["agent"], food_bank["room"], food_bank["vehicle"]),
            (1500.0, self.agent_loan.value, self.room_loan.value, 0.0),
        )
        self.assertEqual(food_bank["subsidies"], [{"object": "Fonctionnement 2027", "amount": 1500.0}])
        self.assertEqual((grocery["association"], grocery["vehicle"]), (self.grocery, self.van_loan.value))
        in_kind = self.agent_loan.value + self.room_loan.value + self.van_loan.value
        self.assertEqual((annex["totals"]["in_kind"], annex["totals"]["total"]), (in_kind, in_kind + 1500.0))

        text = spaced(pdf_text(self.render(ANNEX, wizard)))
        for expected in ("Banque alimentaire", "Épicerie solidaire", "Fonctionnement 2027", "L2313-1",
                         self.money(1500), self.money(self.agent_loan.value), self.money(self.room_loan.value),
                         self.money(self.van_loan.value), self.money(food_bank["total"]),
                         self.money(in_kind), self.money(in_kind + 1500)):  # fmt: skip
            self.assertIn(expected, text)
        self.assertNotIn("Fonctionnement 2028", text)

    def test_the_spreadsheet_has_the_same_lines_and_adds_up_to_the_totals(self):
        self.env["conseil.subsidy"].create(
            {"name": "Fonctionnement 2028", "association_id": self.grocery.id, "year": 2028, "amount": 900}
        )
        wizard = self.annex_wizard()
        action = wizard.action_export_xlsx()
        self.assertIn(f"/web/content/conseil.aid.annex.wizard/{wizard.id}/xlsx_file/", action["url"])
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.xlsx_file)))
        rows = list(book.active.iter_rows(min_row=5, values_only=True))
        total_row = next(row for row in rows if row[0] == "Total")
        lines = rows[: rows.index(total_row)]
        self.assertEqual([line[0] for line in lines], ["Banque alimentaire", "Épicerie solidaire"])
        self.assertEqual(lines[0][2], "Fonctionnement 2027", "The year asked, not the next one")
        totals = wizard._annex()["totals"]
        for column, key in enumerate(
            ("cash", "room", "vehicle", "agent", "equipment", "in_kind", "total"), start=3
        ):
            self.assertAlmostEqual(sum(line[column] for line in lines), total_row[column])
            self.assertAlmostEqual(total_row[column], totals[key], msg=key)
        self.assertAlmostEqual(total_row[9], 1500 + totals["in_kind"])

    def test_only_the_commune_the_user_works_for(self):
        other = self.env["res.company"].create({"name": "Ville voisine"})
        wizard = self.annex_wizard(company_id=other.id)
        for action in (wizard.action_print, wizard.action_export_xlsx):
            with self.subTest(action=action.__name__), self.assertRaises(UserError) as caught:
                action()
            self.assertIn("choose one of your communes", str(caught.exception))
            self.assertNotIn("Ville voisine", str(caught.exception))  # never named to another commune
        self.assertFalse(wizard.xlsx_file)


@tagged("post_install", "-at_install")
class TestAgentLoansReport(AnnexCase):
    def test_hr_reports_each_agent_loan_with_its_hours_and_why_it_is_free(self):
        wizard = self.env["conseil.agent.report.wizard"].with_user(self.hr_officer).create({"year": 2027})
        action = wizard.action_print()
        self.assertEqual(action["report_name"], "conseil_associations.report_agent_loans")
        report = wizard._agent_lines()
        self.assertEqual([line["loan"] for line in report["lines"]], [self.agent_loan])
        hours = self.agent_loan._year_share(2027)["quantity"]
        self.assertEqual(report["hours"], hours)
        text = spaced(pdf_text(self.render(AGENTS, wizard)))
        for expected in ("Marc Agent", "Animateur sportif", "Banque alimentaire", f"{hours:g}",
                         "Aide d'intérêt général aux seniors isolés", "CONV-2027-01"):  # fmt: skip
            self.assertIn(expected, text)
        self.assertNotIn("Épicerie solidaire", text, "Only agent loans")

    def test_another_year_lists_none(self):
        wizard = self.env["conseil.agent.report.wizard"].with_user(self.officer).create({"year": 2029})
        self.assertEqual(wizard._agent_lines(), {"lines": [], "hours": 0})


@tagged("post_install", "-at_install")
class TestYearlyActsThroughRpc(RpcCase):
    """What the web client sends: another commune's annex is refused, a role without the wizard gets nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.neighbour = cls.env["res.company"].create({"name": "Ville voisine"})
        new_test_user(
            cls.env, login="rpc_hr", password="rpc_hr_pwd", groups="base.group_user,hr.group_hr_user"
        )

    def test_the_annex_of_another_commune_is_refused_with_a_message(self):
        self.authenticate("rpc_officer", "rpc_officer_pwd")
        wizard_id = self.call_kw(
            "conseil.aid.annex.wizard", "create", [{"year": 2027, "company_id": self.neighbour.id}]
        )
        for method in ("action_print", "action_export_xlsx"):
            with self.subTest(method=method), self.assertRaises(RpcError) as caught:
                self.call_button("conseil.aid.annex.wizard", method, wizard_id)
            self.assertIn("choose one of your communes", caught.exception.message)
            self.assertNotIn("Ville voisine", caught.exception.message)
            self.assertNotIn("Traceback", caught.exception.message)

    def test_only_officers_print_the_annex_hr_prints_the_agent_report(self):
        self.authenticate("rpc_hr", "rpc_hr_pwd")
        with self.assertRaises(RpcError) as caught:
            self.call_kw("conseil.aid.annex.wizard", "create", [{"year": 2027}])
        self.assertEqual(caught.exception.name, "odoo.exceptions.AccessError")
        wizard_id = self.call_kw("conseil.agent.report.wizard", "create", [{"year": 2027}])
        action = self.call_button("conseil.agent.report.wizard", "action_print", wizard_id)
        self.assertEqual(action["report_name"], "conseil_associations.report_agent_loans")
