from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import PRESIDENT_LOGIN, FoodBankPortalCase


@tagged("post_install", "-at_install")
class TestPortalNeedsTour(FoodBankPortalCase):
    """The food bank's president (the demo town's `banque`) records and follows her needs, in French, in a browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="tour_needs_manager", groups="conseil_associations.group_conseil_manager"
        )
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
        self.start_tour("/my", "conseil_portal_needs_tour", login=PRESIDENT_LOGIN)
        need = self.env["conseil.need"].search(
            [("association_id", "=", self.food_bank.id), ("need_type", "=", "room")]
        )
        self.assertEqual(need.name, "La salle des fêtes pour notre assemblée générale")
        self.assertEqual(need.state, "submitted")
        self.assertEqual(need.date_from, fields.Date.context_today(need) + timedelta(days=21))
        self.assertEqual(need.beneficiaries_affected, 120)
        self.assertIn(self.manager, need.activity_ids.user_id)
        self.assertTrue(need.message_ids.filtered(lambda message: message.author_id == self.president))
