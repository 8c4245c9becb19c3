"""The acts of the council (issue 17): convocation, attendance sheet, minutes, decision letters.

Real PDFs from wkhtmltopdf, read back with pdftotext: each act says what the law asks, is filed on its record
when issued, and never changes afterwards, whatever happens to the record or whoever tries through JSON-RPC.
"""

import base64
import subprocess
from datetime import datetime

from freezegun import freeze_time
from test_mail_associations import NOW, MailCase
from test_rpc import RpcCase, RpcError

from odoo.tests import tagged

CONVOCATION = "conseil_associations.action_report_convocation"
SHEET = "conseil_associations.action_report_attendance_sheet"
MINUTES = "conseil_associations.action_report_meeting_minutes"
LETTER = "conseil_associations.action_report_decision_letter"


def pdf_text(pdf):
    """The text of a PDF, as a reader's tool extracts it, its lines joined (a table cell wraps its words)."""
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout
    return " ".join(text.decode().split())


class ActsCase(MailCase):
    def print_pdf(self, xmlid, records):
        report = self.env.ref(xmlid)
        return report.with_context(force_report_rendering=True)._render_qweb_pdf(report.id, records.ids)[0]


@tagged("post_install", "-at_install")
class TestConvocationAct(ActsCase):
    def test_convocation_is_issued_when_mailed_and_kept_as_sent(self):
        meeting = self.Meeting.with_user(self.officer).create(
            {"meeting_type": "council", "date_start": datetime(2027, 3, 4, 17, 30),
             "date_end": datetime(2027, 3, 4, 19, 30), "location": "Salle du conseil"}
        )  # fmt: skip
        meeting._invite(self.food_bank)
        self.env["conseil.agenda.item"].create(
            {"meeting_id": meeting.id, "section": "Questions diverses", "name": "Fête des associations"}
        )
        line = meeting.attendance_ids
        self.assertFalse(line._conseil_act(CONVOCATION), "Nothing is issued before the mail goes out")
        with freeze_time(NOW):
            self.env["conseil.meeting.attendance"]._cron_send_convocations()
        act = line._conseil_act(CONVOCATION)
        self.assertTrue(act.conseil_act)
        message = self.messages(line, "Convocation")
        self.assertEqual(message.attachment_ids.raw, act.raw, "The mail attaches the issued convocation")
        text = pdf_text(act.raw)
        for expected in ("Convocation et ordre du jour", meeting.name, "jeudi 4 mars 2027", "18:30",
                         "Salle du conseil", "Fête des associations", "Banque alimentaire"):  # fmt: skip
            self.assertIn(expected, text)

        self.env["conseil.agenda.item"].create(
            {"meeting_id": meeting.id, "section": "Questions diverses", "name": "Point ajouté après l'envoi"}
        )
        self.assertEqual(self.print_pdf(CONVOCATION, line), act.raw, "A later print gives the issued file")


@tagged("post_install", "-at_install")
class TestAttendanceSheet(ActsCase):
    def test_sheet_lists_every_invited_association_and_is_filed_when_held(self):
        meeting = self.Meeting.with_user(self.officer).create(
            {"meeting_type": "council", "date_start": datetime(2027, 3, 4, 17, 30),
             "date_end": datetime(2027, 3, 4, 19, 30), "location": "Salle du conseil",
             "official_ids": [(6, 0, self.manager.ids)]}
        )  # fmt: skip
        meeting._invite(self.food_bank | self.grocery)
        meeting.attendance_ids.filtered(
            lambda line: line.association_id == self.food_bank
        ).representative_id = self.president
        report = self.env.ref(SHEET)
        html = report._render_qweb_html(report.id, meeting.ids)[0].decode()
        self.assertIn("Attendance sheet", html, "Printable before the session, to take to it")
        self.assertFalse(meeting._conseil_act(SHEET), "Printing files nothing")

        meeting.with_user(self.officer).action_hold()
        act = meeting._conseil_act(SHEET)
        self.assertTrue(act.conseil_act, "Issued when the session is marked held")
        text = pdf_text(act.raw)
        # the town's record, in the town's language (English here: the commune's contact has no language)
        for expected in ("Attendance sheet", meeting.name, "Thursday 4 March 2027", "Salle du conseil",
                         "Banque alimentaire", "Martine Lefebvre", "Épicerie solidaire", "Signature",
                         self.officer.name, self.manager.name):  # fmt: skip
            self.assertIn(expected, text)

        meeting.location = "Salle des fêtes"
        self.assertEqual(
            self.print_pdf(SHEET, meeting), act.raw, "The issued sheet does not follow the record"
        )


@tagged("post_install", "-at_install")
class TestReviewActs(ActsCase):
    def test_minutes_list_the_decisions_and_each_letter_is_issued_once(self):
        need = self.make_need()
        other = self.make_need(name="Des chaises", need_type="equipment", association_id=self.grocery.id)
        (need | other).action_submit()
        review = self.make_review()
        review.with_user(self.manager).action_gather_submitted_needs()
        granted = self.decide(need, outcome="partial", granted="La camionnette le samedi matin")
        refused = self.decide(other, outcome="refuse", reason="Pas de chaises ce jour-là")
        review.action_hold()
        review.with_user(self.manager).action_close_review()

        letter = granted._conseil_act(LETTER)
        self.assertTrue(letter.conseil_act, "Each decision's letter is issued when the review closes")
        mail = self.messages(granted, granted.reference)
        self.assertEqual(mail.attachment_ids.raw, letter.raw, "The mail attaches the issued letter")
        text = pdf_text(letter.raw)
        for expected in (granted.reference, "Partiellement accordé", "La camionnette le samedi matin"):
            self.assertIn(expected, text)
        english = pdf_text(refused._conseil_act(LETTER).raw)
        for expected in (refused.reference, "Declined", "Pas de chaises ce jour-là"):
            self.assertIn(expected, english, "The letter in the association's language")

        review.with_user(self.officer).minutes = "<p>La revue a examiné deux demandes.</p>"
        review.with_user(self.officer).action_publish_minutes()
        minutes = review._conseil_act(MINUTES)
        self.assertTrue(minutes.conseil_act)
        self.assertEqual(self.messages(review, review.name).attachment_ids, minutes)
        text = pdf_text(minutes.raw)
        for expected in (granted.reference, refused.reference, "Banque alimentaire", "Épicerie solidaire",
                         "Partly Granted", "Declined", "La camionnette le samedi matin",
                         "Pas de chaises ce jour-là", "examiné deux demandes"):  # fmt: skip
            self.assertIn(expected, text)

        self.food_bank.name = "Banque alimentaire du Hautmont"
        self.assertEqual(self.print_pdf(LETTER, granted), letter.raw, "The letter sent stays as it was sent")
        self.assertEqual(
            self.print_pdf(MINUTES, review), minutes.raw, "The minutes published stay as published"
        )


@tagged("post_install", "-at_install")
class TestActsThroughRpc(RpcCase):
    """An officer cannot replace, change or delete an issued act, whatever call the web client makes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.meeting = cls.env["conseil.meeting"].create(
            {"name": "Conseil de mars", "meeting_type": "council",
             "date_start": datetime(2027, 3, 4, 17, 30), "date_end": datetime(2027, 3, 4, 19, 30)}
        )  # fmt: skip
        cls.meeting.action_hold()
        cls.act = cls.meeting._conseil_act(SHEET)
        cls.issued = cls.act.raw

    def login_officer(self):
        self.authenticate("rpc_officer", "rpc_officer_pwd")

    def test_a_forged_attachment_of_the_same_name_is_not_the_act(self):
        self.login_officer()
        forged = base64.b64encode(b"%PDF-1.4 forged").decode()
        self.call_kw(
            "ir.attachment",
            "create",
            [
                {
                    "name": self.act.name,
                    "res_model": "conseil.meeting",
                    "res_id": self.meeting.id,
                    "datas": forged,
                }
            ],
        )
        with self.assertRaises(RpcError) as caught:
            self.call_kw(
                "ir.attachment",
                "create",
                [{"name": "Other.pdf", "res_model": "conseil.meeting", "res_id": self.meeting.id,
                  "datas": forged, "conseil_act": True}],
            )  # fmt: skip
        self.assertIn("Only the server issues an act", caught.exception.message)
        report = self.env.ref(SHEET).with_context(force_report_rendering=True)
        self.assertEqual(report._render_qweb_pdf(report.id, self.meeting.ids)[0], self.issued)
        self.assertEqual(self.meeting._conseil_act(SHEET), self.act)

    def test_an_issued_act_is_neither_changed_nor_deleted(self):
        self.login_officer()
        forged = base64.b64encode(b"%PDF-1.4 forged").decode()
        for method, args in (("write", [[self.act.id], {"datas": forged}]),
                             ("write", [[self.act.id], {"name": "Renamed.pdf"}]),
                             ("unlink", [[self.act.id]])):  # fmt: skip
            with self.subTest(method=method, args=args[1:]), self.assertRaises(RpcError) as caught:
                self.call_kw("ir.attachment", method, args)
            self.assertIn("is an issued act", caught.exception.message)
        self.act.invalidate_recordset()
        self.assertEqual((self.act.name, self.act.raw), (self.meeting._conseil_act(SHEET).name, self.issued))
