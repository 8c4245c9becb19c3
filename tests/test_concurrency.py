"""Two managers acting at the same second, in two real transactions.

These tests commit: they build their data in their own transactions and remove
it afterwards. Each approval runs in its own real transaction, through the RPC
layer's retry (conseil_testing.race), so the loser gets what a user would read.
"""

from conseil_testing import CommittedCase, race
from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestConcurrentApprovals(CommittedCase):
    @classmethod
    def build(cls, env):
        cls.fleet_ids = cls.race_users(env, "fleet", "base.group_user,fleet.fleet_group_manager")
        cls.hr_ids = cls.race_users(env, "hr", "base.group_user,hr.group_hr_user")
        associations = env["conseil.association"].create(
            [{"name": f"Course A {cls.suffix}"}, {"name": f"Course B {cls.suffix}"}]
        )
        cls.association_ids = associations.ids
        cls.partner_ids = associations.partner_id.ids
        brand = env["fleet.vehicle.model.brand"].create({"name": f"Brand {cls.suffix}"})
        model = env["fleet.vehicle.model"].create({"name": "Van", "brand_id": brand.id})
        cls.vehicle_id = cls.keep_for_cleanup(
            env["fleet.vehicle"].create({"model_id": model.id, "license_plate": cls.suffix})
        ).id
        calendar = env["resource.calendar"].create(
            {
                "name": f"35 h {cls.suffix}",
                "attendance_ids": [
                    (0, 0, {"name": str(d), "dayofweek": str(d), "hour_from": 9, "hour_to": 16,
                            "day_period": "full_day"})
                    for d in range(5)
                ],
            }
        )  # fmt: skip
        cls.employee_id = cls.keep_for_cleanup(
            env["hr.employee"].create(
                {
                    "name": f"Agent {cls.suffix}",
                    "resource_calendar_id": calendar.id,
                    "conseil_is_titulaire": True,
                }
            )
        ).id

    def make_requested(self, values_list):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            loans = env["conseil.loan"].create(
                [
                    {
                        "association_id": association_id,
                        "purpose": "Course",
                        "date_start": "2027-05-03 08:00:00",
                        "date_end": "2027-05-05 18:00:00",
                        **values,
                    }
                    for association_id, values in zip(self.association_ids, values_list, strict=True)
                ]
            )
            loans.action_request()
            cr.commit()
            return loans.ids

    def race(self, loan_ids, user_ids):
        """Approve each loan as its user, in parallel transactions released at the same instant."""
        return race(
            self.registry,
            {
                loan_id: (
                    uid,
                    lambda env, loan_id=loan_id: env["conseil.loan"].browse(loan_id).action_approve(),
                )
                for loan_id, uid in zip(loan_ids, user_ids, strict=True)
            },
            done="approved",
        )

    def test_two_fleet_managers_approve_overlapping_loans(self):
        for attempt in range(3):
            with self.subTest(attempt=attempt):
                self.setUp()
                loan_ids = self.make_requested(
                    [{"loan_type": "vehicle", "vehicle_id": self.vehicle_id}] * 2,
                )
                outcomes = self.race(loan_ids, self.fleet_ids)
                winners = [loan_id for loan_id, outcome in outcomes.items() if outcome == "approved"]
                self.assertEqual(len(winners), 1, f"exactly one approval wins: {outcomes}")
                loser_id = next(loan_id for loan_id in loan_ids if loan_id not in winners)
                error = outcomes[loser_id]
                self.assertIsInstance(error, ValidationError, repr(error))
                self.assertIn("already lent", str(error))
                self.assertIn("Course", str(error), "The message names the association that holds the van")
                states = self.states(loan_ids)
                self.assertEqual(states[winners[0]], "approved")
                self.assertEqual(states[loser_id], "requested", "The loser's loan stays requested")

    def test_two_hr_officers_never_exceed_working_time(self):
        loan_ids = self.make_requested(
            [
                {"loan_type": "agent", "employee_id": self.employee_id, **self.lawful(20)},
                {"loan_type": "agent", "employee_id": self.employee_id, **self.lawful(20)},
            ]
        )
        outcomes = self.race(loan_ids, self.hr_ids)
        winners = [loan_id for loan_id, outcome in outcomes.items() if outcome == "approved"]
        self.assertEqual(len(winners), 1, f"20 h + 20 h exceed 35 h: exactly one wins: {outcomes}")
        loser_id = next(loan_id for loan_id in loan_ids if loan_id not in winners)
        self.assertIsInstance(outcomes[loser_id], ValidationError, repr(outcomes[loser_id]))
        self.assertIn("35 h a week", str(outcomes[loser_id]))
        self.assertEqual(self.states(loan_ids)[loser_id], "requested")

    def test_two_hr_officers_within_working_time_both_win(self):
        loan_ids = self.make_requested(
            [
                {"loan_type": "agent", "employee_id": self.employee_id, **self.lawful(15)},
                {"loan_type": "agent", "employee_id": self.employee_id, **self.lawful(20)},
            ]
        )
        outcomes = self.race(loan_ids, self.hr_ids)
        self.assertEqual(set(outcomes.values()), {"approved"}, outcomes)

    @staticmethod
    def lawful(hours):
        return {
            "weekly_hours": hours,
            "agent_consent_date": "2026-10-01",
            "convention_ref": "CONV",
            "council_informed_date": "2026-10-15",
            "reimbursement": "reimbursed",
        }
