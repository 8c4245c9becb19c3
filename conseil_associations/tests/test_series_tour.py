from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSeriesTours(HttpCase):
    """The officer requests a weekly room for a season; the manager sees the conflict and approves the others."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def user(login, groups):
            return new_test_user(
                cls.env, login=login, password=f"{login}_pwd", groups=groups, tz="Europe/Paris", lang="en_US"
            )

        cls.officer = user("series_officer", "conseil_associations.group_conseil_officer")
        cls.manager = user("series_manager", "conseil_associations.group_conseil_manager")
        cls.choir = cls.env["conseil.association"].create({"name": "Chorale du Lys"})
        grocery = cls.env["conseil.association"].create({"name": "Épicerie solidaire"})
        hours = cls.env["resource.calendar"].create(
            {
                "name": "Salles 8 h - 23 h",
                "tz": "Europe/Paris",
                "attendance_ids": [
                    (0, 0, {"name": str(d), "dayofweek": str(d), "hour_from": 8, "hour_to": 23, "day_period": "full_day"})
                    for d in range(7)
                ],
            }
        )  # fmt: skip
        cls.room = cls.env["conseil.room"].create(
            {
                "name": "Salle des fêtes",
                "capacity": 200,
                "resource_calendar_id": hours.id,
                "buffer_minutes": 30,
            }
        )
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Town festival",
                "calendar_id": cls.env.company.resource_calendar_id.id,
                "date_from": "2027-04-05 22:00:00",
                "date_to": "2027-04-06 21:59:59",
            }
        )
        # the grocery holds the room until 18:15 on 9 March: with the buffer, the choir cannot start at 18:00
        cls.blocking = cls.env["conseil.loan"].create(
            {
                "loan_type": "room",
                "association_id": grocery.id,
                "room_id": cls.room.id,
                "purpose": "Distribution",
                "expected_attendance": 20,
                "date_start": "2027-03-09 14:00:00",
                "date_end": "2027-03-09 17:15:00",
            }
        )
        cls.blocking.action_request()
        cls.blocking.action_approve()

    def test_officer_requests_the_season_and_manager_approves_the_free_evenings(self):
        self.start_tour("/odoo", "conseil_series_officer_tour", login="series_officer")
        series = self.env["conseil.loan.series"].search([("association_id", "=", self.choir.id)])
        self.assertEqual(series.state, "requested")
        self.assertEqual(len(series.loan_ids), 8)
        self.assertEqual(series.skipped_days, [{"date": "2027-04-06", "reason": "Town festival"}])
        self.start_tour("/odoo", "conseil_series_manager_tour", login="series_manager")
        self.assertEqual(series.state, "decided")
        refused = series.loan_ids.filtered(lambda loan: loan.state == "refused")
        self.assertEqual(refused.date_start.date().isoformat(), "2027-03-09")
        # the association reads that the date is not available; the town's note names the loan that holds it
        self.assertNotIn(self.blocking.name, refused.refusal_reason)
        self.assertIn("is not available on", refused.refusal_reason)
        self.assertIn(self.blocking.name, " ".join(series.message_ids.mapped("body")))
        self.assertEqual(series.approved_count, 7)
