from odoo import models


class PortalWizardUser(models.TransientModel):
    """Odoo's *Grant portal access*: revoking an association's person also closes the links it was mailed."""

    _inherit = "portal.wizard.user"

    def action_revoke_access(self):
        result = super().action_revoke_access()
        self.partner_id._conseil_forget_shared_links()
        return result
