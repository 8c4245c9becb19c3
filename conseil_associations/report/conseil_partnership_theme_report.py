from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.conseil_facts import LIVED_STATES


class ConseilPartnershipThemeReport(models.Model):
    """Partnerships by the themes of the two associations: who works with whom across themes."""

    _name = "conseil.partnership.theme.report"
    _description = "Partnerships across Themes"
    _inherit = ["conseil.guarded.mixin"]  # a malformed request on the figures gets a message too
    _auto = False
    _check_company_auto = True

    partnership_id = fields.Many2one("conseil.partnership", readonly=True)
    helper_theme_id = fields.Many2one("conseil.theme", string="Theme of the Helper", readonly=True)
    helped_theme_id = fields.Many2one("conseil.theme", string="Theme of the Helped", readonly=True)
    crosses_themes = fields.Boolean(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date_start = fields.Date(readonly=True)
    state = fields.Selection([("active", "Active"), ("ended", "Ended")], readonly=True)

    _depends = {
        "conseil.partnership": [
            "helper_id",
            "helped_id",
            "crosses_themes",
            "company_id",
            "date_start",
            "state",
        ],
        "conseil.association": ["theme_ids"],
    }

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %(table)s AS (
                SELECT row_number() OVER (ORDER BY p.id, a.theme_id, b.theme_id) AS id,
                       p.id AS partnership_id, a.theme_id AS helper_theme_id, b.theme_id AS helped_theme_id,
                       p.crosses_themes, p.company_id, p.date_start, p.state
                  FROM conseil_partnership p
                  JOIN conseil_association_theme_rel a ON a.association_id = p.helper_id
                  JOIN conseil_association_theme_rel b ON b.association_id = p.helped_id
                 WHERE p.state IN %(lived)s
            )
            """,
                table=SQL.identifier(self._table),
                lived=LIVED_STATES,
            )
        )
