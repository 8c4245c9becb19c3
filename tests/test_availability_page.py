"""The availability dialog lists a page of the free resources, by name, and finds the others by name.

However many vans, agents, rooms or items a city has, opening the dialog reads one page: the officer sees the first
ones by name, is told that more are free, and types part of a name to find another.
"""

from conseil_testing import LoanCase
from odoo.addons.conseil_associations.wizards.conseil_loan_availability_wizard import FREE_PAGE
from odoo.exceptions import UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestAvailabilityPage(LoanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        brand = cls.env["fleet.vehicle.model.brand"].create({"name": "Peugeot"})
        cls.partner_model = cls.env["fleet.vehicle.model"].create(
            {"name": "Partner", "brand_id": brand.id, "seats": 3}
        )

    def add_vans(self, count, first=0):
        return self.env["fleet.vehicle"].create(
            [
                {"model_id": self.partner_model.id, "license_plate": f"PA-{number:03d}-RT"}
                for number in range(first, first + count)
            ]
        )

    def dialog(self, loan, **values):
        return (
            self.env["conseil.loan.availability.wizard"]
            .with_user(self.officer)
            .create({"loan_id": loan.id, **values})
        )

    def vehicle_request(self):
        return self.make_loan(vehicle_id=False, start="2027-03-02 08:00:00", end="2027-03-02 18:00:00")

    def test_a_page_by_name_and_a_search_for_the_others(self):
        vans = self.add_vans(FREE_PAGE + 5)
        self.requested().with_user(self.fleet_manager).action_approve()  # the Master AB-123-CD is out
        wizard = self.dialog(self.vehicle_request())
        names = wizard.line_ids.mapped("name")
        self.assertEqual(len(names), FREE_PAGE, "one page is listed")
        self.assertTrue(wizard.more_free, "the officer is told that more are free")
        self.assertEqual(
            names,
            sorted((vans | self.minibus).mapped("name"))[:FREE_PAGE],
            "the first free vehicles by name",
        )
        # the last van by name is not on the page: a part of its plate finds it, and it is lent
        last = vans.sorted("name")[-1]
        self.assertNotIn(last, wizard.line_ids.vehicle_id)
        wizard.write({"search_name": last.license_plate.lower()})
        wizard.action_search()
        self.assertEqual(wizard.line_ids.vehicle_id, last)
        self.assertFalse(wizard.more_free)
        wizard.line_ids.action_choose()
        self.assertEqual(wizard.loan_id.vehicle_id, last)

    def test_a_search_never_lists_a_busy_resource(self):
        self.requested().with_user(self.fleet_manager).action_approve()  # the van AB-123-CD, 1-3 March
        wizard = self.dialog(self.vehicle_request(), search_name="AB-123")
        self.assertFalse(wizard.line_ids, "the van out on loan is not free, even searched by its plate")
        self.assertFalse(wizard.more_free)
        wizard = self.dialog(self.vehicle_request(), search_name="100%_")
        self.assertFalse(wizard.line_ids, "a search's wildcards are read as characters")

    def test_opening_the_dialog_costs_the_same_queries_for_a_bigger_fleet(self):
        self.add_vans(FREE_PAGE + 5)
        loan = self.vehicle_request()

        def queries():
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            wizard = self.dialog(loan)
            wizard.line_ids.mapped("detail")
            self.env.flush_all()
            return self.cr.sql_log_count - before

        queries()  # the caches of the access rights
        small = queries()
        self.add_vans(4 * FREE_PAGE, first=FREE_PAGE + 5)
        self.assertEqual(
            queries(),
            small,
            "opening the dialog asks the same queries, whatever the fleet (none per vehicle)",
        )

    def test_opening_the_dialog_costs_the_same_queries_for_more_rooms(self):
        """The opening hours are asked once for the rooms that share them, not room by room."""
        Room = self.env["conseil.room"]
        loan = self.make_loan("room", room_id=False, expected_attendance=10)

        def add_rooms(count, first):
            Room.create(
                [
                    {
                        "name": f"Salle {number:03d}",
                        "capacity": 50,
                        "resource_calendar_id": self.opening_hours.id,
                    }
                    for number in range(first, first + count)
                ]
            )

        def queries():
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.dialog(loan).line_ids.mapped("detail")
            self.env.flush_all()
            return self.cr.sql_log_count - before

        add_rooms(5, 0)
        queries()  # the caches of the access rights
        few = queries()
        add_rooms(FREE_PAGE, 5)
        self.assertEqual(queries(), few, "opening the dialog asks the same queries for 6 rooms or 46")

    def test_agents_by_name(self):
        others = self.env["hr.employee"].create(
            [
                {
                    "name": f"Agent {number:02d}",
                    "resource_calendar_id": self.calendar_35h.id,
                    "conseil_is_titulaire": True,
                }
                for number in range(FREE_PAGE + 1)
            ]
        )
        loan = self.make_loan("agent", employee_id=False)
        wizard = self.dialog(loan)
        self.assertEqual(len(wizard.line_ids), FREE_PAGE)
        self.assertTrue(wizard.more_free)
        self.assertNotIn(self.agent, wizard.line_ids.employee_id, "« Marc Agent » comes after the page")
        wizard.write({"search_name": "marc"})
        wizard.action_search()
        self.assertEqual(wizard.line_ids.employee_id, self.agent)
        self.assertTrue(set(wizard.free_employee_ids.ids) <= set((others | self.agent).ids))

    def test_rooms_closed_then_do_not_fill_the_page(self):
        """A page of rooms closed at that hour is skipped: the open rooms after them are listed."""
        mornings = self.env["resource.calendar"].create(
            {
                "name": "Matins",
                "tz": "Europe/Paris",
                "attendance_ids": [
                    (0, 0, {"name": f"Day {day}", "dayofweek": str(day), "hour_from": 8, "hour_to": 12,
                            "day_period": "morning"})
                    for day in range(7)
                ],
            }
        )  # fmt: skip
        self.env["conseil.room"].create(
            [
                {"name": f"A{number:02d}", "capacity": 100, "resource_calendar_id": mornings.id}
                for number in range(FREE_PAGE + 3)
            ]
        )
        small = self.env["conseil.room"].create(
            {"name": "B petite", "capacity": 10, "resource_calendar_id": self.opening_hours.id}
        )
        loan = self.make_loan("room", room_id=False)  # an afternoon, 80 people
        wizard = self.dialog(loan)
        self.assertEqual(wizard.line_ids.room_id, self.room, "the rooms closed in the afternoon are skipped")
        self.assertNotIn(small, wizard.line_ids.room_id, "a room too small for 80 is not listed")
        self.assertFalse(wizard.more_free)

    def test_equipment_by_name_and_quantity(self):
        Equipment = self.env["conseil.equipment"]
        chairs = Equipment.create({"name": "Chaises pliantes", "quantity": 50})
        Equipment.create(
            [{"name": f"Barrière {number:02d}", "quantity": 5} for number in range(FREE_PAGE + 2)]
        )
        loan = self.Loan.with_user(self.officer).create(
            {"loan_type": "equipment", "association_id": self.food_bank.id, "purpose": "Fête du quartier",
             "date_start": "2027-03-06 08:00:00", "date_end": "2027-03-06 20:00:00"}
        )  # fmt: skip
        wizard = self.dialog(loan, quantity=2)
        self.assertEqual(len(wizard.line_ids), FREE_PAGE)
        self.assertTrue(wizard.more_free)
        self.assertNotIn(chairs, wizard.line_ids.equipment_id)
        wizard.write({"search_name": "chaise", "quantity": 20})
        wizard.action_search()
        self.assertEqual(wizard.line_ids.equipment_id, chairs)
        self.assertIn("50", wizard.line_ids.detail)
        wizard.write({"search_name": "barrière", "quantity": 6})
        wizard.action_search()
        self.assertFalse(wizard.line_ids, "no barrier has six items")

    def test_only_a_resource_the_dialog_listed_is_chosen(self):
        self.requested().with_user(self.fleet_manager).action_approve()  # the van AB-123-CD is out
        wizard = self.dialog(self.vehicle_request())
        wizard.write({"vehicle_id": self.van.id})  # busy: not listed
        with self.assertRaisesRegex(UserError, "free resources listed"):
            wizard.action_choose()
        self.assertFalse(wizard.loan_id.vehicle_id)
        with self.assertRaises(UserError):  # the dialog stays on its loan
            wizard.write({"loan_id": self.make_loan(vehicle_id=False).id})

    def test_a_busy_resource_searched_by_name_says_it_is_not_free(self):
        self.requested().with_user(self.fleet_manager).action_approve()  # Renault/Master/AB-123-CD, 1-3 March
        wizard = self.dialog(self.vehicle_request(), search_name="renault master ab-123")
        self.assertFalse(wizard.line_ids)
        self.assertIn("Not free over the period", wizard.not_free_note)
        self.assertIn("AB-123-CD", wizard.not_free_note)
        wizard.write({"search_name": "renault master"})  # Fleet's « Renault/Master/… », typed with a space
        wizard.action_search()
        self.assertEqual(wizard.line_ids.vehicle_id, self.minibus)
        self.assertFalse(wizard.not_free_note)
        wizard.write({"search_name": "zzz"})
        wizard.action_search()
        self.assertFalse(wizard.not_free_note, "a name nobody has: nothing to explain")

    def test_the_quantity_is_checked_again_when_an_item_is_chosen(self):
        barriers = self.env["conseil.equipment"].create({"name": "Barrières", "quantity": 5})
        loan = self.Loan.with_user(self.officer).create(
            {"loan_type": "equipment", "association_id": self.food_bank.id, "purpose": "Fête du quartier",
             "date_start": "2027-03-06 08:00:00", "date_end": "2027-03-06 20:00:00"}
        )  # fmt: skip
        wizard = self.dialog(loan, quantity=3)
        line = wizard.line_ids.filtered(lambda line: line.equipment_id == barriers)
        wizard.write({"quantity": 8})  # raised without searching again
        with self.assertRaisesRegex(UserError, "Only 5 of Barrières"):
            line.action_choose()
        self.assertFalse(loan.line_ids)
        wizard.write({"quantity": 4})
        line.action_choose()
        self.assertEqual(loan.line_ids.quantity, 4)
