"""The associations' side: their people on Odoo's portal see and do their own association's, nothing else."""

import base64
import re
from datetime import date, timedelta

from freezegun import freeze_time
from test_rpc import RpcCase, RpcError

from conseil_testing import OFFICER
from odoo import Command
from odoo.exceptions import AccessDenied, AccessError, ValidationError
from odoo.tests import new_test_user, tagged

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PASSWORD = "portal_pwd_2027"


@tagged("post_install", "-at_install")
class PortalCase(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.referent = new_test_user(cls.env, login="portal_referent", groups=OFFICER)
        Association = cls.env["conseil.association"]
        cls.food_bank = Association.create(
            {
                "name": "Banque alimentaire",
                "referent_user_id": cls.referent.id,
                "volunteer_count": 12,
                "senior_volunteer_count": 4,
                "rna": "W595000001",
                "child_ids": [
                    Command.create(
                        {
                            "name": "Anne Présidente",
                            "email": "anne@banque.example",
                            "conseil_role": "president",
                        }
                    ),
                    Command.create(
                        {
                            "name": "Paul Trésorier",
                            "email": "paul@banque.example",
                            "conseil_role": "treasurer",
                        }
                    ),
                ],
            }
        )
        cls.grocery = Association.create(
            {
                "name": "Épicerie solidaire",
                "child_ids": [
                    Command.create(
                        {
                            "name": "Zoé Secrétaire",
                            "email": "zoe@epicerie.example",
                            "conseil_role": "secretary",
                        }
                    )
                ],
            }
        )
        cls.president = cls.food_bank.child_ids.filtered(lambda p: p.conseil_role == "president")
        cls.grocery_secretary = cls.grocery.child_ids
        # the officer grants access as the town hall does: Odoo's wizard, from the association's form
        cls.user_a = cls.grant(cls.food_bank, cls.president)
        cls.user_b = cls.grant(cls.grocery, cls.grocery_secretary)
        cls.b_document = cls.env["conseil.association.document"].create(
            {"association_id": cls.grocery.id, "kind": "statutes", "file": base64.b64encode(PDF)}
        )

    @classmethod
    def grant(cls, association, person):
        action = association.with_user(cls.referent).action_grant_portal_access()
        wizard = cls.env["portal.wizard"].with_user(cls.referent).browse(action["res_id"])
        wizard.user_ids.filtered(lambda line: line.partner_id == person).action_grant_access()
        user = person.with_context(active_test=False).user_ids
        user.sudo().password = PASSWORD
        return user

    def document(self, association, kind="insurance", expiry=None):
        return self.env["conseil.association.document"].create(
            {
                "association_id": association.id,
                "kind": kind,
                "file": base64.b64encode(PDF),
                "date_expiry": expiry,
            }
        )

    def login_a(self):
        self.authenticate(self.user_a.login, PASSWORD)

    def csrf(self, url):
        return re.search(r'name="csrf_token" value="([^"]+)"', self.url_open(url).text)[1]

    def propose(self, association, csrf_from=None, **values):
        token = self.csrf(f"/my/associations/{(csrf_from or self.food_bank).id}")
        return self.url_open(
            f"/my/associations/{association.id}/propose",
            data={"csrf_token": token, **values},
            allow_redirects=False,
        )

    def upload(self, association, kind="insurance", content=PDF, date_expiry="", name="attestation.pdf"):
        token = self.csrf(f"/my/associations/{self.food_bank.id}/documents")
        return self.url_open(
            f"/my/associations/{association.id}/documents/upload",
            data={"csrf_token": token, "kind": kind, "date_expiry": date_expiry},
            files={"file": (name, content)},
            allow_redirects=False,
        )


@tagged("post_install", "-at_install")
class TestAssociationContacts(PortalCase):
    def test_people_and_their_roles_are_contacts_of_the_association(self):
        self.assertEqual(self.president.parent_id, self.food_bank.partner_id)
        self.assertEqual(self.president.company_id, self.food_bank.company_id)
        self.assertEqual(sorted(self.food_bank.child_ids.mapped("conseil_role")), ["president", "treasurer"])

    def test_portal_access_from_the_association_gives_a_portal_user(self):
        self.assertTrue(self.user_a._is_portal())
        self.assertEqual(self.user_a.partner_id, self.president)
        self.assertEqual(self.user_a.company_id, self.food_bank.company_id)
        wizard = self.env["portal.wizard"].browse(
            self.food_bank.with_user(self.referent).action_grant_portal_access()["res_id"]
        )
        self.assertEqual(
            wizard.partner_ids,
            self.food_bank.partner_id | self.food_bank.child_ids,
            "The association and its people",
        )

    def test_a_portal_user_reads_its_own_association_only(self):
        Association = self.env["conseil.association"].with_user(self.user_a)
        self.assertEqual(Association.search([]), self.food_bank)
        with self.assertRaises(AccessError):
            self.grocery.with_user(self.user_a).read(["name"])
        with self.assertRaises(AccessError):
            self.food_bank.with_user(self.user_a).write({"volunteer_count": 99})
        Document = self.env["conseil.association.document"].with_user(self.user_a)
        self.assertFalse(Document.search([]))
        with self.assertRaises(AccessError):
            Document.create(
                {"association_id": self.grocery.id, "kind": "statutes", "file": base64.b64encode(PDF)}
            )


@tagged("post_install", "-at_install")
class TestPortalPages(PortalCase):
    def test_home_shows_the_entries_and_counters(self):
        self.login_a()
        self.assertIn("/my/associations", self.url_open("/my").text)
        counters = self.rpc(
            "/my/counters", {"counters": ["conseil_association_count", "conseil_document_count"]}
        )
        self.assertEqual(counters, {"conseil_association_count": 1, "conseil_document_count": 4})

    def home_cards(self):
        """The cards of /my as the browser first shows them: their link, and whether they are hidden."""
        page = self.url_open("/my").text
        cards = re.findall(r'<div class="(o_portal_index_card [^"]*)">\s*<a href="([^"]+)"', page)
        return {url: "d-none" not in classes for classes, url in cards}

    def test_an_association_person_sees_its_cards_even_at_zero(self):
        self.env["conseil.association.document"].search([]).unlink()
        for kind in ("statutes", "insurance", "bank_details", "assembly_minutes"):
            self.document(self.food_bank, kind=kind, expiry=date.today() + timedelta(days=400))
        self.login_a()
        cards = self.home_cards()
        self.assertTrue(cards["/my/associations"])
        self.assertTrue(cards["/my/documents"], "Nothing is missing, and the documents are still at hand")

    def test_a_customer_on_the_portal_sees_no_association_card(self):
        customer = new_test_user(
            self.env, login="portal_customer", password=PASSWORD, groups="base.group_portal"
        )
        self.authenticate(customer.login, PASSWORD)
        cards = self.home_cards()
        self.assertFalse(cards.get("/my/associations"))
        self.assertFalse(cards.get("/my/documents"))
        # the town's staff read every association in the back office, and have none of their own on /my
        self.referent.password = PASSWORD
        self.authenticate(self.referent.login, PASSWORD)
        cards = self.home_cards()
        self.assertFalse(
            [url for url, shown in cards.items() if shown and url.startswith(("/my/assoc", "/my/needs"))]
        )

    def test_my_association_shows_the_record_and_its_people(self):
        self.login_a()
        response = self.url_open("/my/associations")
        self.assertTrue(response.url.endswith(f"/my/associations/{self.food_bank.id}"))
        for text in ("Banque alimentaire", "W595000001", "Anne Présidente", "Paul Trésorier", "President"):
            self.assertIn(text, response.text)
        self.assertNotIn("Épicerie", response.text)

    def test_guessed_ids_of_another_association_lead_home(self):
        self.login_a()
        for url in (
            f"/my/associations/{self.grocery.id}",
            f"/my/associations/{self.grocery.id}/documents",
            "/my/associations/999999",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
            self.assertTrue(response.headers["Location"].endswith("/my"), url)
        response = self.propose(self.grocery, name="Volée")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.grocery.name, "Épicerie solidaire")
        response = self.upload(self.grocery, kind="statutes")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.grocery.document_ids, self.b_document)
        download = self.url_open(f"/web/content/conseil.association.document/{self.b_document.id}/file")
        self.assertNotEqual(download.content, PDF)

    def test_a_proposed_change_goes_to_the_chatter_and_the_referent(self):
        self.login_a()
        response = self.propose(
            self.food_bank, volunteer_count="15", city="Hautmont", comment="Nouveau trésorier"
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertIn("proposed=1", response.headers["Location"])
        self.assertEqual(self.food_bank.volunteer_count, 12, "The officer applies it, not the portal")
        message = self.food_bank.message_ids[:1]
        self.assertEqual(message.author_id, self.president)
        self.assertIn("15", message.body)
        self.assertIn("Hautmont", message.body)
        self.assertIn("Nouveau trésorier", message.body)
        activity = self.food_bank.activity_ids
        self.assertEqual(activity.user_id, self.referent)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("conseil_associations.mail_activity_type_portal_change")
        )

    def test_identifiers_and_implausible_values_are_refused(self):
        self.login_a()
        before = self.food_bank.message_ids
        for values, text in (
            ({"rna": "W595000002"}, "RNA"),
            ({"siret": "73282932000074"}, "SIRET"),
            ({"senior_volunteer_count": "40"}, "Senior"),
            ({"volunteer_count": "-3"}, "negative"),
            ({"volunteer_count": "douze"}, "whole number"),
            ({"name": "   "}, "blank"),
            ({"email": "pas-un-courriel"}, "email"),
            ({"name": "x" * 300}, "limited"),
            ({"company_id": "2"}, "company_id"),
            ({}, "Nothing to propose"),
        ):
            response = self.propose(self.food_bank, **values)
            self.assertEqual(response.status_code, 200, values)
            self.assertIn("o_conseil_error", response.text, values)
            self.assertIn(text, response.text, values)
        self.assertEqual(self.food_bank.message_ids, before)
        self.assertFalse(self.food_bank.activity_ids)
        self.assertEqual(self.food_bank.rna, "W595000001")

    def test_posting_without_the_csrf_token_is_refused(self):
        self.login_a()
        response = self.url_open(
            f"/my/associations/{self.food_bank.id}/propose", data={"city": "Ailleurs"}, allow_redirects=False
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.food_bank.activity_ids)

    def test_documents_page_lists_every_kind_and_its_state(self):
        self.login_a()
        page = self.url_open(f"/my/associations/{self.food_bank.id}/documents").text
        self.assertEqual(page.count("o_conseil_state_missing"), 4)
        in_ten_days = (date.today() + timedelta(days=10)).isoformat()
        response = self.upload(self.food_bank, date_expiry=in_ten_days)
        self.assertEqual(
            response.status_code, 303, re.findall(r"o_conseil_error[^>]*>([^<]*)", response.text)
        )
        document = self.food_bank.document_ids
        self.assertEqual(
            (document.kind, document.file_name, document.active), ("insurance", "attestation.pdf", True)
        )
        self.assertEqual(document.validity_state, "expiring")
        page = self.url_open(f"/my/associations/{self.food_bank.id}/documents").text
        self.assertEqual(page.count("o_conseil_state_missing"), 3)
        self.assertIn("o_conseil_state_expiring", page)
        self.assertEqual(
            self.url_open(f"/web/content/conseil.association.document/{document.id}/file").content, PDF
        )
        # a new version replaces it, the old one is kept archived
        self.upload(self.food_bank, date_expiry=(date.today() + timedelta(days=365)).isoformat())
        current = self.food_bank.document_ids
        self.assertEqual(len(current), 1)
        self.assertNotEqual(current, document)
        self.assertFalse(document.active)
        self.assertIn("Insurance Certificate", self.food_bank.message_ids[:1].body)

    def test_bad_uploads_are_refused_with_a_message(self):
        self.login_a()
        next_year = (date.today() + timedelta(days=365)).isoformat()
        for kwargs, text in (
            ({"content": b"<html><script>alert(1)</script></html>", "date_expiry": next_year}, "PDF"),
            ({"content": b"MZ\x90\x00" + b"\x00" * 100, "name": "x.pdf", "date_expiry": next_year}, "PDF"),
            ({"date_expiry": ""}, "insurance certificate"),
            ({"date_expiry": "2001-01-01"}, "no longer valid"),
            ({"date_expiry": "2999-01-01"}, "2200"),
            ({"date_expiry": "demain"}, "not a date"),
            ({"kind": "passport", "date_expiry": next_year}, "Choose"),
            ({"content": b"", "date_expiry": next_year}, "Choose the file"),
        ):
            response = self.upload(self.food_bank, **kwargs)
            self.assertEqual(response.status_code, 200, text)
            self.assertIn("o_conseil_error", response.text, text)
            self.assertIn(text, response.text, text)
        # too large: refused by the server, by the web server's limit or by the document's rule
        response = self.upload(self.food_bank, content=PDF + b"0" * (10 * 1024 * 1024), date_expiry=next_year)
        self.assertIn(response.status_code, (200, 413))
        self.assertFalse(self.food_bank.with_context(active_test=False).document_ids)
        with self.assertRaises(ValidationError) as caught:
            self.env["conseil.association.document"]._check_file_content(
                base64.b64encode(PDF + b"0" * 11_000_000)
            )
        self.assertIn("too large", str(caught.exception))


@tagged("post_install", "-at_install")
class TestPortalOtherDoors(PortalCase):
    def test_json_rpc_gives_nothing_of_another_association(self):
        self.login_a()
        rows = self.call_kw("conseil.association", "search_read", [[]], {"fields": ["name"]})
        self.assertEqual([row["id"] for row in rows], [self.food_bank.id])
        with self.assertRaises(RpcError):
            self.call_kw("conseil.association", "read", [[self.grocery.id], ["name"]])
        with self.assertRaises(RpcError):
            self.call_kw("conseil.association", "write", [[self.food_bank.id], {"rna": "W595000009"}])
        with self.assertRaises(RpcError):
            self.call_kw(
                "conseil.association.document",
                "create",
                [
                    {
                        "association_id": self.grocery.id,
                        "kind": "statutes",
                        "file": base64.b64encode(PDF).decode(),
                    }
                ],
            )
        self.assertEqual(self.call_kw("conseil.association.document", "search", [[]]), [])
        with self.assertRaises(RpcError):
            self.call_kw("conseil.association.document", "read", [[self.b_document.id], ["file_name"]])
        with self.assertRaises(RpcError, msg="Only the cron says a document was reminded"):
            self.call_kw(
                "conseil.association.document",
                "create",
                [
                    {
                        "association_id": self.food_bank.id,
                        "kind": "statutes",
                        "file": base64.b64encode(PDF).decode(),
                        "reminder_expiry_date": "2030-01-01",
                    }
                ],
            )

    def test_external_json_rpc_gives_nothing_of_another_association(self):
        def execute(*args):
            return self.rpc(
                "/jsonrpc",
                {
                    "service": "object",
                    "method": "execute_kw",
                    "args": [self.env.cr.dbname, self.user_a.id, PASSWORD, *args],
                },
            )

        self.assertEqual(execute("conseil.association", "search", [[]]), [self.food_bank.id])
        with self.assertRaises(RpcError):
            execute("conseil.association", "read", [[self.grocery.id], ["name"]])
        with self.assertRaises(RpcError):
            execute("conseil.association", "write", [[self.grocery.id], {"name": "Volée"}])

    def test_report_urls_of_another_association_are_refused(self):
        self.login_a()
        report = "conseil_associations.report_in_kind_statement"
        response = self.url_open(f"/report/pdf/{report}/{self.grocery.id}")
        self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf")
        self.assertNotIn(b"%PDF", response.content[:10])
        response = self.url_open(f"/report/html/{report}/{self.grocery.id}")
        self.assertNotIn("Épicerie", response.text)

    def test_revoked_access_sees_nothing(self):
        wizard = self.env["portal.wizard"].browse(
            self.food_bank.with_user(self.referent).action_grant_portal_access()["res_id"]
        )
        wizard.user_ids.filtered(lambda line: line.partner_id == self.president).action_revoke_access()
        self.assertFalse(self.user_a.active)
        with self.assertRaises(AccessDenied):
            self.authenticate(self.user_a.login, PASSWORD)
        response = self.url_open(f"/my/associations/{self.food_bank.id}", allow_redirects=False)
        self.assertIn("/web/login", response.headers.get("Location", ""))
        with self.assertRaises(AccessError):
            self.env["conseil.association"].with_user(self.user_a).search([])


@tagged("post_install", "-at_install")
class TestDocuments(PortalCase):
    def test_missing_or_expired_documents_are_flagged_and_searchable(self):
        Association = self.env["conseil.association"]
        self.assertTrue(self.food_bank.document_attention)
        self.assertIn("Insurance Certificate", self.food_bank.document_missing_kinds)
        for kind in ("statutes", "bank_details", "assembly_minutes"):
            self.document(self.food_bank, kind)
        insurance = self.document(self.food_bank, expiry=date.today() + timedelta(days=200))
        self.food_bank.invalidate_recordset(["document_attention", "document_missing_kinds"])
        self.assertFalse(self.food_bank.document_attention)
        attention = Association.search([("document_attention", "=", True)])
        self.assertNotIn(self.food_bank, attention)
        self.assertIn(self.grocery, attention)
        self.assertIn(self.food_bank, Association.search([("document_attention", "=", False)]))
        with freeze_time(date.today() + timedelta(days=201)):
            self.food_bank.invalidate_recordset(["document_attention", "document_missing_kinds"])
            self.assertEqual(self.food_bank.document_missing_kinds, "Insurance Certificate")
            self.assertIn(self.food_bank, Association.search([("document_attention", "=", True)]))
            insurance.invalidate_recordset(["validity_state"])
            self.assertEqual(insurance.validity_state, "expired")

    def test_the_reminder_is_scheduled_once_per_expiry(self):
        Document = self.env["conseil.association.document"]
        soon = self.document(self.food_bank, expiry=date.today() + timedelta(days=20))
        self.document(self.food_bank, kind="statutes")
        self.document(self.food_bank, kind="bank_details", expiry=date.today() + timedelta(days=90))
        activity_type = self.env.ref("conseil_associations.mail_activity_type_document_expiry")

        def reminders():
            return self.food_bank.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)

        self.assertEqual(Document._cron_remind_expiring(), soon)
        self.assertEqual(reminders().user_id, self.referent)
        self.assertEqual(soon.reminder_expiry_date, soon.date_expiry)
        self.assertFalse(Document._cron_remind_expiring(), "A rerun reminds nobody twice")
        self.assertEqual(len(reminders()), 1)
        # the new version closes the reminder about the old one; its own date is reminded in its turn
        renewed = self.document(self.food_bank, expiry=date.today() + timedelta(days=25))
        self.assertFalse(reminders(), "The officer's reminder about the old certificate is done")
        self.assertIn("new version was received", str(self.food_bank.message_ids[:1].body))
        self.assertEqual(Document._cron_remind_expiring(), renewed)
        self.assertEqual(len(reminders()), 1)
        self.document(self.food_bank, expiry=date.today() + timedelta(days=365))
        self.assertFalse(reminders())
        self.assertFalse(Document._cron_remind_expiring(), "Valid for a year: nothing to remind")

    def test_the_reminder_delay_is_a_setting(self):
        self.env.company.conseil_document_reminder_days = 120
        later = self.document(self.food_bank, kind="bank_details", expiry=date.today() + timedelta(days=90))
        self.assertEqual(self.env["conseil.association.document"]._cron_remind_expiring(), later)

    def test_the_back_office_holds_the_same_rules(self):
        with self.assertRaises(ValidationError):
            self.document(self.food_bank).write({"file": base64.b64encode(b"<svg onload=alert(1)>")})
        with self.assertRaises(AccessError):
            self.env["conseil.association.document"].with_user(self.referent).create(
                {
                    "association_id": self.food_bank.id,
                    "kind": "statutes",
                    "file": base64.b64encode(PDF),
                    "reminder_expiry_date": "2030-01-01",
                }
            )
