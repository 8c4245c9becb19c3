from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.conseil_guarded import DATES


class ReportInKindStatement(models.AbstractModel):
    _name = "report.conseil_associations.report_in_kind_statement"
    _description = "In-Kind Aid Statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        """The associations come as record ids, or in ``data`` as the web client sends them with the year."""
        data = data or {}
        if not docids:
            docids = [id_ for id_ in data.get("association_ids") or () if isinstance(id_, int)]
        year = data.get("year") or fields.Date.context_today(self).year
        try:
            year = int(year)
        except (TypeError, ValueError):
            year = 0
        if not DATES[0].year <= year < DATES[1].year:
            raise UserError(
                self.env._(
                    "Choose a year between %(low)s and %(high)s.", low=DATES[0].year, high=DATES[1].year - 1
                )
            )
        docs = self.env["conseil.association"].browse(docids)
        if not docs or len(docs.exists()) != len(docs):
            raise UserError(self.env._("This association does not exist (any more)."))
        return {
            "doc_ids": docids,
            "doc_model": "conseil.association",
            "docs": docs,
            "year": year,
            "today": fields.Date.context_today(self),
        }
