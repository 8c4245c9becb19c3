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
        Association = cls.env["conseil.association"]
        cls.restos = Association.create({"name": "Restos de la Lys", "is_council_member": True})
        cls.grocery = Association.create({"name": "Épicerie solidaire", "is_council_member": True})

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
