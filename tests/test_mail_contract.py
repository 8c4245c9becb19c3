"""What the chatter batching (``conseil.workflow.mixin._log_tracking_now``) relies on in Odoo's mail.thread.

Approving a hundred loans costs what one costs because each record's pending field tracking is logged at once,
in one insert of messages and one of tracking values, instead of one of each per record at commit. Odoo has no
public API for that: these tests pin each private behaviour of ``mail.thread`` the batching still uses, so that an
Odoo 19 update which changes one fails ``make test``, not a town's approvals.
"""

from conseil_testing import LoanCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestMailThreadContract(LoanCase):
    def setUp(self):
        super().setUp()
        self.loan = self.requested()
        self.cr.flush()  # requested in an earlier transaction: what follows is tracked
        # as in the browser: chatter tracking on
        self.as_fleet_manager = self.env(user=self.fleet_manager, context={})
        self.loan = self.loan.with_env(self.as_fleet_manager)

    def test_pending_tracking_is_kept_by_record_in_the_precommit_data(self):
        """mail.thread keeps each record's initial tracked values in ``cr.precommit.data``, under
        ``mail.tracking.<model>``, until the commit logs them."""
        self.loan._move("refuse", {"refusal_reason": "Déjà prêté"})
        pending = self.env.cr.precommit.data.get("mail.tracking.conseil.loan")
        self.assertIsInstance(pending, dict)
        self.assertEqual(pending[self.loan.id]["state"], "requested")

    def test_mail_track_answers_tracking_value_commands(self):
        """``_mail_track(fields, initial_values)`` answers the changed fields and ``(0, 0, values)`` commands of
        ``mail.tracking.value``, for the fields ``_track_get_fields()`` names."""
        self.assertIn("state", self.loan._track_get_fields())
        tracked = self.loan.fields_get(
            ["state"], attributes=("string", "type", "selection", "currency_field")
        )
        self.loan.sudo().write({"state": "refused", "refusal_reason": "Déjà prêté"})
        changes, commands = self.loan._mail_track(tracked, {"state": "requested"})
        self.assertEqual(set(changes), {"state"})
        self.assertEqual([tuple(command[:2]) for command in commands], [(0, 0)])
        values = commands[0][2]
        self.assertEqual(values["field_id"], self.env["ir.model.fields"]._get("conseil.loan", "state").id)
        self.env["mail.tracking.value"].sudo().new(values)  # the values are those of a tracking value

    def test_message_log_batch_logs_one_note_per_record(self):
        """``_message_log_batch(bodies={id: body})`` logs one note per record and answers them."""
        other = self.requested(vehicle_id=self.minibus.id).with_env(self.as_fleet_manager)
        loans = self.loan | other
        messages = loans._message_log_batch(bodies={loan.id: "<p>Vu</p>" for loan in loans})
        self.assertEqual(sorted(messages.mapped("res_id")), sorted(loans.ids))
        self.assertEqual(set(messages.mapped("model")), {"conseil.loan"})
        self.assertEqual(set(messages.mapped("message_type")), {"notification"})

    def test_logged_tracking_is_not_logged_again_at_commit(self):
        """Once logged by the batch, a record's tracking is consumed: the commit adds no second message."""
        before = self.loan.sudo().message_ids
        self.loan.action_refuse(reason="Déjà prêté")
        self.cr.flush()  # the commit's tracking
        # the refusal's tracking, not the mail to the association (a comment, tests/test_mail_associations.py)
        logged = (self.loan.sudo().message_ids - before).filtered(lambda m: m.message_type == "notification")
        self.assertEqual(len(logged), 1, "One message for the refusal, not a second one at commit")
        self.assertEqual(set(logged.tracking_value_ids.field_id.mapped("name")), {"state", "refusal_reason"})
        state = logged.tracking_value_ids.filtered(lambda value: value.field_id.name == "state")
        self.assertEqual((state.old_value_char, state.new_value_char), ("Requested", "Refused"))
