from datetime import date, datetime, timedelta

from conseil_testing import ConseilCase
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged


class SynergyCase(ConseilCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Theme = cls.env["conseil.theme"]
        cls.food_theme = cls.theme_food
        cls.social_theme = cls.env.ref("conseil_associations.theme_social")
        cls.culture_theme = cls.env.ref("conseil_associations.theme_culture")
        cls.sport_theme = cls.env.ref("conseil_associations.theme_sport")
        cls.food_aid = cls.create_association(
            "Aide alimentaire", theme_ids=[(6, 0, (cls.food_theme | cls.social_theme).ids)]
        )
        cls.grocery = cls.create_association("Épicerie solidaire", theme_ids=[(6, 0, cls.food_theme.ids)])
        cls.club = cls.create_association("Club de rugby", theme_ids=[(6, 0, cls.sport_theme.ids)])
        cls.theatre = cls.create_association("Théâtre", theme_ids=[(6, 0, cls.culture_theme.ids)])
        cls.Offer = cls.env["conseil.offer"].with_user(cls.officer)
        cls.parcels = cls.Offer.create(
            {
                "name": "50 colis par semaine",
                "association_id": cls.grocery.id,
                "offer_type": "equipment",
                "capacity": 50,
                "capacity_unit": "parcels",
            }
        )
        cls.volunteers = cls.Offer.create(
            {"name": "Jeunes bénévoles", "association_id": cls.club.id, "offer_type": "other", "capacity": 6,
             "capacity_unit": "persons"}
        )  # fmt: skip
        cls.own_offer = cls.Offer.create(
            {"name": "Ses propres colis", "association_id": cls.food_aid.id, "offer_type": "equipment",
             "capacity": 100, "capacity_unit": "parcels"}
        )  # fmt: skip
        Theme.flush_model()
        cls.need = (
            cls.env["conseil.need"]
            .with_user(cls.officer)
            .create(
                {
                    "name": "Produire les colis alimentaires",
                    "association_id": cls.food_aid.id,
                    "need_type": "equipment",
                    "quantity": 40,
                    "unit": "parcels",
                    "date_from": date(2027, 3, 1),
                    "date_to": date(2027, 6, 30),
                }
            )
        )


@tagged("post_install", "-at_install")
class TestWhoCouldHelp(SynergyCase):
    def test_ranking_order_and_reasons(self):
        ranking = self.need._rank_offers()
        offers = [offer for offer, __, __ in ranking]
        self.assertEqual(offers[0], self.parcels, "Same type, shared theme and enough capacity come first")
        self.assertNotIn(self.own_offer, offers, "The requester is never proposed to itself")
        reasons = ranking[0][2]
        self.assertTrue(any("what is needed" in reason for reason in reasons), reasons)
        self.assertTrue(any("Food aid" in reason for reason in reasons), reasons)
        self.assertTrue(any("Can give 50, 40 asked" in reason for reason in reasons), reasons)
        self.assertEqual(ranking, self.need._rank_offers(), "Deterministic")

    def test_ties_broken_by_offer_age(self):
        twin = self.Offer.create(
            {"name": "Colis bis", "association_id": self.theatre.id, "offer_type": "equipment", "capacity": 50,
             "capacity_unit": "parcels", "theme_ids": [(6, 0, self.food_theme.ids)]}
        )  # fmt: skip
        ranking = self.need._rank_offers()
        scores = {offer: score for offer, score, __ in ranking}
        self.assertEqual(scores[twin], scores[self.parcels])
        self.assertLess(
            [o for o, __, __ in ranking].index(self.parcels), [o for o, __, __ in ranking].index(twin)
        )

    def test_expired_and_inactive_offers_excluded(self):
        self.parcels.date_to = date(2027, 2, 1)  # ends before the wanted period
        self.volunteers.active = False
        offers = [offer for offer, __, __ in self.need._rank_offers()]
        self.assertNotIn(self.parcels, offers)
        self.assertNotIn(self.volunteers, offers)
        self.parcels.write({"date_to": False, "date_from": date(2027, 9, 1)})  # starts after it
        self.assertNotIn(self.parcels, [offer for offer, __, __ in self.need._rank_offers()])

    def test_past_partnership_counts(self):
        theatre_offer = self.Offer.create(
            {"name": "Colis du théâtre", "association_id": self.theatre.id, "offer_type": "equipment"}
        )
        before = {offer: score for offer, score, __ in self.need._rank_offers()}[theatre_offer]
        self.env["conseil.partnership"].create({"helper_id": self.theatre.id, "helped_id": self.food_aid.id})
        after = {offer: (score, reasons) for offer, score, reasons in self.need._rank_offers()}[theatre_offer]
        self.assertGreater(after[0], before)
        self.assertIn("Already helped this association", after[1])

    def test_proposal_becomes_partnership(self):
        self.need.action_submit()
        action = self.need.with_user(self.officer).action_who_could_help()
        proposals = self.env["conseil.help.proposal"].search(action["domain"])
        best = proposals.sorted("rank")[0]
        self.assertEqual(best.offer_id, self.parcels)
        self.assertIn("Can give", best.reasons)
        best.with_user(self.officer).action_propose()
        partnership = self.need.partnership_ids
        self.assertEqual(partnership.state, "proposed", "The helper is asked first")
        self.assertEqual(self.need.state, "submitted", "Nothing moves before it says yes")
        self.assertNotIn(self.grocery, self.food_aid.partner_association_ids, "A proposal is no partnership")
        partnership.with_user(self.officer).action_accept()  # said at the council, recorded by the officer
        self.assertEqual(partnership.state, "active")
        self.assertEqual(partnership.helper_id, self.grocery)
        self.assertEqual(partnership.helped_id, self.food_aid)
        self.assertEqual(self.need.state, "redirected")
        self.env.invalidate_all()
        self.assertIn(self.grocery, self.food_aid.partner_association_ids, "Both sides see it")
        self.assertIn(self.food_aid, self.grocery.partner_association_ids)
        self.assertIn(partnership, self.grocery.partnership_given_ids)
        self.assertIn(partnership, self.food_aid.partnership_received_ids)
        self.assertTrue(partnership.crosses_themes is False, "Both share food aid")
        with self.assertRaises(UserError):
            self.need._propose_help(self.volunteers)

    def test_redirection_during_a_review_is_a_decision(self):
        self.need.action_submit()
        review = self.env["conseil.meeting"].create(
            {"name": "Revue", "meeting_type": "review", "date_start": datetime(2027, 2, 10, 17),
             "date_end": datetime(2027, 2, 10, 19)}
        )  # fmt: skip
        review._gather_needs(self.need)
        partnership = self.need.with_user(self.manager)._propose_help(self.parcels)
        self.assertEqual(self.need.state, "in_review")
        partnership.with_user(self.officer).action_accept()
        self.assertEqual(self.need.state, "redirected")
        self.assertEqual(self.need.decision_id.decided_by_id, self.manager, "The proposer decided it")
        self.assertEqual(self.need.decision_id.outcome, "redirect")
        self.assertEqual(self.need.decision_id.redirect_association_id, self.grocery)

    def ranking_query_count(self):
        self.need._rank_offers()  # registry caches (rules, groups) warm, as in a running server
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        ranking = self.need._rank_offers()
        return self.env.cr.sql_log_count - before, ranking

    def test_ranking_queries_do_not_grow(self):
        small, __ = self.ranking_query_count()
        for n in range(40):
            association = self.create_association(f"Association {n}", theme_ids=[(6, 0, self.food_theme.ids)])
            self.Offer.create(
                {"name": f"Offre {n}", "association_id": association.id, "offer_type": "equipment"}
            )
            self.env["conseil.partnership"].create({"helper_id": association.id, "helped_id": self.club.id})
        large, ranking = self.ranking_query_count()
        self.assertEqual(large, small, "The ranking costs the same number of queries at both sizes")
        self.assertLessEqual(large, 12)
        self.assertEqual(len(ranking), 20, "The twenty best")


@tagged("post_install", "-at_install")
class TestSynergyAgendaAndNetwork(SynergyCase):
    def test_agenda_section(self):
        Meeting = self.env["conseil.meeting"]
        previous = Meeting.create({"name": "Avant", "date_start": datetime.now() - timedelta(days=14),
                                   "date_end": datetime.now() - timedelta(days=14, hours=-2)})  # fmt: skip
        challenge = self.env["conseil.challenge"].create(
            {
                "name": "Nourrir les seniors cet été",
                "theme_ids": [(6, 0, (self.food_theme | self.sport_theme).ids)],
            }
        )
        challenge.action_start()
        partnership = self.env["conseil.partnership"].create(
            {
                "helper_id": self.club.id,
                "helped_id": self.theatre.id,
                "exchange": "Bénévoles pour le festival",
            }
        )
        self.need.action_submit()
        council = Meeting.create({"name": "Conseil", "date_start": datetime.now() + timedelta(days=1),
                                  "date_end": datetime.now() + timedelta(days=1, hours=2)})  # fmt: skip
        council.action_build_agenda()
        items = council.agenda_item_ids.filtered(lambda item: item.section == "Challenges and synergies")
        by_model = {(item.res_model, item.res_id) for item in items}
        self.assertIn(("conseil.challenge", challenge.id), by_model)
        self.assertIn(("conseil.partnership", partnership.id), by_model)
        self.assertIn(("conseil.need", self.need.id), by_model, "An open need an offer could answer")
        self.assertTrue(previous)

    def test_cross_theme_report(self):
        self.env["conseil.partnership"].create({"helper_id": self.club.id, "helped_id": self.theatre.id})
        self.env.flush_all()
        rows = self.env["conseil.partnership.theme.report"].search([("crosses_themes", "=", True)])
        self.assertEqual(
            {(row.helper_theme_id, row.helped_theme_id) for row in rows},
            {(self.sport_theme, self.culture_theme)},
        )

    def test_access(self):
        with self.assertRaises(AccessError):
            self.env["conseil.offer"].with_user(self.internal_user).search([])
        with self.assertRaises(AccessError):
            self.env["conseil.partnership"].with_user(self.internal_user).create(
                {"helper_id": self.club.id, "helped_id": self.theatre.id}
            )
        partnership = (
            self.env["conseil.partnership"]
            .with_user(self.officer)
            .create({"helper_id": self.club.id, "helped_id": self.theatre.id})
        )
        with self.assertRaises(AccessError):
            partnership.with_user(self.officer).unlink()
        with self.assertRaises(UserError):
            partnership.with_user(self.manager).unlink()  # the council's history: cancelled, never deleted
        partnership.with_user(self.officer).action_cancel()
        self.assertEqual(partnership.state, "cancelled")


@tagged("post_install", "-at_install")
class TestSynergyAgendaGathered(SynergyCase):
    def test_only_needs_of_invited_associations(self):
        self.need.action_submit()
        council = self.env["conseil.meeting"].create(
            {"name": "Conseil", "date_start": datetime.now() + timedelta(days=1),
             "date_end": datetime.now() + timedelta(days=1, hours=2)}
        )  # fmt: skip
        council._invite(self.club)
        council.action_build_agenda()
        self.assertNotIn(
            ("conseil.need", self.need.id),
            {(item.res_model, item.res_id) for item in council.agenda_item_ids},
            "The need of an association not gathered is not on this council's agenda",
        )
        council._invite(self.food_aid)
        council.action_build_agenda()
        self.assertIn(
            ("conseil.need", self.need.id),
            {(item.res_model, item.res_id) for item in council.agenda_item_ids},
        )
