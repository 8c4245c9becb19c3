from datetime import datetime, timedelta

from freezegun import freeze_time

from conseil_testing import ConseilCase
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged


class MeetingCase(ConseilCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.food_bank = cls.create_association("Banque alimentaire", is_council_member=True)
        cls.grocery = cls.create_association("Épicerie solidaire", is_council_member=True)
        cls.Meeting = cls.env["conseil.meeting"].with_user(cls.officer)

    @classmethod
    def make_meeting(cls, start=datetime(2027, 1, 7, 17, 0), **values):
        return cls.Meeting.create(
            {
                "name": "Conseil de janvier",
                "date_start": start,
                "date_end": start + timedelta(hours=2),
                **values,
            }
        )


@tagged("post_install", "-at_install")
class TestMeetingCalendar(MeetingCase):
    def test_event_created_with_the_session(self):
        meeting = self.make_meeting(location="Salle du conseil", official_ids=[(6, 0, self.manager.ids)])
        event = meeting.calendar_event_id
        self.assertEqual(event.name, "Conseil de janvier")
        self.assertEqual(
            (event.start, event.stop), (datetime(2027, 1, 7, 17, 0), datetime(2027, 1, 7, 19, 0))
        )
        self.assertEqual(event.location, "Salle du conseil")
        self.assertEqual(event.res_model, "conseil.meeting")
        self.assertEqual(event.res_id, meeting.id)
        self.assertEqual(event.conseil_meeting_id, meeting)
        self.assertEqual(event.partner_ids, self.officer.partner_id | self.manager.partner_id)
        self.assertEqual(
            event.action_open_calendar_event()["res_id"], meeting.id, "The event opens its session"
        )
        self.assertFalse(meeting.activity_ids, "No 'meeting' activity is added on the session")

    def test_invitations_become_attendees(self):
        meeting = self.make_meeting()
        meeting.action_invite_council_members()
        self.assertEqual(meeting.attendance_ids.association_id, self.food_bank | self.grocery)
        self.assertEqual(set(meeting.attendance_ids.mapped("state")), {"invited"})
        self.assertLessEqual(
            self.food_bank.partner_id | self.grocery.partner_id, meeting.calendar_event_id.partner_ids
        )
        meeting.action_invite_council_members()
        self.assertEqual(len(meeting.attendance_ids), 2, "Inviting twice creates no duplicate")
        meeting.attendance_ids.filtered(lambda a: a.association_id == self.grocery).unlink()
        self.assertNotIn(self.grocery.partner_id, meeting.calendar_event_id.partner_ids)

    def test_move_rename_and_cancel_follow(self):
        meeting = self.make_meeting()
        meeting.write({"date_start": datetime(2027, 1, 14, 17, 0), "date_end": datetime(2027, 1, 14, 19, 30)})
        meeting.name = "Conseil reporté"
        event = meeting.calendar_event_id
        self.assertEqual(
            (event.start, event.stop), (datetime(2027, 1, 14, 17, 0), datetime(2027, 1, 14, 19, 30))
        )
        self.assertEqual(event.name, "Conseil reporté")
        meeting.action_cancel()
        self.assertEqual(meeting.state, "cancelled")
        self.assertFalse(event.active, "A cancelled session leaves the calendar")
        meeting.action_reset_to_planned()
        self.assertTrue(event.active)

    def test_moving_the_event_in_calendar_moves_the_session(self):
        meeting = self.make_meeting()
        meeting.calendar_event_id.with_user(self.officer).write(
            {"start": datetime(2027, 1, 8, 16, 0), "stop": datetime(2027, 1, 8, 18, 0), "name": "Déplacé"}
        )
        self.assertEqual(meeting.date_start, datetime(2027, 1, 8, 16, 0))
        self.assertEqual(meeting.date_end, datetime(2027, 1, 8, 18, 0))
        self.assertEqual(meeting.name, "Déplacé")

    def test_event_of_a_session_cannot_be_deleted_from_calendar(self):
        meeting = self.make_meeting()
        with self.assertRaises(UserError):
            meeting.calendar_event_id.unlink()
        self.assertTrue(meeting.calendar_event_id.exists())

    def test_archiving_the_event_in_calendar_is_refused(self):
        """Archiving in the Calendar app would hide the session from its invitees without telling them: it is
        refused as deleting is, and the message points to cancelling the session, which tells them."""
        meeting = self.make_meeting()
        event = meeting.calendar_event_id.with_user(self.officer)
        with self.assertRaisesRegex(UserError, "Cancel the session instead"):
            event.action_archive()
        self.assertTrue(event.active)
        self.assertEqual(meeting.state, "planned")
        # cancelling the session, which tells its invitees, archives it
        meeting.action_cancel()
        self.assertFalse(event.active)

    def test_reply_to_invitation_updates_attendance(self):
        meeting = self.make_meeting(start=datetime.now() + timedelta(days=3))
        meeting.action_invite_council_members()
        attendees = meeting.calendar_event_id.attendee_ids
        # an officer does not answer for an association: each attendee answers for itself
        with self.assertRaises(UserError):
            attendees.filtered(lambda a: a.partner_id == self.food_bank.partner_id).with_user(
                self.officer
            ).do_accept()
        self.assertEqual(set(meeting.attendance_ids.mapped("state")), {"invited"})
        # the associations answer, from the invitation's link (which acts as the server)
        attendees.filtered(lambda a: a.partner_id == self.food_bank.partner_id).sudo().do_accept()
        attendees.filtered(lambda a: a.partner_id == self.grocery.partner_id).sudo().do_decline()
        states = {a.association_id: a.state for a in meeting.attendance_ids}
        self.assertEqual(states[self.food_bank], "confirmed")
        self.assertEqual(states[self.grocery], "excused")


@tagged("post_install", "-at_install")
class TestMeetingLifecycle(MeetingCase):
    def test_attendance_one_click_and_states(self):
        meeting = self.make_meeting()
        meeting.action_invite_council_members()
        line = meeting.attendance_ids.filtered(lambda a: a.association_id == self.food_bank)
        line.with_user(self.officer).action_mark_present()
        self.assertEqual(line.state, "present")
        meeting.action_hold()
        self.assertEqual(meeting.state, "held")
        self.assertEqual(meeting.present_count, 1)
        self.assertEqual(meeting.invited_count, 2)
        with self.assertRaises(UserError):
            meeting.action_hold()

    def test_held_session_is_never_deleted(self):
        meeting = self.make_meeting()
        meeting.action_hold()
        with self.assertRaises(UserError):
            meeting.with_user(self.manager).unlink()
        self.assertTrue(meeting.exists())
        planned = self.make_meeting(start=datetime(2027, 2, 4, 17, 0))
        event = planned.calendar_event_id
        planned.unlink()
        self.assertFalse(event.exists(), "A planned session deleted takes its event along")

    def test_cancel_only_planned(self):
        meeting = self.make_meeting()
        meeting.action_hold()
        with self.assertRaises(UserError):
            meeting.action_cancel()

    def test_status_changes_only_through_the_buttons(self):
        """Publishing sends the minutes: writing the status directly would skip it, so it is refused."""
        meeting = self.make_meeting()
        for values in (
            {"state": "held"},
            {"state": "published", "minutes_published_on": datetime(2027, 1, 9, 9, 0)},
            {"is_review_closed": True},
        ):
            with self.subTest(values=values), self.assertRaisesRegex(AccessError, "only through its buttons"):
                meeting.write(values)
        self.assertEqual(meeting.state, "planned")
        meeting.write({"name": "Conseil de janvier (salle B)"})  # the rest stays the officer's to edit
        meeting.action_hold()
        self.assertEqual(meeting.state, "held")

    def test_dates_must_be_ordered(self):
        with self.assertRaises(Exception):  # noqa: B017 - CHECK constraint (IntegrityError) at insert
            self.make_meeting(date_end=datetime(2027, 1, 7, 16, 0))


@tagged("post_install", "-at_install")
class TestAttendanceRate(MeetingCase):
    @freeze_time("2027-06-30 12:00:00")
    def test_rate_over_last_twelve_months(self):
        starts = [
            datetime(2027, 1, 7, 17),
            datetime(2027, 2, 4, 17),
            datetime(2027, 3, 4, 17),
            datetime(2027, 4, 1, 16),
        ]
        states = ["present", "present", "excused", "present"]
        for start, state in zip(starts, states, strict=True):
            meeting = self.make_meeting(start=start)
            meeting._invite(self.food_bank)
            getattr(meeting.attendance_ids, f"action_mark_{state}")()
            meeting.action_hold()
        old = self.make_meeting(start=datetime(2026, 3, 5, 17))  # more than 12 months ago
        old._invite(self.food_bank)
        old.action_hold()  # absent, but too old to count
        future = self.make_meeting(start=datetime(2027, 7, 1, 16))
        future._invite(self.food_bank)  # planned: not counted
        self.food_bank.invalidate_recordset(["attendance_rate", "session_count"])
        self.assertEqual(self.food_bank.session_count, 6)
        self.assertAlmostEqual(self.food_bank.attendance_rate, 75.0)
        self.assertEqual(self.grocery.attendance_rate, 0.0)


@tagged("post_install", "-at_install")
class TestProgressReportsAndAgenda(MeetingCase):
    def test_agenda_lists_progress_reports(self):
        meeting = self.make_meeting()
        Report = self.env["conseil.progress.report"].with_user(self.officer)
        Report.create(
            {
                "meeting_id": meeting.id,
                "association_id": self.food_bank.id,
                "beneficiaries_served": 320,
                "difficulties": "Plus assez de chauffeurs",
                "good_practice": "Tournée mutualisée avec l'épicerie",
            }
        )
        Report.create(
            {"meeting_id": meeting.id, "association_id": self.grocery.id, "beneficiaries_served": 80}
        )
        manual = self.env["conseil.agenda.item"].create(
            {"meeting_id": meeting.id, "name": "Questions diverses", "section": "Divers"}
        )
        meeting.with_user(self.officer).action_build_agenda()
        generated = meeting.agenda_item_ids.filtered("is_generated")
        self.assertEqual(len(generated), 2)
        self.assertEqual(set(generated.mapped("section")), {"Progress reports"})
        food_item = generated.filtered(lambda i: "Banque alimentaire" in i.name)
        self.assertIn("good practice", food_item.name)
        self.assertTrue(food_item.is_flagged, "A report with difficulties needs attention")
        self.assertEqual(food_item.description, "Plus assez de chauffeurs")
        self.assertEqual(food_item.action_open_source()["res_model"], "conseil.progress.report")
        # Building again replaces the proposal, keeps what the officer added.
        meeting.action_build_agenda()
        self.assertEqual(len(meeting.agenda_item_ids.filtered("is_generated")), 2)
        self.assertIn(manual, meeting.agenda_item_ids)
        self.assertEqual(
            meeting.agenda_item_ids[0].section, "Progress reports", "Sources come before other business"
        )

    def test_every_source_model_is_found(self):
        sources = self.env["conseil.agenda.item"]._agenda_sources()
        self.assertIn("conseil.progress.report", [source._name for source in sources])

    def test_one_report_per_association_and_session(self):
        meeting = self.make_meeting()
        Report = self.env["conseil.progress.report"]
        Report.create({"meeting_id": meeting.id, "association_id": self.food_bank.id})
        with self.assertRaises(Exception):  # noqa: B017 - unique index (IntegrityError)
            Report.create({"meeting_id": meeting.id, "association_id": self.food_bank.id})
            self.env.flush_all()


@tagged("post_install", "-at_install")
class TestMinutes(MeetingCase):
    def test_publish_sends_minutes_to_attendees(self):
        meeting = self.make_meeting(location="Salle du conseil")
        meeting.action_invite_council_members()
        with self.assertRaises(UserError):
            meeting.action_publish_minutes()  # not held yet
        meeting.action_hold()
        with self.assertRaises(UserError):
            meeting.action_publish_minutes()  # empty minutes
        meeting.minutes = "<p>Le conseil décide de mutualiser les tournées.</p>"
        meeting.with_user(self.officer).action_publish_minutes()
        self.assertEqual(meeting.state, "published")
        self.assertTrue(meeting.minutes_published_on)
        message = meeting.message_ids.filtered(lambda m: "mutualiser" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertEqual(
            message.partner_ids, self.food_bank.partner_id | self.grocery.partner_id | self.officer.partner_id
        )
        self.assertEqual(len(message.attachment_ids), 1)
        self.assertTrue(message.attachment_ids.name.endswith(".pdf"))

    def test_minutes_pdf(self):
        meeting = self.make_meeting(location="Salle du conseil")
        meeting.action_invite_council_members()
        meeting.attendance_ids.filtered(lambda a: a.association_id == self.food_bank).action_mark_present()
        self.env["conseil.progress.report"].create(
            {
                "meeting_id": meeting.id,
                "association_id": self.grocery.id,
                "good_practice": "Paniers anti-gaspillage",
            }
        )
        meeting.action_hold()
        meeting.minutes = "<p>Décision : prêt du minibus.</p>"
        report = self.env.ref("conseil_associations.action_report_meeting_minutes")
        html, __ = report._render_qweb_html(report.id, meeting.ids)
        text = html.decode()
        for expected in ("Conseil de janvier", "Salle du conseil", "Banque alimentaire", "Present",
                         "Paniers anti-gaspillage", "prêt du minibus"):  # fmt: skip
            self.assertIn(expected, text)
        pdf, report_type = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.id, meeting.ids
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"), "wkhtmltopdf renders a real PDF")


@tagged("post_install", "-at_install")
class TestMeetingAccess(MeetingCase):
    def test_officer_plans_and_holds(self):
        meeting = self.make_meeting()
        meeting.with_user(self.officer).action_invite_council_members()
        meeting.with_user(self.officer).action_hold()
        self.assertEqual(meeting.state, "held")

    def test_internal_user_cannot(self):
        meeting = self.make_meeting()
        with self.assertRaises(AccessError):
            self.env["conseil.meeting"].with_user(self.internal_user).create(
                {"name": "X", "date_start": datetime(2027, 1, 7, 17), "date_end": datetime(2027, 1, 7, 19)}
            )
        with self.assertRaises(AccessError):
            meeting.with_user(self.internal_user).read(["name"])
        with self.assertRaises(AccessError):
            self.env["conseil.season.wizard"].with_user(self.internal_user).create({})
