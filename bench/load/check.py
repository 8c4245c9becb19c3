"""After the load test: the town's promises held (scripts/loadtest.sh)."""

import sys

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry


def check(env, since):
    """Count what must never happen, among the loans approved since the load test began."""
    env.cr.execute(
        """SELECT count(*) FROM conseil_loan a JOIN conseil_loan b
               ON b.id != a.id AND b.state IN ('approved', 'in_progress')
              AND tsrange(a.date_start, a.date_end, '[)') && tsrange(b.date_start, b.date_end, '[)')
              AND (b.vehicle_id = a.vehicle_id OR b.room_id = a.room_id)
            WHERE a.approved_on >= %s AND a.state IN ('approved', 'in_progress')""",
        (since,),
    )
    overlaps = env.cr.fetchone()[0]
    # an agent's week: the weekly hours of the loans running when each approved one starts, against the
    # hours of the agent's working week (its resource calendar)
    env.cr.execute(
        """WITH capacity AS (
               SELECT e.id AS employee_id, SUM(att.hour_to - att.hour_from) AS hours
                 FROM hr_employee e
                 JOIN hr_version v ON v.id = e.current_version_id
                 JOIN resource_calendar_attendance att ON att.calendar_id = v.resource_calendar_id
                GROUP BY e.id
           )
           SELECT count(*) FROM (
               SELECT l.employee_id, l.id, SUM(o.weekly_hours) AS hours
                 FROM conseil_loan l
                 JOIN conseil_loan o ON o.employee_id = l.employee_id AND o.state IN ('approved', 'in_progress')
                                    AND tsrange(o.date_start, o.date_end, '[)') @> l.date_start
                WHERE l.approved_on >= %s AND l.state IN ('approved', 'in_progress') AND l.loan_type = 'agent'
                GROUP BY l.employee_id, l.id
           ) week JOIN capacity c ON c.employee_id = week.employee_id
            WHERE week.hours > c.hours""",
        (since,),
    )
    over_allocated = env.cr.fetchone()[0]
    env.cr.execute(
        "SELECT loan_type, count(*) FROM conseil_loan WHERE approved_on >= %s GROUP BY loan_type ORDER BY 1",
        (since,),
    )
    approved = ", ".join(f"{kind} {count}" for kind, count in env.cr.fetchall()) or "none"
    print(f"CHECK approved during the test: {approved}; overlaps={overlaps} over_allocated={over_allocated}")


if __name__ == "__main__":
    database, since, *odoo_args = sys.argv[1:]
    odoo.tools.config.parse_config(["-d", database, *odoo_args])
    with Registry(database).cursor() as cr:
        check(api.Environment(cr, SUPERUSER_ID, {}), since)
