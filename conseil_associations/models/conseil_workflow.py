from odoo import models
from odoo.exceptions import AccessError, UserError


class ConseilWorkflowMixin(models.AbstractModel):
    """What sessions, needs and loans share: a status that only their buttons change.

    The fields of ``_workflow_fields`` are written by the action methods alone,
    through ``_transition``, after they checked the state and who acts; a
    direct write (a form, an import, an RPC call) is refused.
    """

    _name = "conseil.workflow.mixin"
    _description = "Council Workflow"
    _workflow_fields = frozenset({"state"})

    def write(self, vals):
        if self._workflow_fields & vals.keys() and not self._in_transition():
            raise AccessError(self._workflow_locked_message())
        return super().write(vals)

    def _transition(self, values):
        """Write workflow fields; only action methods call this, after their own checks."""
        return self.with_context(**{self._transition_context_key(): True}).write(values)

    def _in_transition(self):
        return bool(self.env.context.get(self._transition_context_key()))

    def _transition_context_key(self):
        # one key per model: a loan's transition does not unlock the status of its need
        return f"{self._table}_transition"

    def _workflow_locked_message(self):
        return self.env._("This status changes only through its buttons, which check who may do it.")

    def _check_state(self, allowed, message):
        """Refuse the action when a record is not in an ``allowed`` state, naming that record."""
        allowed = (allowed,) if isinstance(allowed, str) else allowed
        wrong = self.filtered(lambda record: record.state not in allowed)
        if wrong:
            raise UserError(
                self.env._("%(message)s (%(record)s)", message=message, record=wrong[0].display_name)
            )

    def _log_tracking_now(self, body, with_values=True):
        """Log ``body`` on every record with its pending field tracking, in a fixed number of queries.

        The chatter tracks changed fields at commit, one message and one
        tracking insert per record: approving a hundred loans from a list would
        cost two hundred inserts. Here each record still gets its own message
        with its own tracked changes (Status: Requested → Approved...), but
        all messages are one insert and all their tracking values another.
        Without ``with_values``, the body alone tells what changed (a review
        gathering three hundred needs stays fast). Either way the records'
        pending tracking is consumed: later changes in the same transaction are
        tracked from the current values.
        """
        pending = self.env.cr.precommit.data.get(f"mail.tracking.{self._name}", {})
        tracked_fields = with_values and self.fields_get(
            list(self._track_get_fields()), attributes=("string", "type", "selection", "currency_field")
        )
        tracking_values = {}
        for record in self:
            initial_values = pending.get(record.id)
            if initial_values:  # None: created in this transaction, whose changes are not tracked
                del pending[record.id]
                if with_values:
                    __, commands = record._mail_track(tracked_fields, initial_values)
                    tracking_values[record.id] = [values for __, __, values in commands]
        messages = self._message_log_batch(bodies=dict.fromkeys(self.ids, body))
        if tracking_values:
            self.env["mail.tracking.value"].sudo().create(
                [
                    dict(values, mail_message_id=message.id)
                    for message in messages
                    for values in tracking_values.get(message.res_id, [])
                ]
            )
        return messages
