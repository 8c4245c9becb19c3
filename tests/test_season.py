from datetime import date, datetime

from conseil_testing import ConseilCase
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged


@tagged("post_install", "-at_install")
class TestSeasonPlanning(ConseilCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member = cls.create_association("Banque alimentaire", is_council_member=True)
        cls.other_member = cls.create_association("Épicerie solidaire", is_council_member=True)
        cls.not_member = cls.create_association("Harmonie")
        cls.Wizard = cls.env["conseil.season.wizard"].with_user(cls.officer)

    def plan(self, **values):
        defaults = {
            "date_from": date(2027, 1, 1),
            "date_to": date(2027, 6, 30),
            "rule": "first_third",
            "weekday": "3",  # Thursday
            "start_hour": 18.0,
            "duration": 2.0,
            "tz": "Europe/Paris",
            "location": "Salle du conseil",
        }
        return self.Wizard.create({**defaults, **values})

    def created_meetings(self, action):
        return self.env["conseil.meeting"].search(action["domain"], order="date_start")

    def test_first_and_third_thursday_with_holiday_across_dst(self):
        wizard = self.plan(skip_line_ids=[(0, 0, {"date": date(2027, 5, 6), "reason": "Ascension"})])
        self.assertEqual(wizard.session_count, 11)
        self.assertIn("Ascension", wizard.preview)
        meetings = self.created_meetings(wizard.action_create_sessions())
        local_days = [
            date(2027, 1, 7), date(2027, 1, 21), date(2027, 2, 4), date(2027, 2, 18),
            date(2027, 3, 4), date(2027, 3, 18), date(2027, 4, 1), date(2027, 4, 15),
            date(2027, 5, 20), date(2027, 6, 3), date(2027, 6, 17),
        ]  # fmt: skip
        self.assertEqual([m.date_start.date() for m in meetings], local_days)
        # 18:00 in Paris is 17:00 UTC in winter and 16:00 UTC after the clock change of 28 March 2027.
        by_day = {m.date_start.date(): m for m in meetings}
        self.assertEqual(by_day[date(2027, 3, 18)].date_start, datetime(2027, 3, 18, 17, 0))
        self.assertEqual(by_day[date(2027, 4, 1)].date_start, datetime(2027, 4, 1, 16, 0))
        self.assertEqual(by_day[date(2027, 4, 1)].date_end, datetime(2027, 4, 1, 18, 0))
        for meeting in meetings:
            event = meeting.calendar_event_id
            self.assertTrue(event, "Every session owns a calendar event")
            self.assertEqual((event.start, event.stop), (meeting.date_start, meeting.date_end))
            self.assertEqual(event.location, "Salle du conseil")
            local = meeting.with_context(tz="Europe/Paris")._local_date_label()
            self.assertTrue(local.endswith("18:00"), local)
        # Every council member is invited, the others are not.
        self.assertEqual(meetings[0].attendance_ids.association_id, self.member | self.other_member)
        self.assertIn(self.member.partner_id, meetings[0].calendar_event_id.partner_ids)
        self.assertNotIn(self.not_member.partner_id, meetings[0].calendar_event_id.partner_ids)

    def test_second_and_fourth_rule(self):
        wizard = self.plan(rule="second_fourth", date_to=date(2027, 2, 28), weekday="1")  # Tuesday
        meetings = self.created_meetings(wizard.action_create_sessions())
        self.assertEqual(
            [m.date_start.date() for m in meetings],
            [date(2027, 1, 12), date(2027, 1, 26), date(2027, 2, 9), date(2027, 2, 23)],
        )

    def test_every_other_week(self):
        wizard = self.plan(rule="biweekly", weekday="1", date_to=date(2027, 3, 1), start_hour=9.5)
        meetings = self.created_meetings(wizard.action_create_sessions())
        self.assertEqual(
            [m.date_start.date() for m in meetings],
            [date(2027, 1, 5), date(2027, 1, 19), date(2027, 2, 2), date(2027, 2, 16)],
        )
        self.assertEqual(meetings[0].date_start, datetime(2027, 1, 5, 8, 30))

    def test_dst_autumn_and_other_time_zone(self):
        wizard = self.plan(date_from=date(2027, 10, 1), date_to=date(2027, 11, 30), tz="America/Guadeloupe")
        meetings = self.created_meetings(wizard.action_create_sessions())
        # Guadeloupe has no daylight saving: 18:00 is always 22:00 UTC.
        self.assertTrue(all(m.date_start.hour == 22 for m in meetings))
        paris = self.created_meetings(
            self.plan(
                date_from=date(2027, 10, 1), date_to=date(2027, 11, 30), plan_over_existing=True
            ).action_create_sessions()
        )
        self.assertEqual([m.date_start.hour for m in paris], [16, 16, 17, 17])  # clock change on 31 October

    def test_selection_of_associations(self):
        wizard = self.plan(
            date_to=date(2027, 1, 31), invite_mode="selection", association_ids=[(6, 0, self.not_member.ids)]
        )
        meetings = self.created_meetings(wizard.action_create_sessions())
        self.assertEqual(len(meetings), 2)
        self.assertEqual(meetings.attendance_ids.association_id, self.not_member)

    def test_preview_through_form(self):
        form = Form(self.Wizard)
        form.date_from = date(2027, 1, 1)
        form.date_to = date(2027, 1, 31)
        form.tz = "Europe/Paris"
        form.rule = "first_third"
        form.weekday = "3"
        self.assertEqual(form.session_count, 2)
        self.assertIn("7", form.preview)
        with form.skip_line_ids.new() as line:
            line.date = date(2027, 1, 21)
            line.reason = "Vacances"
        self.assertEqual(form.session_count, 1)
        self.assertIn("Vacances", form.preview)

    def test_invalid_input_creates_nothing(self):
        Meeting = self.env["conseil.meeting"]
        before = Meeting.search_count([])
        with self.assertRaises(ValidationError):
            self.plan(date_from=date(2027, 6, 1), date_to=date(2027, 1, 1))
        with self.assertRaises(ValidationError):
            self.plan(start_hour=25)
        with self.assertRaises(ValidationError):
            self.plan(duration=0)
        with self.assertRaises(ValidationError):
            self.plan(date_to=date(2030, 1, 1))
        self.assertEqual(Meeting.search_count([]), before)

    def test_planning_again_skips_the_days_already_planned(self):
        first = self.created_meetings(self.plan(date_to=date(2027, 2, 28)).action_create_sessions())
        self.assertEqual(len(first), 4)
        again = self.plan(date_to=date(2027, 3, 31))  # overlaps the first season, then adds March
        self.assertEqual(again.session_count, 2, "Only the two sessions of March are new")
        self.assertIn("already planned", again.preview)
        second = self.created_meetings(again.action_create_sessions())
        self.assertEqual([m.date_start.date() for m in second], [date(2027, 3, 4), date(2027, 3, 18)])
        anyway = self.plan(date_to=date(2027, 1, 31), plan_over_existing=True)
        self.assertEqual(anyway.session_count, 2, "Unless asked, when a second session is wanted that day")

    def test_the_rule_reads_with_its_weekday(self):
        wizard = self.plan()
        self.assertEqual(wizard.rule_summary, "1st and 3rd Thursday of the month, at 18:00")
        french = wizard.with_context(lang="fr_FR")
        self.env["res.lang"]._activate_lang("fr_FR")
        self.assertIn("jeudi", french._rule_summary())

    def test_the_chair_of_the_last_session_chairs_the_next_ones(self):
        self.env["conseil.meeting"].create(
            {"name": "Conseil", "date_start": "2026-12-03 17:00:00", "date_end": "2026-12-03 19:00:00",
             "chair_id": self.manager.id}
        )  # fmt: skip
        self.assertEqual(self.plan().chair_id, self.manager)
