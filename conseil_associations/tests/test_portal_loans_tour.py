from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


def _at(days, hour):
    return (fields.Datetime.now() + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


@tagged("post_install", "-at_install")
class TestPortalLoansTour(HttpCase):
    """The food bank's president follows her loans and her aid on the portal, in French, in a real browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang("fr_FR")
        env["ir.module.module"].search([("name", "=", "conseil_associations")])._update_translations(
            filter_lang="fr_FR", overwrite=True
        )
        env.company.partner_id.tz = "Europe/Paris"
        officer = new_test_user(
            env, login="tour_loans_officer", groups="conseil_associations.group_conseil_officer"
        )
        manager = new_test_user(
            env, login="tour_loans_manager", groups="conseil_associations.group_conseil_manager"
        )
        fleet = new_test_user(
            env, login="tour_loans_fleet", groups="base.group_user,fleet.fleet_group_manager"
        )
        cls.food_bank = env["conseil.association"].create(
            {
                "name": "Banque alimentaire",
                "referent_user_id": officer.id,
                "child_ids": [
                    Command.create(
                        {
                            "name": "Martine Lefebvre",
                            "email": "martine@banque.example",
                            "conseil_role": "president",
                            "lang": "fr_FR",
                        }
                    )
                ],
            }
        )
        action = cls.food_bank.with_user(officer).action_grant_portal_access()
        wizard = env["portal.wizard"].with_user(officer).browse(action["res_id"])
        wizard.user_ids.filtered(
            lambda line: line.partner_id == cls.food_bank.child_ids
        ).action_grant_access()
        cls.food_bank.child_ids.user_ids.write({"login": "banque", "password": "banque", "lang": "fr_FR"})
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
        self.start_tour("/my", "conseil_portal_loans_tour", login="banque")
