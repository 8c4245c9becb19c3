from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPortalNeedsTour(HttpCase):
    """The food bank's president (the demo town's `banque`) records and follows her needs, in French, in a browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"].search([("name", "=", "conseil_associations")])._update_translations(
            filter_lang="fr_FR", overwrite=True
        )
        cls.env.company.partner_id.lang = "fr_FR"
        cls.officer = new_test_user(
            cls.env, login="tour_needs_officer", groups="conseil_associations.group_conseil_officer"
        )
        cls.manager = new_test_user(
            cls.env, login="tour_needs_manager", groups="conseil_associations.group_conseil_manager"
        )
        cls.food_bank = cls.env["conseil.association"].create(
            {
                "name": "Banque alimentaire des Hauts-de-Lys",
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
        cls.president.user_ids.write({"login": "tour_banque", "password": "tour_banque", "lang": "fr_FR"})
        cls.decided = cls._decided_need()

    @classmethod
    def _decided_need(cls):
        """The van of the national collection, granted in part at the last municipal review."""
        today = fields.Date.context_today(cls.env["conseil.need"])
        need = cls.env["conseil.need"].create(
            {
                "name": "Une camionnette pour la collecte nationale",
                "association_id": cls.food_bank.id,
                "need_type": "vehicle",
                "date_from": today + timedelta(days=60),
            }
        )
        need.action_submit()
        start = fields.Datetime.now() + timedelta(days=1)
        review = cls.env["conseil.meeting"].create(
            {
                "name": "Revue municipale",
                "meeting_type": "review",
                "date_start": start,
                "date_end": start + timedelta(hours=2),
            }
        )
        review.action_gather_submitted_needs()
        need._decide({"outcome": "partial", "granted": "La camionnette le samedi de la collecte"})
        return need

    def test_president_records_submits_and_follows_a_need(self):
        self.start_tour("/my", "conseil_portal_needs_tour", login="tour_banque")
        need = self.env["conseil.need"].search(
            [("association_id", "=", self.food_bank.id), ("need_type", "=", "room")]
        )
        self.assertEqual(need.name, "La salle des fêtes pour notre assemblée générale")
        self.assertEqual(need.state, "submitted")
        self.assertEqual(need.date_from, fields.Date.context_today(need) + timedelta(days=21))
        self.assertEqual(need.beneficiaries_affected, 120)
        self.assertIn(self.manager, need.activity_ids.user_id)
        self.assertTrue(need.message_ids.filtered(lambda message: message.author_id == self.president))
