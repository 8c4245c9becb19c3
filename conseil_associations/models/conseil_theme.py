from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

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
        default=lambda self: self.env.company,
        help="Empty: the theme is shared between all the communes of this database (an administrator's choice).",
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

    @api.model_create_multi
    def create(self, vals_list):
        themes = super().create(vals_list)
        shared = themes.filtered(lambda theme: not theme.company_id)
        if shared and not self.env.su and not self.env.user.has_group("base.group_system"):
            raise UserError(shared[0]._frozen_message(()))
        return themes

    def _editable_fields(self):
        """A theme shared between the communes (no commune) is the administrator's to change, and so is sharing."""
        if self.env.user.has_group("base.group_system"):
            return None
        if not self.company_id:
            return frozenset()
        return frozenset(self._fields) - {"company_id"}

    def _frozen_message(self, field_names):
        if self.company_id:
            return self.env._(
                "Only an administrator shares a theme between the communes or gives it to another one."
            )
        return self.env._(
            "The theme %(theme)s is shared between the communes of this database: only an administrator changes it. "
            "Create a theme of your commune instead.",
            theme=self.name,
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_shared_or_used(self):
        """A shared theme is the administrator's; a theme in use is archived, never deleted."""
        for theme in self:
            if not theme.company_id and not self.env.user.has_group("base.group_system"):
                raise UserError(theme._frozen_message(()))
            if theme.sudo().association_ids:
                raise UserError(
                    self.env._(
                        "The theme %(theme)s files associations: archive it instead of deleting it.",
                        theme=theme.name,
                    )
                )

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
