from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common import PRESIDENT_LOGIN, FoodBankPortalCase


def _at(days, hour):
    return (fields.Datetime.now() + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


@tagged("post_install", "-at_install")
class TestPortalLoansTour(FoodBankPortalCase):
    """The food bank's president follows her loans and her aid on the portal, in French, in a real browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        manager = new_test_user(
            env, login="tour_loans_manager", groups="conseil_associations.group_conseil_manager"
        )
        fleet = new_test_user(
            env, login="tour_loans_fleet", groups="base.group_user,fleet.fleet_group_manager"
        )
        hours = env["resource.calendar"].create(
            {
                "name": "Salles 8 h - 23 h",
                "tz": "Europe/Paris",
                "attendance_ids": [
                    Command.create({"name": f"J{day}", "dayofweek": str(day), "hour_from": 8, "hour_to": 23})
                    for day in range(7)
                ],
            }
        )
        room = env["conseil.room"].create(
            {"name": "Salle Jean Moulin", "capacity": 60, "resource_calendar_id": hours.id, "hourly_rate": 12}
        )
        model = env["fleet.vehicle.model"].create(
            {"name": "Master", "brand_id": env["fleet.vehicle.model.brand"].create({"name": "Renault"}).id}
        )
        van = env["fleet.vehicle"].create({"model_id": model.id, "license_plate": "GH-305-LY"})
        Loan = env["conseil.loan"]
        common = {"association_id": cls.food_bank.id}
        room_loans = Loan.create(
            [
                {
                    **common,
                    "loan_type": "room",
                    "room_id": room.id,
                    "purpose": "Assemblée générale",
                    "expected_attendance": 30,
                    "date_start": _at(8, 9),
                    "date_end": _at(8, 12),
                },
                {
                    **common,
                    "loan_type": "room",
                    "room_id": room.id,
                    "purpose": "Distribution de fin d'année",
                    "expected_attendance": 50,
                    "date_start": _at(20, 9),
                    "date_end": _at(20, 12),
                },
            ]
        )
        van_loan = Loan.create(
            {
                **common,
                "loan_type": "vehicle",
                "vehicle_id": van.id,
                "purpose": "Collecte nationale",
                "driver_id": cls.food_bank.partner_id.id,
                "licence_checked_on": fields.Date.today() - timedelta(days=10),
                "key_handover_time": _at(-3, 7),
                "date_start": _at(-3, 7),
                "date_end": _at(-2, 16),
            }
        )
        (room_loans | van_loan).action_request()
        room_loans[0].with_user(manager).action_approve()
        room_loans[1].with_user(manager).action_refuse("La salle est en travaux.")
        van_loan.with_user(fleet).action_approve()
        van_loan.action_start()
        van_loan.action_return(return_time=_at(-2, 15))
        env["conseil.subsidy"].create(
            {
                "name": "Subvention de fonctionnement",
                "association_id": cls.food_bank.id,
                "year": van_loan.date_start.year,
                "amount": 8500,
                "decision_ref": "DEL-2026-010",
            }
        )

    def test_president_follows_her_loans_and_downloads_her_statement(self):
        self.start_tour("/my", "conseil_portal_loans_tour", login=PRESIDENT_LOGIN)
