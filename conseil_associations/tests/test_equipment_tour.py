from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestEquipmentTour(HttpCase):
    """The summer festival's equipment, requested by the officer and approved by the manager, in the browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(
            cls.env, login="tour_eq_officer", password="tour_eq_officer_pwd",
            groups="conseil_associations.group_conseil_officer", tz="Europe/Paris",
        )  # fmt: skip
        cls.manager = new_test_user(
            cls.env, login="tour_eq_manager", password="tour_eq_manager_pwd",
            groups="conseil_associations.group_conseil_manager", tz="Europe/Paris",
        )  # fmt: skip
        Equipment = cls.env["conseil.equipment"]
        cls.chairs = Equipment.create({"name": "Chairs", "quantity": 100, "unit_value": 0.5})
        cls.tables = Equipment.create({"name": "Tables", "quantity": 20, "unit_value": 3})
        Association = cls.env["conseil.association"]
        cls.festivities = Association.create({"name": "Comité des fêtes"})
        # the choir's concert holds 80 chairs on the festival's Sunday
        concert = cls.env["conseil.loan"].create(
            {
                "loan_type": "equipment",
                "association_id": Association.create({"name": "Chorale"}).id,
                "purpose": "Concert",
                "date_start": "2027-06-21 12:00:00",
                "date_end": "2027-06-21 18:00:00",
                "line_ids": [Command.create({"equipment_id": cls.chairs.id, "quantity": 80})],
            }
        )
        concert.action_request()
        concert.action_approve()

    def test_officer_requests_equipment_and_manager_approves(self):
        self.start_tour(
            "/odoo/action-conseil_associations.conseil_loan_action/new",
            "conseil_equipment_tour",
            login="tour_eq_officer",
        )
        loan = self.env["conseil.loan"].search([("association_id", "=", self.festivities.id)])
        self.assertEqual(loan.state, "requested")
        self.assertEqual(
            {line.equipment_id: line.quantity for line in loan.line_ids}, {self.chairs: 20, self.tables: 6}
        )
        self.start_tour(
            f"/odoo/action-conseil_associations.conseil_loan_action/{loan.id}",
            "conseil_equipment_approve_tour",
            login="tour_eq_manager",
        )
        self.assertEqual(loan.state, "approved")
        self.assertEqual(loan.approved_by_id, self.manager)
