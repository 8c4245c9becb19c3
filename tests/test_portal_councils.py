"""The councils on the portal: an association answers its invitation and sends its progress report, its own only."""

import html
import re
from datetime import datetime, timedelta

from test_portal import PASSWORD, PortalCase
from test_rpc import RpcError

from odoo.exceptions import AccessDenied, AccessError, UserError, ValidationError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestPortalCouncils(PortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Meeting = cls.env["conseil.meeting"].with_user(cls.officer)
        start = datetime.now().replace(microsecond=0) + timedelta(days=10)
        cls.council = Meeting.create(
            {
                "name": "Conseil des associations à venir",
                "date_start": start,
                "date_end": start + timedelta(hours=2),
                "location": "Salle du conseil",
            }
        )
        cls.past = Meeting.create(
            {
                "name": "Conseil passé",
                "date_start": start - timedelta(days=40),
                "date_end": start - timedelta(days=40, hours=-2),
            }
        )
        (cls.council | cls.past)._invite(cls.food_bank | cls.grocery)
        cls.env["conseil.agenda.item"].with_user(cls.officer).create(
            {
                "meeting_id": cls.council.id,
                "section": "Points d'étape",
                "name": "Épicerie solidaire : point d'étape",
                "description": "Difficulté confidentielle de l'épicerie",
            }
        )
        cls.line_a = cls.council.attendance_ids.filtered(lambda a: a.association_id == cls.food_bank)
        cls.line_b = cls.council.attendance_ids.filtered(lambda a: a.association_id == cls.grocery)
        cls.past_a = cls.past.attendance_ids.filtered(lambda a: a.association_id == cls.food_bank)

    def attendee(self, association, meeting=None):
        event = (meeting or self.council).calendar_event_id
        return event.attendee_ids.filtered(lambda a: a.partner_id == association.partner_id)

    def page(self, line, token=None):
        url = f"/my/councils/{line.id}" + (f"?access_token={token}" if token else "")
        return self.url_open(url, allow_redirects=False)

    def post(self, line, action, data, token=None, page_line=None):
        page = self.page(page_line or line, token).text
        csrf = re.search(r'csrf_token: "([^"]+)"', page)[
            1
        ]  # also on a closed session's page, which has no form
        data = {"csrf_token": csrf, **data}
        if token:
            data["access_token"] = token
        return self.url_open(f"/my/councils/{line.id}/{action}", data=data, allow_redirects=False)

    def report_of(self, association, meeting=None):
        return self.env["conseil.progress.report"].search(
            [("meeting_id", "=", (meeting or self.council).id), ("association_id", "=", association.id)]
        )

    def start_council(self):
        """The session began an hour ago, still planned: too late to answer or report."""
        begun = datetime.now().replace(microsecond=0) - timedelta(hours=1)
        self.council.with_user(self.officer).write(
            {"date_start": begun, "date_end": begun + timedelta(hours=2)}
        )

    # ------------------------------------------------------------
    # READING
    # ------------------------------------------------------------

    def test_home_counts_the_upcoming_invitations_and_the_list_shows_its_own(self):
        self.login_a()
        counters = self.rpc("/my/counters", {"counters": ["conseil_council_count"]})
        self.assertEqual(counters, {"conseil_council_count": 1})
        self.assertIn("/my/councils", self.url_open("/my").text)
        upcoming = self.url_open("/my/councils").text
        self.assertIn(f"/my/councils/{self.line_a.id}", upcoming)
        self.assertIn("Salle du conseil", upcoming)
        self.assertNotIn(f"/my/councils/{self.line_b.id}", upcoming)
        self.assertNotIn(f"/my/councils/{self.past_a.id}", upcoming, "Upcoming only, by default")
        past = self.url_open("/my/councils?filterby=past").text
        self.assertIn(f"/my/councils/{self.past_a.id}", past)
        self.assertNotIn(f"/my/councils/{self.line_a.id}", past)
        every = self.url_open("/my/councils?filterby=all&sortby=latest&search=passé").text
        self.assertIn(f"/my/councils/{self.past_a.id}", every)
        self.assertNotIn(f"/my/councils/{self.line_a.id}", every)
        self.assertEqual(self.url_open("/my/councils?filterby=all&sortby=nonsense").status_code, 200)

    def test_the_council_page_shows_the_session_and_the_agenda_labels_only(self):
        self.login_a()
        response = self.page(self.line_a)
        self.assertEqual(response.status_code, 200)
        for text in (
            "Conseil des associations à venir",
            "Salle du conseil",
            "Épicerie solidaire : point d'étape",
        ):
            self.assertIn(text, html.unescape(response.text))
        self.assertNotIn(
            "Difficulté confidentielle", response.text, "Another association's details stay hidden"
        )
        self.assertIn("o_conseil_accept", response.text)
        self.assertIn("o_conseil_report_submit", response.text)

    # ------------------------------------------------------------
    # ANSWERING
    # ------------------------------------------------------------

    def test_accepting_is_the_calendar_answer_and_confirms_the_line(self):
        self.login_a()
        response = self.post(self.line_a, "answer", {"answer": "accept"})
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertIn("answered=accept", response.headers["Location"])
        self.assertEqual(self.attendee(self.food_bank).state, "accepted")
        self.assertEqual(self.line_a.state, "confirmed")
        self.assertEqual(self.line_a.representative_id, self.president, "The one who answered represents it")
        self.assertIn("Banque alimentaire", self.council.message_ids[:1].body)
        self.assertEqual(self.council.message_ids[:1].author_id, self.president)
        self.assertEqual(self.line_b.state, "invited", "The other association's line does not move")

    def test_declining_with_a_note_excuses_the_association(self):
        self.login_a()
        response = self.post(self.line_a, "answer", {"answer": "decline", "note": "Distribution ce soir-là"})
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertEqual(self.attendee(self.food_bank).state, "declined")
        self.assertEqual(self.line_a.state, "excused")
        self.assertEqual(self.line_a.note, "Distribution ce soir-là")
        # changing one's mind before the session
        self.post(self.line_a, "answer", {"answer": "accept"})
        self.assertEqual(self.line_a.state, "confirmed")

    def test_no_answer_once_the_session_started_or_for_a_cancelled_one(self):
        self.start_council()
        self.login_a()
        page = self.page(self.line_a).text
        self.assertNotIn("o_conseil_accept", page)
        self.assertIn("o_conseil_closed", page)
        response = self.post(self.line_a, "answer", {"answer": "accept"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_conseil_error", response.text)
        self.assertIn("has started", response.text)
        self.assertEqual(self.line_a.state, "invited")
        self.assertEqual(self.attendee(self.food_bank).state, "needsAction")
        line = self.line_a.with_user(self.user_a)
        with self.assertRaisesRegex(UserError, "has started"):
            line._portal_answer(True)

        later = datetime.now().replace(microsecond=0) + timedelta(days=20)
        self.council.with_user(self.officer).write(
            {"date_start": later, "date_end": later + timedelta(hours=2)}
        )
        self.council.with_user(self.officer).action_cancel()
        with self.assertRaisesRegex(UserError, "cancelled"):
            line._portal_answer(False)
        self.assertEqual(self.line_a.state, "invited")

    # ------------------------------------------------------------
    # THE CONVOCATION'S LINK
    # ------------------------------------------------------------

    def test_the_link_of_the_mail_opens_and_answers_that_line_only(self):
        url = self.line_a.get_portal_url()
        token = self.line_a.access_token
        self.assertEqual(url, f"/my/councils/{self.line_a.id}?access_token={token}")
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 200, "An association contact not logged in reads it")
        self.assertIn("Conseil des associations à venir", response.text)
        response = self.post(self.line_a, "answer", {"answer": "accept"}, token=token)
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertEqual(self.line_a.state, "confirmed")
        self.assertFalse(self.line_a.representative_id, "No one logged in: no representative chosen")
        response = self.post(self.line_a, "report", {"beneficiaries_served": "40"}, token=token)
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertEqual(self.report_of(self.food_bank).beneficiaries_served, 40)

        for line, key in ((self.line_b, token), (self.line_a, "x" * len(token)), (self.line_a, "")):
            response = self.page(line, key)
            self.assertEqual(response.status_code, 303, (line, key))
            self.assertNotIn("Conseil des associations", response.text)
        # a POST on B's line with A's key, the form taken from A's page
        response = self.post(self.line_b, "answer", {"answer": "decline"}, token=token, page_line=self.line_a)
        self.assertEqual(response.status_code, 303)
        self.assertFalse(response.headers["Location"].endswith(f"/my/councils/{self.line_b.id}"))
        self.assertEqual(self.line_b.state, "invited")
        with self.assertRaises(AccessError):
            self.line_b.with_user(self.env.ref("base.public_user"))._portal_answer(False, access_token=token)

    # ------------------------------------------------------------
    # ANOTHER ASSOCIATION
    # ------------------------------------------------------------

    def test_another_association_reads_and_changes_nothing_of_a_line(self):
        self.authenticate(self.user_b.login, PASSWORD)
        for url in (
            f"/my/councils/{self.line_a.id}",
            f"/my/councils/{self.past_a.id}",
            "/my/councils/999999",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
            self.assertTrue(response.headers["Location"].endswith("/my"), url)
        self.assertNotIn(f"/my/councils/{self.line_a.id}", self.url_open("/my/councils?filterby=all").text)
        for action, data in (("answer", {"answer": "decline"}), ("report", {"beneficiaries_served": "5"})):
            response = self.post(self.line_a, action, data, page_line=self.line_b)
            self.assertEqual(response.status_code, 303, action)
            self.assertTrue(response.headers["Location"].endswith("/my"), action)
        self.assertEqual(self.line_a.state, "invited")
        self.assertFalse(self.report_of(self.food_bank))
        # JSON-RPC: no read of A's line, no write, no private method
        with self.assertRaises(RpcError):
            self.call_kw("conseil.meeting.attendance", "read", [self.line_a.ids, ["state", "note"]])
        self.assertEqual(
            self.call_kw("conseil.meeting.attendance", "search", [[]]),
            self.line_b.ids
            + self.past.attendance_ids.filtered(lambda a: a.association_id == self.grocery).ids,
        )
        for method, args in (
            ("write", [self.line_b.ids, {"state": "confirmed"}]),
            ("_portal_answer", [self.line_a.ids, True]),
            ("_portal_submit_progress_report", [self.line_a.ids, {"beneficiaries_served": 5}]),
            ("action_mark_confirmed", [self.line_b.ids]),
        ):
            with self.assertRaises(RpcError, msg=method):
                self.call_kw("conseil.meeting.attendance", method, args)
        self.assertEqual(self.line_b.state, "invited")
        self.line_a.with_user(self.user_a)._portal_submit_progress_report({"difficulties": "Camion en panne"})
        self.assertEqual(self.call_kw("conseil.progress.report", "search", [[]]), [])
        with self.assertRaises(AccessError):
            self.line_a.with_user(self.user_b)._portal_answer(True)
        with self.assertRaises(AccessError):
            self.line_a.with_user(self.user_b)._portal_submit_progress_report({"difficulties": "x"})

    def test_a_revoked_contact_answers_nothing(self):
        wizard = self.env["portal.wizard"].browse(
            self.food_bank.with_user(self.referent).action_grant_portal_access()["res_id"]
        )
        wizard.user_ids.filtered(lambda line: line.partner_id == self.president).action_revoke_access()
        with self.assertRaises(AccessDenied):
            self.authenticate(self.user_a.login, PASSWORD)
        self.assertIn("/web/login", self.url_open("/my/councils", allow_redirects=False).headers["Location"])
        response = self.page(self.line_a)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn("Conseil des associations", response.text)
        with self.assertRaises(AccessError):
            self.line_a.with_user(self.user_a)._portal_answer(True)
        self.assertEqual(self.line_a.state, "invited")

    # ------------------------------------------------------------
    # PROGRESS REPORT
    # ------------------------------------------------------------

    def test_progress_report_sent_then_completed_before_the_session(self):
        self.login_a()
        response = self.post(
            self.line_a,
            "report",
            {"actions": "Deux distributions\nUne collecte", "beneficiaries_served": "120", "difficulties": "",
             "good_practice": "Collecte mutualisée"},
        )  # fmt: skip
        self.assertEqual(response.status_code, 303, response.text[:500])
        report = self.report_of(self.food_bank)
        self.assertEqual(report.beneficiaries_served, 120)
        self.assertIn("Une collecte", report.actions)
        self.assertEqual(report.good_practice, "Collecte mutualisée")
        self.assertIn("sent its progress report", report.message_ids[:1].body)
        self.assertEqual(report.message_ids[:1].author_id, self.president)
        self.assertIn(
            self.referent.partner_id, report.message_ids[:1].partner_ids, "The referent officer is told"
        )
        page = self.page(self.line_a).text
        self.assertIn("Collecte mutualisée", page)
        self.assertIn("Update the progress report", page)
        self.post(self.line_a, "report", {"beneficiaries_served": "130", "difficulties": "Camion en panne"})
        self.assertEqual(self.report_of(self.food_bank), report, "One report per association and session")
        self.assertEqual((report.beneficiaries_served, report.difficulties), (130, "Camion en panne"))
        # the agenda built by the officer carries it, as a report typed at the town hall
        self.council.with_user(self.officer).action_build_agenda()
        self.assertIn(
            report.id,
            self.council.agenda_item_ids.filtered(lambda i: i.res_model == report._name).mapped("res_id"),
        )

        self.start_council()
        response = self.post(self.line_a, "report", {"beneficiaries_served": "999"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("has started", response.text)
        self.assertEqual(report.beneficiaries_served, 130)
        self.assertIn("o_conseil_report_readonly", self.page(self.line_a).text)

    def test_progress_report_values_are_checked_like_the_back_office(self):
        self.login_a()
        for value, text in (
            ("-3", "cannot be negative"),
            ("trois", "is a whole number"),
            ("99999999999", "must be between"),
        ):
            response = self.post(
                self.line_a, "report", {"beneficiaries_served": value, "good_practice": "Gardé"}
            )
            self.assertEqual(response.status_code, 200, value)
            self.assertIn("o_conseil_error", response.text, value)
            self.assertIn(text, response.text, value)
            self.assertIn("Gardé", response.text, "What was typed is kept")
        self.assertFalse(self.report_of(self.food_bank))
        line = self.line_a.with_user(self.user_a)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            line._portal_submit_progress_report({"beneficiaries_served": -1})
        with self.assertRaisesRegex(UserError, "cannot be sent from the portal"):
            line._portal_submit_progress_report({"meeting_id": self.past.id})
        with self.assertRaises(ValidationError):
            line._portal_submit_progress_report({"difficulties": "x" * 6000})
        self.assertFalse(self.report_of(self.food_bank))
