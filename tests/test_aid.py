import base64
import csv
import io
import json
import os
import re
import tempfile
from datetime import date, datetime, timedelta

from freezegun import freeze_time
from frictionless import Resource, Schema
from stdnum.fr import siret as stdnum_siret
from test_need import NeedCase

from conseil_testing import OFFICER, LoanCase
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

SCHEMA = os.path.join(os.path.dirname(__file__), "data", "scdl-subventions-2.1.1", "schema.json")
with open(SCHEMA, encoding="utf-8") as schema_file:
    SCDL_SCHEMA = Schema.from_descriptor(json.load(schema_file))
DASHBOARD = "conseil_associations.spreadsheet_dashboard_conseil"
TOWN_SIRET = "21590279200013"  # a valid SIRET (Luhn) for the fictional town


class AidCase(LoanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "conseil_siret": TOWN_SIRET,
                "conseil_default_hourly_cost": 25.0,
                "conseil_default_vehicle_daily_rate": 60.0,
                "conseil_km_rate": 0.5,
                "conseil_convention_threshold": 23000.0,
            }
        )
        cls.food_bank.write({"rna": "W595000001"})
        cls.grocery.write({"siret": "73282932000074"})

    def approved(self, kind="vehicle", **values):
        loan = self.requested(kind, **values)
        loan.with_user(self.approver(kind)).action_approve()
        return loan


@tagged("post_install", "-at_install")
class TestValuation(AidCase):
    def test_agent_hours_times_hourly_cost(self):
        # 10 h a week over 4 weeks (28 days) at the default 25 €/h.
        loan = self.approved("agent", start="2027-03-01 08:00:00", end="2027-03-29 08:00:00", weekly_hours=10)
        self.assertEqual((loan.valuation_quantity, loan.valuation_unit), (40.0, "hour"))
        self.assertEqual(loan.unit_value, 25.0)
        self.assertEqual(loan.value, 1000.0)
        self.agent.hourly_cost = 32.0
        loan.with_user(self.hr_officer).action_reset_to_requested()
        loan.actual_hours = 35
        self.assertEqual(loan.value, 35 * 32.0, "Actual hours and the agent's own hourly cost")

    def test_vehicle_days_and_kilometres(self):
        loan = self.approved(start="2027-03-01 08:00:00", end="2027-03-03 18:00:00", odometer_start=1000)
        self.assertEqual((loan.valuation_quantity, loan.valuation_unit), (3.0, "day"))
        self.assertEqual(loan.value, 180.0, "3 days at the default 60 € a day")
        self.van.conseil_daily_rate = 80.0
        self.assertEqual(loan.value, 240.0, "The vehicle's own rate, recomputed while the loan runs")
        loan.action_start()
        with freeze_time("2027-03-04 09:00:00"):
            self.env["conseil.loan.return.wizard"].create(
                {"loan_id": loan.id, "odometer_end": 1200, "return_time": "2027-03-03 17:00:00"}
            ).action_confirm()
        self.assertEqual(loan.distance_value, 100.0, "200 km at 0.50 €")
        self.assertEqual(loan.value, 340.0)
        self.assertTrue(loan.valuation_frozen)
        self.van.conseil_daily_rate = 500.0
        self.company.conseil_km_rate = 3.0
        self.assertEqual(loan.value, 340.0, "Frozen at return")

    def test_room_hours_or_days(self):
        self.room.write({"hourly_rate": 30.0, "daily_rate": 200.0})
        afternoon = self.approved("room", start="2027-03-01 12:00:00", end="2027-03-01 16:00:00")
        self.assertEqual((afternoon.valuation_quantity, afternoon.valuation_unit), (4.0, "hour"))
        self.assertEqual(afternoon.value, 120.0)
        self.room.write({"hourly_rate": 0.0})
        self.assertEqual(afternoon.value, 200.0, "Without hourly tariff, a day")

    def test_missing_rates_fall_back_to_settings(self):
        self.company.conseil_default_hourly_cost = 0.0
        loan = self.approved("agent", weekly_hours=7, start="2027-03-01 08:00:00", end="2027-03-08 08:00:00")
        self.assertEqual(loan.value, 0.0, "No cost known: valued at zero, never invented")
        self.company.conseil_default_hourly_cost = 20.0
        self.assertEqual(loan.value, 140.0)


@tagged("post_install", "-at_install")
class TestThreshold(AidCase):
    def test_crossing_the_threshold(self):
        Subsidy = self.env["conseil.subsidy"].with_user(self.manager)
        Subsidy.create(
            {"name": "Fonctionnement", "association_id": self.food_bank.id, "year": 2027, "amount": 22000}
        )
        association = self.food_bank.with_context(conseil_aid_year=2027)
        self.assertFalse(association.needs_convention)
        convention_type = self.env.ref("conseil_associations.mail_activity_type_convention_required")
        self.assertFalse(
            self.food_bank.activity_ids.filtered(lambda a: a.activity_type_id == convention_type)
        )
        self.van.conseil_daily_rate = 400.0
        self.approved(start="2027-03-01 08:00:00", end="2027-03-03 18:00:00")  # 1 200 € in kind
        association.invalidate_recordset()
        self.assertEqual(association.aid_cash, 22000.0)
        self.assertEqual(association.aid_in_kind, 1200.0)
        self.assertEqual(association.aid_total, 23200.0)
        self.assertTrue(association.needs_convention)
        activities = self.food_bank.activity_ids.filtered(lambda a: a.activity_type_id == convention_type)
        self.assertIn(self.manager, activities.user_id)
        self.assertIn(
            self.food_bank,
            self.env["conseil.association"]
            .with_context(conseil_aid_year=2027)
            .search([("needs_convention", "=", True)]),
        )
        self.approved(start="2027-04-01 08:00:00", end="2027-04-02 18:00:00")
        self.assertEqual(
            len(self.food_bank.activity_ids.filtered(lambda a: a.activity_type_id == convention_type)),
            len(activities),
            "One reminder per year, not one per loan",
        )


@tagged("post_install", "-at_install")
class TestStatement(AidCase):
    def test_statement_adds_up_to_loans(self):
        self.room.write({"hourly_rate": 30.0})
        loans = (
            self.approved(start="2027-03-01 08:00:00", end="2027-03-03 18:00:00")
            | self.approved("agent", start="2027-03-01 08:00:00", end="2027-03-29 08:00:00")
            | self.approved("room", start="2027-03-01 12:00:00", end="2027-03-01 16:00:00")
        )
        self.approved(start="2026-03-01 08:00:00", end="2026-03-03 18:00:00")  # another year
        self.approved(vehicle_id=self.minibus.id, start="2027-12-30 08:00:00", end="2027-12-30 18:00:00")
        with freeze_time("2027-12-01"):  # printed in December: the loan of the 30th is not lent yet
            statement = self.food_bank._statement_lines(2027)
        self.assertEqual(statement["loans"], loans)
        self.assertAlmostEqual(statement["total"], sum(loans.mapped("value")))
        self.assertEqual(len(statement["natures"]), 3)
        self.assertTrue(all(n["account"][:2] == "86" for n in statement["natures"]))
        report = self.env.ref("conseil_associations.action_report_in_kind_statement")
        with freeze_time("2027-12-01"):
            html = report._render_qweb_html(report.id, self.food_bank.ids, data={"year": 2027})[0].decode()
        for loan in loans:
            self.assertIn(loan.name, html)
        self.assertIn("9-1", html)
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.id, self.food_bank.ids, data={"year": 2027}
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_batch_for_all_associations_of_a_year(self):
        self.approved(start="2027-03-01 08:00:00", end="2027-03-03 18:00:00")
        self.approved(start="2027-05-01 08:00:00", end="2027-05-03 18:00:00", association_id=self.grocery.id)
        with freeze_time("2028-01-15"):
            action = (
                self.env["conseil.statement.wizard"]
                .with_user(self.officer)
                .create({"year": 2027})
                .action_print()
            )
        self.assertEqual(set(action["context"]["active_ids"]), {self.food_bank.id, self.grocery.id})
        # the web client asks for the PDF with these data and no record ids: they carry the associations
        self.assertEqual(action["data"]["year"], 2027)
        self.assertEqual(set(action["data"]["association_ids"]), {self.food_bank.id, self.grocery.id})


@tagged("post_install", "-at_install")
class TestScdlExport(AidCase):
    def export(self, **values):
        wizard = (
            self.env["conseil.scdl.export.wizard"]
            .with_user(self.manager)
            .create({"date_from": date(2027, 1, 1), "date_to": date(2027, 12, 31), **values})
        )
        wizard.action_export()
        return wizard

    def rows(self, wizard):
        content = base64.b64decode(wizard.csv_file).decode("utf-8")
        return content, list(csv.DictReader(io.StringIO(content)))

    def test_export_is_valid_against_the_official_schema(self):
        Subsidy = self.env["conseil.subsidy"]
        Subsidy.create(
            {
                "name": "Fonctionnement 2027",
                "association_id": self.grocery.id,
                "year": 2027,
                "amount": 12500.5,
                "decision_ref": "DEL-2027-014",
                "convention_date": date(2027, 2, 3),
                "payment_conditions": "echelonne",
                "payment_date": date(2027, 3, 1),
                "payment_date_end": date(2027, 9, 1),
            }
        )
        self.approved(start="2027-03-01 08:00:00", end="2027-03-03 18:00:00")
        self.approved(
            "agent", start="2027-04-01 08:00:00", end="2027-04-29 08:00:00", convention_ref="CONV-7"
        )
        wizard = self.export()
        self.assertEqual(wizard.csv_filename, f"{date.today():%Y%m%d}_{TOWN_SIRET[:9]}_subventions.csv")
        content, rows = self.rows(wizard)
        self.assertEqual(content.splitlines()[0].split(","), [field.name for field in SCDL_SCHEMA.fields])
        self.assertEqual(len(rows), 3, "one cash row, one in-kind row per decision or convention")
        cash = next(r for r in rows if r["nature"] == "aide en numéraire")
        self.assertEqual(cash["montant"], "12500.50")
        self.assertEqual(cash["conditionsVersement"], "échelonné")
        self.assertEqual(cash["datesPeriodeVersement"], "2027-03-01/2027-09-01")
        self.assertEqual(cash["idBeneficiaire"], "73282932000074")
        self.assertEqual(cash["notificationUE"], "non")
        self.assertEqual(cash["pourcentageSubvention"], "1")
        in_kind = [r for r in rows if r["nature"] == "aide en nature"]
        self.assertEqual({r["rnaBeneficiaire"] for r in in_kind}, {"W595000001"})
        self.assertIn("CONV-7", {r["referenceDecision"] for r in in_kind})
        self.assertTrue(all(r["idAttribuant"] == TOWN_SIRET for r in rows))
        self.assert_valid_scdl(content)

    def assert_valid_scdl(self, content):
        with tempfile.TemporaryDirectory() as folder:
            with open(os.path.join(folder, "export.csv"), "w", encoding="utf-8", newline="") as file:
                file.write(content)
            report = Resource("export.csv", basepath=folder, schema=SCDL_SCHEMA).validate()
        self.assertTrue(report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"]))
        # The schema's custom checks, which frictionless does not know.
        for row in csv.DictReader(io.StringIO(content)):
            self.assertTrue(stdnum_siret.is_valid(row["idAttribuant"]))
            if row["idBeneficiaire"]:
                self.assertTrue(stdnum_siret.is_valid(row["idBeneficiaire"]))
            self.assertTrue(row["idBeneficiaire"] or row["rnaBeneficiaire"])

    def test_broken_rows_are_listed_not_exported(self):
        anonymous = self.create_association("Sans identifiant")
        self.env["conseil.subsidy"].create(
            {
                "name": "Aide",
                "association_id": anonymous.id,
                "year": 2027,
                "amount": 500,
                "convention_date": date(2027, 1, 5),
                "payment_date": date(2027, 2, 1),
            }
        )
        self.env["conseil.subsidy"].create(
            {"name": "Sans date", "association_id": self.grocery.id, "year": 2027, "amount": 800}
        )
        self.env["conseil.subsidy"].create(
            {
                "name": "Correcte",
                "association_id": self.grocery.id,
                "year": 2027,
                "amount": 900,
                "convention_date": date(2027, 1, 5),
                "payment_date": date(2027, 2, 1),
            }
        )
        wizard = self.export()
        __, rows = self.rows(wizard)
        self.assertEqual([r["objet"] for r in rows], ["Correcte"])
        self.assertIn("Sans identifiant", wizard.problems)
        self.assertIn("neither SIRET nor RNA", wizard.problems)
        self.assertIn("Sans date", wizard.problems)

    def test_no_file_without_the_town_siret(self):
        self.company.conseil_siret = False
        self.approved(start="2027-03-01 08:00:00", end="2027-03-03 18:00:00")
        wizard = self.export()
        self.assertFalse(wizard.csv_file)
        self.assertIn("SIRET", wizard.problems)

    def test_exports_and_subsidies_are_for_managers(self):
        with self.assertRaises(AccessError):
            self.env["conseil.scdl.export.wizard"].with_user(self.officer).create({})
        with self.assertRaises(AccessError):
            self.env["conseil.subsidy"].with_user(self.officer).create(
                {"name": "X", "association_id": self.food_bank.id, "year": 2027, "amount": 1}
            )
        subsidy = self.env["conseil.subsidy"].create(
            {"name": "Fonctionnement", "association_id": self.food_bank.id, "year": 2027, "amount": 900}
        )
        # officers read the subsidies (the aid of their associations), and change none of them
        self.assertEqual(self.env["conseil.subsidy"].with_user(self.officer).search([]), subsidy)
        with self.assertRaises(AccessError):
            subsidy.with_user(self.officer).write({"amount": 9000})
        with self.assertRaises(AccessError):
            subsidy.with_user(self.officer).unlink()
        self.assertEqual(subsidy.amount, 900)


class DashboardCase(AidCase, NeedCase):
    """The shipped spreadsheet dashboard, read as Odoo's spreadsheet reads it: each figure's formula
    in the Data sheet, its pivot or list (model, domain, measure, grouping) and the period filter
    (the year) on the field it matches, evaluated with the user's own rights and companies."""

    PIVOT_VALUE = re.compile(r'^=PIVOT\.VALUE\((\d+),"([^"]+)"((?:,"[^"]+",[^,()]+)*)\)(\+0)?$')

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref(DASHBOARD)
        cls.spreadsheet = json.loads(cls.dashboard.spreadsheet_data)
        data_sheet = next(sheet for sheet in cls.spreadsheet["sheets"] if sheet["name"] == "Data")
        cls.cells = data_sheet["cells"]
        (cls.period,) = cls.spreadsheet["globalFilters"]

    def cell(self, label):
        """The Data cell that holds the figure labelled ``label``."""
        rows = [xc[1:] for xc, content in self.cells.items() if content == f'=_t("{label}")' and xc[0] == "A"]
        self.assertEqual(len(rows), 1, f"One figure is labelled {label!r}")
        return f"B{rows[0]}"

    def figure(self, label, year, user=None):
        return self.evaluate(self.cells[self.cell(label)], year, user or self.officer)

    def source_domain(self, source, year):
        """The source's domain, with the period filter (the whole ``year``) on its matched field."""
        domain = list(map(tuple, source["domain"]))
        matching = source.get("fieldMatching", {}).get(self.period["id"])
        if matching:
            start, end = f"{year}-01-01", f"{year + 1}-01-01"
            domain += [(matching["chain"], ">=", start), (matching["chain"], "<", end)]
        return domain

    def evaluate(self, formula, year, user):
        if "ODOO.LIST" in formula:
            return self.evaluate_median(formula, year, user)
        match = self.PIVOT_VALUE.match(formula)
        self.assertTrue(match, f"A figure the test can read: {formula}")
        pivot_id, measure_id, groups, _plus_zero = match.groups()
        pivot = self.spreadsheet["pivots"][pivot_id]
        (measure,) = [m for m in pivot["measures"] if m["id"] == measure_id]
        aggregate = (
            "__count"
            if measure["fieldName"] == "__count"
            else f"{measure['fieldName']}:{measure['aggregator']}"
        )
        pairs = re.findall(r',"([^"]+)",([^,()]+)', groups)
        groupby = [field for field, _value in pairs]
        wanted = tuple(self.argument(value, year) for _field, value in pairs)
        Model = self.env[pivot["model"]].with_user(user)
        for *keys, value in Model._read_group(self.source_domain(pivot, year), groupby, [aggregate]):
            if tuple(key if not isinstance(key, bool) else False for key in keys) == wanted:
                return value or 0
        return 0

    def argument(self, value, year):
        if value == "B11":  # the year of the period
            return year
        return int(value) if value.isdigit() else value.strip('"')

    def evaluate_median(self, formula, year, user):
        """The median formula of the sheet: the middle record(s) of the list, counted by a pivot."""
        self.assertIn("B10", formula)
        count = self.evaluate(self.cells["B10"], year, user)
        (list_id,) = set(re.findall(r"ODOO\.LIST\((\d+),", formula))
        source = self.spreadsheet["lists"][list_id]
        order = ", ".join(f"{o['name']} {'asc' if o['asc'] else 'desc'}" for o in source["orderBy"])
        rows = (
            self.env[source["model"]]
            .with_user(user)
            .search_read(self.source_domain(source, year), source["columns"], order=order)
        )
        self.assertEqual(len(rows), count, "The list and its count read the same needs")
        if not count:
            return 0
        values = [row["days_to_decision"] for row in rows]
        return (values[int((count + 1) / 2) - 1] + values[int(count / 2)]) / 2

    def month(self, column, month, year, user=None):
        return self.evaluate(self.cells[f"{column}{13 + month}"], year, user or self.officer)

    def decided(self, submitted, review_day):
        with freeze_time(submitted):
            # wanted a month after it is asked for: within the town's lead time
            need = self.make_need(
                date_from=submitted + timedelta(days=30), date_to=submitted + timedelta(days=31)
            )
            need.with_user(self.officer).action_submit()
        review = self.make_review(start=datetime.combine(review_day, datetime.min.time()).replace(hour=17))
        review._gather_needs(need)
        self.decide(need)
        return need


@tagged("post_install", "-at_install")
class TestDashboard(DashboardCase):
    def test_key_figures(self):
        self.approved(start="2027-03-01 08:00:00", end="2027-03-03 18:00:00").action_start()
        self.requested(vehicle_id=self.minibus.id)
        self.assertEqual(self.figure("Loans in progress", 2027), 1)
        self.assertEqual(self.figure("Loans to approve", 2027), 1)
        self.assertEqual(self.figure("In-kind aid", 2027), 180.0)
        self.assertEqual(self.figure("In-kind aid", 2026), 0)
        # the addon's menu opens Odoo's dashboards on this one, and the officer may read it
        action = self.env.ref("conseil_associations.menu_conseil_dashboard").action
        self.assertEqual(action.tag, "action_spreadsheet_dashboard")
        self.assertEqual(action.params, {"dashboard_id": self.dashboard.id})
        self.assertIn(self.dashboard, self.env["spreadsheet.dashboard"].with_user(self.officer).search([]))

    def test_every_figure_of_the_year(self):
        self.decided(date(2027, 2, 1), date(2027, 2, 3))  # 2 days
        self.decided(date(2027, 2, 1), date(2027, 2, 10))  # 9 days
        self.decided(date(2027, 2, 1), date(2027, 2, 6))  # 5 days
        self.decided(date(2026, 12, 1), date(2026, 12, 31))  # 30 days, but the year before
        # needs of the year's end, wanted for next year: the town's lead time holds
        with freeze_time("2027-11-02 09:00:00"):
            self.make_need(date_from=date(2028, 1, 10), date_to=date(2028, 1, 11)).action_submit()
        with freeze_time("2027-12-14 09:00:00"):
            self.make_need(date_from=date(2028, 1, 10), date_to=date(2028, 1, 11)).action_submit()
        Subsidy = self.env["conseil.subsidy"]
        Subsidy.create(
            {"name": "Fonctionnement", "association_id": self.food_bank.id, "year": 2027, "amount": 900}
        )
        Subsidy.create({"name": "Projet", "association_id": self.grocery.id, "year": 2027, "amount": 24000})
        with freeze_time("2027-12-15 10:00:00"):
            self.assertEqual(self.figure("Needs awaiting a decision", 2027), 2)
            self.assertEqual(self.figure("Needs waiting too long", 2027), 1)
            self.assertEqual(self.figure("Median days from need to decision", 2027), 5)
            self.assertEqual(self.figure("Cash aid", 2027), 24900.0)
            self.assertEqual(self.figure("Associations needing a convention this year", 2027), 1)
            self.assertEqual(self.figure("Median days from need to decision", 2026), 30)
            self.assertEqual(self.figure("Median days from need to decision", 2025), 0)
            self.decided(date(2027, 3, 1), date(2027, 3, 13))  # 12 days: an even count
            self.assertEqual(self.figure("Median days from need to decision", 2027), 7)

    def test_trends_by_month(self):
        self.decided(date(2027, 2, 1), date(2027, 3, 3))
        self.approved(start="2027-03-01 08:00:00", end="2027-03-03 18:00:00").action_start()
        self.approved("room", start="2027-05-04 08:00:00", end="2027-05-04 16:00:00")
        self.requested(vehicle_id=self.minibus.id, start="2027-05-10 08:00:00", end="2027-05-11 18:00:00")
        self.env["conseil.subsidy"].create(
            {"name": "Fonctionnement", "association_id": self.food_bank.id, "year": 2027, "amount": 900,
             "payment_date": "2027-04-15"}
        )  # fmt: skip
        self.assertEqual([self.month("B", month, 2027) for month in (1, 2, 3)], [0, 1, 0], "Submitted")
        self.assertEqual([self.month("C", month, 2027) for month in (2, 3)], [0, 1], "Decided")
        self.assertEqual(self.month("D", 3, 2027), 1, "A vehicle lent in March")
        self.assertEqual((self.month("F", 5, 2027), self.month("D", 5, 2027)), (1, 0), "A room in May")
        self.assertEqual(self.month("G", 3, 2027), 180.0, "In-kind aid of March")
        self.assertEqual(self.month("H", 4, 2027), 900.0, "Cash paid in April")
        self.assertEqual(self.month("H", 4, 2026), 0, "Another year")
        self.assertEqual(self.cells["B26"], "=SUM(B14:B25)")

    def test_each_commune_sees_its_own_figures(self):
        company_b = self.env["res.company"].create({"name": "Commune voisine"})
        other = self.create_association("Club voisin", company_id=company_b.id)
        need = self.env["conseil.need"].create(
            {"name": "Un car", "association_id": other.id, "need_type": "vehicle", "company_id": company_b.id}
        )
        need.action_submit()
        officer_b = new_test_user(
            self.env,
            login="conseil_officer_b",
            groups=OFFICER,
            company_id=company_b.id,
            company_ids=company_b.ids,
        )
        self.make_need().action_submit()
        self.assertEqual(self.figure("Needs awaiting a decision", 2027), 1)
        self.assertEqual(self.figure("Needs awaiting a decision", 2027, user=officer_b), 1)

    def test_the_dashboard_is_for_the_council(self):
        Dashboard = self.env["spreadsheet.dashboard"]
        self.assertEqual(self.dashboard.group_ids, self.env.ref(OFFICER))
        self.assertEqual(
            Dashboard.with_user(self.manager).search([("id", "=", self.dashboard.id)]), self.dashboard
        )
        self.assertFalse(Dashboard.with_user(self.internal_user).search([("id", "=", self.dashboard.id)]))
        with self.assertRaises(AccessError):
            self.dashboard.with_user(self.manager).write({"spreadsheet_data": "{}"})
        self.assertEqual(self.dashboard._get_dashboard_translation_namespace(), "conseil_associations")
