"""Recurring loans: one request, its occurrences as ordinary loans, the approver's decision, the rest cancelled."""

from datetime import datetime

from psycopg2 import IntegrityError
from test_rpc import RpcCase, RpcError

from conseil_testing import CommittedCase, LoanCase, race
from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

TUESDAYS = [
    "2027-03-02",
    "2027-03-09",
    "2027-03-16",
    "2027-03-23",
    "2027-03-30",
    "2027-04-06",
    "2027-04-13",
    "2027-04-20",
    "2027-04-27",
]


class SeriesCase(LoanCase):
    # the agent every Wednesday morning of March 2027
    AGENT_SERIES = {
        "loan_type": "agent",
        "room_id": False,
        "employee_id": None,
        "tuesday": False,
        "wednesday": True,
        "hour_from": 8.0,
        "hour_to": 12.0,
        "date_from": "2027-03-01",
        "date_to": "2027-03-31",
        "weekly_hours": 4,
        "agent_consent_date": "2026-10-01",
        "convention_ref": "CONV-2027-02",
        "council_informed_date": "2026-10-15",
        "reimbursement": "waived",
        "waiver_reason": "Aide d'intérêt général",
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.choir = cls.create_association("Chorale du Lys")
        cls.Series = cls.env["conseil.loan.series"]
        cls.AGENT_SERIES = {**cls.AGENT_SERIES, "employee_id": cls.agent.id}
        Leave = cls.env["resource.calendar.leaves"]
        # a public holiday of the commune, and a closing day of the room
        cls.holiday = Leave.create(
            {
                "name": "Fête communale",
                "calendar_id": cls.company.resource_calendar_id.id,
                "date_from": "2027-04-05 22:00:00",
                "date_to": "2027-04-06 21:59:59",
            }
        )
        cls.works = Leave.create(
            {
                "name": "Travaux",
                "calendar_id": cls.opening_hours.id,
                "date_from": "2027-03-15 23:00:00",
                "date_to": "2027-03-16 22:59:59",
            }
        )

    @classmethod
    def make_series(cls, **values):
        return cls.Series.with_user(cls.officer).create(
            {
                "loan_type": "room",
                "association_id": cls.choir.id,
                "room_id": cls.room.id,
                "purpose": "Répétition hebdomadaire",
                "tuesday": True,
                "hour_from": 18.0,
                "hour_to": 20.0,
                "date_from": "2027-03-01",
                "date_to": "2027-04-30",
                "expected_attendance": 30,
                **values,
            }
        )

    @classmethod
    def requested_series(cls, **values):
        series = cls.make_series(**values)
        series.with_user(cls.officer).action_request()
        return series

    def decide(self, series, user=None):
        return (
            self.env["conseil.series.approve.wizard"]
            .with_user(user or self.manager)
            .create({"series_id": series.id})
        )


@tagged("post_install", "-at_install")
class TestSeriesRequest(SeriesCase):
    def test_one_request_creates_the_occurrences_holidays_and_closing_days_skipped(self):
        series = self.make_series()
        self.assertIn("7 occurrences", series.schedule_html, "The draft shows what the request will create")
        self.assertIn("Fête communale", series.schedule_html)
        series.with_user(self.officer).action_request()
        self.assertEqual(series.state, "requested")
        loans = series.loan_ids.sorted("date_start")
        self.assertEqual(len(loans), 7)
        self.assertEqual(set(loans.mapped("state")), {"requested"})
        days = [loan.date_start.date().isoformat() for loan in loans]
        self.assertEqual(days, [day for day in TUESDAYS if day not in ("2027-03-16", "2027-04-06")])
        self.assertEqual(
            series.skipped_days,
            [{"date": "2027-03-16", "reason": "Travaux"}, {"date": "2027-04-06", "reason": "Fête communale"}],
        )
        self.assertIn("Travaux", series.schedule_html)
        # 18:00 in Paris: 17:00 UTC in winter, 16:00 UTC in summer
        self.assertEqual(loans[0].date_start, datetime(2027, 3, 2, 17, 0))
        self.assertEqual(loans[-1].date_start, datetime(2027, 4, 27, 16, 0))
        self.assertEqual(loans[-1].date_end, datetime(2027, 4, 27, 18, 0))
        self.assertTrue(all(loan.room_id == self.room and loan.expected_attendance == 30 for loan in loans))
        self.assertEqual(loans.requested_by_id, self.officer)
        self.assertEqual(loans[0].value, 60.0, "Each occurrence is valued as any room loan: 2 h × 30")
        self.assertIn(
            self.manager, series.activity_ids.user_id, "One activity for the approvers, on the series"
        )
        self.assertFalse(loans.activity_ids, "Not one per occurrence")
        self.assertEqual(series.loan_count, 7)
        self.assertEqual(series.requested_count, 7)

    def test_a_series_needs_a_day_and_ordered_hours(self):
        with self.assertRaises(ValidationError):
            self.make_series(tuesday=False)
        for values in ({"hour_from": 20.0, "hour_to": 18.0}, {"date_to": "2028-06-30"}):
            with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
                self.make_series(**values)

    def test_agent_series_lends_the_hours_of_each_occurrence(self):
        series = self.requested_series(**self.AGENT_SERIES)
        loans = series.loan_ids
        self.assertEqual(len(loans), 5)
        self.assertEqual(set(loans.mapped("actual_hours")), {4.0})
        self.assertEqual(set(loans.mapped("valuation_quantity")), {4.0}, "Valued on the hours worked")
        self.decide(series, self.hr_officer).action_approve_free()
        self.assertEqual(set(loans.mapped("state")), {"approved"})

    def test_agent_series_conflicts_where_the_agent_week_is_full(self):
        busy = self.requested(
            "agent", start="2027-03-01 08:00:00", end="2027-03-12 18:00:00", weekly_hours=33
        )
        busy.with_user(self.hr_officer).action_approve()
        series = self.requested_series(**self.AGENT_SERIES)
        wizard = self.decide(series, self.hr_officer)
        conflicts = wizard.line_ids.filtered("conflict")
        self.assertEqual([line.date_start.day for line in conflicts], [3, 10])
        self.assertEqual(conflicts.blocking_loan_id, busy)
        self.assertIn("37 h a week", conflicts[0].conflict)
        wizard.action_approve_free()
        self.assertEqual(series.approved_count, 3)

    def test_vehicle_series_is_decided_by_the_fleet(self):
        blocking = self.requested(start="2027-03-13 07:00:00", end="2027-03-13 09:00:00")
        blocking.with_user(self.fleet_manager).action_approve()
        series = self.requested_series(
            loan_type="vehicle",
            room_id=False,
            vehicle_id=self.van.id,
            tuesday=False,
            saturday=True,
            hour_from=9.0,
            hour_to=17.0,
            date_to="2027-03-31",
        )
        self.assertEqual(len(series.loan_ids), 4)
        with self.assertRaises(AccessError):
            self.decide(series, self.manager)
        wizard = self.decide(series, self.fleet_manager)
        self.assertEqual(wizard.line_ids.filtered("conflict").blocking_loan_id, blocking)
        wizard.action_approve_free()
        self.assertEqual(series.approved_count, 3)

    def test_officer_does_not_decide_and_the_fleet_does_not_decide_a_room(self):
        series = self.requested_series()
        with self.assertRaises(AccessError):
            series.with_user(self.officer).action_open_approve_wizard()
        with self.assertRaises(AccessError):
            self.decide(series, self.fleet_manager)
        with self.assertRaises(AccessError):
            series.loan_ids[:1].with_user(self.officer).action_approve()


@tagged("post_install", "-at_install")
class TestSeriesDecision(SeriesCase):
    def test_conflicts_are_shown_with_the_loan_that_blocks_and_the_others_approved(self):
        blocking = self.make_loan(
            "room",
            association_id=self.grocery.id,
            start="2027-03-09 16:30:00",
            end="2027-03-09 17:30:00",
        )
        blocking.action_request()
        blocking.with_user(self.manager).action_approve()
        series = self.requested_series()
        wizard = self.decide(series)
        self.assertEqual(wizard.conflict_count, 1)
        self.assertEqual(wizard.free_count, 6)
        line = wizard.line_ids.filtered("conflict")
        self.assertEqual(line.loan_id.date_start.date().isoformat(), "2027-03-09")
        self.assertEqual(line.blocking_loan_id, blocking)
        self.assertIn("Épicerie solidaire", line.conflict)
        self.assertIn(blocking.name, line.conflict)
        wizard.action_approve_free()
        self.assertEqual(series.state, "decided")
        self.assertEqual(series.approved_count, 6)
        refused = series.loan_ids.filtered(lambda loan: loan.state == "refused")
        self.assertEqual(refused, line.loan_id)
        # the association reads that the room is not free that day, never who holds it: the town keeps that
        self.assertNotIn(blocking.name, refused.refusal_reason)
        self.assertNotIn("Épicerie solidaire", refused.refusal_reason)
        self.assertIn(self.room.name, refused.refusal_reason)
        note = series.message_ids.filtered(lambda message: blocking.name in (message.body or ""))
        self.assertEqual(
            note.subtype_id, self.env.ref("mail.mt_note"), "The details are the town's, in a note"
        )
        self.assertTrue(all(loan.calendar_event_id for loan in series.loan_ids if loan.state == "approved"))
        self.assertFalse(series.activity_ids)
        # the association hears the decision in one mail, not one per occurrence
        self.assertFalse([loan for loan in series.loan_ids if loan.conseil_mail_sent])
        sent = self.Series._cron_send_pending_mails()
        self.assertEqual(sent, series)
        mail = series.message_ids.filtered(lambda message: "recurring loan" in (message.body or ""))
        self.assertEqual(len(mail), 1)
        self.assertIn("6</strong> occurrences are approved", mail.body)
        self.assertIn(refused.refusal_reason, mail.body, "The refused occurrence is told with its reason")
        self.assertNotIn(blocking.name, mail.body)

    def test_the_officer_reads_while_writing_the_dates_the_approver_will_refuse(self):
        blocking = self.make_loan(
            "room",
            association_id=self.grocery.id,
            start="2027-03-09 16:30:00",
            end="2027-03-09 17:30:00",
        )
        blocking.action_request()
        blocking.with_user(self.manager).action_approve()
        series = self.make_series()
        schedule = series.with_user(self.officer).schedule_html
        self.assertIn("Already taken", schedule)
        taken = schedule.split("Already taken")[1]
        self.assertEqual(taken.count("<li>"), 1, "Only the Tuesday the room is already lent")
        self.assertIn("3/9/27, 6:00 PM", taken, "The occurrence, at the series' hour in the commune")
        self.assertIn(blocking.name, taken, "The officer reads which loan holds it")
        # the approver's dialog refuses the same date
        series.with_user(self.officer).action_request()
        line = self.decide(series).line_ids.filtered("conflict")
        self.assertEqual(line.date_start.date().isoformat(), "2027-03-09")
        # an agent series: the Wednesdays the agent's week is full
        busy = self.requested(
            "agent", start="2027-03-01 08:00:00", end="2027-03-12 18:00:00", weekly_hours=33
        )
        busy.with_user(self.hr_officer).action_approve()
        agent_series = self.make_series(**self.AGENT_SERIES)
        schedule = agent_series.with_user(self.officer).schedule_html
        self.assertIn("37 h a week", schedule)
        self.assertEqual(
            schedule.split("Already taken")[1].count("<li>"), 2, "The two Wednesdays of the busy fortnight"
        )
        free = self.make_series(date_from="2027-05-01", date_to="2027-05-31")
        self.assertNotIn("Already taken", free.with_user(self.officer).schedule_html)

    def test_approve_none(self):
        series = self.requested_series()
        wizard = self.decide(series)
        with self.assertRaises(UserError):
            wizard.action_refuse_all()
        wizard.reason = "Salle réservée aux travaux de la saison"
        wizard.action_refuse_all()
        self.assertEqual(set(series.loan_ids.mapped("state")), {"refused"})
        self.assertEqual(series.state, "decided")

    def test_a_closing_day_added_after_the_request_refuses_its_occurrence_with_its_date(self):
        series = self.requested_series()
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Élections",
                "calendar_id": self.opening_hours.id,
                "date_from": "2027-03-22 23:00:00",
                "date_to": "2027-03-23 22:59:59",
            }
        )
        wizard = self.decide(series)
        line = wizard.line_ids.filtered("conflict")
        self.assertEqual(len(line), 1)
        self.assertIn("Élections", line.conflict)
        self.assertIn("03/23/2027", line.conflict)
        with self.assertRaises(ValidationError) as refusal:
            line.loan_id.with_user(self.manager).action_approve()
        self.assertIn("Élections", str(refusal.exception))

    def test_a_loan_approved_after_the_dialog_opened_is_caught_at_the_click(self):
        series = self.requested_series()
        wizard = self.decide(series)
        self.assertEqual(wizard.conflict_count, 0)
        late = self.make_loan(
            "room", association_id=self.grocery.id, start="2027-03-23 17:00:00", end="2027-03-23 18:00:00"
        )
        late.action_request()
        late.with_user(self.manager).action_approve()
        wizard.action_approve_free()
        refused = series.loan_ids.filtered(lambda loan: loan.state == "refused")
        self.assertEqual(refused.date_start.date().isoformat(), "2027-03-23")
        self.assertEqual(series.approved_count, 6)

    def test_approving_twenty_occurrences_costs_what_five_cost(self):
        """Approving a series is a batch: the number of queries does not grow with its occurrences."""

        def cost(series):
            wizard = self.decide(series)
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            wizard.action_approve_free()
            self.env.flush_all()
            return self.cr.sql_log_count - before

        room_b = self.room.copy({"name": "Salle B"})
        room_c = self.room.copy({"name": "Salle C"})
        cost(self.requested_series(room_id=room_c.id, date_to="2027-03-10"))  # warms the caches
        five = cost(self.requested_series(date_from="2027-05-01", date_to="2027-05-31"))
        twenty = cost(
            self.requested_series(
                room_id=room_b.id, monday=True, date_from="2027-05-01", date_to="2027-07-17"
            )
        )
        self.assertEqual(len(room_b.conseil_loan_ids), 22)
        self.assertLessEqual(twenty, five, f"20 occurrences: {twenty} queries; 5: {five}")


@tagged("post_install", "-at_install")
class TestSeriesCancel(SeriesCase):
    def test_cancel_the_rest_from_an_occurrence_then_the_series(self):
        series = self.requested_series()
        self.decide(series).action_approve_free()
        loans = series.loan_ids.sorted("date_start")
        loans[3].with_user(self.manager).action_cancel_series_rest()
        self.assertEqual(loans[:3].mapped("state"), ["approved"] * 3)
        self.assertEqual(set(loans[3:].mapped("state")), {"cancelled"})
        self.assertFalse(loans[3:].calendar_event_id, "Their calendar entries go")
        self.assertEqual(series.state, "decided")
        loans[1].with_user(self.manager).action_cancel()
        self.assertEqual(loans[1].state, "cancelled", "One occurrence: the loan's own cancel")
        series.with_user(self.manager).action_cancel()
        self.assertEqual(series.state, "cancelled")
        self.assertEqual(set(loans.mapped("state")), {"cancelled"})

    def test_an_officer_cancels_requested_occurrences_not_approved_ones(self):
        series = self.requested_series()
        series.loan_ids.sorted("date_start")[-2].with_user(self.officer).action_cancel_series_rest()
        self.assertEqual(len(series.loan_ids.filtered(lambda loan: loan.state == "cancelled")), 2)
        self.decide(series).action_approve_free()
        with self.assertRaises(AccessError):
            series.with_user(self.officer).action_cancel()


@tagged("post_install", "-at_install")
class TestSeriesForged(SeriesCase):
    def test_nobody_writes_the_series_of_a_loan_or_the_occurrences_of_a_series(self):
        series = self.requested_series()
        loan = self.make_loan("room", start="2027-06-01 08:00:00", end="2027-06-01 10:00:00")
        with self.assertRaises(AccessError):
            loan.with_user(self.officer).write({"series_id": series.id})
        with self.assertRaises(UserError):
            loan.with_user(self.officer).action_cancel_series_rest()
        with self.assertRaises(AccessError):
            self.make_loan(
                "room", start="2027-06-02 08:00:00", end="2027-06-02 10:00:00", series_id=series.id
            )
        with self.assertRaises(UserError):
            series.with_user(self.officer).write({"loan_ids": [(4, loan.id)]})
        with self.assertRaises(AccessError):
            series.with_user(self.officer).write({"state": "decided"})
        with self.assertRaises(UserError):
            series.with_user(self.officer).write({"date_to": "2027-06-30"})
        with self.assertRaises(AccessError):
            self.make_series(state="decided")
        wizard = self.decide(series)
        with self.assertRaises(AccessError):
            wizard.line_ids[:1].with_user(self.manager).write({"conflict": "Rien"})


@tagged("post_install", "-at_install")
class TestSeriesThroughRpc(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fleet_user = new_test_user(
            cls.env,
            login="rpc_series_fleet",
            password="rpc_series_fleet_pwd",
            groups="base.group_user,fleet.fleet_group_manager",
        )
        attendances = [
            (
                0,
                0,
                {
                    "name": str(d),
                    "dayofweek": str(d),
                    "hour_from": 8,
                    "hour_to": 23,
                    "day_period": "full_day",
                },
            )
            for d in range(7)
        ]
        hours = cls.env["resource.calendar"].create(
            {"name": "Salle 8-23", "tz": "Europe/Paris", "attendance_ids": attendances}
        )
        cls.room = cls.env["conseil.room"].create(
            {"name": "Salle RPC", "capacity": 50, "resource_calendar_id": hours.id}
        )
        cls.association = cls.env["conseil.association"].create({"name": "Chorale RPC"})

    def test_officer_and_fleet_user_cannot_forge_a_series(self):
        self.authenticate("rpc_officer", "rpc_officer_pwd")
        series_id = self.call_kw(
            "conseil.loan.series",
            "create",
            [
                {
                    "loan_type": "room",
                    "association_id": self.association.id,
                    "room_id": self.room.id,
                    "purpose": "Répétition",
                    "tuesday": True,
                    "hour_from": 18,
                    "hour_to": 20,
                    "date_from": "2027-09-01",
                    "date_to": "2027-09-30",
                    "expected_attendance": 20,
                }
            ],
        )
        self.call_button("conseil.loan.series", "action_request", series_id)
        series = self.env["conseil.loan.series"].browse(series_id)
        self.assertEqual(len(series.loan_ids), 4)
        loan_id = series.loan_ids[0].id
        for call in (
            lambda: self.call_kw("conseil.loan", "write", [[loan_id], {"series_id": False}]),
            lambda: self.call_kw("conseil.loan.series", "write", [[series_id], {"state": "decided"}]),
            lambda: self.call_kw("conseil.loan.series", "write", [[series_id], {"loan_ids": [[3, loan_id]]}]),
            lambda: self.call_kw(
                "conseil.series.approve.wizard", "create", [{"series_id": series_id}], {"context": {"uid": 1}}
            ),
            lambda: self.call_kw("conseil.loan", "action_approve", [[loan_id]]),
        ):
            with self.assertRaises(RpcError):
                call()
        self.authenticate("rpc_series_fleet", "rpc_series_fleet_pwd")
        with self.assertRaises(RpcError):
            self.call_kw("conseil.loan.series", "read", [[series_id], ["state"]])
        with self.assertRaises(RpcError):
            self.call_kw("conseil.series.approve.wizard", "create", [{"series_id": series_id}])
        self.assertEqual(set(series.loan_ids.mapped("state")), {"requested"})
        self.assertEqual(series.state, "requested")


@tagged("post_install", "-at_install")
class TestSeriesRace(CommittedCase):
    """A series approved while another manager approves a loan of the same room, in two real transactions."""

    @classmethod
    def build(cls, env):
        cls.manager_ids = cls.race_users(env, "series", "conseil_associations.group_conseil_manager")
        cls.association_ids = (
            env["conseil.association"]
            .create([{"name": f"Chorale {cls.suffix}"}, {"name": f"Théâtre {cls.suffix}"}])
            .ids
        )
        cls.room_id = cls.keep_for_cleanup(
            env["conseil.room"].create({"name": f"Salle {cls.suffix}", "capacity": 50})
        ).id

    def test_the_database_refuses_a_double_booking_and_the_loser_hears_it(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            # three Mondays, 09:00-11:00 in Brussels/Paris (the standard opening hours)
            series = env["conseil.loan.series"].create(
                {
                    "loan_type": "room",
                    "association_id": self.association_ids[0],
                    "room_id": self.room_id,
                    "purpose": "Répétition",
                    "monday": True,
                    "hour_from": 9,
                    "hour_to": 11,
                    "expected_attendance": 20,
                    "date_from": "2027-03-01",
                    "date_to": "2027-03-15",
                }
            )
            series.action_request()
            second = series.loan_ids.sorted("date_start")[1]
            single = env["conseil.loan"].create(
                {
                    "loan_type": "room",
                    "association_id": self.association_ids[1],
                    "room_id": self.room_id,
                    "purpose": "Répétition générale",
                    "expected_attendance": 20,
                    "date_start": second.date_start,
                    "date_end": second.date_end,
                }
            )
            single.action_request()
            cr.commit()
            series_id, single_id, second_id = series.id, single.id, second.id

        def decide(env):
            env["conseil.series.approve.wizard"].create({"series_id": series_id}).action_approve_free()

        def approve(env):
            env["conseil.loan"].browse(single_id).action_approve()

        outcomes = race(
            self.registry, {"series": (self.manager_ids[0], decide), "single": (self.manager_ids[1], approve)}
        )
        states = self.states([single_id, second_id])
        self.assertEqual(len(outcomes), 2, outcomes)
        self.assertNotEqual(
            (states[single_id], states[second_id]), ("approved", "approved"), "Never both: no double booking"
        )
        for outcome in outcomes.values():  # each either went through or read a clear refusal
            self.assertTrue(outcome == "done" or "already lent" in str(outcome), outcome)
