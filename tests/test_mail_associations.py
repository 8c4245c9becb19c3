"""The mails the town sends its associations (issue 16): what they say, in which language, to whom, once.

Through Odoo's real mail queue: each mail is a ``mail.mail`` Odoo would send, posted on the record's chatter.
"""

import base64
import unittest
import uuid
from datetime import date, datetime, timedelta

import psycopg2
from freezegun import freeze_time
from test_need import NeedCase

import odoo
from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import get_db_name, tagged
from odoo.tools import format_amount, mute_logger

NOW = datetime(2027, 3, 1, 9, 0)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class MailCase(NeedCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"].search([("name", "=", "conseil_associations")])._update_translations(
            filter_lang="fr_FR", overwrite=True
        )
        cls.company.partner_id.write({"tz": "Europe/Paris", "email": "mairie@hautmont.example"})
        cls.company.name = "Ville de Hautmont-sur-Lys"
        cls.food_bank.write({"email": "contact@banque.example", "lang": "fr_FR"})
        Partner = cls.env["res.partner"]
        people = Partner.create(
            [
                {"name": "Martine Lefebvre", "parent_id": cls.food_bank.partner_id.id,
                 "conseil_role": "president", "email": "martine@banque.example"},
                # the treasurer reads the association's own box: one mail, not two
                {"name": "Paul Trésor", "parent_id": cls.food_bank.partner_id.id,
                 "conseil_role": "treasurer", "email": "CONTACT@banque.example"},
                # a volunteer without a role, a secretary without an email: neither receives
                {"name": "Jean Bénévole", "parent_id": cls.food_bank.partner_id.id,
                 "email": "jean@banque.example"},
                {"name": "Sans Courriel", "parent_id": cls.food_bank.partner_id.id, "conseil_role": "secretary"},
            ]
        )  # fmt: skip
        cls.president = people[0]
        cls.grocery.write({"email": "contact@epicerie.example", "lang": "en_US"})
        cls.nadia = Partner.create(
            {"name": "Nadia Haddad", "parent_id": cls.grocery.partner_id.id, "conseil_role": "treasurer",
             "email": "nadia@epicerie.example"}
        )  # fmt: skip
        cls.food_bank_people = cls.food_bank.partner_id | cls.president
        cls.grocery_people = cls.grocery.partner_id | cls.nadia
        # the PDFs attached as wkhtmltopdf renders them (tests otherwise render reports as HTML)
        cls.env = cls.env(context=dict(cls.env.context, force_report_rendering=True))
        cls.Need, cls.Meeting, cls.Loan = (cls.Need.with_env(cls.env), cls.Meeting.with_env(cls.env),
                                           cls.Loan.with_env(cls.env))  # fmt: skip

    def mails(self, record):
        """The mails in the queue for ``record``, posted on its chatter."""
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", record._name), ("res_id", "=", record.id)], order="id")
        )

    def messages(self, record, subject_part):
        return record.sudo().message_ids.filtered(
            lambda message: message.message_type == "comment" and subject_part in (message.subject or "")
        )

    def assert_one_mail(self, record, people, subject):
        """One message on the chatter, mailed to these people (and only those of the association)."""
        message = self.messages(record, subject)
        self.assertEqual(len(message), 1, f"One mail « {subject} » on {record.display_name}")
        self.assertEqual(message.partner_ids, people)
        mailed = self.mails(record).filtered(lambda mail: mail.mail_message_id == message)
        self.assertTrue(mailed, "The mail is in Odoo's queue")
        self.assertEqual(mailed.recipient_ids & (self.food_bank_people | self.grocery_people), people)
        return message

    def assert_pdf(self, attachment, name_start):
        self.assertEqual(len(attachment), 1)
        self.assertTrue(attachment.name.startswith(name_start), attachment.name)
        self.assertTrue(attachment.name.endswith(".pdf"), attachment.name)
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertTrue(attachment.raw.startswith(b"%PDF"), "wkhtmltopdf renders a real PDF")


@tagged("post_install", "-at_install")
class TestConvocation(MailCase):
    def council(self, start=datetime(2027, 3, 4, 17, 30), **values):
        meeting = self.Meeting.with_user(self.officer).create(
            {"meeting_type": "council", "date_start": start, "date_end": start + timedelta(hours=2),
             "location": "Salle du conseil", **values}
        )  # fmt: skip
        meeting._invite(self.food_bank | self.grocery)
        self.env["conseil.agenda.item"].create(
            {"meeting_id": meeting.id, "section": "Questions diverses", "name": "Fête des associations"}
        )
        return meeting

    def send(self):
        return self.env["conseil.meeting.attendance"]._cron_send_convocations()

    def test_each_invited_association_receives_its_convocation_once(self):
        meeting = self.council()
        food_bank, grocery = meeting.attendance_ids.sorted(lambda line: line.association_id != self.food_bank)
        with freeze_time(datetime(2027, 2, 20, 9, 0)):
            self.assertFalse(self.send(), "Twelve days before, nothing is due (the setting says 7)")
        with freeze_time(NOW):
            self.send()
            self.send()  # a rerun, or a second cron, sends nothing more

        message = self.assert_one_mail(food_bank, self.food_bank_people, "Convocation")
        self.assertEqual(message.author_id, self.company.partner_id, "What a cron sends, the commune signs")
        self.assertEqual(message.subject, f"Convocation : {meeting.name}")
        body = message.body
        self.assertIn("Vous êtes convoqués", body)
        self.assertIn("jeudi 4 mars 2027, 18:30", body, "The time of the commune (Paris), in French")
        self.assertIn(f"/my/councils/{food_bank.id}?access_token={food_bank.access_token}", body)
        self.assert_pdf(message.attachment_ids, "Convocation et ordre du jour - ")

        self.assertFalse(
            food_bank.message_follower_ids, "The officer who invited does not get every convocation"
        )
        english = self.assert_one_mail(grocery, self.grocery_people, "Convocation")
        self.assertEqual(english.subject, f"Convocation: {meeting.name}")
        self.assertIn("You are invited", english.body)
        self.assertIn("Thursday 4 March 2027, 18:30", english.body)
        self.assert_pdf(english.attachment_ids, "Convocation - ")

    def test_convocation_pdf_says_when_where_and_the_agenda(self):
        meeting = self.council()
        line = meeting.attendance_ids.filtered(lambda attendance: attendance.association_id == self.food_bank)
        report = self.env.ref("conseil_associations.action_report_convocation")
        html = report._render_qweb_html(report.id, line.ids)[0].decode()
        for expected in ("Convocation et ordre du jour", "jeudi 4 mars 2027", "18:30", "Salle du conseil",
                         "Questions diverses", "Fête des associations", "Ville de Hautmont-sur-Lys"):  # fmt: skip
            self.assertIn(expected, html)

    def test_moved_session_is_announced_again_once_cancelled_one_never(self):
        meeting = self.council()
        cancelled = self.council(start=datetime(2027, 3, 5, 17, 30))
        cancelled.action_cancel()
        line = meeting.attendance_ids.filtered(lambda attendance: attendance.association_id == self.food_bank)
        with freeze_time(NOW):
            self.send()
            meeting.write({"date_start": datetime(2027, 3, 6, 9, 0), "date_end": datetime(2027, 3, 6, 11, 0)})
            self.send()
            self.send()
        self.assertEqual(len(self.messages(line, "Convocation")), 2, "Once per date announced")
        self.assertIn("samedi 6 mars 2027, 10:00", self.messages(line, "Convocation")[0].body)
        for attendance in cancelled.attendance_ids:
            self.assertFalse(self.messages(attendance, "Convocation"), "A cancelled session sends nothing")

    def test_the_server_alone_records_what_went_out(self):
        meeting = self.council()
        with freeze_time(NOW):
            self.send()
        line = meeting.attendance_ids[:1]
        self.assertTrue(line.conseil_mail_sent.get("convocation"))
        with self.assertRaises(UserError):
            line.with_user(self.officer).write({"conseil_mail_sent": {}})

    def test_progress_report_reminder_only_to_who_has_not_sent_it(self):
        meeting = self.council(start=datetime(2027, 3, 9, 17, 30))
        self.env["conseil.progress.report"].create(
            {"meeting_id": meeting.id, "association_id": self.grocery.id, "beneficiaries_served": 40}
        )
        with freeze_time(NOW):
            reminder = self.env["conseil.meeting.attendance"]._cron_remind_progress_reports()
            self.env["conseil.meeting.attendance"]._cron_remind_progress_reports()
        self.assertEqual(reminder.association_id, self.food_bank)
        message = self.assert_one_mail(reminder, self.food_bank_people, "point d'étape")
        self.assertIn("Nous n'avons pas encore reçu votre point d'étape", message.body)
        grocery = meeting.attendance_ids - reminder
        self.assertFalse(self.messages(grocery, "progress report"))


@tagged("post_install", "-at_install")
class TestDecisionMail(MailCase):
    def test_decision_goes_out_once_when_the_review_closes_never_a_cancelled_one(self):
        need, other = self.make_need(), self.make_need(name="Des chaises", need_type="equipment")
        (need | other).action_submit()
        review = self.make_review()
        review.with_user(self.manager).action_gather_submitted_needs()
        first = self.decide(need, outcome="refuse", reason="Camion déjà prêté")
        first.with_user(self.manager).action_cancel()  # changed its mind while the review is open
        decision = self.decide(need, outcome="partial", granted="La camionnette le samedi matin")
        refused = self.decide(other, outcome="refuse", reason="Pas de chaises ce jour-là")
        self.assertFalse(self.messages(decision, "Décision"), "Nothing goes out while the review is open")
        review.action_hold()
        review.with_user(self.manager).action_close_review()
        with self.assertRaises(UserError):
            review.with_user(self.manager).action_close_review()

        self.assertFalse(
            self.messages(first, "Décision"), "A cancelled decision never reaches the association"
        )
        message = self.assert_one_mail(decision, self.food_bank_people, decision.reference)
        self.assertEqual(message.author_id, self.manager.partner_id, "Who closed the review signs")
        self.assertEqual(
            message.subject,
            f"Décision {decision.reference} sur votre demande « Une camionnette pour la collecte »",
        )
        for expected in ("Partiellement accordé", "La camionnette le samedi matin", "Prochaine étape",
                         f"/my/decisions/{decision.id}?access_token="):  # fmt: skip
            self.assertIn(expected, message.body)
        self.assert_pdf(message.attachment_ids, f"Décision {decision.reference}")
        refusal = self.assert_one_mail(refused, self.food_bank_people, refused.reference)
        self.assertIn("Pas de chaises ce jour-là", refusal.body)

    def test_an_english_association_reads_english(self):
        need = self.make_need(association_id=self.grocery.id)
        need.action_submit()
        review = self.make_review()
        review.with_user(self.manager).action_gather_submitted_needs()
        decision = self.decide(need)
        review.action_hold()
        review.with_user(self.manager).action_close_review()
        message = self.assert_one_mail(decision, self.grocery_people, decision.reference)
        self.assertIn("The municipal team has decided on your request", message.body)
        self.assertIn("Granted", message.body)


@tagged("post_install", "-at_install")
class TestLoanMail(MailCase):
    def send_queued(self):
        """What the loan actions queued goes out when their cron runs (they trigger it); twice sends nothing more."""
        cron = self.env.ref("conseil_associations.ir_cron_send_loan_mails")
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]), "The action triggers it"
        )
        sent = self.Loan._cron_send_pending_mails()
        self.assertFalse(self.Loan._cron_send_pending_mails())
        return sent

    def test_approved_once_even_approved_again(self):
        loan = self.requested()
        loan.with_user(self.fleet_manager).action_approve()
        self.assertFalse(self.messages(loan, "accordé"), "Queued for the cron: approving costs no mail")
        loan.with_user(self.fleet_manager).action_reset_to_requested()
        loan.with_user(self.fleet_manager).action_approve()
        self.assertEqual(self.send_queued(), loan)
        message = self.assert_one_mail(loan, self.food_bank_people, "accordé")
        self.assertEqual(message.subject, f"Prêt {loan.name} accordé")
        self.assertIn("La ville met à votre disposition", message.body)
        self.assertIn(f"/my/loans/{loan.id}?access_token=", message.body)
        followers = loan.message_partner_ids - self.food_bank_people
        self.assertTrue(followers, "The town's staff follow the loan")
        mailed = self.mails(loan).filtered(lambda mail: mail.mail_message_id == message)
        self.assertFalse(
            mailed.recipient_ids & followers, "A letter to the association is not copied to the staff"
        )
        self.assertFalse(message.notification_ids.res_partner_id & followers)

    def test_refused_with_its_reason_in_english(self):
        loan = self.requested(association_id=self.grocery.id)
        loan.with_user(self.fleet_manager).action_refuse(reason="The van is at the garage")
        self.send_queued()
        message = self.assert_one_mail(loan, self.grocery_people, "refused")
        self.assertIn("The van is at the garage", message.body)
        self.assertFalse(self.messages(loan, "refusé"))

    def test_late_once_then_thanks_with_the_value_at_return(self):
        loan = self.requested(start="2027-03-01 08:00:00", end="2027-03-03 18:00:00")
        loan.with_user(self.fleet_manager).action_approve()
        with freeze_time(datetime(2027, 3, 1, 9, 0)):
            loan.with_user(self.officer).action_start()
        with freeze_time(datetime(2027, 3, 4, 9, 0)):
            self.Loan._cron_flag_late_loans()
            self.Loan._cron_flag_late_loans()
            self.send_queued()
            self.Loan._cron_flag_late_loans()
            late = self.assert_one_mail(loan, self.food_bank_people, "restituer")
            self.assertIn("n'a pas encore été restitué", late.body)
            loan.with_user(self.fleet_manager).action_return()
            self.send_queued()
        thanks = self.assert_one_mail(loan, self.food_bank_people, "restitué : merci")
        self.assertTrue(loan.value)
        french = self.env(context={"lang": "fr_FR"})
        amount = format_amount(french, loan.value, loan.currency_id).replace("\xa0", "&nbsp;")
        self.assertIn(f"valorisée à <strong>{amount}</strong>", thanks.body)


@tagged("post_install", "-at_install")
class TestDocumentMail(MailCase):
    def test_expiring_document_once_per_validity_date_and_a_yearly_nudge_for_missing_ones(self):
        Document = self.env["conseil.association.document"]
        insurance = Document.create(
            {"association_id": self.food_bank.id, "kind": "insurance", "file": base64.b64encode(PDF),
             "date_expiry": date(2027, 3, 10)}
        )  # fmt: skip
        with freeze_time(NOW):
            Document._cron_remind_expiring()
            Document._cron_remind_expiring()
        message = self.assert_one_mail(self.food_bank, self.food_bank_people, "documents")
        self.assertIn("Attestation d'assurance", message.body)
        self.assertIn("10/03/2027", message.body)
        self.assertIn("Statuts", message.body, "The documents never given are asked for too")
        self.assertEqual(insurance.conseil_mail_sent, {"expiry": "2027-03-10"})
        with freeze_time(datetime(2027, 12, 30)):
            Document._cron_remind_expiring()
        self.assertEqual(len(self.messages(self.food_bank, "documents")), 1, "Nothing new this year")
        with freeze_time(datetime(2028, 1, 2)):
            Document._cron_remind_expiring()
        self.assertEqual(len(self.messages(self.food_bank, "documents")), 2, "A new year, a new nudge")
        self.assertTrue(self.messages(self.grocery, "documents"), "The grocery lacks its documents too")


@tagged("post_install", "-at_install")
class TestSentOnceUnderConcurrency(unittest.TestCase):
    """Two crons at the same second, in two real transactions: one mail.

    This test commits: it builds its association in its own transaction and removes it afterwards.
    """

    @classmethod
    def setUpClass(cls):
        cls.registry = odoo.modules.registry.Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            cls.association_id = (
                env["conseil.association"].create({"name": f"Course {uuid.uuid4().hex[:8]}"}).id
            )

    @classmethod
    def tearDownClass(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            association = env["conseil.association"].browse(cls.association_id)
            partner = association.partner_id
            association.unlink()
            partner.unlink()

    def test_the_second_transaction_finds_the_mail_claimed(self):
        with self.registry.cursor() as first, self.registry.cursor() as second:
            late = api.Environment(second, SUPERUSER_ID, {})["conseil.association"].browse(
                self.association_id
            )
            late.read(["name"])  # its snapshot is taken before the first one commits
            early = api.Environment(first, SUPERUSER_ID, {})["conseil.association"].browse(
                self.association_id
            )
            self.assertEqual(early._conseil_claim_mail("race"), early)
            first.commit()
            with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.SerializationFailure):
                late._conseil_claim_mail("race")
            second.rollback()  # what Odoo does before it retries a job or a request
            retried = api.Environment(second, SUPERUSER_ID, {})["conseil.association"].browse(
                self.association_id
            )
            self.assertFalse(retried._conseil_claim_mail("race"), "The retry finds the mail sent")


@tagged("post_install", "-at_install")
class TestProposalMail(MailCase):
    def propose(self, need, helper):
        offer = (
            self.env["conseil.offer"]
            .with_user(self.officer)
            .create({"name": "Colis d'urgence", "association_id": helper.id, "offer_type": "equipment"})
        )
        return need.with_user(self.officer)._propose_help(offer)

    def test_the_helper_is_asked_once_in_its_language(self):
        need = self.make_need(
            association_id=self.grocery.id, name="Des colis pour l'été", need_type="equipment"
        )
        need.with_user(self.officer).action_submit()
        proposal = self.propose(need, self.food_bank)
        message = self.assert_one_mail(proposal, self.food_bank_people, "Épicerie")
        self.assertEqual(message.subject, f"Pourriez-vous aider {self.grocery.name} ?")
        self.assertIn("Des colis pour l'été", message.body)
        self.assertIn(f"/my/partnerships/{proposal.id}?access_token=", message.body)
        self.assertIn("Répondre à la proposition", message.body)
        proposal._conseil_mail_once("proposal", "conseil_associations.mail_template_partnership_proposal")
        self.assertEqual(len(self.messages(proposal, "Épicerie")), 1, "Asked once")

    def test_an_english_helper_reads_english(self):
        need = self.make_need(name="Une camionnette le samedi")
        need.with_user(self.officer).action_submit()
        proposal = self.propose(need, self.grocery)
        message = self.assert_one_mail(proposal, self.grocery_people, "help")
        self.assertEqual(message.subject, f"Could you help {self.food_bank.name}?")
        self.assertIn("Answer the proposal", message.body)
