from odoo import api, fields, models


class ReportInKindStatement(models.AbstractModel):
    _name = "report.conseil_associations.report_in_kind_statement"
    _description = "In-Kind Aid Statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        year = (data or {}).get("year") or fields.Date.context_today(self).year
        return {
            "doc_ids": docids,
            "doc_model": "conseil.association",
            "docs": self.env["conseil.association"].browse(docids),
            "year": int(year),
        }
