from odoo import fields, models


class ConseilTheme(models.Model):
    _name = "conseil.theme"
    _description = "Association Theme"
    _order = "sequence, name"

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

    def _compute_association_count(self):
        counts = dict(
            self.env["conseil.association"]._read_group(
                [("theme_ids", "in", self.ids)], ["theme_ids"], ["__count"]
            )
        )
        for theme in self:
            theme.association_count = counts.get(theme, 0)
