from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .conseil_guarded import plausible_values


class ConseilTheme(models.Model):
    _name = "conseil.theme"
    _description = "Association Theme"
    _inherit = ["conseil.guarded.mixin"]
    _order = "sequence, name"

    _plausible = {"sequence": (0, 100_000), "name": 64, "description": 2_000}

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the theme between all the communes of this database.",
    )
    association_ids = fields.Many2many(
        "conseil.association",
        "conseil_association_theme_rel",
        "theme_id",
        "association_id",
        string="Associations",
    )
    association_count = fields.Integer(compute="_compute_association_count")

    _values_plausible = plausible_values({"sequence": _plausible["sequence"]})

    @api.constrains("company_id", "association_ids")
    def _check_associations_of_its_commune(self):
        """A commune's own theme files only that commune's associations; a shared theme files any."""
        for theme in self.filtered("company_id"):
            if theme.sudo().association_ids.company_id - theme.company_id:
                raise ValidationError(
                    self.env._(
                        "The theme %(theme)s belongs to %(company)s: only that commune's associations can have it.",
                        theme=theme.name,
                        company=theme.company_id.name,
                    )
                )

    def _compute_association_count(self):
        counts = dict(
            self.env["conseil.association"]._read_group(
                [("theme_ids", "in", self.ids)], ["theme_ids"], ["__count"]
            )
        )
        for theme in self:
            theme.association_count = counts.get(theme, 0)
