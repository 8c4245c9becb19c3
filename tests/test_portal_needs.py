"""The needs of an association on the portal: recorded, submitted with the town's lead time, followed to the letter."""

import re
from datetime import timedelta

from test_portal import PASSWORD, PortalCase
from test_rpc import RpcError

from conseil_testing import MANAGER
from odoo import fields
from odoo.exceptions import AccessDenied, AccessError, UserError
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class NeedsPortalCase(PortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, login="portal_needs_manager", groups=MANAGER)
        cls.today = fields.Date.context_today(cls.env["conseil.need"])
        cls.env.company.conseil_lead_days_room = 15
        cls.b_need = cls.decided_need(cls.grocery, "Un minibus pour les maraudes")
        cls.b_decision = cls.b_need.decision_id
        cls.a_decided = cls.decided_need(cls.food_bank, "Une camionnette pour la collecte")
        cls.a_decision = cls.a_decided.decision_id

    @classmethod
    def decided_need(cls, association, name):
        """A need submitted well ahead, gathered at a municipal review and granted, as the town hall does."""
        need = cls.env["conseil.need"].create(
            {
                "name": name,
                "association_id": association.id,
                "need_type": "vehicle",
                "date_from": cls.today + timedelta(days=60),
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
        need._decide({"outcome": "partial", "granted": "Le véhicule deux samedis par mois"})
        return need

    def form(self, **values):
        return {
            "name": "La salle des fêtes pour l'assemblée générale",
            "need_type": "room",
            "description": "Notre assemblée générale annuelle\nune centaine de personnes",
            "quantity": "1",
            "unit": "days",
            "date_from": str(self.today + timedelta(days=21)),
            "date_to": str(self.today + timedelta(days=21)),
            "priority": "0",
            "beneficiaries_affected": "120",
            **values,
        }

    def post(self, url, csrf_from="/my/needs/new", **data):
        token = self.csrf(csrf_from)
        return self.url_open(url, data={"csrf_token": token, **data}, allow_redirects=False)

    def create_through_portal(self, **values):
        response = self.post("/my/needs/new", **self.form(**values))
        self.assertEqual(response.status_code, 303, response.text[-2000:])
        need_id = int(response.headers["Location"].split("/my/needs/")[1].split("?")[0])
        return self.env["conseil.need"].browse(need_id)


@tagged("post_install", "-at_install")
class TestNeedsPages(NeedsPortalCase):
    def test_home_counter_and_list_show_the_association_needs_only(self):
        self.login_a()
        home = self.url_open("/my").text
        self.assertIn("/my/needs", home)
        self.assertEqual(
            self.rpc("/my/counters", {"counters": ["conseil_need_count"]}), {"conseil_need_count": 1}
        )
        page = self.url_open("/my/needs").text
        self.assertIn("Une camionnette pour la collecte", page)
        self.assertIn(self.a_decision.reference, page)
        self.assertNotIn("Un minibus pour les maraudes", page)
        self.assertNotIn(self.b_decision.reference, page)
        for query in ("filterby=open", "filterby=decided&sortby=name", "sortby=state", "search=collecte"):
            self.assertEqual(self.url_open(f"/my/needs?{query}").status_code, 200, query)
        self.assertNotIn("Une camionnette", self.url_open("/my/needs?filterby=open").text)
        self.assertNotIn("Une camionnette", self.url_open("/my/needs?search=maraudes").text)
        self.assertIn(
            "Une camionnette",
            self.url_open(f"/my/needs?search_in=decision&search={self.a_decision.reference}").text,
        )

    def test_record_change_and_submit_a_need(self):
        self.login_a()
        form = self.url_open("/my/needs/new").text
        self.assertIn("15 days&#39; notice for a room", form)
        need = self.create_through_portal()
        self.assertEqual(need.state, "draft")
        self.assertEqual(need.association_id, self.food_bank)
        self.assertEqual(need.company_id, self.food_bank.company_id)
        self.assertEqual(need.create_uid, self.user_a)
        self.assertIn("une centaine de personnes", need.description)
        self.assertIn(self.president, need.message_partner_ids)
        page = self.url_open(f"/my/needs/{need.id}").text
        self.assertIn("o_conseil_need_submit", page)
        response = self.post(f"/my/needs/{need.id}/edit", **self.form(beneficiaries_affected="150"))
        self.assertEqual(response.status_code, 303, response.text[-2000:])
        self.assertEqual(need.beneficiaries_affected, 150)
        response = self.post(f"/my/needs/{need.id}/submit")
        self.assertEqual(response.status_code, 303, response.text[-2000:])
        self.assertIn("submitted=1", response.headers["Location"])
        self.assertEqual(need.state, "submitted")
        self.assertTrue(need.activity_ids, "The council managers get their activity, as from the back office")
        self.assertIn(self.manager, need.activity_ids.user_id)
        notes = need.message_ids.filtered(lambda m: m.author_id == self.president).mapped("body")
        self.assertTrue(any("submitted this need" in body for body in notes), notes)
        # submitted: read-only from the portal
        page = self.url_open(f"/my/needs/{need.id}").text
        self.assertNotIn("o_conseil_need_submit", page)
        response = self.post(f"/my/needs/{need.id}/edit", **self.form(name="Changé après coup"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_conseil_error", response.text)
        self.assertEqual(need.name, "La salle des fêtes pour l'assemblée générale")

    def test_a_need_without_description_or_dates(self):
        self.login_a()
        need = self.create_through_portal(description="", date_from="", date_to="", beneficiaries_affected="")
        self.assertEqual((need.description, need.date_from, need.beneficiaries_affected), (False, False, 0))

    def test_the_association_talks_with_the_town_hall_on_its_need(self):
        """The chatter of the page posts with the shared key the page gives its own people, as Odoo's pages do."""
        self.login_a()
        page = self.url_open(f"/my/needs/{self.a_decided.id}").text
        token = re.search(r'data-token="([^"]+)"', page)[1]
        self.rpc(
            "/mail/message/post",
            {
                "thread_model": "conseil.need",
                "thread_id": self.a_decided.id,
                "post_data": {
                    "body": "Pouvons-nous avoir la camionnette dès le vendredi ?",
                    "message_type": "comment",
                },
                "token": token,
            },
        )
        message = self.a_decided.message_ids[:1]
        self.assertEqual(message.author_id, self.president)
        self.assertIn("dès le vendredi", message.body)
        with self.assertRaises(RpcError):
            self.rpc(
                "/mail/message/post",
                {
                    "thread_model": "conseil.need",
                    "thread_id": self.b_need.id,
                    "post_data": {"body": "Chez B", "message_type": "comment"},
                    "token": token,
                },
            )

    def test_a_draft_is_withdrawn(self):
        self.login_a()
        need = self.create_through_portal()
        response = self.post(f"/my/needs/{need.id}/cancel")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(need.state, "cancelled")

    def test_wrong_values_are_told_and_kept(self):
        self.login_a()
        response = self.post("/my/needs/new", **self.form(quantity="beaucoup", name="Gardez ce nom"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_conseil_error", response.text)
        self.assertIn("Gardez ce nom", response.text)
        response = self.post("/my/needs/new", **self.form(date_to=str(self.today)))
        self.assertIn("o_conseil_error", response.text)
        self.assertFalse(self.env["conseil.need"].search([("name", "=", "Gardez ce nom")]))

    def test_the_decision_is_shown_with_its_letter(self):
        self.login_a()
        page = self.url_open(f"/my/needs/{self.a_decided.id}").text
        for text in (self.a_decision.reference, "Le véhicule deux samedis par mois", "Revue municipale"):
            self.assertIn(text, page)
        self.assertIn(f"/my/decisions/{self.a_decision.id}", page)
        letter = self.url_open(f"/my/decisions/{self.a_decision.id}?report_type=pdf&download=true")
        self.assertEqual(letter.status_code, 200)
        self.assertEqual(letter.headers["Content-Type"], "application/pdf")
        self.assertIn(
            self.a_decision.reference, letter.text, "the letter (HTML under test: no wkhtmltopdf run)"
        )


@tagged("post_install", "-at_install")
class TestLeadTime(NeedsPortalCase):
    def test_portal_submit_respects_the_lead_time_unless_urgent_with_a_reason(self):
        self.login_a()
        need = self.create_through_portal(date_from=str(self.today + timedelta(days=5)), date_to="")
        response = self.post(f"/my/needs/{need.id}/submit")
        self.assertEqual(response.status_code, 200)
        self.assertIn("15 days", response.text)
        earliest = self.today + timedelta(days=15)
        self.assertIn(str(earliest.year), response.text)
        self.assertEqual(need.state, "draft")
        self.post(
            f"/my/needs/{need.id}/edit",
            **self.form(date_from=str(self.today + timedelta(days=5)), date_to="", is_urgent="1"),
        )
        response = self.post(f"/my/needs/{need.id}/submit")
        self.assertIn("say why it cannot wait", response.text)
        self.assertEqual(need.state, "draft")
        self.post(
            f"/my/needs/{need.id}/edit",
            **self.form(
                date_from=str(self.today + timedelta(days=5)),
                date_to="",
                is_urgent="1",
                urgent_reason="Notre local a été inondé",
            ),
        )
        response = self.post(f"/my/needs/{need.id}/submit")
        self.assertEqual(response.status_code, 303, response.text[-2000:])
        self.assertEqual(need.state, "submitted")
        self.assertIn("urgent", need.activity_ids[:1].summary)

    def test_the_same_rule_in_the_back_office(self):
        need = (
            self.env["conseil.need"]
            .with_user(self.referent)
            .create(
                {
                    "name": "Un minibus demain",
                    "association_id": self.food_bank.id,
                    "need_type": "vehicle",
                    "date_from": self.today + timedelta(days=1),
                }
            )
        )
        self.assertFalse(need.can_submit)
        self.assertIn("15", need.lead_time_notice)
        with self.assertRaisesRegex(UserError, "15 days' notice for a vehicle"):
            need.action_submit()
        need.write({"is_urgent": True, "urgent_reason": "Le camion de la collecte est en panne"})
        self.assertTrue(need.can_submit)
        need.action_submit()
        self.assertEqual(need.state, "submitted")

    def test_kinds_without_lead_time_and_no_date(self):
        Need = self.env["conseil.need"].with_user(self.referent)
        networking = Need.create(
            {"name": "Mise en relation", "association_id": self.food_bank.id, "need_type": "networking"}
        )
        networking.action_submit()
        self.assertEqual(networking.state, "submitted")
        room = Need.create({"name": "Une salle", "association_id": self.food_bank.id, "need_type": "room"})
        room.action_submit()
        self.assertEqual(room.state, "submitted", "Without a wanted date, the town hall answers when it can")

    def test_the_same_rule_through_json_rpc(self):
        self.authenticate("rpc_officer", "rpc_officer_pwd")
        need_id = self.call_kw(
            "conseil.need",
            "create",
            [
                {
                    "name": "Une salle la semaine prochaine",
                    "association_id": self.food_bank.id,
                    "need_type": "room",
                    "date_from": str(self.today + timedelta(days=7)),
                }
            ],
        )
        with self.assertRaisesRegex(RpcError, "15 days' notice for a room"):
            self.call_button("conseil.need", "action_submit", need_id)
        with self.assertRaisesRegex(RpcError, "Status"):
            self.call_kw("conseil.need", "write", [[need_id], {"state": "submitted"}])
        self.call_kw("conseil.need", "write", [[need_id], {"is_urgent": True, "urgent_reason": "Inondation"}])
        self.call_button("conseil.need", "action_submit", need_id)
        self.assertEqual(self.env["conseil.need"].browse(need_id).state, "submitted")


@tagged("post_install", "-at_install")
class TestNeedsSecurity(NeedsPortalCase):
    def test_another_association_need_is_out_of_reach(self):
        self.login_a()
        for url in (f"/my/needs/{self.b_need.id}", f"/my/needs/{self.b_need.id}?edit=1", "/my/needs/999999"):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
            self.assertTrue(response.headers["Location"].endswith("/my"), url)
        b_draft = self.env["conseil.need"].create(
            {"name": "Brouillon de B", "association_id": self.grocery.id, "need_type": "networking"}
        )
        for action in ("edit", "submit", "cancel"):
            response = self.post(f"/my/needs/{b_draft.id}/{action}", **self.form(name="Volé"))
            self.assertEqual(response.status_code, 303, action)
            self.assertTrue(response.headers["Location"].endswith("/my"), action)
        self.assertEqual((b_draft.name, b_draft.state), ("Brouillon de B", "draft"))
        # a need recorded for another association through the form's hidden field
        response = self.post("/my/needs/new", **self.form(association_id=str(self.grocery.id), name="Pour B"))
        self.assertEqual(response.status_code, 303)
        self.assertFalse(self.env["conseil.need"].search([("name", "=", "Pour B")]))
        with self.assertRaises(AccessError):
            self.env["conseil.need"].with_user(self.user_a)._portal_create(
                self.grocery, {"name": "Pour B", "need_type": "room"}
            )
        with self.assertRaises(AccessError):
            b_draft.with_user(self.user_a)._portal_submit()

    def test_another_association_letter_is_out_of_reach(self):
        self.login_a()
        token = self.b_decision.sudo()._portal_ensure_token()
        for url in (
            f"/my/decisions/{self.b_decision.id}?report_type=pdf",
            f"/my/decisions/{self.b_decision.id}?report_type=pdf&access_token=wrong{token[5:]}",
            f"/my/decisions/{self.b_decision.id}?report_type=html&access_token=",
            "/my/decisions/999999?report_type=pdf",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
            self.assertTrue(response.headers["Location"].endswith("/my"), url)

    def test_anonymous_downloads_the_letter_with_its_token_only(self):
        token = self.a_decision.sudo()._portal_ensure_token()
        letter = self.url_open(f"/my/decisions/{self.a_decision.id}?report_type=pdf&access_token={token}")
        self.assertEqual(letter.status_code, 200)
        self.assertIn(self.a_decision.reference, letter.text)
        response = self.url_open(
            f"/my/decisions/{self.a_decision.id}?report_type=pdf&access_token={token[:-4]}abcd",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf")
        response = self.url_open(f"/my/decisions/{self.a_decision.id}?report_type=pdf", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        # the need's shared link shows it read-only, without its decision's letter key leaking another's
        need_token = self.a_decided.sudo()._portal_ensure_token()
        page = self.url_open(f"/my/needs/{self.a_decided.id}?access_token={need_token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.a_decision.reference, page.text)
        self.assertNotIn("o_conseil_need_submit", page.text)

    def test_portal_writes_nothing_through_json_rpc(self):
        self.login_a()
        need = self.create_through_portal()
        for method, args in (
            ("write", [[need.id], {"state": "submitted"}]),
            ("write", [[need.id], {"name": "Directement"}]),
            ("create", [{"name": "Directement", "association_id": self.food_bank.id, "need_type": "room"}]),
            ("action_submit", [[need.id]]),
            ("_portal_submit", [[need.id]]),
        ):
            with self.assertRaises(RpcError, msg=method):
                self.call_kw("conseil.need", method, args)
        self.assertEqual((need.state, need.name), ("draft", "La salle des fêtes pour l'assemblée générale"))
        with self.assertRaises(RpcError):
            self.call_kw("conseil.decision", "write", [[self.a_decision.id], {"reason": "Réécrit"}])

    def test_server_fields_are_refused_from_the_portal_methods(self):
        need = (
            self.env["conseil.need"]
            .with_user(self.user_a)
            ._portal_create(self.food_bank, {"name": "Une salle", "need_type": "room"})
        )
        for vals in (
            {"state": "submitted"},
            {"association_id": self.grocery.id},
            {"company_id": self.env.company.id},
            {"meeting_id": False},
            {"submitted_on": fields.Datetime.now()},
        ):
            with self.assertRaises(AccessError, msg=str(vals)):
                need._portal_update(vals)
        self.assertEqual((need.sudo().state, need.sudo().association_id), ("draft", self.food_bank))

    def test_a_revoked_contact_sees_nothing(self):
        wizard = self.env["portal.wizard"].browse(
            self.food_bank.with_user(self.referent).action_grant_portal_access()["res_id"]
        )
        wizard.user_ids.filtered(lambda line: line.partner_id == self.president).action_revoke_access()
        with self.assertRaises(AccessDenied):
            self.authenticate(self.user_a.login, PASSWORD)
        for url in (
            "/my/needs",
            f"/my/needs/{self.a_decided.id}",
            f"/my/decisions/{self.a_decision.id}?report_type=pdf",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
            self.assertNotIn("Une camionnette", response.text)
        with self.assertRaises(AccessError):
            self.env["conseil.need"].with_user(self.user_a).search([])
