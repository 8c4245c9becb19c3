from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_amount

from .conseil_guarded import DATES, plausible_values


class ConseilSubsidy(models.Model):
    _name = "conseil.subsidy"
    _description = "Cash Subsidy"
    _inherit = ["mail.thread", "conseil.guarded.mixin"]
    _order = "year desc, association_id, id"

    _plausible = {
        "year": (1900, 2199),
        "amount": (0.01, 100_000_000),
        "total_amount": (0, 100_000_000),
        "convention_date": DATES,
        "payment_date": DATES,
        "payment_date_end": DATES,
        "name": 256,
        "decision_ref": 64,
        "convention_ref": 64,
        "aid_scheme": 64,
    }

    name = fields.Char(
        string="Purpose", required=True, tracking=True, help="Object of the subsidy (SCDL « objet »)."
    )
    association_id = fields.Many2one(
        "conseil.association",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    year = fields.Integer(
        required=True,
        index=True,
        aggregator=False,  # a year is a label, never a sum
        default=lambda self: fields.Date.context_today(self).year,
    )
    amount = fields.Monetary(required=True, tracking=True, help="What this association receives.")
    total_amount = fields.Monetary(
        string="Total Before Split",
        tracking=True,
        help="The amount of the whole subsidy when it is split between several beneficiaries (SCDL « montant »). "
        "Empty when this association is the only one.",
    )
    decision_ref = fields.Char(
        string="Decision Reference",
        tracking=True,
        help="Reference of the council's deliberation granting it.",
    )
    convention_date = fields.Date(
        tracking=True, help="Date of the convention, or of the grant decision when there is no convention."
    )
    convention_ref = fields.Char(string="Convention Reference", tracking=True)
    payment_conditions = fields.Selection(
        [("unique", "Single payment"), ("echelonne", "In instalments"), ("autre", "Other")],
        default="unique",
        required=True,
    )
    payment_conditions_note = fields.Char(help="How it is paid, when the conditions are 'other'.")
    payment_date = fields.Date(string="Paid On", help="Date of the payment, or start of the payment period.")
    payment_date_end = fields.Date(string="Payment Period End")
    eu_notified = fields.Boolean(
        string="Notified to the European Commission",
        help="De minimis aid notified under regulation (EU) 1407/2013 (SCDL « notificationUE »).",
    )
    rae_id = fields.Char(
        string="RAE Id", size=5, help="Id in the Répertoire des Aides aux Entreprises, if any."
    )
    aid_scheme = fields.Char(help="Id of the aid scheme (SCDL « dispositifAide »), if any.")
    share = fields.Float(
        string="Share of the Subsidy",
        compute="_compute_share",
        store=True,
        digits=(16, 6),
        help="Part of the total paid to this association: its amount over the total before split (100 % when it "
        "is the only beneficiary).",
    )

    _amount_positive = models.Constraint("CHECK (amount > 0)", "A subsidy has a positive amount.")
    _share_range = models.Constraint(
        "CHECK (share >= 0.01 AND share <= 1)", "The share is between 1 % and 100 %."
    )
    _total_covers_amount = models.Constraint(
        "CHECK (total_amount IS NULL OR total_amount = 0 OR total_amount >= amount)",
        "The total of a subsidy before split is at least the amount this association receives.",
    )
    _year_range = models.Constraint("CHECK (year BETWEEN 1900 AND 2199)", "Give the year of the subsidy.")
    _values_plausible = plausible_values(_plausible)

    def init(self):
        """A subsidy recorded with a share before the total was kept gets its total back: amount over share."""
        self.env.cr.execute(
            SQL(
                """UPDATE conseil_subsidy SET total_amount = ROUND((amount / share)::numeric, 2)
                    WHERE total_amount IS NULL AND share > 0 AND share < 1"""
            )
        )

    @api.depends("amount", "total_amount")
    def _compute_share(self):
        """The share follows from the amounts, so that the published amount and share always agree."""
        for subsidy in self:
            total = subsidy.total_amount or subsidy.amount
            subsidy.share = subsidy.amount / total if total else 1.0

    @api.constrains("payment_date", "payment_date_end", "payment_conditions")
    def _check_payment_period(self):
        for subsidy in self:
            if subsidy.payment_date_end and (
                not subsidy.payment_date or subsidy.payment_date_end < subsidy.payment_date
            ):
                raise ValidationError(self.env._("The payment period must end after it starts."))
            if subsidy.payment_conditions == "echelonne" and not (
                subsidy.payment_date
                and subsidy.payment_date_end
                and subsidy.payment_date_end > subsidy.payment_date
            ):
                raise ValidationError(
                    self.env._(
                        "The subsidy %(subsidy)s is paid in instalments: give the first and the last day of its "
                        "payment period.",
                        subsidy=subsidy.name,
                    )
                )

    @api.constrains("amount", "total_amount", "decision_ref", "name", "company_id")
    def _check_parts_within_total(self):
        """The beneficiaries of one subsidy (one purpose, one decision) share one total, and never exceed it."""
        split = self.filtered(lambda subsidy: subsidy.total_amount and subsidy.decision_ref)
        if not split:
            return
        parts = self.sudo().search(
            [
                ("company_id", "in", split.company_id.ids),
                ("decision_ref", "in", split.mapped("decision_ref")),
                ("name", "in", split.mapped("name")),
            ]
        )
        for subsidy in split:
            siblings = parts.filtered(
                lambda part, subsidy=subsidy: (part.company_id, part.decision_ref, part.name)
                == (subsidy.company_id, subsidy.decision_ref, subsidy.name)
            )
            totals = set(siblings.mapped("total_amount"))
            granted = subsidy.currency_id.round(sum(siblings.mapped("amount")))
            if len(totals) > 1 or subsidy.currency_id.compare_amounts(granted, subsidy.total_amount) > 0:
                raise ValidationError(
                    self.env._(
                        "The subsidy %(subsidy)s (decision %(decision)s) is split between %(count)s beneficiaries "
                        "for %(granted)s: give each the same total before split, at least the sum of their "
                        "amounts.",
                        subsidy=subsidy.name,
                        decision=subsidy.decision_ref,
                        count=len(siblings),
                        granted=format_amount(self.env, granted, subsidy.currency_id),
                    )
                )

    @api.constrains("payment_date", "payment_date_end")
    def _check_payment_period_plausible(self):
        """Paid within a few years of the year of the subsidy."""
        for subsidy in self.filtered("payment_date"):
            if abs(subsidy.payment_date.year - subsidy.year) > 5:
                raise ValidationError(
                    self.env._(
                        "The subsidy %(subsidy)s of %(year)s cannot be paid in %(paid)s: check the year and the dates.",
                        subsidy=subsidy.name,
                        year=subsidy.year,
                        paid=subsidy.payment_date.year,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_granted(self):
        """A subsidy decided or paid is part of the town's accounts: correct it, never delete it."""
        granted = self.filtered(
            lambda subsidy: subsidy.decision_ref or subsidy.convention_date or subsidy.payment_date
        )
        if granted:
            raise UserError(
                self.env._(
                    "The subsidy %(subsidy)s was decided or paid: it stays in the town's records. Correct it instead.",
                    subsidy=granted[0].display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        subsidies = super().create(vals_list)
        subsidies._check_convention_thresholds()
        return subsidies

    def write(self, vals):
        result = super().write(vals)
        if {"amount", "year", "association_id"} & vals.keys():
            self._check_convention_thresholds()
        return result

    def _check_convention_thresholds(self):
        for year, subsidies in self.grouped("year").items():
            subsidies.association_id._check_convention_threshold(year)
