from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRoleTours(HttpCase):
    """Each role's main journey, in a real browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(
            cls.env,
            login="tour_officer",
            password="tour_officer_pwd",
            groups="conseil_associations.group_conseil_officer",
            tz="Europe/Paris",
        )
        cls.fleet_manager = new_test_user(
            cls.env,
            login="tour_fleet",
            password="tour_fleet_pwd",
            groups="base.group_user,fleet.fleet_group_manager",
            tz="Europe/Paris",
        )
        cls.hr_officer = new_test_user(
            cls.env,
            login="tour_hr",
            password="tour_hr_pwd",
            groups="base.group_user,hr.group_hr_user",
            tz="Europe/Paris",
        )
        Association = cls.env["conseil.association"]
        cls.restos = Association.create({"name": "Restos de la Lys", "is_council_member": True})
        cls.grocery = Association.create({"name": "Épicerie solidaire", "is_council_member": True})

    def _van(self):
        brand = self.env["fleet.vehicle.model.brand"].create({"name": "Renault"})
        model = self.env["fleet.vehicle.model"].create({"name": "Master", "brand_id": brand.id})
        return self.env["fleet.vehicle"].create({"model_id": model.id, "license_plate": "AB-123-CD"})

    def _request(self, **values):
        loan = self.env["conseil.loan"].create(
            {"association_id": self.restos.id, "purpose": "Collecte", **values}
        )
        loan.action_request()
        return loan

    def test_officer_plans_a_season_and_takes_attendance(self):
        self.start_tour("/odoo", "conseil_officer_season_tour", login="tour_officer")
        meetings = self.env["conseil.meeting"].search(
            [("create_uid", "=", self.officer.id)], order="date_start"
        )
        self.assertGreaterEqual(len(meetings), 10, "About six months of councils, twice a month")
        self.assertTrue(all(meeting.event_id for meeting in meetings))
        first = meetings[0]
        self.assertEqual(first.state, "held")
        present = first.attendance_ids.filtered(lambda a: a.state == "present")
        self.assertEqual(present.association_id, self.restos)

    def test_fleet_manager_approves_from_fleet(self):
        van = self._van()
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

    def test_officer_records_a_need_and_requests_a_vehicle(self):
        van = self._van()
        prepared = self.env["conseil.loan"].create(
            {
                "loan_type": "vehicle",
                "association_id": self.restos.id,
                "purpose": "Collecte",
                "date_start": "2027-03-01 08:00:00",
                "date_end": "2027-03-01 18:00:00",
            }
        )
        self.start_tour("/odoo", "conseil_officer_need_tour", login="tour_officer")
        need = self.env["conseil.need"].search(
            [("name", "=", "Une camionnette pour la collecte de printemps")]
        )
        self.assertEqual(need.state, "submitted")
        self.assertEqual(need.need_type, "vehicle")
        self.assertEqual(need.association_id, self.restos)
        self.assertEqual(prepared.vehicle_id, van)
        self.assertEqual(prepared.state, "requested")

    def test_manager_decides_at_the_review_and_exports(self):
        manager = new_test_user(
            self.env,
            login="tour_manager",
            password="tour_manager_pwd",
            groups="conseil_associations.group_conseil_manager",
            tz="Europe/Paris",
        )
        self.env.company.conseil_siret = "21590279200013"
        self.restos.rna = "W595000001"
        review = self.env["conseil.meeting"].create(
            {
                "name": "Revue de mars",
                "meeting_type": "review",
                "date_start": "2027-03-09 16:30:00",
                "date_end": "2027-03-09 18:30:00",
                "chair_id": manager.id,
            }
        )
        need = self.env["conseil.need"].create(
            {"name": "Un minibus pour les U13", "association_id": self.restos.id, "need_type": "vehicle"}
        )
        need.action_submit()
        self.env["conseil.subsidy"].create(
            {
                "name": "Fonctionnement",
                "association_id": self.restos.id,
                "year": self.env["conseil.scdl.export.wizard"].create({}).date_from.year,
                "amount": 1500,
                "convention_date": self.env["conseil.scdl.export.wizard"].create({}).date_from,
                "payment_date": self.env["conseil.scdl.export.wizard"].create({}).date_from,
            }
        )
        self.start_tour("/odoo", "conseil_manager_review_tour", login="tour_manager")
        self.assertEqual(need.state, "approved")
        self.assertEqual(need.review_meeting_id, review)
        self.assertTrue(need.decision_id.reference.startswith("DEC-"))
        export = self.env["conseil.scdl.export.wizard"].search([("create_uid", "=", manager.id)])
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
