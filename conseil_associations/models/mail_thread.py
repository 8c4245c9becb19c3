from odoo import models
from odoo.exceptions import UserError


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _check_can_update_message_content(self, messages):
        """A message that carries an issued act (the published minutes…) is part of it: nobody rewrites it."""
        if messages.sudo().attachment_ids.filtered("conseil_act"):
            raise UserError(self.env._("This message carries an issued act: it is kept as it was sent."))
        return super()._check_can_update_message_content(messages)
