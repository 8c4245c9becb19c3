"""Two approvers lending the same chairs at the same second, in two real transactions.

As tests/test_concurrency.py: the data is committed and removed afterwards, and each approval runs in its own
real transaction (conseil_testing.race), so the loser gets what a user would read.
"""

from conseil_testing import CommittedCase, race
from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import ValidationError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestConcurrentEquipmentApprovals(CommittedCase):
    @classmethod
    def build(cls, env):
        cls.manager_ids = cls.race_users(env, "eq_manager", "conseil_associations.group_conseil_manager")
        cls.association_ids = (
            env["conseil.association"]
            .create([{"name": f"Fête A {cls.suffix}"}, {"name": f"Fête B {cls.suffix}"}])
            .ids
        )
        cls.chairs_id = cls.keep_for_cleanup(
            env["conseil.equipment"].create({"name": f"Chaises {cls.suffix}", "quantity": 100})
        ).id

    def make_requested(self, quantities):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            loans = env["conseil.loan"].create(
                [
                    {
                        "loan_type": "equipment",
                        "association_id": association_id,
                        "purpose": "Fête",
                        "date_start": "2027-06-20 08:00:00",
                        "date_end": "2027-06-21 20:00:00",
                        "line_ids": [Command.create({"equipment_id": self.chairs_id, "quantity": quantity})],
                    }
                    for association_id, quantity in zip(self.association_ids, quantities, strict=True)
                ]
            )
            loans.action_request()
            cr.commit()
            return loans.ids

    def race(self, loan_ids):
        """Approve each loan as its manager, in parallel transactions released at the same instant."""
        return race(
            self.registry,
            {
                loan_id: (
                    uid,
                    lambda env, loan_id=loan_id: env["conseil.loan"].browse(loan_id).action_approve(),
                )
                for loan_id, uid in zip(loan_ids, self.manager_ids, strict=True)
            },
            done="approved",
        )

    def test_two_approvals_beyond_the_stock_exactly_one_wins(self):
        for attempt in range(3):
            with self.subTest(attempt=attempt):
                self.setUp()
                loan_ids = self.make_requested([60, 50])
                outcomes = self.race(loan_ids)
                winners = [loan_id for loan_id, outcome in outcomes.items() if outcome == "approved"]
                self.assertEqual(len(winners), 1, f"60 + 50 chairs exceed 100: exactly one wins: {outcomes}")
                loser_id = next(loan_id for loan_id in loan_ids if loan_id not in winners)
                error = outcomes[loser_id]
                self.assertIsInstance(error, ValidationError, repr(error))
                self.assertIn("owns 100", str(error))
                self.assertIn("Fête", str(error), "The message names the association that holds the chairs")
                self.assertEqual(self.states(loan_ids)[loser_id], "requested")

    def test_two_approvals_within_the_stock_both_win(self):
        loan_ids = self.make_requested([60, 40])
        outcomes = self.race(loan_ids)
        self.assertEqual(set(outcomes.values()), {"approved"}, outcomes)
