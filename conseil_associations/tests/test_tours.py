from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRoleTours(HttpCase):
    """Each role's walk of a French town hall's first day, in a real browser, in French."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"].search([("name", "=", "conseil_associations")])._update_translations(
            filter_lang="fr_FR", overwrite=True
        )
        cls.env.company.partner_id.lang = "fr_FR"  # a French town: the server writes for it in French

        def user(login, groups, home=None, name=None):
            return new_test_user(
                cls.env,
                login=login,
                password=f"{login}_pwd",
                name=name or login,
                groups=groups,
                tz="Europe/Paris",
                lang="fr_FR",
                action_id=cls.env.ref(home).id if home else False,
            )

        cls.officer = user("tour_officer", "conseil_associations.group_conseil_officer")
        cls.manager = user(
            "tour_manager", "conseil_associations.group_conseil_manager", name="Bernard Leroy (adjoint)"
        )
        # each approver lands on what waits for them, as in the demo town
        cls.fleet_manager = user(
            "tour_fleet",
            "base.group_user,fleet.fleet_group_manager",
            home="conseil_associations.conseil_loan_action_to_approve_vehicle",
        )
        cls.hr_officer = user(
            "tour_hr",
            "base.group_user,hr.group_hr_user",
            home="conseil_associations.conseil_loan_action_to_approve_agent",
        )
        Association = cls.env["conseil.association"]
        cls.restos = Association.create({"name": "Restos de la Lys", "is_council_member": True})
        cls.grocery = Association.create({"name": "Épicerie solidaire", "is_council_member": True})

    def _vehicle(self, plate="AB-123-CD"):
        brand = self.env["fleet.vehicle.model.brand"].create({"name": "Renault"})
        model = self.env["fleet.vehicle.model"].create({"name": "Master", "brand_id": brand.id})
        return self.env["fleet.vehicle"].create({"model_id": model.id, "license_plate": plate})

    def _request(self, **values):
        loan = self.env["conseil.loan"].create(
            {"association_id": self.restos.id, "purpose": "Collecte", **values}
        )
        loan.action_request()
        return loan

    def test_officer_opens_the_dashboard(self):
        """The dashboard, from the addon's menu, in French: drawn, every figure evaluated, none wrong."""
        Need = self.env["conseil.need"]
        for name in ("Un minibus pour la collecte", "Une salle pour l'assemblée"):
            Need.create(
                {"name": name, "association_id": self.restos.id, "need_type": "vehicle"}
            ).action_submit()
        self._request(
            loan_type="vehicle", vehicle_id=self._vehicle().id,
            date_start="2027-04-01 08:00:00", date_end="2027-04-01 18:00:00",
        )  # fmt: skip
        self.start_tour("/odoo", "conseil_dashboard_tour", login="tour_officer")

    def test_officer_plans_a_season_and_takes_attendance(self):
        Meeting = self.env["conseil.meeting"]
        planned = self.env["conseil.season.wizard"].with_user(self.officer).create({"rule": "first_third"})
        taken = planned._session_starts()[1]  # a day of the season that already has its session
        existing = Meeting.create(
            {
                "name": "Conseil déjà prévu",
                "date_start": taken,
                "date_end": taken + timedelta(hours=2),
                "chair_id": self.manager.id,
            }
        )
        self.start_tour("/odoo", "conseil_officer_season_tour", login="tour_officer")
        meetings = Meeting.search([("create_uid", "=", self.officer.id)], order="date_start")
        self.assertGreaterEqual(len(meetings), 10, "About six months of councils, twice a month")
        self.assertFalse(
            meetings.filtered(lambda meeting: meeting.date_start.date() == existing.date_start.date()),
            "The day that had its session got no second one",
        )
        self.assertEqual(meetings.chair_id, self.manager)
        self.assertTrue(all(meeting.calendar_event_id for meeting in meetings))
        self.assertRegex(meetings[0].name, r"^Conseil des associations du \d+ \w+ \d{4}$")
        first = meetings[0]
        self.assertEqual(first.state, "held")
        present = first.attendance_ids.filtered(lambda a: a.state == "present")
        self.assertEqual(present.association_id, self.restos)

    def test_fleet_manager_approves_from_fleet(self):
        van = self._vehicle()
        period = {"date_start": "2027-03-01 08:00:00", "date_end": "2027-03-03 18:00:00"}
        first = self._request(loan_type="vehicle", vehicle_id=van.id, **period)
        second = self._request(
            loan_type="vehicle", vehicle_id=van.id, association_id=self.grocery.id,
            date_start="2027-03-02 08:00:00", date_end="2027-03-04 18:00:00",
        )  # fmt: skip
        minibus = self.env["fleet.vehicle"].create(
            {"model_id": van.model_id.id, "license_plate": "EF-456-GH"}
        )
        batch = self._request(
            loan_type="vehicle", vehicle_id=minibus.id, date_start="2027-03-10 08:00:00", date_end="2027-03-10 18:00:00"
        ) | self._request(
            loan_type="vehicle", vehicle_id=minibus.id, association_id=self.grocery.id,
            date_start="2027-03-20 08:00:00", date_end="2027-03-20 18:00:00",
        )  # fmt: skip
        self.start_tour("/odoo", "conseil_fleet_manager_tour", login="tour_fleet")
        self.assertEqual(first.state, "approved")
        self.assertEqual(first.approved_by_id, self.fleet_manager)
        self.assertEqual(second.state, "requested")
        self.assertEqual(batch.mapped("state"), ["approved", "approved"])
        self.assertEqual(batch.approved_by_id, self.fleet_manager)
        self.assertTrue(all(batch.calendar_event_id), "Each loan of the batch has its calendar event")
        self.assertEqual(
            first.calendar_event_id.name, "Mise à disposition : Renault/Master/AB-123-CD — Restos de la Lys"
        )

    def test_officer_records_a_need_and_requests_a_vehicle(self):
        van = self._vehicle()
        minibus = self._vehicle("EF-456-GH")
        prepared = self.env["conseil.loan"].create(
            {
                "loan_type": "vehicle",
                "association_id": self.restos.id,
                "purpose": "Collecte",
                "date_start": "2027-03-01 08:00:00",
                "date_end": "2027-03-01 18:00:00",
            }
        )
        lent = self._request(
            loan_type="vehicle", vehicle_id=minibus.id, date_start="2027-04-01 08:00:00", date_end="2027-04-03 18:00:00"
        )  # fmt: skip
        lent.action_approve()
        overlapping = self.env["conseil.loan"].create(
            {
                "loan_type": "vehicle",
                "association_id": self.grocery.id,
                "vehicle_id": minibus.id,
                "purpose": "Brocante",
                "date_start": "2027-04-02 08:00:00",
                "date_end": "2027-04-02 18:00:00",
            }
        )
        self.start_tour("/odoo", "conseil_officer_need_tour", login="tour_officer")
        need = self.env["conseil.need"].search(
            [("name", "=", "Une camionnette pour la collecte de printemps")]
        )
        self.assertEqual(need.state, "submitted")
        self.assertEqual(need.need_type, "vehicle")
        self.assertEqual(need.association_id, self.restos)
        self.assertEqual(
            need.activity_ids.summary,
            "Besoin à examiner : Restos de la Lys",
            "Written for the town, in French",
        )
        self.assertEqual(prepared.vehicle_id, van)
        self.assertEqual(prepared.state, "requested")
        self.assertEqual(overlapping.state, "draft")

    def test_manager_decides_at_the_review_and_exports(self):
        self.env.company.conseil_siret = "21590279200013"
        self.restos.rna = "W595000001"
        # a review of last week, still open: the need submitted today is decided today, not a week ago
        last_week = fields.Datetime.now().replace(hour=16, minute=30, second=0, microsecond=0) - timedelta(
            days=7
        )
        review = self.env["conseil.meeting"].create(
            {
                "name": "Revue de mars",
                "meeting_type": "review",
                "date_start": last_week,
                "date_end": last_week + timedelta(hours=2),
                "chair_id": self.manager.id,
            }
        )
        need = self.env["conseil.need"].create(
            {"name": "Un minibus pour les U13", "association_id": self.restos.id, "need_type": "vehicle"}
        )
        need.action_submit()
        # the van was lent last year and this year: both statements have figures to print
        van = self._vehicle()
        this_year = fields.Date.today().year
        for year in (this_year - 1, this_year):
            self._request(
                loan_type="vehicle", vehicle_id=van.id,
                date_start=f"{year}-01-12 08:00:00", date_end=f"{year}-01-13 18:00:00",
            ).action_approve()  # fmt: skip
        Export = self.env["conseil.scdl.export.wizard"]
        self.env["conseil.subsidy"].create(
            {
                "name": "Fonctionnement",
                "association_id": self.restos.id,
                "year": Export.create({}).date_from.year,
                "amount": 1500,
                "convention_date": Export.create({}).date_from,
                "payment_date": Export.create({}).date_from,
            }
        )
        self.start_tour("/odoo", "conseil_manager_review_tour", login="tour_manager")
        self.assertEqual(need.state, "approved")
        self.assertEqual(need.review_meeting_id, review)
        self.assertTrue(need.decision_id.reference.startswith("DEC-"))
        self.assertGreaterEqual(need.decision_id.decision_date, need.submitted_on.date())
        self.assertGreater(need.decision_id.decision_date, review.date_start.date())
        export = Export.search([("create_uid", "=", self.manager.id)])
        self.assertTrue(export.csv_file, "The manager got the SCDL file")

    def test_hr_officer_assigns_an_agent(self):
        calendar = self.env["resource.calendar"].create(
            {
                "name": "35 h",
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": str(d),
                            "dayofweek": str(d),
                            "hour_from": 9,
                            "hour_to": 16,
                            "day_period": "full_day",
                        },
                    )
                    for d in range(5)
                ],
            }
        )
        agent = self.env["hr.employee"].create(
            {"name": "Marc Agent", "resource_calendar_id": calendar.id, "conseil_is_titulaire": True}
        )
        loan = self._request(
            loan_type="agent", employee_id=agent.id, weekly_hours=10,
            date_start="2027-03-01 08:00:00", date_end="2027-06-30 18:00:00",
            agent_consent_date="2026-10-01", convention_ref="CONV-2027-01", council_informed_date="2026-10-15",
            reimbursement="reimbursed",
        )  # fmt: skip
        self.start_tour("/odoo", "conseil_hr_officer_tour", login="tour_hr")
        self.assertEqual(loan.state, "approved")
        self.assertEqual(loan.approved_by_id, self.hr_officer)
        self.assertTrue(loan.calendar_event_id)


@tagged("post_install", "-at_install")
class TestClickEverywhere(HttpCase):
    """Every menu, view and filter of the app opens without error, for each role."""

    def click_everywhere(self, login):
        self.browser_js(
            "/odoo",
            "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
            ".startClickEverywhere('conseil_associations.menu_conseil_root');",
            "odoo.isReady === true",
            login=login,
            timeout=600,
            success_signal="clickbot test succeeded",
        )

    def test_officer_clicks_everywhere(self):
        new_test_user(
            self.env, login="click_officer", password="click_officer_pwd",
            groups="conseil_associations.group_conseil_officer",
        )  # fmt: skip
        self.click_everywhere("click_officer")

    def test_manager_clicks_everywhere(self):
        new_test_user(
            self.env, login="click_manager", password="click_manager_pwd",
            groups="conseil_associations.group_conseil_manager,base.group_system",
        )  # fmt: skip
        self.click_everywhere("click_manager")
