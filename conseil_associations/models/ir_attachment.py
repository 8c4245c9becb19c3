import base64

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# What makes an act the act: its content, its name, the record it belongs to, who may read it. Odoo itself
# writes other fields of attachments as the server (an access token, the index of the text).
ACT_IDENTITY = frozenset(
    {"raw", "datas", "db_datas", "store_fname", "checksum", "file_size", "name", "res_model", "res_id",
     "res_field", "type", "url", "mimetype", "public", "company_id", "conseil_act"}
)  # fmt: skip
CONTENT = frozenset({"raw", "datas", "db_datas"})
DERIVED = frozenset({"store_fname", "checksum", "file_size"})


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
        """An issued act never changes, whoever asks: a user, or Odoo's own routes acting as the server for one
        (the chatter's attachment routes run as superuser once they checked the user may write the record)."""
        if not self.env.su and "conseil_act" in vals:
            raise AccessError(self.env._("Only the server issues an act: use the button of its record."))
        acts = self.sudo().filtered("conseil_act")
        if acts and (not self.env.su or acts._conseil_changed_by(vals)):
            acts._conseil_refuse()
        return super().write(vals)

    def _conseil_changed_by(self, vals):
        """Whether ``vals`` changes what one of the acts is. The same content written again (Odoo moving the
        filestore) changes nothing; nor does the first thumbnail the browser makes of a PDF."""
        for act in self:
            for name in ACT_IDENTITY & vals.keys():
                if name in CONTENT:
                    content = vals[name] if name == "raw" else base64.b64decode(vals[name] or b"")
                    if act._compute_checksum(content or b"") != act.checksum:
                        return True
                elif name in DERIVED:
                    return True  # what the content gives is never written by hand
                else:
                    current = act[name]
                    if (current.id if isinstance(current, models.BaseModel) else current) != vals[name]:
                        return True
            if "thumbnail" in vals and act.thumbnail:
                return True
        return False

    @api.ondelete(at_uninstall=False)
    def _unlink_except_issued_act(self):
        """Whoever asks, a user or a route acting as the server; the acts go only with the addon itself."""
        acts = self.sudo().filtered("conseil_act")
        if acts:
            acts._conseil_refuse()

    def _conseil_refuse(self):
        raise UserError(
            self.env._(
                "%(act)s is an issued act: it is kept as it was issued, it cannot be changed or deleted.",
                act=self[:1].name,
            )
        )
