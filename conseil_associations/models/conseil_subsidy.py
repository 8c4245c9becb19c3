from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .conseil_guarded import DATES, plausible_values


class ConseilSubsidy(models.Model):
    _name = "conseil.subsidy"
    _description = "Cash Subsidy"
    _inherit = ["mail.thread", "conseil.guarded.mixin"]
    _order = "year desc, association_id, id"

    _plausible = {
        "year": (1900, 2199),
        "amount": (0.01, 100_000_000),
        "share": (0.01, 1),
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
    amount = fields.Monetary(required=True, tracking=True)
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
        default=1.0,
        help="Part of the total paid to this association, from 1 % to 100 % (100 % when it is the only beneficiary).",
    )

    _amount_positive = models.Constraint("CHECK (amount > 0)", "A subsidy has a positive amount.")
    _share_range = models.Constraint(
        "CHECK (share >= 0.01 AND share <= 1)", "The share is between 1 % and 100 %."
    )
    _year_range = models.Constraint("CHECK (year BETWEEN 1900 AND 2199)", "Give the year of the subsidy.")
    _values_plausible = plausible_values(_plausible)

    @api.constrains("payment_date", "payment_date_end")
    def _check_payment_period(self):
        for subsidy in self:
            if subsidy.payment_date_end and (
                not subsidy.payment_date or subsidy.payment_date_end < subsidy.payment_date
            ):
                raise ValidationError(self.env._("The payment period must end after it starts."))

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
