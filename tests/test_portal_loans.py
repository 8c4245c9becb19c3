"""An association's loans and aid on the portal: its own only, read only, nothing of the agents' HR file."""

import re
from datetime import timedelta

from test_portal import PASSWORD, PortalCase
from test_rpc import RpcError

from odoo import fields
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.tests import new_test_user, tagged
from odoo.tools import format_datetime

HOURLY_COST = 31.37
PRIVATE = {
    "private_street": "12 rue des Secrets",
    "private_email": "marc.prive@example.com",
    "private_phone": "+33 6 98 76 54 32",
}


def moment(days, hour=8):
    """A datetime ``days`` from now at ``hour`` UTC, as the ORM stores it."""
    day = fields.Datetime.now() + timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


@tagged("post_install", "-at_install")
class LoanPortalCase(PortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.fleet_manager = new_test_user(
            env, login="pl_fleet", groups="base.group_user,fleet.fleet_group_manager"
        )
        cls.hr_officer = new_test_user(env, login="pl_hr", groups="base.group_user,hr.group_hr_user")
        cls.manager = new_test_user(
            env, login="pl_manager", groups="conseil_associations.group_conseil_manager"
        )
        brand = env["fleet.vehicle.model.brand"].create({"name": "Renault"})
        model = env["fleet.vehicle.model"].create({"name": "Master", "brand_id": brand.id})
        cls.van = env["fleet.vehicle"].create({"model_id": model.id, "license_plate": "PL-123-AB"})
        cls.van_b = env["fleet.vehicle"].create({"model_id": model.id, "license_plate": "PL-999-ZZ"})
        always_open = env["resource.calendar"].create(
            {
                "name": "Ouvert 0 h - 24 h",
                "tz": "Europe/Paris",
                "attendance_ids": [
                    (0, 0, {"name": f"J{d}", "dayofweek": str(d), "hour_from": 0, "hour_to": 24})
                    for d in range(7)
                ],
            }
        )
        cls.room = env["conseil.room"].create(
            {
                "name": "Salle Jean Moulin",
                "capacity": 50,
                "resource_calendar_id": always_open.id,
                "hourly_rate": 10,
            }
        )
        cls.agent = env["hr.employee"].create(
            {
                "name": "Marc Animateur",
                "job_title": "Animateur sportif",
                "resource_calendar_id": always_open.id,
                "conseil_is_titulaire": True,
                "hourly_cost": HOURLY_COST,
                **PRIVATE,
            }
        )
        cls.food_bank.company_id.partner_id.tz = "Europe/Paris"
        # A's loans: a van lent and returned, an agent lent and returned, a room to come, a room refused
        cls.van_loan = cls.make_loan("vehicle", -6, -4, vehicle_id=cls.van.id)
        cls.van_loan.with_user(cls.fleet_manager).action_approve()
        cls.van_loan.action_start()
        cls.van_loan.action_return(return_time=moment(-4, 9))
        cls.agent_loan = cls.make_loan(
            "agent",
            -6,
            -4,
            employee_id=cls.agent.id,
            weekly_hours=7,
            agent_consent_date=fields.Date.today() - timedelta(days=30),
            convention_ref="CONV-PL-01",
            council_informed_date=fields.Date.today() - timedelta(days=20),
            reimbursement="waived",
            waiver_reason="Intérêt général",
        )
        cls.agent_loan.with_user(cls.hr_officer).action_approve()
        cls.agent_loan.action_start()
        cls.agent_loan.action_return(return_time=moment(-4, 9))
        cls.room_loan = cls.make_loan(
            "room", 10, 10, room_id=cls.room.id, expected_attendance=30, end_hour=12
        )
        cls.room_loan.with_user(cls.manager).action_approve()
        cls.refused_loan = cls.make_loan(
            "room", 20, 20, room_id=cls.room.id, expected_attendance=30, end_hour=12
        )
        cls.refused_loan.with_user(cls.manager).action_refuse("La salle est en travaux ce jour-là.")
        # B's loan and subsidy
        cls.b_loan = cls.make_loan("vehicle", -6, -4, association=cls.grocery, vehicle_id=cls.van_b.id)
        cls.b_loan.with_user(cls.fleet_manager).action_approve()
        cls.year = cls.van_loan.date_start.year
        Subsidy = env["conseil.subsidy"]
        cls.subsidy = Subsidy.create(
            {
                "name": "Subvention de fonctionnement",
                "association_id": cls.food_bank.id,
                "year": cls.year,
                "amount": 4321.0,
                "decision_ref": "DEL-PL-2026-12",
                "convention_ref": "CONV-SUB-PL",
            }
        )
        cls.b_subsidy = Subsidy.create(
            {"name": "Aide B", "association_id": cls.grocery.id, "year": cls.year, "amount": 777.0}
        )
        cls.last_year_subsidy = Subsidy.create(
            {
                "name": "Aide de l an passé",
                "association_id": cls.food_bank.id,
                "year": cls.year - 1,
                "amount": 999.0,
            }
        )

    @classmethod
    def make_loan(cls, kind, start_days, end_days, association=None, end_hour=17, **values):
        loan = cls.env["conseil.loan"].create(
            {
                "loan_type": kind,
                "association_id": (association or cls.food_bank).id,
                "purpose": f"Usage {kind}",
                "date_start": moment(start_days),
                "date_end": moment(end_days, end_hour),
                # a loan of the past was handed over when it started
                "key_handover_time": moment(start_days) if start_days < 0 else False,
                **values,
            }
        )
        if kind == "vehicle":
            loan.write(
                {
                    "driver_id": loan.association_id.partner_id.id,
                    "licence_checked_on": fields.Date.today() - timedelta(days=10),
                }
            )
        loan.action_request()
        return loan

    def page(self, url):
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 200, url)
        return response.text


@tagged("post_install", "-at_install")
class TestPortalLoans(LoanPortalCase):
    def test_the_list_shows_its_own_loans_and_their_resources(self):
        self.login_a()
        page = self.page("/my/loans")
        for loan in (self.van_loan, self.agent_loan, self.room_loan, self.refused_loan):
            self.assertIn(loan.name, page)
        self.assertNotIn(self.b_loan.name, page)
        self.assertNotIn("PL-999-ZZ", page)
        self.assertIn("Renault/Master", page)
        self.assertIn("PL-123-AB", page)
        self.assertIn("Salle Jean Moulin", page)
        self.assertIn("Marc Animateur", page)
        self.assertIn("Animateur sportif", page)

    def test_filters_sorting_and_search(self):
        self.login_a()
        refused = self.page("/my/loans?filterby=refused")
        self.assertIn(self.refused_loan.name, refused)
        self.assertNotIn(self.room_loan.name, refused)
        coming = self.page("/my/loans?filterby=coming")
        self.assertIn(self.room_loan.name, coming)
        self.assertNotIn(self.van_loan.name, coming)
        past = self.page("/my/loans?filterby=past")
        self.assertIn(self.van_loan.name, past)
        self.assertNotIn(self.room_loan.name, past)
        by_plate = self.page("/my/loans?search=PL-123&search_in=all")
        self.assertIn(self.van_loan.name, by_plate)
        self.assertNotIn(self.room_loan.name, by_plate)
        by_reference = self.page(f"/my/loans?search={self.room_loan.name}&search_in=name")
        self.assertIn(self.room_loan.name, by_reference)
        self.assertNotIn(self.van_loan.name, by_reference)
        # B's van is searched only among A's loans
        self.assertNotIn(self.b_loan.name, self.page("/my/loans?search=PL-999&search_in=resource"))
        by_state = self.page("/my/loans?sortby=state")
        self.assertLess(by_state.index(self.room_loan.name), by_state.index(self.van_loan.name))
        # unknown values fall back to the defaults, never to an error
        self.page("/my/loans?sortby=id;drop&filterby=nope&search_in=password")

    def test_the_list_pages(self):
        self.login_a()
        step = 3
        self.patch(CustomerPortal, "_items_per_page", step)
        first = self.page("/my/loans?sortby=date")
        self.assertIn("/my/loans/page/2", first)
        self.assertEqual(len(re.findall("o_conseil_loan_line", first)), step)
        second = self.page("/my/loans/page/2?sortby=date")
        self.assertEqual(len(re.findall("o_conseil_loan_line", second)), 1, "Four loans, three a page")

    def test_the_list_costs_the_same_whatever_the_number_of_loans(self):
        self.login_a()

        def queries():
            self.page("/my/loans")  # warm the caches
            before = self.cr.sql_log_count
            self.page("/my/loans")
            return self.cr.sql_log_count - before

        few = queries()
        self.assertGreater(few, 0)
        for days in range(30, 38):
            self.make_loan("room", days, days, room_id=self.room.id, expected_attendance=5, end_hour=10)
        self.assertLessEqual(queries(), few, "No query per loan or per resource")

    def test_the_detail_says_what_to_do_in_the_communes_hours(self):
        self.login_a()
        page = self.page(self.room_loan.get_portal_url())
        self.assertIn("Collect the keys of Salle Jean Moulin", page)
        self.assertIn("Usage room", page)
        start = format_datetime(self.env, self.room_loan.date_start, tz="Europe/Paris", dt_format="short")
        self.assertIn(start, page, "The commune's hours, whatever the server's clock")
        refused = self.page(self.refused_loan.get_portal_url())
        self.assertIn("La salle est en travaux ce jour-là.", refused)
        returned = self.page(self.van_loan.get_portal_url())
        self.assertIn("Returned: nothing more to do", returned)
        self.assertIn("o_conseil_loan_valuation", returned)
        self.assertNotIn("action_approve", returned)

    def test_another_associations_loan_and_guessed_ids_lead_home(self):
        self.login_a()
        for loan_id in (self.b_loan.id, 999_999):
            response = self.url_open(f"/my/loans/{loan_id}", allow_redirects=False)
            self.assertEqual(response.status_code, 303)
            self.assertTrue(response.headers["Location"].endswith("/my"))
        self.assertNotIn(self.b_loan.name, self.url_open(f"/my/loans/{self.b_loan.id}").text)

    def test_no_hr_data_of_the_agent(self):
        self.login_a()
        pages = [
            self.page("/my/loans"),
            self.page(self.agent_loan.get_portal_url()),
            self.page(f"/my/aid?year={self.year}"),
        ]
        for page in pages:
            for value in PRIVATE.values():
                self.assertNotIn(value, page)
            self.assertNotIn("31.37", page)
            self.assertNotIn("31,37", page)

    def test_a_token_opens_the_loan_it_was_made_for(self):
        token = self.room_loan._portal_ensure_token()
        self.assertIn(f"access_token={token}", self.room_loan.get_portal_url())
        anonymous = self.url_open(
            f"/my/loans/{self.room_loan.id}?access_token={token}", allow_redirects=False
        )
        self.assertEqual(anonymous.status_code, 200)
        self.assertIn("Collect the keys", anonymous.text)
        for url in (
            f"/my/loans/{self.room_loan.id}",
            f"/my/loans/{self.room_loan.id}?access_token=not-{token}",
            f"/my/loans/{self.b_loan.id}?access_token={token}",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertNotEqual(response.status_code, 200, url)
        self.authenticate(self.user_b.login, PASSWORD)
        response = self.url_open(f"/my/loans/{self.room_loan.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303, "B without the token")

    def test_home_counts_open_loans_and_aid(self):
        self.login_a()
        self.assertIn("/my/loans", self.page("/my"))
        counters = self.rpc("/my/counters", {"counters": ["conseil_loan_count", "conseil_aid_count"]})
        self.assertEqual(
            counters["conseil_loan_count"], 1, "The room to come; the rest is returned or refused"
        )
        self.assertEqual(counters["conseil_aid_count"], 4, "Two loans lent and two subsidies")

    def test_the_association_writes_to_the_town_hall_in_the_chatter(self):
        self.login_a()
        page = self.page(f"/my/loans/{self.room_loan.id}")
        token = re.search(r'data-token="([^"]+)"', page)[1]
        self.assertEqual(token, self.room_loan.access_token)
        post = {"body": "Pouvons-nous retirer les clés la veille ?", "message_type": "comment"}
        self.rpc(
            "/mail/message/post",
            {
                "thread_model": "conseil.loan",
                "thread_id": self.room_loan.id,
                "post_data": post,
                "token": token,
            },
        )
        message = self.room_loan.message_ids[0]
        self.assertIn("la veille", str(message.body))
        self.assertEqual(message.author_id, self.president)
        self.assertEqual(self.room_loan.state, "approved", "Writing changes nothing of the loan")
        with self.assertRaises(RpcError, msg="A's token does not open B's loan"):
            self.rpc(
                "/mail/message/post",
                {
                    "thread_model": "conseil.loan",
                    "thread_id": self.b_loan.id,
                    "post_data": post,
                    "token": token,
                },
            )

    def test_json_rpc_cannot_change_a_loan_nor_read_the_resources(self):
        self.login_a()
        rows = self.call_kw("conseil.loan", "search_read", [[]], {"fields": ["name"]})
        self.assertNotIn(self.b_loan.id, [row["id"] for row in rows])
        attempts = [
            ("conseil.loan", "write", [[self.room_loan.id], {"purpose": "Autre chose"}]),
            ("conseil.loan", "write", [[self.room_loan.id], {"state": "returned"}]),
            ("conseil.loan", "action_cancel", [[self.room_loan.id]]),
            ("conseil.loan", "action_approve", [[self.refused_loan.id]]),
            ("conseil.loan", "read", [[self.b_loan.id], ["name"]]),
            ("hr.employee", "read", [[self.agent.id], ["name"]]),
            ("hr.employee", "read", [[self.agent.id], ["private_email", "hourly_cost"]]),
            ("hr.employee.public", "read", [[self.agent.id], ["name"]]),
            ("fleet.vehicle", "read", [[self.van.id], ["license_plate"]]),
            ("conseil.room", "read", [[self.room.id], ["name"]]),
        ]
        for model, method, args in attempts:
            with self.subTest(model=model, method=method), self.assertRaises(RpcError):
                self.call_kw(model, method, args)
        self.assertEqual(self.room_loan.state, "approved")
        self.assertEqual(self.room_loan.purpose, "Usage room")


@tagged("post_install", "-at_install")
class TestPortalAid(LoanPortalCase):
    def test_the_years_aid_adds_up_to_the_statement(self):
        self.login_a()
        page = self.page(f"/my/aid?year={self.year}")
        self.assertIn(self.van_loan.name, page)
        self.assertIn(self.agent_loan.name, page)
        self.assertNotIn(self.room_loan.name, page, "Not lent yet")
        self.assertNotIn(self.b_loan.name, page)
        self.assertIn("DEL-PL-2026-12", page)
        self.assertIn("CONV-SUB-PL", page)
        self.assertNotIn("Aide B", page)
        self.assertNotIn("Aide de l an passé", page)
        statement = self.food_bank._statement_lines(self.year)
        self.assertEqual(statement["loans"], self.van_loan | self.agent_loan)
        total = self.van_loan.value + self.agent_loan.value
        self.assertEqual(statement["total"], total)
        shown = re.search(r'o_conseil_aid_in_kind_total">(.*?)</th>', page, re.S)[1]
        self.assertIn(f"{total:,.2f}", shown)
        last_year = self.page(f"/my/aid?year={self.year - 1}")
        self.assertIn("Aide de l an passé", last_year)
        self.assertNotIn(self.van_loan.name, last_year)
        self.assertIn(f"year={self.year - 1}", page, "The years that have aid are offered")

    def test_the_statement_is_the_associations_own_of_the_year(self):
        self.login_a()
        url = f"/my/aid/{self.food_bank.id}/statement/{self.year}"
        self.assertIn(url, self.page(f"/my/aid?year={self.year}"))
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.van_loan.name, response.text)  # HTML while testing, the PDF's source
        self.assertIn(self.agent_loan.name, response.text)
        self.assertNotIn(self.b_loan.name, response.text)
        response = self.url_open(
            f"/my/aid/{self.food_bank.id}/statement/{self.year - 1}", allow_redirects=False
        )
        self.assertEqual(response.status_code, 303, "No aid in kind that year: nothing to certify")
        for tampered in (
            f"/my/aid/{self.grocery.id}/statement/{self.year}",
            f"/my/aid/{self.food_bank.id}/statement/1066",
            f"/my/aid/999999/statement/{self.year}",
        ):
            response = self.url_open(tampered, allow_redirects=False)
            self.assertEqual(response.status_code, 303, tampered)
            self.assertNotIn("Épicerie", response.text)
        response = self.url_open(
            f"/my/aid?year={self.year}&association_id={self.grocery.id}", allow_redirects=False
        )
        self.assertEqual(response.status_code, 303, "Another association's aid page leads home")

    def test_b_cannot_download_as_statement(self):
        self.authenticate(self.user_b.login, PASSWORD)
        response = self.url_open(f"/my/aid/{self.food_bank.id}/statement/{self.year}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn(
            self.van_loan.name, self.url_open(f"/my/aid?association_id={self.food_bank.id}").text
        )

    def test_anonymous_visitors_are_sent_to_log_in(self):
        for url in ("/my/loans", "/my/aid", f"/my/aid/{self.food_bank.id}/statement/{self.year}"):
            response = self.url_open(url, allow_redirects=False)
            self.assertIn("/web/login", response.headers.get("Location", ""), url)

    def test_a_revoked_contact_sees_no_more_loans(self):
        self.login_a()
        self.page("/my/loans")
        wizard = self.env["portal.wizard"].browse(
            self.food_bank.with_user(self.referent).action_grant_portal_access()["res_id"]
        )
        wizard.user_ids.filtered(lambda line: line.partner_id == self.president).action_revoke_access()
        for url in (
            "/my/loans",
            self.van_loan.access_url,
            f"/my/aid/{self.food_bank.id}/statement/{self.year}",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertNotEqual(response.status_code, 200, url)
            self.assertNotIn(self.van_loan.name, response.text)
