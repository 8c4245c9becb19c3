from datetime import datetime, timedelta

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPortalCouncilsTour(HttpCase):
    """The food bank's president answers the next council and sends her progress report, in French."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"].search([("name", "=", "conseil_associations")])._update_translations(
            filter_lang="fr_FR", overwrite=True
        )
        cls.officer = new_test_user(
            cls.env, login="tour_councils_officer", groups="conseil_associations.group_conseil_officer"
        )
        cls.food_bank = cls.env["conseil.association"].create(
            {
                "name": "Banque alimentaire",
                "is_council_member": True,
                "referent_user_id": cls.officer.id,
                "child_ids": [
                    Command.create(
                        {
                            "name": "Martine Lefebvre",
                            "email": "martine@banque.example",
                            "conseil_role": "president",
                            "lang": "fr_FR",
                        }
                    )
                ],
            }
        )
        cls.president = cls.food_bank.child_ids
        action = cls.food_bank.with_user(cls.officer).action_grant_portal_access()
        wizard = cls.env["portal.wizard"].with_user(cls.officer).browse(action["res_id"])
        wizard.user_ids.filtered(lambda line: line.partner_id == cls.president).action_grant_access()
        cls.president.user_ids.write({"password": "tour_banque_pwd", "login": "tour_banque", "lang": "fr_FR"})
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
        self.start_tour("/my", "conseil_portal_councils_tour", login="tour_banque")
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
