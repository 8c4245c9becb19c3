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

        The loans' rows are stored, in ``conseil_aid_loan_year``, by the database itself: triggers on the loans
        keep them equal to each valued loan's ``value_by_year`` whatever writes it (the ORM, an import, a
        migration, SQL), so a year's figures read an index instead of expanding the split of every loan. A
        loan's row is dated on the first day of its part: its start, or 1 January of a later year (in the
        commune's timezone). The rows are rebuilt at each install or upgrade.
        """
        cr = self.env.cr
        tools.drop_view_if_exists(cr, self._table)
        cr.execute(LOAN_YEARS_TABLE)
        cr.execute(
            SQL(
                LOAN_YEARS_FUNCTION,
                changed=SQL(LOAN_YEARS_CHANGED),
                changed_rows=_loan_year_rows(SQL("new_rows n JOIN old_rows o ON o.id = n.id")),
                new_rows=_loan_year_rows(SQL("new_rows n")),
                valued=VALUED_STATES,
            )
        )
        for event, transitions in LOAN_YEARS_TRIGGERS.items():
            cr.execute(
                SQL(
                    """DROP TRIGGER IF EXISTS %(name)s ON conseil_loan;
                       CREATE TRIGGER %(name)s AFTER %(event)s ON conseil_loan REFERENCING %(transitions)s
                       FOR EACH STATEMENT EXECUTE FUNCTION conseil_aid_loan_years()""",
                    name=SQL.identifier(f"conseil_aid_loan_years_{event.lower()}"),
                    event=SQL(event),
                    transitions=SQL(transitions),
                )
            )
        cr.execute(
            SQL(
                """TRUNCATE conseil_aid_loan_year;
                   INSERT INTO conseil_aid_loan_year (loan_id, year, date, association_id, company_id, kind, value)
                   %(rows)s WHERE n.state IN %(valued)s""",
                rows=_loan_year_rows(SQL("conseil_loan n")),
                valued=VALUED_STATES,
            )
        )
        cr.execute("ANALYZE conseil_aid_loan_year")
        cr.execute(
            SQL(
                """
            CREATE VIEW %(table)s AS (
                SELECT (y.loan_id * 8 + y.year %% 8) * 2 AS id, y.date, y.year, y.association_id, y.company_id,
                       y.kind, 'in_kind' AS nature, y.value, y.loan_id, NULL::int AS subsidy_id
                  FROM conseil_aid_loan_year y
                UNION ALL
                SELECT s.id * 2 + 1 AS id,
                       COALESCE(s.payment_date, make_date(s.year, 1, 1)) AS date,
                       s.year, s.association_id, s.company_id, 'cash' AS kind, 'cash' AS nature,
                       s.amount AS value, NULL::int AS loan_id, s.id AS subsidy_id
                  FROM conseil_subsidy s
            )
            """,
                table=SQL.identifier(self._table),
            )
        )


# A loan covers four calendar years at most (three years, not aligned on 1 January): ``year % 8`` tells its rows
# apart in the view's ids.
LOAN_YEARS_TABLE = """
    CREATE TABLE IF NOT EXISTS conseil_aid_loan_year (
        loan_id integer NOT NULL REFERENCES conseil_loan (id) ON DELETE CASCADE,
        year integer NOT NULL,
        date date NOT NULL,
        association_id integer NOT NULL,
        company_id integer NOT NULL,
        kind varchar NOT NULL,
        value numeric NOT NULL,
        PRIMARY KEY (loan_id, year)
    );
    CREATE INDEX IF NOT EXISTS conseil_aid_loan_year_company_year ON conseil_aid_loan_year (company_id, year);
    CREATE INDEX IF NOT EXISTS conseil_aid_loan_year_association_year
        ON conseil_aid_loan_year (association_id, year);
"""
# Written loans are rewritten, in one statement for all the rows a statement touched.
LOAN_YEARS_FUNCTION = """
    CREATE OR REPLACE FUNCTION conseil_aid_loan_years() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            DELETE FROM conseil_aid_loan_year y
             USING new_rows n JOIN old_rows o ON o.id = n.id
             WHERE y.loan_id = n.id AND %(changed)s;
            INSERT INTO conseil_aid_loan_year (loan_id, year, date, association_id, company_id, kind, value)
            %(changed_rows)s WHERE n.state IN %(valued)s AND %(changed)s;
        ELSE
            INSERT INTO conseil_aid_loan_year (loan_id, year, date, association_id, company_id, kind, value)
            %(new_rows)s WHERE n.state IN %(valued)s;
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql
"""
# What a loan's rows are made of: only a write that changes it rewrites them.
LOAN_YEARS_CHANGED = """(n.state, n.value_by_year, n.association_id, n.company_id, n.loan_type, n.date_start)
    IS DISTINCT FROM (o.state, o.value_by_year, o.association_id, o.company_id, o.loan_type, o.date_start)"""
# A deleted loan's rows go with it (the foreign key cascades).
LOAN_YEARS_TRIGGERS = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
}


def _loan_year_rows(loans):
    """The rows of the loans ``loans`` (aliased ``n``) give: each one's part of each year, dated in the commune's
    time."""
    return SQL(
        """SELECT n.id, y.key::int,
                  GREATEST(
                      (n.date_start AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(p.tz, 'Europe/Paris'))::date,
                      make_date(y.key::int, 1, 1)
                  ),
                  n.association_id, n.company_id, n.loan_type, (y.value->>'value')::numeric
             FROM %(loans)s
             JOIN res_company c ON c.id = n.company_id
             JOIN res_partner p ON p.id = c.partner_id
            CROSS JOIN LATERAL jsonb_each(COALESCE(n.value_by_year, '{}'::jsonb)) AS y""",
        loans=loans,
    )
