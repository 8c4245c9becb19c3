from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    conseil_act = fields.Boolean(
        string="Issued Act",
        readonly=True,
        copy=False,
        help="An act the town issued (convention, minutes, letter…): kept as issued, never changed or deleted.",
    )

    _conseil_act_unique = models.UniqueIndex(
        "(res_model, res_id, name) WHERE conseil_act",
        "This act is already issued.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("conseil_act") for vals in vals_list):
            raise AccessError(self.env._("Only the server issues an act: use the button of its record."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._conseil_check_not_act()
            if "conseil_act" in vals:
                raise AccessError(self.env._("Only the server issues an act: use the button of its record."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_issued_act(self):
        if not self.env.su:
            self._conseil_check_not_act()

    def _conseil_check_not_act(self):
        acts = self.sudo().filtered("conseil_act")
        if acts:
            raise UserError(
                self.env._(
                    "%(act)s is an issued act: it is kept as it was issued, it cannot be changed or deleted.",
                    act=acts[0].name,
                )
            )
