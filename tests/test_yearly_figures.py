"""Yearly figures: a loan's value counts in each calendar year it covers, in proportion to its time there."""

import base64
import csv
import io
import re
from datetime import date

from freezegun import freeze_time
from test_aid import AidCase
from test_portal_loans import LoanPortalCase

from odoo.tests import tagged

# Paris: UTC+1 in winter, UTC+2 in summer; a year begins at 1 January 00:00 there (23:00 UTC the day before).
THREE_YEARS = {"start": "2026-08-31 22:00:00", "end": "2029-08-31 22:00:00"}  # 1 Sep 2026 → 1 Sep 2029, Paris
LAWFUL_EARLY = {"agent_consent_date": "2026-06-01", "council_informed_date": "2026-06-15"}


class YearlyCase(AidCase):
    def agent_loan(self, start, end, weekly_hours=10, **values):
        return self.approved(
            "agent", start=start, end=end, weekly_hours=weekly_hours, **LAWFUL_EARLY, **values
        )

    def assert_parts_add_up(self, loan):
        parts = loan.value_by_year.values()
        self.assertEqual(round(sum(part["value"] for part in parts), 2), loan.value)
        self.assertEqual(round(sum(part["quantity"] for part in parts), 2), loan.valuation_quantity)

    def aid_rows(self, loan):
        self.env["conseil.aid"].invalidate_model()  # rows read earlier in this transaction are cached
        rows = self.env["conseil.aid"].search([("loan_id", "=", loan.id)])
        return {row.year: row.value for row in rows}


@tagged("post_install", "-at_install")
class TestYearlySplit(YearlyCase):
    def test_leap_year_and_both_daylight_saving_changes(self):
        # 1 July 2027 → 1 July 2028 in Paris: 184 days + the October hour in 2027 (4 417 h), 182 days with
        # 29 February less the March hour in 2028 (4 367 h); 10 h a week over 366 days at 25 €/h.
        loan = self.agent_loan("2027-06-30 22:00:00", "2028-06-30 22:00:00")
        self.assertEqual((loan.valuation_quantity, loan.value), (522.86, 13071.5))
        self.assertEqual(
            loan.value_by_year,
            {
                "2027": {"quantity": 262.92, "value": 6572.95},
                "2028": {"quantity": 259.94, "value": 6498.55},
            },
        )
        self.assert_parts_add_up(loan)

    def test_daylight_saving_change_counts_its_real_hour(self):
        # 31 October 2027 00:00 → 1 January 2028 03:00 in Paris: 1 489 real hours in 2027 (the clocks went back
        # that night), 3 in 2028. Without the extra hour, 2027 would get 310.20 h and 2028 0.63 h.
        loan = self.agent_loan("2027-10-30 22:00:00", "2028-01-01 02:00:00", weekly_hours=35)
        self.assertEqual(loan.value, 7770.75)
        self.assertEqual(loan._year_share(2027), {"quantity": 310.21, "value": 7755.13})
        self.assertEqual(loan._year_share(2028), {"quantity": 0.62, "value": 15.62})
        self.assert_parts_add_up(loan)

    def test_new_year_is_midnight_in_the_communes_timezone(self):
        # Noon to noon across New Year's Eve in Paris: 12 hours in each year (in UTC it would be 13 and 11).
        loan = self.approved(start="2027-12-31 11:00:00", end="2028-01-01 11:00:00")
        self.assertEqual(loan.value, 60.0)
        self.assertEqual(loan._year_share(2027), {"quantity": 0.5, "value": 30.0})
        self.assertEqual(loan._year_share(2028), {"quantity": 0.5, "value": 30.0})

    def test_loan_ending_at_midnight_on_new_years_day_stays_in_its_year(self):
        loan = self.approved(
            start="2027-12-29 23:00:00", end="2027-12-31 23:00:00"
        )  # until 1 Jan 00:00, Paris
        self.assertEqual(list(loan.value_by_year), ["2027"])
        self.assertEqual((loan.year_first, loan.year_last), (2027, 2027))
        self.assertEqual(loan._year_share(2028), {"quantity": 0.0, "value": 0.0})
        self.assertEqual(self.aid_rows(loan), {2027: 120.0})

    def test_three_year_agent_loan_counts_in_each_of_its_years(self):
        loan = self.agent_loan(**THREE_YEARS)
        self.assertEqual(loan.value, 39142.75)
        shares = {2026: 4358.62, 2027: 13035.68, 2028: 13071.39, 2029: 8677.06}
        self.assertEqual({year: loan._year_share(year)["value"] for year in shares}, shares)
        self.assertEqual((loan.year_first, loan.year_last), (2026, 2029))
        self.assert_parts_add_up(loan)
        self.assertEqual(self.aid_rows(loan), shares, "conseil.aid: one row per year, its part")
        for year, share in shares.items():
            association = self.food_bank.with_context(conseil_aid_year=year)
            self.assertEqual(association.aid_in_kind, share, year)
            self.assertEqual(self.food_bank._aid_totals(year)[self.food_bank.id], (0.0, share))

    def test_frozen_loan_keeps_its_split(self):
        loan = self.approved(start="2027-12-31 11:00:00", end="2028-01-01 11:00:00")
        loan.action_start()
        with freeze_time("2028-01-02 09:00:00"):
            loan.action_return(return_time="2028-01-01 11:00:00")
        self.assertEqual(loan.frozen_valuation["by_year"], loan.value_by_year)
        self.van.conseil_daily_rate = 90.0
        self.assertEqual(loan._year_share(2028), {"quantity": 0.5, "value": 30.0})


@tagged("post_install", "-at_install")
class TestYearlyFiguresAgree(YearlyCase):
    """The statement, conseil.aid, the totals and the threshold of each year tell the same figures."""

    def test_every_reader_of_a_year_agrees(self):
        self.company.conseil_convention_threshold = 13050.0
        loan = self.agent_loan(**THREE_YEARS)
        shares = {2026: 4358.62, 2027: 13035.68, 2028: 13071.39, 2029: 8677.06}
        self.env["conseil.subsidy"].create(
            {"name": "Fonctionnement", "association_id": self.food_bank.id, "year": 2027, "amount": 100}
        )
        with freeze_time("2030-01-15"):
            for year, share in shares.items():
                statement = self.food_bank._statement_lines(year)
                self.assertEqual(statement["loans"], loan, year)
                self.assertEqual(statement["total"], share, year)
                [line] = statement["lines"]
                self.assertEqual((line["quantity"], line["value"]), tuple(loan._year_share(year).values()))
                aid = self.env["conseil.aid"].search(
                    [("association_id", "=", self.food_bank.id), ("year", "=", year)]
                )
                association = self.food_bank.with_context(conseil_aid_year=year)
                self.assertEqual(association.aid_total, round(sum(aid.mapped("value")), 2), year)
                # above 13 050 €: 2027 with its subsidy, and 2028
                self.assertEqual(association.needs_convention, year in (2027, 2028), year)
            html = (
                self.env["ir.actions.report"]
                ._render_qweb_html(
                    "conseil_associations.action_report_in_kind_statement",
                    self.food_bank.ids,
                    data={"year": 2028, "association_ids": self.food_bank.ids},
                )[0]
                .decode()
            )
        self.assertIn("13,071.39", html)
        self.assertIn("522.86", html, "the hours of 2028")
        self.assertIn("39,142.75", html, "the whole loan's value beside the year's part")
        convention = self.env.ref("conseil_associations.mail_activity_type_convention_required")
        summaries = self.food_bank.activity_ids.filtered(lambda a: a.activity_type_id == convention).mapped(
            "summary"
        )
        self.assertTrue(
            any("2028" in summary for summary in summaries), "the threshold of every year is checked"
        )
        self.assertFalse(any("2026" in summary or "2029" in summary for summary in summaries))

    def test_statement_wizard_and_scdl_take_the_years_part(self):
        loan = self.agent_loan(**THREE_YEARS)
        with freeze_time("2030-01-15"):
            action = self.env["conseil.statement.wizard"].with_user(self.manager)._print(self.food_bank, 2029)
        self.assertEqual(action["data"]["association_ids"], self.food_bank.ids)
        wizard = (
            self.env["conseil.scdl.export.wizard"]
            .with_user(self.manager)
            .create({"date_from": date(2028, 1, 1), "date_to": date(2028, 12, 31)})
        )
        wizard.action_export()
        rows = list(csv.DictReader(io.StringIO(base64.b64decode(wizard.csv_file).decode())))
        [row] = [row for row in rows if row["nature"] == "aide en nature"]
        self.assertEqual(row["montant"], "13071.39")
        self.assertEqual(row["datesPeriodeVersement"], "2028-01-01/2028-12-31")
        self.assertEqual(row["referenceDecision"], loan.convention_ref)


@tagged("post_install", "-at_install")
class TestRevaluation(YearlyCase):
    def test_rate_changes_revalue_only_loans_not_frozen(self):
        running = self.approved(start="2027-03-01 08:00:00", end="2027-03-03 18:00:00")
        returned = self.approved(start="2027-02-01 08:00:00", end="2027-02-02 18:00:00")
        returned.action_start()
        with freeze_time("2027-02-03 09:00:00"):
            returned.action_return(return_time="2027-02-02 18:00:00")
        self.assertEqual((running.value, returned.value), (180.0, 120.0))
        self.van.conseil_daily_rate = 70.0
        self.assertEqual((running.value, returned.value), (210.0, 120.0))
        self.assertEqual(running.value_by_year, {"2027": {"quantity": 3.0, "value": 210.0}})
        self.assertEqual(returned.value_by_year, {"2027": {"quantity": 2.0, "value": 120.0}})

    def test_hourly_cost_revalues_the_agents_loans(self):
        loan = self.agent_loan("2027-03-01 08:00:00", "2027-03-29 08:00:00")
        self.assertEqual(loan.value, 1000.0)
        self.agent.with_user(self.hr_officer).hourly_cost = 30.0
        self.assertEqual(loan.value, 1200.0, "40 h at the agent's own cost")
        self.assertEqual(loan._year_share(2027)["value"], 1200.0)

    def test_default_rates_and_room_tariffs_revalue(self):
        agent = self.agent_loan("2027-03-01 08:00:00", "2027-03-29 08:00:00")
        room = self.approved("room", start="2027-03-01 12:00:00", end="2027-03-01 16:00:00")
        self.company.conseil_default_hourly_cost = 20.0
        self.room.hourly_rate = 40.0
        self.assertEqual((agent.value, room.value), (800.0, 160.0))

    def test_revaluation_costs_the_same_for_10_and_100_loans(self):
        model = self.van.model_id

        def vehicle_with_loans(count, plate):
            vehicle = self.env["fleet.vehicle"].create({"model_id": model.id, "license_plate": plate})
            self.Loan.create(
                [
                    {
                        "loan_type": "vehicle",
                        "association_id": self.food_bank.id,
                        "purpose": "Tournées",
                        "vehicle_id": vehicle.id,
                        "date_start": f"2027-{1 + day // 28:02d}-{1 + day % 28:02d} 08:00:00",
                        "date_end": f"2027-{1 + day // 28:02d}-{1 + day % 28:02d} 18:00:00",
                    }
                    for day in range(count)
                ]
            )
            return vehicle

        def queries(vehicle):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            vehicle.conseil_daily_rate = 75.0
            self.env.flush_all()
            self.cr.flush()
            return self.cr.sql_log_count - before

        few, many = vehicle_with_loans(10, "TT-010-TT"), vehicle_with_loans(100, "TT-100-TT")
        queries(vehicle_with_loans(1, "TT-001-TT"))  # warms the caches
        self.assertEqual(queries(few), queries(many))
        self.assertEqual(set(many.conseil_loan_ids.mapped("value")), {75.0})


@tagged("post_install", "-at_install")
class TestYearlyPortal(LoanPortalCase):
    def test_a_loan_over_new_year_shows_in_both_years_with_its_part(self):
        model = self.van.model_id
        minibus = self.env["fleet.vehicle"].create({"model_id": model.id, "license_plate": "PL-777-NY"})
        last_year = self.year - 1
        # noon to noon across New Year's Eve in Paris: one day at 60 €, half in each year
        loan = self.env["conseil.loan"].create(
            {
                "loan_type": "vehicle",
                "association_id": self.food_bank.id,
                "purpose": "Réveillon solidaire",
                "vehicle_id": minibus.id,
                "date_start": f"{last_year}-12-31 11:00:00",
                "date_end": f"{self.year}-01-01 11:00:00",
                "driver_id": self.food_bank.partner_id.id,
                "licence_checked_on": f"{last_year}-12-01",
            }
        )
        loan.action_request()
        loan.with_user(self.fleet_manager).action_approve()
        self.assertEqual(
            loan.value_by_year,
            {
                str(last_year): {"quantity": 0.5, "value": 30.0},
                str(self.year): {"quantity": 0.5, "value": 30.0},
            },
        )
        self.login_a()
        for year in (last_year, self.year):
            page = self.page(f"/my/aid?year={year}")
            row = re.search(
                rf"<tr[^>]*o_conseil_aid_loan[^>]*>(?:(?!</tr>).)*{re.escape(loan.name)}.*?</tr>", page, re.S
            )
            self.assertTrue(row, year)
            self.assertIn("30.00", row[0], year)
        self.assertIn(f"year={last_year}", self.page(f"/my/aid?year={self.year}"), "last year is offered")


@tagged("post_install", "-at_install")
class TestStoredYearlyRows(YearlyCase):
    """The aid's yearly rows are stored by the database: whatever writes a loan, they follow it."""

    def test_rows_follow_approval_revaluation_reset_and_sql(self):
        # two days, 15 h of them in 2027 (until midnight in Paris) and 33 h in 2028
        loan = self.approved(start="2027-12-31 08:00:00", end="2028-01-02 08:00:00")
        self.assertEqual(self.aid_rows(loan), {2027: 37.5, 2028: 82.5})
        self.van.conseil_daily_rate = 70.0
        self.assertEqual(self.aid_rows(loan), {2027: 43.75, 2028: 96.25})
        loan.with_user(self.fleet_manager).action_reset_to_requested()
        self.assertEqual(self.aid_rows(loan), {}, "a request is no aid")
        loan.with_user(self.fleet_manager).action_approve()
        self.assertEqual(self.aid_rows(loan), {2027: 43.75, 2028: 96.25})
        # a write outside the ORM (a migration, a fix by SQL) is followed too
        self.env.flush_all()
        self.env.cr.execute(
            'UPDATE conseil_loan SET value_by_year = \'{"2028": {"quantity": 1, "value": 5}}\' WHERE id = %s',
            [loan.id],
        )
        self.env.invalidate_all()
        self.assertEqual(self.aid_rows(loan), {2028: 5.0})

    def test_a_years_figures_read_the_index(self):
        self.approved(start="2027-03-01 08:00:00", end="2027-03-03 18:00:00")
        self.env.flush_all()
        self.env.cr.execute(
            "EXPLAIN SELECT association_id, SUM(value) FROM conseil_aid WHERE year = 2027 AND company_id = %s"
            " GROUP BY association_id",
            [self.company.id],
        )
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("conseil_aid_loan_year", plan)
        self.assertNotIn("jsonb_each", plan, "a year's figures no longer expand every loan's split")
