import functools
import subprocess

from odoo import models, tools
from odoo.addons.base.models.ir_actions_report import _wkhtml
from odoo.modules import module
from odoo.tools.pdf import merge_pdf
from odoo.tools.safe_eval import safe_eval, time

REPORT_PREFIX = "conseil_associations."


@functools.lru_cache(1)
def wkhtmltopdf_renders_many():
    """Whether this wkhtmltopdf renders several documents in one run (the build with Odoo's patched Qt)."""
    try:
        output = subprocess.run(
            [_wkhtml().bin, "--version"], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "(with patched qt)" in output


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """The addon's reports print several documents at once with any wkhtmltopdf.

        The wkhtmltopdf most Linux distributions ship (without Odoo's patched Qt)
        cannot render several documents in one run: the statements of every
        association of a year would fail. There, each document is rendered on
        its own and the PDFs are merged, in the order asked.
        """
        report = self._get_report(report_ref)
        data = data or {}
        ids = list(res_ids or ()) if not isinstance(res_ids, int) else [res_ids]
        from_data = not ids and isinstance(data.get("association_ids"), list)
        if from_data:
            ids = list(data["association_ids"])
        if (
            not report.report_name.startswith(REPORT_PREFIX)
            or len(ids) < 2
            or wkhtmltopdf_renders_many()
            or (
                (module.current_test or tools.config["test_enable"])
                and not self.env.context.get("force_report_rendering")
            )
        ):
            return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        parts = []
        for record_id in ids:
            if from_data:
                content, __ = super()._render_qweb_pdf(
                    report_ref, data={**data, "association_ids": [record_id]}
                )
            else:
                content, __ = super()._render_qweb_pdf(report_ref, res_ids=[record_id], data=dict(data))
            parts.append(content)
        return merge_pdf(parts), "pdf"

    def _conseil_is_act(self):
        return self.report_name.startswith("conseil_associations.") and bool(self.attachment)

    def _conseil_act_name(self, record):
        return safe_eval(self.attachment, {"object": record, "time": time})

    def retrieve_attachment(self, record):
        """An act is the file the server issued: never an attachment a user filed under the same name."""
        if not self._conseil_is_act():
            return super().retrieve_attachment(record)
        name = self._conseil_act_name(record)
        if not name:
            return None
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("name", "=", name),
                    ("res_model", "=", self.model),
                    ("res_id", "=", record.id),
                    ("conseil_act", "=", True),
                ],
                limit=1,
            )
        )

    def _prepare_pdf_report_attachment_vals_list(self, report, streams):
        """Printing an act that is not issued yet files nothing: only issuing it does."""
        if report._conseil_is_act():
            return []
        return super()._prepare_pdf_report_attachment_vals_list(report, streams)
