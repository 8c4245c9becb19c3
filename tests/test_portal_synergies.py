"""Synergies on the portal: an association keeps its offers up to date and answers the help the town proposes."""

from datetime import date, timedelta

from test_portal import PASSWORD, PortalCase
from test_rpc import RpcError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class SynergiesPortalCase(PortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.food_theme = cls.env.ref("conseil_associations.theme_food_aid")
        Offer = cls.env["conseil.offer"].with_user(cls.referent)
        cls.a_offer = Offer.create(
            {"name": "Colis d'urgence", "association_id": cls.food_bank.id, "offer_type": "equipment",
             "capacity": 20, "capacity_unit": "parcels"}
        )  # fmt: skip
        cls.b_offer = Offer.create(
            {
                "name": "Produits frais de l'épicerie",
                "association_id": cls.grocery.id,
                "offer_type": "equipment",
            }
        )
        cls.in_a_month = date.today() + timedelta(days=30)
        cls.b_need = (
            cls.env["conseil.need"]
            .with_user(cls.referent)
            .create(
                {
                    "name": "Des colis pour l'été",
                    "association_id": cls.grocery.id,
                    "need_type": "equipment",
                    "quantity": 15,
                    "unit": "parcels",
                    "date_from": cls.in_a_month,
                    "date_to": cls.in_a_month + timedelta(days=60),
                    "description": "<p>Quinze familles sans solution pendant l'été.</p>",
                }
            )
        )
        cls.b_need.action_submit()

    def propose_to_a(self, need=None):
        """The officer's "Who could help?", as in the back office: it proposes the food bank's offer."""
        need = need or self.b_need
        action = need.with_user(self.referent).action_who_could_help()
        line = (
            self.env["conseil.help.proposal"]
            .search(action["domain"])
            .filtered(lambda proposal: proposal.offer_id == self.a_offer)
        )
        line.with_user(self.referent).action_propose()
        return need.partnership_ids.filtered(lambda partnership: partnership.state == "proposed")

    def login_b(self):
        self.authenticate(self.user_b.login, PASSWORD)

    def post(self, url, csrf_from, **data):
        return self.url_open(url, data={"csrf_token": self.csrf(csrf_from), **data}, allow_redirects=False)

    def offer_form(self, **values):
        return {
            "name": "Bénévoles pour la ramasse",
            "offer_type": "other",
            "description": "Le samedi matin",
            "capacity": "4",
            "capacity_unit": "persons",
            "capacity_period": "week",
            "date_from": "",
            "date_to": "",
            **values,
        }


@tagged("post_install", "-at_install")
class TestPortalOffers(SynergiesPortalCase):
    def test_offers_are_created_updated_and_withdrawn_over_http(self):
        self.login_a()
        page = self.url_open("/my/offers").text
        self.assertIn("Colis d&#39;urgence", page)
        self.assertNotIn("Produits frais", page, "Another association's offers are not listed")
        response = self.post(
            "/my/offers/new", "/my/offers/new", **self.offer_form(theme_ids=str(self.food_theme.id))
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        offer = self.env["conseil.offer"].search([("name", "=", "Bénévoles pour la ramasse")])
        self.assertEqual(offer.association_id, self.food_bank, "The association is the user's own")
        self.assertEqual((offer.offer_type, offer.capacity, offer.capacity_unit), ("other", 4, "persons"))
        self.assertEqual(offer.theme_ids, self.food_theme)
        response = self.post(
            f"/my/offers/{offer.id}",
            f"/my/offers/{offer.id}",
            **self.offer_form(capacity="6,5", date_from="2027-03-01", date_to="2027-06-30"),
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertEqual(offer.capacity, 6.5)
        self.assertEqual((offer.date_from, offer.date_to), (date(2027, 3, 1), date(2027, 6, 30)))
        self.assertFalse(offer.theme_ids, "Themes unticked are removed")
        response = self.post(f"/my/offers/{offer.id}/archive", f"/my/offers/{offer.id}")
        self.assertEqual(response.status_code, 303)
        self.assertFalse(offer.active)
        self.assertNotIn("ramasse", self.url_open("/my/offers").text)

    def test_list_searches_sorts_and_pages(self):
        self.env["conseil.offer"].create(
            [
                {"name": f"Offre {n:02d}", "association_id": self.food_bank.id, "offer_type": "other"}
                for n in range(25)
            ]
        )
        self.login_a()
        first = self.url_open("/my/offers?sortby=name").text
        self.assertIn("/my/offers/page/2", first)
        self.assertNotIn("Offre 24", first)
        found = self.url_open("/my/offers?search=urgence&search_in=name").text
        self.assertIn("Colis d&#39;urgence", found)
        self.assertNotIn("Offre 01", found)
        self.assertEqual(self.url_open("/my/offers?sortby=nonsense&search_in=company_id").status_code, 200)

    def test_another_associations_offer_is_out_of_reach(self):
        self.login_a()
        for url in (f"/my/offers/{self.b_offer.id}", "/my/offers/999999"):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
            self.assertTrue(response.headers["Location"].endswith("/my"), url)
        self.post(f"/my/offers/{self.b_offer.id}", "/my/offers/new", **self.offer_form(name="Volé"))
        self.post(f"/my/offers/{self.b_offer.id}/archive", "/my/offers/new")
        self.assertEqual(self.b_offer.name, "Produits frais de l'épicerie")
        self.assertTrue(self.b_offer.active)
        response = self.post(
            "/my/offers/new", "/my/offers/new", **self.offer_form(association_id=self.grocery.id)
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_conseil_error", response.text)
        self.assertFalse(self.grocery.with_context(active_test=False).offer_ids - self.b_offer)
        with self.assertRaises(RpcError):
            self.call_kw("conseil.offer", "write", [[self.a_offer.id], {"capacity": 99}])
        with self.assertRaises(RpcError):
            self.call_kw("conseil.offer", "create", [{"name": "x", "association_id": self.food_bank.id,
                                                      "offer_type": "other"}])  # fmt: skip
        self.assertEqual(self.call_kw("conseil.offer", "search", [[]]), [self.a_offer.id])

    def test_another_communes_theme_is_refused(self):
        town = self.env["res.company"].create({"name": "Ville voisine"})
        foreign = self.env["conseil.theme"].create({"name": "Thème voisin", "company_id": town.id})
        self.login_a()
        page = self.url_open("/my/offers/new").text
        self.assertIn(self.food_theme.name, page)
        self.assertNotIn("Thème voisin", page, "Only the commune's themes are offered")
        response = self.post("/my/offers/new", "/my/offers/new", **self.offer_form(theme_ids=str(foreign.id)))
        self.assertEqual(response.status_code, 200)
        self.assertIn("themes among those of your commune", response.text)
        self.assertIn("Bénévoles pour la ramasse", response.text, "What the user typed is kept")
        self.assertFalse(self.env["conseil.offer"].search([("name", "=", "Bénévoles pour la ramasse")]))
        with self.assertRaises(ValidationError):
            self.a_offer.with_user(self.user_a)._portal_update({"theme_ids": [foreign.id]})
        self.assertFalse(self.a_offer.theme_ids)

    def test_wrong_values_are_told_and_nothing_is_written(self):
        self.login_a()
        for values, text in (
            ({"capacity": "beaucoup"}, "not a number"),
            ({"capacity": "-3"}, "negative"),
            ({"name": "  "}, "blank"),
            ({"offer_type": "spaceship"}, "not one of its choices"),
            ({"date_from": "2027-06-30", "date_to": "2027-03-01"}, "end after it starts"),
            ({"date_from": "demain"}, "not a date"),
            ({"theme_ids": "abc"}, "themes among those"),
        ):
            response = self.post(
                f"/my/offers/{self.a_offer.id}", "/my/offers/new", **self.offer_form(**values)
            )
            self.assertEqual(response.status_code, 200, values)
            self.assertIn("o_conseil_error", response.text, values)
            self.assertIn(text, response.text, values)
        self.assertEqual((self.a_offer.name, self.a_offer.capacity), ("Colis d'urgence", 20))
        with self.assertRaises(AccessError):
            self.a_offer.with_user(self.user_b)._portal_update({"capacity": 1})
        with self.assertRaises(AccessError):
            self.env["conseil.offer"].with_user(self.user_b)._portal_create(self.food_bank, self.offer_form())

    def test_anonymous_visitor_is_sent_to_log_in(self):
        response = self.url_open("/my/offers", allow_redirects=False)
        self.assertIn("/web/login", response.headers.get("Location", ""))


@tagged("post_install", "-at_install")
class TestPortalProposals(SynergiesPortalCase):
    def test_officers_wizard_now_proposes(self):
        proposal = self.propose_to_a()
        self.assertEqual(proposal.state, "proposed")
        self.assertEqual((proposal.helper_id, proposal.helped_id), (self.food_bank, self.grocery))
        self.assertEqual(proposal.offer_id, self.a_offer)
        self.assertEqual(self.b_need.state, "submitted", "The need waits for the answer")
        self.assertFalse(self.food_bank.partner_association_ids, "A proposal is not yet a partnership")
        self.assertFalse(
            self.env["conseil.partnership.theme.report"].search([("partnership_id", "=", proposal.id)]),
            "The synergies report counts partnerships, not proposals",
        )

    def test_helper_accepts_from_the_portal(self):
        proposal = self.propose_to_a()
        self.login_a()
        counters = self.rpc(
            "/my/counters", {"counters": ["conseil_proposal_count", "conseil_partnership_count"]}
        )
        self.assertEqual(counters["conseil_proposal_count"], 1)
        listing = self.url_open("/my/partnerships?filterby=proposed").text
        self.assertIn(proposal.get_portal_url(), listing)
        page = self.url_open(proposal.get_portal_url()).text
        self.assertIn("Des colis pour l&#39;été", page)
        self.assertIn("Quinze familles", page)
        self.assertIn("Épicerie solidaire", page)
        self.assertNotIn("zoe@epicerie.example", page, "The helped association's contact only once accepted")
        self.assertIn("o_conseil_accept", page)
        response = self.post(f"{proposal.access_url}/accept", proposal.get_portal_url())
        self.assertEqual(response.status_code, 303, response.text[response.text.find("<main") :][:3000])
        self.assertEqual(proposal.state, "active")
        self.assertEqual(self.b_need.state, "redirected", "The need moves as when the officer recorded it")
        touch = self.b_need.activity_ids.filtered(lambda activity: "in touch" in (activity.summary or ""))
        self.assertEqual(touch.user_id, self.referent, "The officer who proposed puts them in touch")
        self.assertIn("Banque alimentaire will help", str(self.b_need.message_ids.mapped("body")))
        self.assertIn(
            "Anne Présidente", str(proposal.message_ids.mapped("body")), "The chatter says who answered"
        )
        page = self.url_open(proposal.get_portal_url()).text
        self.assertIn("zoe@epicerie.example", page)
        self.assertNotIn("o_conseil_accept", page)
        self.assertEqual(self.rpc("/my/counters", {"counters": ["conseil_proposal_count"]}),
                         {"conseil_proposal_count": 0})  # fmt: skip
        self.login_b()
        page = self.url_open(proposal.get_portal_url()).text
        self.assertIn("anne@banque.example", page, "The helped association sees whom to call")
        self.assertNotIn("o_conseil_accept", page, "It reads the partnership, it does not answer it")
        self.assertIn(proposal.get_portal_url(), self.url_open("/my/partnerships").text)

    def test_helper_declines_with_a_reason(self):
        proposal = self.propose_to_a()
        self.login_a()
        response = self.post(
            f"{proposal.access_url}/decline", proposal.get_portal_url(), reason="Plus de bénévoles l'été"
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertEqual(proposal.state, "declined")
        self.assertEqual(proposal.decline_reason, "Plus de bénévoles l'été")
        self.assertEqual(self.b_need.state, "submitted", "The need stays open for another helper")
        self.assertFalse(
            self.env["conseil.partnership.theme.report"].search([("partnership_id", "=", proposal.id)])
        )
        response = self.post(f"{proposal.access_url}/accept", "/my/offers/new")
        self.assertEqual(response.status_code, 200, "A declined proposal is not accepted afterwards")
        self.assertIn("o_conseil_error", response.text)
        self.assertEqual(proposal.state, "declined")
        self.login_b()
        self.assertNotIn(proposal.get_portal_url(), self.url_open("/my/partnerships").text)

    def test_helped_association_cannot_answer_for_the_helper(self):
        proposal = self.propose_to_a()
        self.login_b()
        response = self.url_open(proposal.get_portal_url(), allow_redirects=False)
        self.assertEqual(response.status_code, 303, "The proposal is between the town and the helper")
        for action in ("accept", "decline"):
            response = self.post(f"{proposal.access_url}/{action}", "/my/offers/new")
            self.assertEqual(response.status_code, 303)
            self.assertTrue(response.headers["Location"].endswith("/my"))
        self.post(f"/my/partnerships/{proposal.id + 1000}/accept", "/my/offers/new")
        for method in ("action_accept", "action_decline"):
            with self.assertRaises(RpcError):
                self.call_button("conseil.partnership", method, proposal.id)
        with self.assertRaises(RpcError):
            self.call_kw("conseil.partnership", "write", [[proposal.id], {"state": "active"}])
        with self.assertRaises(RpcError):
            self.call_kw("conseil.partnership", "_portal_accept", [[proposal.id]])
        self.assertEqual(proposal.state, "proposed")
        self.assertEqual(self.b_need.state, "submitted")
        with self.assertRaises(AccessError):
            proposal.with_user(self.user_b)._portal_accept()

    def test_helper_cannot_write_the_status_either(self):
        proposal = self.propose_to_a()
        self.login_a()
        with self.assertRaises(RpcError):
            self.call_kw("conseil.partnership", "write", [[proposal.id], {"state": "active"}])
        with self.assertRaises(RpcError):
            self.call_kw("conseil.partnership", "write", [[proposal.id], {"decline_reason": "x"}])
        self.assertEqual(proposal.state, "proposed")

    def test_shared_link_shows_the_proposal_but_answers_need_a_login(self):
        proposal = self.propose_to_a()
        proposal._portal_ensure_token()
        response = self.url_open(proposal.access_url, allow_redirects=False)
        self.assertEqual(response.status_code, 303, "Without its token, the link leads to the login")
        page = self.url_open(f"{proposal.access_url}?access_token={proposal.access_token}").text
        self.assertIn("Des colis pour l&#39;été", page)
        self.assertNotIn("o_conseil_accept", page)
        self.assertNotIn("zoe@epicerie.example", page)
        response = self.url_open(f"{proposal.access_url}?access_token=wrong", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        response = self.url_open(f"{proposal.access_url}/accept", data={}, allow_redirects=False)
        self.assertNotEqual(response.status_code, 200)
        self.assertEqual(proposal.state, "proposed")

    def test_revoked_contact_answers_nothing(self):
        proposal = self.propose_to_a()
        wizard = self.env["portal.wizard"].browse(
            self.food_bank.with_user(self.referent).action_grant_portal_access()["res_id"]
        )
        wizard.user_ids.filtered(lambda line: line.partner_id == self.president).action_revoke_access()
        with self.assertRaises(AccessError):
            proposal.with_user(self.user_a)._portal_accept()
        self.assertEqual(proposal.state, "proposed")

    def test_officer_records_the_answer_and_withdraws_a_proposal(self):
        proposal = self.propose_to_a()
        other = (
            self.env["conseil.need"]
            .with_user(self.referent)
            .create({"name": "Autre besoin", "association_id": self.grocery.id, "need_type": "equipment"})
        )
        withdrawn = self.propose_to_a(other)
        withdrawn.with_user(self.referent).action_cancel()
        self.assertEqual(withdrawn.state, "cancelled")
        self.assertEqual(other.state, "draft")
        with self.assertRaisesRegex(UserError, "already asked"):
            self.b_need.with_user(self.referent)._propose_help(self.a_offer)
        proposal.with_user(self.referent).action_accept()
        self.assertEqual(proposal.state, "active")
        self.assertEqual(self.b_need.state, "redirected")

    def test_proposal_of_a_need_closed_meanwhile_cannot_be_accepted(self):
        proposal = self.propose_to_a()
        self.b_need.with_user(self.referent).action_cancel()
        self.login_a()
        page = self.url_open(proposal.get_portal_url()).text
        self.assertIn("o_conseil_accept", page)
        response = self.post(f"{proposal.access_url}/accept", proposal.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("no longer open", response.text)
        self.assertEqual(proposal.state, "proposed")
        self.assertEqual(self.b_need.state, "cancelled")
        response = self.post(f"{proposal.access_url}/decline", proposal.get_portal_url())
        self.assertEqual(response.status_code, 303)
        self.assertEqual(proposal.state, "declined")


@tagged("post_install", "-at_install")
class TestPartnershipContacts(SynergiesPortalCase):
    def test_only_the_people_of_the_association_are_shown(self):
        self.grocery.write({"child_ids": [Command.create({"name": "Adresse de facturation", "type": "invoice",
                                                          "email": "factures@epicerie.example"})]})  # fmt: skip
        proposal = self.propose_to_a()
        proposal.with_user(self.referent).action_accept()
        self.login_a()
        page = self.url_open(proposal.get_portal_url()).text
        self.assertIn("zoe@epicerie.example", page)
        self.assertNotIn("factures@epicerie.example", page)

    def test_accepting_calls_off_the_other_proposals_for_the_need(self):
        third = self.env["conseil.association"].create({"name": "Restos de la Lys"})
        third_offer = (
            self.env["conseil.offer"]
            .with_user(self.referent)
            .create({"name": "Colis de secours", "association_id": third.id, "offer_type": "equipment"})
        )
        proposal = self.propose_to_a()
        action = self.b_need.with_user(self.referent).action_who_could_help()
        line = (
            self.env["conseil.help.proposal"]
            .search(action["domain"])
            .filtered(lambda candidate: candidate.offer_id == third_offer)
        )
        line.with_user(self.referent).action_propose()
        other = self.b_need.partnership_ids - proposal
        self.assertEqual(other.state, "proposed")
        proposal.with_user(self.user_a)._accept()
        self.assertEqual(proposal.state, "active")
        self.assertEqual(
            other.state, "cancelled", "The need found its helper: the other proposal is called off"
        )
        self.assertIn("Banque alimentaire", str(other.message_ids.mapped("body")))
        self.login_b()
        self.assertNotIn(other.get_portal_url(), self.url_open("/my/partnerships").text)
        with self.assertRaises(RpcError):
            self.call_kw("conseil.partnership", "read", [[other.id], ["decline_reason"]])
