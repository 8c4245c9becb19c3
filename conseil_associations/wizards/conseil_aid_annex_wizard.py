import base64
import io
from collections import defaultdict

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import UserError

# The aid in kind of the annex, by nature, as conseil.aid names its kinds: rooms, vehicles, agents, equipment.
IN_KIND_KINDS = ("room", "vehicle", "agent", "equipment")


class ConseilAidAnnexWizard(models.TransientModel):
    """The annex of aid to third parties of the budget documents (CGCT L2313-1), as PDF and spreadsheet.

    « Liste des concours attribués à des tiers en nature ou en subventions » (M57): per beneficiary, the
    subsidies of the year and the aid in kind valued, read from the yearly figures (``conseil.aid``).
    """

    _name = "conseil.aid.annex.wizard"
    _description = "Annex of Aid to Third Parties"
    _inherit = ["conseil.guarded.mixin"]
    _check_company_auto = True

    _plausible = {"year": (1900, 2199)}

    company_id = fields.Many2one(
        "res.company", string="Commune", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year - 1)
    xlsx_file = fields.Binary(string="Spreadsheet", readonly=True, attachment=False)
    xlsx_filename = fields.Char(readonly=True)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_print(self):
        self.ensure_one()
        self._annex()  # refused here, with its message, rather than in the PDF download
        action = self.env.ref("conseil_associations.action_report_aid_annex").report_action(self)
        action["close_on_report_download"] = True
        return action

    def action_export_xlsx(self):
        """The same lines as the PDF, as a spreadsheet the finance department pastes into its budget file."""
        self.ensure_one()
        self.write(
            {
                "xlsx_file": base64.b64encode(self._annex_xlsx()),
                "xlsx_filename": self.env._("Aid annex %(year)s.xlsx", year=self.year),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/xlsx_file/{self.xlsx_filename}?download=true",
            "target": "self",
        }

    # ------------------------------------------------------------
    # THE ANNEX
    # ------------------------------------------------------------

    def _annex(self):
        """``{"lines": [...], "totals": {...}}``: one line per beneficiary, by name, and the totals.

        A line holds the association, its legal nature, its subsidies (object and amount), its cash, its aid in
        kind by nature and their sum. Only the commune the user works for: the annex is its budget document.
        """
        self.ensure_one()
        self._check_commune()
        Aid = self.env["conseil.aid"]
        domain = [("company_id", "=", self.company_id.id), ("year", "=", self.year)]
        by_association = defaultdict(
            lambda: {"subsidies": [], **dict.fromkeys(("cash", *IN_KIND_KINDS), 0.0)}
        )
        for association, kind, subsidy, value in Aid._read_group(
            domain, ["association_id", "kind", "subsidy_id"], ["value:sum"]
        ):
            line = by_association[association]
            line[kind] += value
            if subsidy:
                line["subsidies"].append({"object": subsidy.name, "amount": value})
        lines = []
        for association in sorted(by_association, key=lambda association: association.name):
            line = by_association[association]
            in_kind = sum(line[kind] for kind in IN_KIND_KINDS)
            lines.append(
                {
                    **line,
                    "association": association,
                    "legal_nature": self.env._("Association (law of 1901)"),
                    "in_kind": in_kind,
                    "total": line["cash"] + in_kind,
                }
            )
        totals = {
            key: sum(line[key] for line in lines) for key in ("cash", *IN_KIND_KINDS, "in_kind", "total")
        }
        return {"lines": lines, "totals": totals}

    def _check_commune(self):
        if self.company_id not in self.env.companies:
            raise UserError(
                self.env._(
                    "You work for %(companies)s: choose one of your communes.",
                    companies=", ".join(self.env.companies.mapped("name")),
                )
            )

    def _annex_xlsx(self):
        """The annex as an xlsx workbook: a header, one row per beneficiary and subsidy object, the totals."""
        annex = self._annex()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Annex %(year)s", year=self.year))
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        bold_money = workbook.add_format({"bold": True, "num_format": "#,##0.00"})
        sheet.write(0, 0, self.env._("List of aid granted to third parties in kind or as subsidies"), bold)
        sheet.write(1, 0, f"{self.company_id.name} — {self.year}")
        header = [
            self.env._("Beneficiary"),
            self.env._("Legal nature"),
            self.env._("Subsidy object"),
            self.env._("Subsidies"),
            self.env._("Rooms"),
            self.env._("Vehicles"),
            self.env._("Agents"),
            self.env._("Equipment"),
            self.env._("Aid in kind"),
            self.env._("Total"),
        ]
        sheet.write_row(3, 0, header, bold)
        row = 4
        for line in annex["lines"]:
            objects = "; ".join(subsidy["object"] for subsidy in line["subsidies"])
            sheet.write_row(row, 0, [line["association"].name, line["legal_nature"], objects])
            amounts = [line[key] for key in ("cash", *IN_KIND_KINDS, "in_kind", "total")]
            sheet.write_row(row, 3, amounts, money)
            row += 1
        totals = annex["totals"]
        sheet.write(row, 0, self.env._("Total"), bold)
        sheet.write_row(
            row, 3, [totals[key] for key in ("cash", *IN_KIND_KINDS, "in_kind", "total")], bold_money
        )
        sheet.write(row + 2, 0, self._legal_basis())
        sheet.set_column(0, 2, 30)
        sheet.set_column(3, 9, 14)
        workbook.close()
        return output.getvalue()

    @api.model
    def _legal_basis(self):
        return self.env._(
            "Annex to the budget documents of communes of 3 500 inhabitants and more "
            "(Code général des collectivités territoriales, article L2313-1)."
        )
