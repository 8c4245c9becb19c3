from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .conseil_guarded import DATES, plausible_values
from .conseil_need import NEED_TYPES, UNITS

# What an association's people may set on its offers from the portal; the association is the server's.
PORTAL_OFFER_FIELDS = frozenset(
    {
        "name",
        "offer_type",
        "description",
        "capacity",
        "capacity_unit",
        "capacity_period",
        "theme_ids",
        "date_from",
        "date_to",
    }
)


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
    # "who could help" reads the offers of active associations without a join on every association of the town
    association_active = fields.Boolean(
        related="association_id.active", store=True, string="Association Active"
    )
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

    # ------------------------------------------------------------
    # PORTAL
    # ------------------------------------------------------------

    @api.model
    def _portal_create(self, association, vals):
        """A person of ``association`` publishes what it can offer to others.

        Called as the portal user: the association must be theirs to read. The
        values are checked as in the back office, then written by the server,
        since portal users write no offer themselves.
        """
        association = association.with_env(self.env)  # read as the user who acts, whoever browsed it
        association.check_access("read")
        vals = self._portal_values(association.sudo(), vals)
        if not vals.get("name"):
            raise ValidationError(self.env._("Name your offer."))
        if not vals.get("offer_type"):
            raise ValidationError(self.env._("Choose the type of your offer."))
        offer = self.sudo().create({**vals, "association_id": association.id})
        return offer.sudo(False)

    def _portal_update(self, vals):
        """A person of the offer's association changes it, with the same checks as its creation."""
        self.ensure_one()
        self.check_access("read")
        if not self.active:
            raise UserError(self.env._("This offer was withdrawn: record a new one."))
        vals = self._portal_values(self.sudo().association_id, vals, current=self.sudo())
        if "name" in vals and not vals["name"]:
            raise ValidationError(self.env._("Name your offer."))
        if "offer_type" in vals and not vals["offer_type"]:
            raise ValidationError(self.env._("Choose the type of your offer."))
        self.sudo().write(vals)
        return self

    def _portal_archive(self):
        """A person of the offer's association withdraws it: archived, so its partnerships keep their history."""
        self.ensure_one()
        self.check_access("read")
        self.sudo().write({"active": False})
        return self

    @api.model
    def _portal_themes(self, association):
        """The themes an offer of ``association`` may take: its commune's, and those shared by every commune."""
        return (
            self.env["conseil.theme"]
            .sudo()
            .search([("company_id", "in", [association.company_id.id, False])])
        )

    @api.model
    def _portal_values(self, association, vals, current=None):
        """``vals`` once checked: the portal's fields only, the commune's themes only, plausible values.

        ``current``: the offer changed, whose dates stand for those not given.
        """
        unknown = vals.keys() - PORTAL_OFFER_FIELDS
        if unknown:
            raise UserError(
                self.env._("%(fields)s cannot be set from the portal.", fields=", ".join(sorted(unknown)))
            )
        vals = dict(vals)
        if "theme_ids" in vals:
            theme_ids = set(vals["theme_ids"])
            if theme_ids - set(self._portal_themes(association).ids):
                raise ValidationError(self.env._("Choose the themes among those of your commune."))
            vals["theme_ids"] = [Command.set(sorted(theme_ids))]
        vals = self._check_plausible(vals)
        date_from = vals.get("date_from", current and current.date_from)
        date_to = vals.get("date_to", current and current.date_to)
        if date_from and date_to and fields.Date.to_date(date_to) < fields.Date.to_date(date_from):
            raise ValidationError(self.env._("The availability must end after it starts."))
        return vals
