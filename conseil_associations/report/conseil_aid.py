from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.conseil_facts import VALUED_STATES


class ConseilAid(models.Model):
    """Every aid the town gives an association, cash and in kind, for the dashboards and totals."""

    _name = "conseil.aid"
    _description = "Aid to Associations"
    _inherit = ["conseil.guarded.mixin"]  # a malformed request on the figures gets a message too
    _auto = False
    _check_company_auto = True
    _order = "date desc"
    _depends = {
        "conseil.loan": [
            "date_start",
            "association_id",
            "company_id",
            "loan_type",
            "value_by_year",
            "year_first",
            "state",
        ],
        "conseil.subsidy": ["payment_date", "year", "association_id", "company_id", "amount"],
    }

    date = fields.Date(readonly=True)
    year = fields.Integer(readonly=True, aggregator=False)
    association_id = fields.Many2one("conseil.association", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(
        [
            ("cash", "Cash subsidy"),
            ("vehicle", "Vehicle"),
            ("agent", "Agent"),
            ("room", "Room"),
            ("equipment", "Equipment"),
        ],
        readonly=True,
    )
    nature = fields.Selection([("cash", "Cash"), ("in_kind", "In kind")], readonly=True)
    value = fields.Monetary(readonly=True)
    loan_id = fields.Many2one("conseil.loan", readonly=True)
    subsidy_id = fields.Many2one("conseil.subsidy", readonly=True)

    def init(self):
        """One row per loan and calendar year it covers (its part of that year), and one per subsidy.

        A loan's row is dated on the first day of its part: its start, or 1 January of a later year (in the
        commune's timezone).
        """
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %(table)s AS (
                SELECT (l.id * 8 + (y.key::int - l.year_first)) * 2 AS id,
                       GREATEST(
                           (l.date_start AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(p.tz, 'Europe/Paris'))::date,
                           make_date(y.key::int, 1, 1)
                       ) AS date,
                       y.key::int AS year,
                       l.association_id, l.company_id, l.loan_type AS kind, 'in_kind' AS nature,
                       (y.value->>'value')::numeric AS value, l.id AS loan_id, NULL::int AS subsidy_id
                  FROM conseil_loan l
                  JOIN res_company c ON c.id = l.company_id
                  JOIN res_partner p ON p.id = c.partner_id
                 CROSS JOIN LATERAL jsonb_each(COALESCE(l.value_by_year, '{}'::jsonb)) AS y
                 WHERE l.state IN %(valued)s
                UNION ALL
                SELECT s.id * 2 + 1 AS id,
                       COALESCE(s.payment_date, make_date(s.year, 1, 1)) AS date,
                       s.year, s.association_id, s.company_id, 'cash' AS kind, 'cash' AS nature,
                       s.amount AS value, NULL::int AS loan_id, s.id AS subsidy_id
                  FROM conseil_subsidy s
            )
            """,
                table=SQL.identifier(self._table),
                valued=VALUED_STATES,
            )
        )
