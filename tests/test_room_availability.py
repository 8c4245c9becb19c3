"""Rooms: closing days shown at request and refused at approval, a set-up / clean-up buffer held by the database."""

from psycopg2.errors import ExclusionViolation

from conseil_testing import LoanCase
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestRoomBuffer(LoanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.room.buffer_minutes = 30
        cls.other_room = cls.env["conseil.room"].create(
            {"name": "Salle Verte", "capacity": 100, "resource_calendar_id": cls.opening_hours.id}
        )
        # 09:00-12:00 in Paris
        cls.morning = cls.requested("room", start="2027-03-01 08:00:00", end="2027-03-01 11:00:00")
        cls.morning.with_user(cls.manager).action_approve()

    def free_rooms(self, start, end):
        return self.env["conseil.room"].browse(self.Loan._free_resource_ids("room", start, end, self.company))

    def test_the_buffer_after_a_booking_is_held(self):
        self.assertEqual(str(self.morning.buffered_end), "2027-03-01 11:30:00")
        too_soon = self.requested(
            "room", association_id=self.grocery.id, start="2027-03-01 11:15:00", end="2027-03-01 13:00:00"
        )
        self.assertIn(self.morning.name, too_soon.availability_warning)
        with self.assertRaises(ValidationError) as refusal:
            too_soon.with_user(self.manager).action_approve()
        self.assertIn(self.morning.name, str(refusal.exception))
        self.assertIn("Banque alimentaire", str(refusal.exception))
        self.assertEqual(too_soon.state, "requested")
        after = self.requested(
            "room", association_id=self.grocery.id, start="2027-03-01 11:30:00", end="2027-03-01 13:00:00"
        )
        self.assertFalse(after.availability_warning)
        after.with_user(self.manager).action_approve()
        self.assertEqual(after.state, "approved")

    def test_the_buffer_before_a_booking_is_held_too(self):
        before = self.requested("room", start="2027-03-01 07:00:00", end="2027-03-01 07:45:00")
        with self.assertRaises(ValidationError):
            before.with_user(self.manager).action_approve()
        self.assertEqual(before.state, "requested")

    def test_the_database_holds_the_buffer_whatever_the_path(self):
        too_soon = self.requested(
            "room", association_id=self.grocery.id, start="2027-03-01 11:15:00", end="2027-03-01 13:00:00"
        )
        with self.assertRaises(ExclusionViolation), mute_logger("odoo.sql_db"), self.cr.savepoint():
            too_soon.sudo().write({"state": "approved"})
            self.env.flush_all()

    def test_the_free_room_search_counts_the_buffer(self):
        self.assertNotIn(self.room, self.free_rooms("2027-03-01 11:15:00", "2027-03-01 13:00:00"))
        self.assertIn(self.other_room, self.free_rooms("2027-03-01 11:15:00", "2027-03-01 13:00:00"))
        self.assertIn(self.room, self.free_rooms("2027-03-01 11:30:00", "2027-03-01 13:00:00"))
        # the new booking needs its own buffer before the next one
        self.assertNotIn(self.room, self.free_rooms("2027-03-01 07:00:00", "2027-03-01 07:45:00"))

    def test_a_new_buffer_does_not_move_the_approved_loans(self):
        self.room.with_user(self.manager).buffer_minutes = 120
        self.assertEqual(str(self.morning.buffered_end), "2027-03-01 11:30:00")
        later = self.requested(
            "room", association_id=self.grocery.id, start="2027-03-01 11:30:00", end="2027-03-01 12:00:00"
        )
        later.with_user(self.manager).action_approve()
        self.assertEqual(
            str(later.buffered_end), "2027-03-01 14:00:00", "Approved with the room's new buffer"
        )

    def test_the_buffer_is_bounded(self):
        with self.assertRaises(ValidationError):
            self.room.with_user(self.manager).buffer_minutes = 10_000
        with self.assertRaises(ValidationError):
            self.company.conseil_room_buffer_minutes = -5
        self.company.conseil_room_buffer_minutes = 45
        room = (
            self.env["conseil.room"].with_user(self.manager).create({"name": "Salle Neuve", "capacity": 10})
        )
        self.assertEqual(room.buffer_minutes, 45, "A new room takes the commune's buffer")


@tagged("post_install", "-at_install")
class TestRoomClosingDays(LoanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_room = cls.env["conseil.room"].create({"name": "Salle Verte", "capacity": 100})
        cls.Leave = cls.env["resource.calendar.leaves"]

    def close_room(self, name="Travaux", start="2027-03-01 23:00:00", end="2027-03-03 22:59:59"):
        return self.Leave.create(
            {"name": name, "calendar_id": self.opening_hours.id, "date_from": start, "date_to": end}
        )

    def test_a_closing_day_is_told_at_request_and_refused_at_approval_with_its_dates(self):
        loan = self.requested("room", start="2027-03-02 08:00:00", end="2027-03-02 11:00:00")
        self.close_room()
        loan.invalidate_recordset(["availability_warning"])
        self.assertIn("Travaux", loan.availability_warning)
        self.assertIn("from 03/02/2027 to 03/03/2027", loan.availability_warning)
        with self.assertRaises(ValidationError) as refusal:
            loan.with_user(self.manager).action_approve()
        self.assertIn("03/02/2027", str(refusal.exception))
        self.assertEqual(loan.state, "requested")

    def test_a_new_request_over_a_closing_day_names_it(self):
        self.close_room("Élections", "2027-03-13 23:00:00", "2027-03-14 22:59:59")
        with Form(self.Loan.with_user(self.officer)) as form:
            form.loan_type = "room"
            form.association_id = self.food_bank
            form.purpose = "Assemblée générale"
            form.room_id = self.room
            form.expected_attendance = 40
            form.date_start = "2027-03-14 09:00:00"
            form.date_end = "2027-03-14 11:00:00"
            self.assertIn("Élections", form.availability_warning)
            form.date_start = "2027-03-15 09:00:00"
            form.date_end = "2027-03-15 11:00:00"
            self.assertFalse(form.availability_warning)
        with self.assertRaises(ValidationError) as refusal:
            self.make_loan("room", start="2027-03-14 09:00:00", end="2027-03-14 11:00:00")
        self.assertIn("Élections", str(refusal.exception))

    def test_the_free_room_search_leaves_closed_rooms_out(self):
        self.close_room()
        free = self.Loan._free_resource_ids(
            "room", "2027-03-02 08:00:00", "2027-03-02 11:00:00", self.company
        )
        self.assertNotIn(self.room.id, free)
        self.assertIn(self.other_room.id, free)
        loan = self.make_loan("room", start="2027-03-04 08:00:00", end="2027-03-04 11:00:00", room_id=False)
        wizard = (
            self.env["conseil.loan.availability.wizard"].with_user(self.officer).create({"loan_id": loan.id})
        )
        self.assertIn(self.room, wizard.line_ids.room_id, "Open again the next day")

    def test_a_closing_day_of_another_calendar_does_not_close_the_room(self):
        self.Leave.create(
            {
                "name": "Fermeture d'un autre bâtiment",
                "calendar_id": self.calendar_35h.id,
                "date_from": "2027-03-01 23:00:00",
                "date_to": "2027-03-02 22:59:59",
            }
        )
        loan = self.requested("room", start="2027-03-02 08:00:00", end="2027-03-02 11:00:00")
        loan.with_user(self.manager).action_approve()
        self.assertEqual(loan.state, "approved")
