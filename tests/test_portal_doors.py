"""Nothing an internal user does is reachable by an association's person on the portal.

A sweep over every model of the addon, through the real JSON-RPC doors, as the
portal user of an association, on records of its own association: no create,
no write, no delete, no action button changes anything in the database. What a
portal user does, it does through the portal pages, whose model methods check
and write under the server's authority.
"""

import base64
import contextlib
import re
from datetime import date, datetime, time, timedelta

from test_portal import PASSWORD, PDF, PortalCase
from test_rpc import RpcError

from odoo.exceptions import UserError
from odoo.tests import tagged

# What a change leaves behind: the addon's tables, the chatter, the calendar answers, the files.
WATCHED_TABLES = ("mail_message", "mail_activity", "calendar_attendee", "calendar_event", "ir_attachment")


class DoorsCase(PortalCase):
    """The food bank and the grocery with a record of every model their people read on the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.room = env["conseil.room"].create({"name": "Salle des fêtes", "capacity": 120, "hourly_rate": 20})
        day = date.today() + timedelta(days=40)
        start = datetime.combine(
            day + timedelta(days=(1 - day.weekday()) % 7), time(13, 0)
        )  # a Tuesday, 14:00
        cls.council = env["conseil.meeting"].create(
            {
                "name": "Conseil des associations",
                "meeting_type": "council",
                "date_start": start,
                "date_end": start + timedelta(hours=2),
            }
        )
        cls.council._invite(cls.food_bank | cls.grocery)
        cls.need = env["conseil.need"].create(
            {
                "name": "Une salle pour la collecte",
                "association_id": cls.food_bank.id,
                "need_type": "room",
                "date_from": (start + timedelta(days=30)).date(),
            }
        )
        cls.loan = env["conseil.loan"].create(
            {
                "loan_type": "room",
                "room_id": cls.room.id,
                "association_id": cls.food_bank.id,
                "purpose": "Collecte",
                "date_start": start + timedelta(days=28),
                "date_end": start + timedelta(days=28, hours=3),
            }
        )
        cls.subsidy = env["conseil.subsidy"].create(
            {"name": "Fonctionnement", "association_id": cls.food_bank.id, "year": start.year, "amount": 1500}
        )
        cls.offer = env["conseil.offer"].create(
            {"name": "Deux chauffeurs le samedi", "association_id": cls.food_bank.id, "offer_type": "vehicle"}
        )
        cls.partnership = env["conseil.partnership"].create(
            {"helper_id": cls.food_bank.id, "helped_id": cls.grocery.id, "exchange": "Colis"}
        )
        cls.report = env["conseil.progress.report"].create(
            {"meeting_id": cls.council.id, "association_id": cls.food_bank.id, "beneficiaries_served": 80}
        )


@tagged("post_install", "-at_install")
class TestPortalDoors(DoorsCase):
    def snapshot(self):
        """Rows and last change of every table a portal user could touch."""
        self.env.flush_all()
        tables = sorted(
            {
                model._table
                for model in self.env.registry.values()
                if model._name.startswith("conseil.") and model._auto and not model._abstract
            }
            | set(WATCHED_TABLES)
        )
        state = {}
        for table in tables:
            self.env.cr.execute(f'SELECT count(*), max(write_date) FROM "{table}"')
            state[table] = self.env.cr.fetchone()
        return state

    def own_records(self):
        """A record of each model the portal user of the food bank reads, of its own association."""
        records = {}
        for model_name in self.env.registry:
            if not model_name.startswith("conseil."):
                continue
            Model = self.env[model_name].with_user(self.user_a)
            if Model._abstract or Model._transient or not Model.has_access("read"):
                continue
            found = Model.search([], limit=1)
            if found:
                records[model_name] = found.id
        return records

    def test_the_sweep_covers_what_the_portal_reads(self):
        records = self.own_records()
        for model_name in (
            "conseil.association",
            "conseil.need",
            "conseil.loan",
            "conseil.meeting",
            "conseil.meeting.attendance",
            "conseil.progress.report",
            "conseil.subsidy",
            "conseil.offer",
            "conseil.partnership",
        ):
            self.assertIn(model_name, records, f"The food bank's person reads its {model_name}")

    def test_no_create_write_or_delete_through_json_rpc(self):
        records = self.own_records()
        self.authenticate(self.user_a.login, PASSWORD)
        before = self.snapshot()
        for model_name, record_id in records.items():
            Model = self.env[model_name]
            writable = next(
                name
                for name, field in Model._fields.items()
                if field.store and field.type in ("char", "text", "integer", "date") and name not in ("id",)
            )
            value = {"char": "Pris", "text": "Pris", "integer": 7, "date": "2030-01-01"}[
                Model._fields[writable].type
            ]
            with self.subTest(model=model_name, door="write"), self.assertRaises(RpcError):
                self.call_kw(model_name, "write", [[record_id], {writable: value}])
            with self.subTest(model=model_name, door="unlink"), self.assertRaises(RpcError):
                self.call_kw(model_name, "unlink", [[record_id]])
            if model_name != "conseil.association.document":  # sent from the documents page: test_portal
                with self.subTest(model=model_name, door="create"), self.assertRaises(RpcError):
                    self.call_kw(model_name, "create", [{"association_id": self.food_bank.id}])
        self.assertEqual(self.snapshot(), before)

    def test_no_action_button_changes_anything(self):
        records = self.own_records()
        self.authenticate(self.user_a.login, PASSWORD)
        before = self.snapshot()
        called = 0
        for model_name, record_id in records.items():
            Model = type(self.env[model_name])
            for method in sorted(name for name in dir(Model) if name.startswith("action_")):
                with self.subTest(model=model_name, method=method):
                    with contextlib.suppress(RpcError):  # refused, or answered without a change
                        self.call_kw(model_name, method, [[record_id]])
                    called += 1
                    self.assertEqual(self.snapshot(), before, f"{model_name}.{method} changed the database")
        self.assertGreater(called, 30, "The sweep tries every button of every model the portal reads")

    def test_a_document_sent_through_json_rpc_passes_the_pages_rules(self):
        self.authenticate(self.user_a.login, PASSWORD)
        file = base64.b64encode(PDF).decode()
        for values in (
            {"kind": "insurance", "date_expiry": False},
            {"kind": "insurance", "date_expiry": (date.today() - timedelta(days=1)).isoformat()},
            {"kind": "statutes", "date_expiry": False, "association_id": self.grocery.id},
        ):
            with self.subTest(values=values), self.assertRaises(RpcError):
                self.call_kw(
                    "conseil.association.document",
                    "create",
                    [{"association_id": self.food_bank.id, "file": file, **values}],
                )
        self.assertFalse(self.food_bank.with_context(active_test=False).document_ids)
        with self.assertRaises(RpcError) as caught:
            self.call_kw(
                "conseil.association.document",
                "create",
                [
                    {
                        "association_id": self.food_bank.id,
                        "file": file,
                        "kind": "statutes",
                        "date_expiry": "demain",
                    }
                ],
            )
        self.assertEqual(caught.exception.name, "odoo.exceptions.ValidationError")


@tagged("post_install", "-at_install")
class TestPortalAttacksHeld(DoorsCase):
    """What an outside attack found through the portal's doors, held."""

    def test_a_document_always_has_its_file(self):
        statutes = self.document(self.food_bank, kind="statutes")
        self.authenticate(self.user_a.login, PASSWORD)
        with self.assertRaises(RpcError) as caught:
            self.call_kw(
                "conseil.association.document",
                "create",
                [{"association_id": self.food_bank.id, "kind": "statutes"}],
            )
        self.assertIn("needs its file", caught.exception.message)
        self.assertTrue(statutes.active, "The real statutes stay the current version")

    def test_a_nul_character_is_dropped_not_a_server_error(self):
        self.authenticate(self.user_a.login, PASSWORD)
        token = self.csrf("/my/needs/new")
        response = self.url_open(
            "/my/needs/new",
            data={"csrf_token": token, "name": "Une salle\x00 pour la collecte", "need_type": "other",
                  "quantity": "1", "unit": "units", "priority": "0"},
            allow_redirects=False,
        )  # fmt: skip
        self.assertEqual(response.status_code, 303, response.text[-1500:])
        self.assertTrue(self.env["conseil.need"].search([("name", "=", "Une salle pour la collecte")]))
        line = self.council.attendance_ids.filtered(
            lambda attendance: attendance.association_id == self.food_bank
        )
        line.with_user(self.user_a)._portal_answer(True, "Nous serons deux\x00")
        self.assertEqual(line.note, "Nous serons deux")

    def test_answering_twice_tells_the_town_once(self):
        line = self.council.attendance_ids.filtered(
            lambda attendance: attendance.association_id == self.food_bank
        )
        line.with_user(self.user_a)._portal_answer(True)
        notes = self.council.message_ids
        line.with_user(self.user_a)._portal_answer(True)
        self.assertEqual(self.council.message_ids, notes, "The same answer again is not news")
        self.assertEqual(line.state, "confirmed")
        line.with_user(self.user_a)._portal_answer(False, "Empêchés finalement")
        self.assertEqual(line.state, "excused")
        self.assertEqual(len(self.council.message_ids - notes), 1)

    def test_what_the_portal_page_hides_json_rpc_does_not_give(self):
        item = self.env["conseil.agenda.item"].create(
            {
                "meeting_id": self.council.id,
                "section": "Points d'étape",
                "name": "Épicerie solidaire : point d'étape",
                "description": "Manque de bénévoles le samedi",
            }
        )
        self.council.minutes = "<p>Brouillon du compte rendu</p>"
        self.authenticate(self.user_a.login, PASSWORD)
        rows = self.call_kw(
            "conseil.agenda.item", "search_read", [[("id", "=", item.id)]], {"fields": ["name"]}
        )
        self.assertEqual(rows[0]["name"], "Épicerie solidaire : point d'étape", "The agenda is shared")
        with self.assertRaises(RpcError):
            self.call_kw("conseil.agenda.item", "read", [[item.id], ["description"]])
        with self.assertRaises(RpcError):
            self.call_kw("conseil.meeting", "read", [[self.council.id], ["minutes"]])

    def test_every_shared_record_has_its_key_from_birth(self):
        for record in (self.need, self.loan, self.partnership, *self.council.attendance_ids):
            self.assertTrue(record.access_token, record._name)

    def test_revoking_a_person_closes_the_links_mailed_to_the_association(self):
        line = self.council.attendance_ids.filtered(
            lambda attendance: attendance.association_id == self.food_bank
        )
        mailed = line.get_portal_url()
        other = self.council.attendance_ids - line
        other_token = other.access_token
        self.assertIn("Conseil des associations", self.url_open(mailed).text)
        wizard = self.env["portal.wizard"].browse(
            self.food_bank.with_user(self.referent).action_grant_portal_access()["res_id"]
        )
        wizard.user_ids.filtered(
            lambda wizard_line: wizard_line.partner_id == self.president
        ).action_revoke_access()
        self.assertNotIn("Conseil des associations", self.url_open(mailed).text)
        self.assertTrue(line.access_token, "A new key, for the links the town sends next")
        self.assertEqual(other.access_token, other_token, "Another association's links are not touched")

    def test_a_proposal_names_the_people_to_change_in_the_towns_words(self):
        self.authenticate(self.user_a.login, PASSWORD)
        token = self.csrf(f"/my/associations/{self.food_bank.id}")
        response = self.url_open(
            f"/my/associations/{self.food_bank.id}/propose",
            data={"csrf_token": token, f"person_{self.president.id}_name": self.president.name,
                  f"person_{self.president.id}_conseil_role": "president",
                  f"person_{self.president.id}_email": "anne.nouvelle@banque.example",
                  "person_new_name": "Luc Nouveau", "person_new_conseil_role": "treasurer",
                  "person_new_email": "luc@banque.example"},
            allow_redirects=False,
        )  # fmt: skip
        self.assertEqual(response.status_code, 303, response.text[-1500:])
        body = str(self.food_bank.message_ids[:1].body)
        self.assertIn("anne.nouvelle@banque.example", body)
        self.assertIn("Luc Nouveau", body)
        self.assertEqual(self.president.email, "anne@banque.example", "The officer applies it")
        grocery_person = self.grocery_secretary
        response = self.url_open(
            f"/my/associations/{self.food_bank.id}/propose",
            data={"csrf_token": token, f"person_{grocery_person.id}_name": "Pris"},
        )
        self.assertIn("not one of the association", response.text)
        self.assertEqual(grocery_person.name, "Zoé Secrétaire")

    def test_numbers_sent_as_words_get_a_message(self):
        self.authenticate(self.user_a.login, PASSWORD)
        for method, args in (
            ("search_read", [[("id", "=", "nan")]]),
            ("search_read", [[("id", "in", ["1", "abc"])]]),
            ("read", [["abc"], ["name"]]),
            ("write", [["abc"], {"name": "x"}]),
        ):
            with self.subTest(method=method, args=args), self.assertRaises(RpcError) as caught:
                self.call_kw("conseil.need", method, args)
            self.assertIn(caught.exception.name, ("odoo.exceptions.UserError", "odoo.exceptions.AccessError"))
        self.assertEqual(
            self.call_kw("conseil.need", "search", [[("id", "=", str(self.need.id))]]), [self.need.id]
        )

    def test_a_malformed_request_on_the_figures_gets_a_message(self):
        self.authenticate(self.officer.login, "rpc_officer_pwd")
        for model_name in ("conseil.aid", "conseil.partnership.theme.report"):
            with self.subTest(model=model_name), self.assertRaises(RpcError) as caught:
                self.call_kw(model_name, "read_group", [[], [], ["create_uid"]])
            self.assertEqual(caught.exception.name, "odoo.exceptions.UserError")

    def test_a_french_person_lands_on_a_french_portal_whatever_the_login_page_spoke(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search([("name", "=", "conseil_associations")])._update_translations(
            filter_lang="fr_FR"
        )
        self.user_a.lang = "fr_FR"
        self.opener.cookies.set("frontend_lang", "en_US")  # the login page was shown in English
        page = self.url_open("/web/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
        response = self.url_open(
            "/web/login", data={"login": self.user_a.login, "password": PASSWORD, "csrf_token": token}
        )
        self.assertIn("Mon association", response.text)

    def test_a_revoked_person_no_longer_receives_the_towns_mail(self):
        line = self.council.attendance_ids.filtered(
            lambda attendance: attendance.association_id == self.food_bank
        )
        self.assertIn(self.president, line._conseil_mail_partners())
        wizard = self.env["portal.wizard"].browse(
            self.food_bank.with_user(self.referent).action_grant_portal_access()["res_id"]
        )
        wizard.user_ids.filtered(
            lambda wizard_line: wizard_line.partner_id == self.president
        ).action_revoke_access()
        self.assertNotIn(
            self.president, line._conseil_mail_partners(), "Her next mail would give her new links"
        )

    def test_a_nul_character_in_a_search_is_dropped(self):
        self.authenticate(self.user_a.login, PASSWORD)
        for url in ("/my/needs", "/my/loans", "/my/councils", "/my/offers", "/my/partnerships"):
            self.assertEqual(self.url_open(f"{url}?search=a%00b").status_code, 200, url)
        self.assertEqual(
            self.call_kw("conseil.need", "search_read", [[("name", "=", "a\x00")]], {"fields": ["name"]}), []
        )

    def test_the_same_answer_without_a_note_is_not_news(self):
        line = self.council.attendance_ids.filtered(
            lambda attendance: attendance.association_id == self.food_bank
        )
        line.with_user(self.user_a)._portal_answer(True, "Nous serons deux")
        notes = self.council.message_ids
        line.with_user(self.user_a)._portal_answer(True)
        line.with_user(self.user_a)._portal_answer(True, "")
        self.assertEqual(self.council.message_ids, notes)

    def test_a_withdrawn_offer_is_not_changed_from_the_portal(self):
        self.offer.with_user(self.user_a)._portal_archive()
        with self.assertRaises(UserError):
            self.offer.with_user(self.user_a)._portal_update({"name": "Encore là"})
        self.assertEqual(self.offer.name, "Deux chauffeurs le samedi")
