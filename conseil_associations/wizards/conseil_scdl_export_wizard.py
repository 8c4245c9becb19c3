import base64
import csv
import io
from datetime import date, timedelta

import pytz
from markupsafe import Markup, escape
from stdnum.fr import siret as stdnum_siret

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.conseil_facts import VALUED_STATES

# SCDL « subventions » 2.1.1: the columns, in this order.
SCDL_COLUMNS = [
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
]
# Free texts of the file: a spreadsheet opening it must not take them for formulas.
TEXT_COLUMNS = {
    "nomAttribuant",
    "nomBeneficiaire",
    "objet",
    "referenceDecision",
    "conditionsVersement",
    "dispositifAide",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CASH = "aide en numéraire"
IN_KIND = "aide en nature"
PAYMENT_CONDITIONS = {"unique": "unique", "echelonne": "échelonné", "autre": "autre"}


class ConseilScdlExportWizard(models.TransientModel):
    _name = "conseil.scdl.export.wizard"
    _description = "Open-Data Export of Subsidies (SCDL)"
    _inherit = ["conseil.guarded.mixin"]

    # The file and its report are the export's: a user asks for them, never writes them.
    _server_fields = frozenset(
        {"csv_file", "csv_filename", "row_count", "problems", "exported_from", "exported_to"}
    )

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date_from = fields.Date(
        required=True, default=lambda self: date(fields.Date.context_today(self).year - 1, 1, 1)
    )
    date_to = fields.Date(
        required=True, default=lambda self: date(fields.Date.context_today(self).year - 1, 12, 31)
    )
    csv_file = fields.Binary(readonly=True, attachment=False)
    csv_filename = fields.Char(readonly=True)
    row_count = fields.Integer(readonly=True)
    problems = fields.Html(readonly=True)
    exported_from = fields.Date(readonly=True)
    exported_to = fields.Date(readonly=True)

    @api.onchange("date_from")
    def _onchange_date_from(self):
        if self.date_from:
            self.date_to = date(self.date_from.year, 12, 31)

    def action_export(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(self.env._("The end of the period must come after its start."))
        if self.company_id not in self.env.user.company_ids:
            raise UserError(self.env._("Export the subsidies of your own commune."))
        rows, problems = self._scdl_rows()
        self.sudo().write(
            {
                "csv_file": base64.b64encode(self._csv_bytes(rows)) if rows else False,
                "csv_filename": self._filename() if rows else False,
                "row_count": len(rows),
                "problems": self._problems_html(problems),
                "exported_from": self.date_from,
                "exported_to": self.date_to,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Open-Data Export (SCDL)"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    # ------------------------------------------------------------
    # ROWS
    # ------------------------------------------------------------

    def _scdl_rows(self):
        """Valid rows for the file, and the ones that cannot be valid, each with what to fix."""
        self.ensure_one()
        company = self.company_id
        grantor_siret = (company.conseil_siret or "").replace(" ", "")
        problems = []
        if not stdnum_siret.is_valid(grantor_siret):
            problems.append(
                self.env._(
                    "The SIRET of %(company)s is missing or wrong (Settings > Associations): no row can be "
                    "published without it.",
                    company=company.name,
                )
            )
        candidates = self._cash_rows(company) + self._in_kind_rows(company)
        rows = []
        for row, association in candidates:
            row["nomAttribuant"] = company.name
            row["idAttribuant"] = grantor_siret
            missing = self._row_problems(row, association)
            if missing:
                problems.append(
                    self.env._(
                        "%(association)s, %(object)s: %(missing)s",
                        association=association.name,
                        object=row["objet"],
                        missing=", ".join(missing),
                    )
                )
            elif stdnum_siret.is_valid(grantor_siret):
                rows.append(row)
        rows.sort(key=lambda r: (r["dateConvention"], r["nomBeneficiaire"], r["nature"]))
        return rows, problems

    def _cash_rows(self, company):
        subsidies = self.env["conseil.subsidy"].search(
            [
                ("company_id", "=", company.id),
                "|",
                "&",
                ("convention_date", ">=", self.date_from),
                ("convention_date", "<=", self.date_to),
                "&",
                ("convention_date", "=", False),
                ("year", ">=", self.date_from.year),
                ("year", "<=", self.date_to.year),
            ]
        )
        shares = self._published_shares(subsidies)
        rows = []
        for subsidy in subsidies:
            association = subsidy.association_id
            conditions = PAYMENT_CONDITIONS[subsidy.payment_conditions]
            if subsidy.payment_conditions == "autre" and subsidy.payment_conditions_note:
                conditions = subsidy.payment_conditions_note[:256]
            rows.append(
                (
                    {
                        **self._beneficiary(association),
                        "dateConvention": subsidy.convention_date.isoformat()
                        if subsidy.convention_date
                        else "",
                        "referenceDecision": subsidy.decision_ref or subsidy.convention_ref or "",
                        "objet": subsidy.name[:256],
                        "montant": self._amount(subsidy.total_amount or subsidy.amount),
                        "nature": CASH,
                        "conditionsVersement": conditions,
                        # an instalment subsidy always has its period (conseil.subsidy._check_payment_period)
                        "datesPeriodeVersement": self._period(subsidy.payment_date, subsidy.payment_date_end),
                        "idRAE": subsidy.rae_id or "",
                        "notificationUE": "oui" if subsidy.eu_notified else "non",
                        "pourcentageSubvention": self._share(shares[subsidy]),
                        "dispositifAide": subsidy.aid_scheme or "",
                    },
                    association,
                )
            )
        return rows

    @api.model
    def _published_shares(self, subsidies):
        """{subsidy: its share in ten-thousandths}: the parts of one subsidy split between beneficiaries (one
        purpose, one decision, one total) are rounded cumulatively, so that they add up to 1 when the
        beneficiaries cover the total."""
        shares = {}
        for __, parts in subsidies.grouped(
            lambda subsidy: (subsidy.decision_ref, subsidy.name, subsidy.total_amount)
            if subsidy.total_amount and subsidy.decision_ref
            else subsidy.id
        ).items():
            total = round((parts[0].total_amount or parts[0].amount) * 100)
            granted = published = 0
            for part in parts.sorted("id"):
                granted += round(part.amount * 100)
                cumulative = (2 * 10_000 * granted + total) // (2 * total)
                shares[part] = cumulative - published
                published = cumulative
        return shares

    def _in_kind_rows(self, company):
        """Loans valued over the years of the period, one row per association and decision (or convention).

        A loan counts its parts of those years only: a loan over several years is published year by year.
        """
        years = range(self.date_from.year, self.date_to.year + 1)
        loans = self.env["conseil.loan"].search(
            [
                ("company_id", "=", company.id),
                ("state", "in", VALUED_STATES),
                ("year_first", "<=", years[-1]),
                ("year_last", ">=", years[0]),
                ("value", ">", 0),
            ],
            order="association_id, date_start",
        )
        kinds = dict(loans._fields["loan_type"]._description_selection(self.env))
        rows = []
        for (association, act), group in loans.grouped(
            lambda loan: (loan.association_id, loan.decision_id.reference or loan.convention_ref or loan.name)
        ).items():
            amount = sum(loan._year_share(year)["value"] for loan in group for year in years)
            if company.currency_id.is_zero(amount):
                continue
            decision = group.decision_id[:1]
            act_date = decision.decision_date or min(
                (loan.approved_on or loan.date_start).date() for loan in group
            )
            natures = ", ".join(sorted({kinds[loan.loan_type].lower() for loan in group}))
            first, last = self._in_kind_period(group, years)
            rows.append(
                (
                    {
                        **self._beneficiary(association),
                        "dateConvention": act_date.isoformat(),
                        "referenceDecision": act,
                        "objet": self.env._(
                            "In-kind loan (mise à disposition): %(natures)s", natures=natures
                        )[:256],
                        "montant": self._amount(amount),
                        "nature": IN_KIND,
                        "conditionsVersement": "unique",
                        "datesPeriodeVersement": self._period(first, last),
                        "idRAE": "",
                        "notificationUE": "non",
                        "pourcentageSubvention": "1",
                        "dispositifAide": "",
                    },
                    association,
                )
            )
        return rows

    @api.model
    def _in_kind_period(self, loans, years):
        """The first and the last day the loans were used within ``years``, in the commune's timezone."""
        tz = pytz.timezone(loans[:1]._portal_tz())

        def local_day(moment):
            return moment.replace(tzinfo=pytz.utc).astimezone(tz).date()

        # every loan touches these years: its period is cut at their bounds; a loan ending at midnight was last
        # used the day before
        first = max(local_day(min(loans.mapped("date_start"))), date(years[0], 1, 1))
        last = local_day(max(loans.mapped("date_end")) - timedelta(microseconds=1))
        return first, min(last, date(years[-1], 12, 31))

    def _row_problems(self, row, association):
        missing = []
        if not row["idBeneficiaire"] and not row["rnaBeneficiaire"]:
            missing.append(self.env._("the association has neither SIRET nor RNA number"))
        if not row["dateConvention"]:
            missing.append(self.env._("no convention or decision date"))
        if not row["datesPeriodeVersement"]:
            missing.append(self.env._("no payment date"))
        if not row["objet"].strip():
            missing.append(self.env._("no object"))
        return missing

    # ------------------------------------------------------------
    # FORMATS
    # ------------------------------------------------------------

    @api.model
    def _beneficiary(self, association):
        return {
            "nomBeneficiaire": association.name,
            "idBeneficiaire": association.siret or "",
            "rnaBeneficiaire": association.rna or "",
        }

    @api.model
    def _amount(self, value):
        return f"{value:.2f}"

    @api.model
    def _share(self, ten_thousandths):
        """A share as the schema writes it: a decimal number, « 0.45 », « 1 » for a single beneficiary."""
        return f"{ten_thousandths / 10_000:.4f}".rstrip("0").rstrip(".")

    @api.model
    def _period(self, start, end=None):
        if not start:
            return ""
        if end and end != start:
            return f"{start.isoformat()}/{end.isoformat()}"
        return start.isoformat()

    @api.model
    def _csv_bytes(self, rows):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=SCDL_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(
            {column: self._spreadsheet_safe(column, value) for column, value in row.items()} for row in rows
        )
        return buffer.getvalue().encode("utf-8")

    @api.model
    def _spreadsheet_safe(self, column, value):
        """A text a spreadsheet would run as a formula (=, +, -, @) is kept as text, within the column's length."""
        if column in TEXT_COLUMNS and value and value[0] in FORMULA_STARTS:
            return "'" + value[:255]
        return value

    def _filename(self):
        siren = (self.company_id.conseil_siret or "").replace(" ", "")[:9]
        return f"{fields.Date.context_today(self).strftime('%Y%m%d')}_{siren}_subventions.csv"

    def _problems_html(self, problems):
        if not problems:
            return False
        items = Markup("").join(Markup("<li>%s</li>") % escape(problem) for problem in problems)
        return Markup("<ul>%s</ul>") % items
