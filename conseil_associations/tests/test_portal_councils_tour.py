from datetime import datetime, timedelta

from odoo.tests import tagged

from .common import PRESIDENT_LOGIN, FoodBankPortalCase


@tagged("post_install", "-at_install")
class TestPortalCouncilsTour(FoodBankPortalCase):
    """The food bank's president answers the next council and sends her progress report, in French."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        start = datetime.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=9)
        Meeting = cls.env["conseil.meeting"].with_user(cls.officer)
        cls.council = Meeting.create(
            {
                "name": "Conseil des associations à venir",
                "date_start": start,
                "date_end": start + timedelta(hours=2),
                "location": "Hôtel de ville, salle du conseil",
            }
        )
        cls.council._invite(cls.food_bank)
        cls.env["conseil.agenda.item"].with_user(cls.officer).create(
            {"meeting_id": cls.council.id, "section": "Défis", "name": "Collecte nationale de novembre"}
        )

    def test_president_accepts_the_next_council_and_sends_her_progress_report(self):
        self.start_tour("/my", "conseil_portal_councils_tour", login=PRESIDENT_LOGIN)
        line = self.council.attendance_ids
        self.assertEqual(line.state, "confirmed")
        self.assertEqual(line.representative_id, self.president)
        self.assertEqual(line.note, "Martine et un bénévole")
        attendee = self.council.calendar_event_id.attendee_ids.filtered(
            lambda a: a.partner_id == self.food_bank.partner_id
        )
        self.assertEqual(attendee.state, "accepted")
        report = self.council.progress_report_ids
        self.assertEqual(report.association_id, self.food_bank)
        self.assertEqual(report.beneficiaries_served, 85)
        self.assertEqual(report.difficulties, "Il nous manque un chauffeur le samedi")
