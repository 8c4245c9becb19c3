from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPortalSynergiesTour(HttpCase):
    """The food bank's president updates her offer and accepts the help the town proposes, in French."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang("fr_FR")
        env["ir.module.module"].search([("name", "=", "conseil_associations")])._update_translations(
            filter_lang="fr_FR", overwrite=True
        )
        cls.officer = new_test_user(
            env, login="tour_synergies_officer", groups="conseil_associations.group_conseil_officer"
        )
        Association = env["conseil.association"]
        cls.food_bank = Association.create(
            {
                "name": "Banque alimentaire",
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
        cls.golden_age = Association.create(
            {
                "name": "Club de l'âge d'or",
                "child_ids": [
                    Command.create(
                        {
                            "name": "Colette Dubois",
                            "email": "colette@agedor.example",
                            "conseil_role": "president",
                        }
                    )
                ],
            }
        )
        # as in the demo town: the food bank's offer, and the officer's proposal that it helps the club
        cls.offer = (
            env["conseil.offer"]
            .with_user(cls.officer)
            .create(
                {
                    "name": "Colis alimentaires d'urgence",
                    "association_id": cls.food_bank.id,
                    "offer_type": "equipment",
                    "capacity": 20,
                    "capacity_unit": "parcels",
                }
            )
        )
        in_three_weeks = fields.Date.today() + timedelta(days=20)
        cls.need = (
            env["conseil.need"]
            .with_user(cls.officer)
            .create(
                {
                    "name": "Des colis pour les aînés isolés cet été",
                    "association_id": cls.golden_age.id,
                    "need_type": "equipment",
                    "quantity": 15,
                    "unit": "parcels",
                    "date_from": in_three_weeks,
                    "date_to": in_three_weeks + timedelta(days=60),
                }
            )
        )
        cls.need.action_submit()
        cls.proposal = cls.need.with_user(cls.officer)._propose_help(cls.offer)
        president = cls.food_bank.child_ids
        action = cls.food_bank.with_user(cls.officer).action_grant_portal_access()
        wizard = env["portal.wizard"].with_user(cls.officer).browse(action["res_id"])
        wizard.user_ids.filtered(lambda line: line.partner_id == president).action_grant_access()
        president.user_ids.write({"login": "tour_banque", "password": "tour_banque_pwd", "lang": "fr_FR"})

    def test_president_updates_her_offer_and_accepts_the_proposal(self):
        self.start_tour("/my", "conseil_portal_synergies_tour", login="tour_banque")
        self.assertEqual(self.offer.capacity, 30)
        self.assertEqual(self.proposal.state, "active")
        self.assertEqual(self.need.state, "redirected")
        self.assertIn("Martine Lefebvre", str(self.proposal.message_ids.mapped("body")))
