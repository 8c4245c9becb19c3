from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL


class ConseilActMixin(models.AbstractModel):
    """A record the town issues acts from: conventions, minutes, convocations, letters.

    An act is a PDF report of the addon whose ``attachment`` expression names the file. Issuing it renders the
    PDF once and files it on the record as an *issued act* (``ir.attachment.conseil_act``): from then on,
    printing the report and the mails that attach it give that file, unchanged whatever happens to the record
    later, and no user can change or delete it. Before it is issued, the report prints the record as it is.
    """

    _name = "conseil.act.mixin"
    _description = "Record Issuing Acts"

    def _conseil_issue_act(self, report_xmlid, lang=None):
        """File the act of each record, once (an act already issued stays as it is); return the attachments.

        The rows are locked first, so that two users issuing the same act at once file it once.
        """
        report = self.env.ref(report_xmlid).sudo()
        if report.model != self._name or not report.attachment:
            raise UserError(self.env._("This report is not an act of this kind of record."))
        self._conseil_lock_rows()
        Attachment = self.env["ir.attachment"].sudo()
        issued = Attachment
        for record in self:
            existing = report.retrieve_attachment(record)
            if existing:
                issued |= existing
                continue
            content, __ = report.with_context(lang=lang or record.env.lang)._render_qweb_pdf(
                report.report_name, [record.id]
            )
            issued |= Attachment.create(
                {
                    "name": report._conseil_act_name(record),
                    "raw": content,
                    "res_model": self._name,
                    "res_id": record.id,
                    "mimetype": "application/pdf",
                    "conseil_act": True,
                }
            )
        return issued

    def _conseil_act(self, report_xmlid):
        """The issued act of this record for the report, or an empty recordset."""
        self.ensure_one()
        report = self.env.ref(report_xmlid).sudo()
        return report.retrieve_attachment(self) or self.env["ir.attachment"]

    def _conseil_lock_rows(self):
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id IN %s ORDER BY id FOR UPDATE",
                    SQL.identifier(self._table),
                    tuple(self.ids),
                )
            )
