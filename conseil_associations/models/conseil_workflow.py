from odoo import models
from odoo.exceptions import UserError


class ConseilWorkflowMixin(models.AbstractModel):
    """The one state check shared by the actions of sessions, needs and loans."""

    _name = "conseil.workflow.mixin"
    _description = "Council Workflow"

    def _check_state(self, allowed, message):
        """Refuse the action when a record is not in an ``allowed`` state, naming that record."""
        allowed = (allowed,) if isinstance(allowed, str) else allowed
        wrong = self.filtered(lambda record: record.state not in allowed)
        if wrong:
            raise UserError(
                self.env._("%(message)s (%(record)s)", message=message, record=wrong[0].display_name)
            )
