from odoo import fields, models

from .conseil_guarded import DATES, plausible_values
from .conseil_need import NEED_TYPES, UNITS


class ConseilOffer(models.Model):
    _name = "conseil.offer"
    _description = "Offer of an Association"
    _inherit = ["mail.thread", "conseil.guarded.mixin"]
    _order = "association_id, id"

    _plausible = {"capacity": (0, 1_000_000), "date_from": DATES, "date_to": DATES, "description": 5_000}

    name = fields.Char(string="Offer", required=True, tracking=True)
    association_id = fields.Many2one(
        "conseil.association",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="association_id.company_id", store=True, index=True)
    offer_type = fields.Selection(NEED_TYPES, string="Type", required=True, index=True, tracking=True)
    description = fields.Text()
    capacity = fields.Float(tracking=True, help="How much the association can give, in the unit below.")
    capacity_unit = fields.Selection(
        UNITS,
        string="Unit",
        default="units",
        required=True,
    )
    capacity_period = fields.Selection(
        [("once", "Once"), ("week", "Per week"), ("month", "Per month")], default="week", required=True
    )
    theme_ids = fields.Many2many("conseil.theme", string="Themes", check_company=True)
    date_from = fields.Date(string="Available From")
    date_to = fields.Date(string="Available Until")
    active = fields.Boolean(default=True)

    _capacity_positive = models.Constraint("CHECK (capacity >= 0)", "A capacity cannot be negative.")
    _period_ordered = models.Constraint(
        "CHECK (date_to IS NULL OR date_from IS NULL OR date_to >= date_from)",
        "The availability must end after it starts.",
    )
    _values_plausible = plausible_values(
        {name: bound for name, bound in _plausible.items() if isinstance(bound, tuple)}
    )
