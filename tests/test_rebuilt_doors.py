"""What an outside JSON-RPC attack of the rebuilt house found (issue 15), held by the server."""

from datetime import datetime, timedelta

import psycopg2
from freezegun import freeze_time

from conseil_testing import LoanCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestRebuiltDoors(LoanCase):
    def make_session(self):
        return (
            self.env["conseil.meeting"]
            .with_user(self.officer)
            .create(
                {
                    "name": "Conseil de mars",
                    "date_start": datetime(2027, 3, 4, 17, 0),
                    "date_end": datetime(2027, 3, 4, 19, 0),
                }
            )
        )

    def test_no_event_is_born_in_a_commune_from_the_context(self):
        Event = self.env["calendar.event"].with_user(self.officer)
        values = {"name": "Réunion", "start": "2027-03-01 10:00:00", "stop": "2027-03-01 11:00:00"}
        with self.assertRaisesRegex(UserError, "created by them"):
            Event.with_context(default_conseil_company_id=self.company.id).create(values)
        with self.assertRaisesRegex(UserError, "created by them"):
            Event.create({**values, "res_model_id": self.env["ir.model"]._get_id("conseil.meeting")})
        self.assertTrue(Event.create(values), "A personal event is the user's to create")

    def test_a_session_event_is_moved_only_as_the_session_can_be(self):
        session = self.make_session()
        event = session.calendar_event_id.with_user(self.officer)
        with self.assertRaises(UserError):
            event.write({"allday": True})
        with self.assertRaises(UserError):
            event.write({"duration": 1e9})
        self.assertFalse(session.calendar_event_id.allday)
        self.assertEqual(session.calendar_event_id.stop, session.date_end)

    def test_a_rooms_loans_are_for_those_who_lend_rooms(self):
        loan = self.requested("room")
        loan.with_user(self.manager).action_approve()
        room = self.room.with_user(self.fleet_manager)
        with self.assertRaises(AccessError):
            room.read(["conseil_next_loan_id"])
        self.assertEqual(self.room.with_user(self.officer).conseil_next_loan_id, loan)

    def test_resources_are_searched_by_what_they_know_of_their_loans(self):
        loan = self.requested()
        loan.with_user(self.fleet_manager).action_approve()
        Vehicle = self.env["fleet.vehicle"].with_user(self.fleet_manager)
        mine = [("id", "in", (self.van | self.minibus).ids)]
        self.assertEqual(Vehicle.search([*mine, ("conseil_next_loan_id", "!=", False)]), self.van)
        self.assertEqual(Vehicle.search([*mine, ("conseil_next_loan_id", "=", False)]), self.minibus)
        self.assertEqual(Vehicle.search([*mine, ("conseil_loan_count", ">", 0)]), self.van)
        self.assertEqual(Vehicle.search([*mine, ("conseil_loan_count", "=", 0)]), self.minibus)
        with freeze_time("2027-03-01 08:30:00"):
            loan.with_user(self.officer).action_start()
        with freeze_time("2027-03-02 10:00:00"):
            self.assertEqual(
                Vehicle.search([*mine, ("conseil_current_borrower_id", "ilike", "alimentaire")]), self.van
            )
        with self.assertRaises(UserError):
            Vehicle.search([("conseil_loan_count", ">", "many")])

    def test_a_return_takes_numbers_given_as_text_and_refuses_the_rest(self):
        loan = self.make_loan(
            driver_id=self.food_bank.partner_id.id, licence_checked_on="2027-02-01", odometer_start=12000
        )
        loan.with_user(self.officer).action_request()
        loan.with_user(self.fleet_manager).action_approve()
        with freeze_time("2027-03-01 08:30:00"):
            loan.with_user(self.officer).action_start()
        with freeze_time("2027-03-03 18:00:00"):
            officer_loan = loan.with_user(self.officer)
            with self.assertRaisesRegex(UserError, "as a number"):
                officer_loan.action_return(odometer_end="beaucoup")
            with self.assertRaisesRegex(ValidationError, "cannot have driven"):
                officer_loan.action_return(odometer_end=4_999_999)
            self.assertEqual(loan.state, "in_progress")
            officer_loan.action_return(odometer_end="12250", return_time=datetime(2027, 3, 3, 17, 0))
        self.assertEqual(loan.state, "returned")
        self.assertEqual(loan.odometer_end, 12250)
        # the database holds the distance too, whatever writes it
        with (
            self.assertRaises(psycopg2.errors.CheckViolation),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            loan.sudo().write({"odometer_end": 4_999_999})
            loan.flush_recordset()

    def test_several_loans_return_at_once(self):
        loans = self.requested("room") | self.requested(
            "room", start="2027-03-02 08:00:00", end="2027-03-02 18:00:00"
        )
        loans.with_user(self.manager).action_approve()
        with freeze_time("2027-03-02 08:30:00"):
            loans.with_user(self.officer).action_start()
        with freeze_time("2027-03-02 19:00:00"):
            loans.with_user(self.officer).action_return(return_time=datetime.now() - timedelta(minutes=30))
        self.assertEqual(set(loans.mapped("state")), {"returned"})

    def test_the_keys_leave_with_a_checked_driver_and_the_vehicles_reading(self):
        self.van.odometer = 73100
        loan = self.requested(driver_id=False, licence_checked_on=False)
        loan.with_user(self.fleet_manager).action_approve()
        self.assertTrue(loan.is_early_handover, "Months ahead, handing over asks for a confirmation")
        with freeze_time("2027-03-01 08:30:00"):
            loan.invalidate_recordset(["is_early_handover"])
            self.assertFalse(loan.is_early_handover)
            with self.assertRaisesRegex(UserError, "Before handing over"):
                loan.with_user(self.officer).action_start()
            loan.with_user(self.officer).write(
                {"driver_id": self.food_bank.partner_id.id, "licence_checked_on": "2027-02-20"}
            )
            loan.with_user(self.officer).action_start()
        self.assertEqual(loan.state, "in_progress")
        self.assertEqual(loan.odometer_start, 73100, "The vehicle's own reading when the officer noted none")

    def test_a_session_named_after_its_day_is_renamed_when_it_moves(self):
        Meeting = self.env["conseil.meeting"].with_user(self.officer)
        day = datetime(2027, 3, 4).date()
        session = Meeting.create(
            {
                "name": Meeting._dated_name("council", day, self.company),
                "date_start": datetime(2027, 3, 4, 17, 0),
                "date_end": datetime(2027, 3, 4, 19, 0),
            }
        )
        session.calendar_event_id.with_user(self.officer).write(
            {"start": datetime(2027, 3, 5, 17, 0), "stop": datetime(2027, 3, 5, 19, 0)}
        )
        self.assertEqual(
            session.name, Meeting._dated_name("council", datetime(2027, 3, 5).date(), self.company)
        )
        self.assertEqual(session.calendar_event_id.name, session.name)
        session.write({"name": "Conseil exceptionnel"})
        session.write({"date_start": datetime(2027, 3, 6, 17, 0), "date_end": datetime(2027, 3, 6, 19, 0)})
        self.assertEqual(session.name, "Conseil exceptionnel", "A name the officer chose is kept")
