from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import PRESIDENT_LOGIN, FoodBankPortalCase


@tagged("post_install", "-at_install")
class TestPortalSynergiesTour(FoodBankPortalCase):
    """The food bank's president updates her offer and accepts the help the town proposes, in French."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        Association = env["conseil.association"]
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

    def test_president_updates_her_offer_and_accepts_the_proposal(self):
        self.start_tour("/my", "conseil_portal_synergies_tour", login=PRESIDENT_LOGIN)
        self.assertEqual(self.offer.capacity, 30)
        self.assertEqual(self.proposal.state, "active")
        self.assertEqual(self.need.state, "redirected")
        self.assertIn("Martine Lefebvre", str(self.proposal.message_ids.mapped("body")))
