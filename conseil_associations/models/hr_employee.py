from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_datetime

from .conseil_facts import BLOCKING_STATES

# A loan this short is worked within its period: any absence during it, or no working time in it, keeps the
# agent from it (``_conseil_absences_sql``).
SHORT_LOAN = timedelta(days=7)
# The hourly cost of an agent, as the company's default one is held (the loans are valued with it).
HOURLY_COST_BOUNDS = {"hourly_cost": (0, 1000)}


class HrEmployee(models.Model):
    _name = "hr.employee"
    _inherit = ["hr.employee", "conseil.lendable.mixin"]

    _conseil_loan_type = "agent"

    conseil_is_titulaire = fields.Boolean(
        string="Established Civil Servant",
        groups="hr.group_hr_user",
        help="Titulaire of the territorial civil service. Only titulaires can be lent to an association "
        "(mise à disposition), unless the settings allow contract staff.",
    )
    conseil_loan_lock = fields.Integer(
        groups="base.group_system",
        copy=False,
        help="Technical: bumped by each approval of a loan of this agent, so that two approvals at once "
        "are serialised by the database.",
    )
    conseil_loan_ids = fields.One2many(
        "conseil.loan", "employee_id", string="Loans to Associations", groups="hr.group_hr_user"
    )
    # What an agent's loans tell is for HR (conseil.lendable.mixin).
    conseil_loan_count = fields.Integer(groups="hr.group_hr_user")
    conseil_current_borrower_id = fields.Many2one(groups="hr.group_hr_user")
    conseil_next_loan_id = fields.Many2one(groups="hr.group_hr_user")

    @api.model
    def _conseil_free_for_loan(
        self,
        date_start,
        date_end,
        company,
        weekly_hours=0.0,
        exclude_loan=None,
        name=None,
        limit=None,
    ):
        """The agents of the commune who may be lent, present (``_conseil_absences_sql``) and at work
        (``_conseil_working_calendars_sql``) over the period, and whose week, less the hours already lent over
        the period, leaves room for these hours, by name.

        The holidays and the working schedules are asked once for all the agents; then the agents are read by
        name along the index of the commune's names, and each is asked whether it is free (its schedule, its own
        time off, its hours lent) — ``OFFSET 0`` keeps that question one per agent, so that a page stops the
        database at its last agent, however many the city employs.
        """
        return self._conseil_free_ids(
            SQL(
                """WITH holidays AS MATERIALIZED (%(holidays)s),
                        calendars AS MATERIALIZED (
                            SELECT c.id, c.hours_per_week FROM resource_calendar c
                             WHERE c.hours_per_week > 0 AND c.id IN (%(working)s)
                               AND c.id NOT IN (SELECT h.calendar_id FROM holidays h WHERE h.calendar_id IS NOT NULL))
                   SELECT r.id FROM hr_employee r
                    WHERE r.active AND r.company_id = %(company)s %(named)s
                      AND (r.conseil_is_titulaire OR %(contract)s)
                      AND r.company_id NOT IN (SELECT h.company_id FROM holidays h
                                                WHERE h.calendar_id IS NULL AND h.company_id IS NOT NULL)
                      AND EXISTS (
                          SELECT 1 FROM hr_version v JOIN calendars c ON c.id = v.resource_calendar_id
                           WHERE v.id = r.current_version_id
                             AND NOT EXISTS (SELECT 1 FROM (%(absences)s) a WHERE a.resource_id = r.resource_id)
                             AND c.hours_per_week - %(hours)s >= COALESCE((
                                 SELECT SUM(l.weekly_hours) FROM conseil_loan l
                                  WHERE l.employee_id = r.id AND l.state IN %(blocking)s AND l.id != %(exclude)s
                                    AND tsrange(l.date_start, l.date_end, '[)') && tsrange(%(start)s, %(end)s, '[)')
                             ), 0)
                          OFFSET 0)
                    %(page)s""",
                company=company.id,
                named=self._conseil_named_sql(name),
                page=self._conseil_page_sql(limit),
                contract=bool(company.conseil_allow_contract_agents),
                hours=weekly_hours or 0.0,
                blocking=BLOCKING_STATES,
                exclude=exclude_loan.id if exclude_loan else 0,
                start=date_start,
                end=date_end,
                absences=self._conseil_absences_sql(date_start, date_end),
                holidays=SQL(
                    "SELECT * FROM (%s) a WHERE a.resource_id IS NULL",
                    self._conseil_absences_sql(date_start, date_end),
                ),
                working=self._conseil_working_calendars_sql(date_start, date_end),
            )
        )

    @api.model
    def _conseil_agent_absences_sql(self, date_start, date_end):
        """The absences of agent ``r`` of calendar ``c`` over the period (rows of ``_conseil_absences_sql``): their
        own time off, the holidays of their calendar and those of their company, each read along its own index
        rather than one scan of every leave for the three."""
        absences = self._conseil_absences_sql(date_start, date_end)
        return SQL(
            """SELECT * FROM (%(absences)s) a WHERE a.resource_id = r.resource_id
               UNION ALL
               SELECT * FROM (%(absences)s) a WHERE a.resource_id IS NULL AND a.calendar_id = c.id
               UNION ALL
               SELECT * FROM (%(absences)s) a
                WHERE a.resource_id IS NULL AND a.calendar_id IS NULL AND a.company_id = r.company_id""",
            absences=absences,
        )

    @api.model
    def _conseil_absences_sql(self, date_start, date_end):
        """The absences that keep agents from a loan over the period: rows (id, resource_id, calendar_id,
        company_id, date_from, date_to, name). ``date_start``/``date_end``: values, or SQL of the loans' columns.

        An absence is a time off of the agent's resource, or a public holiday of their working calendar or of
        their company (``resource.calendar.leaves``, which the Time Off app fills): it concerns agent ``r`` of
        calendar ``c`` when its resource is ``r``'s, or it has no resource and its calendar is ``c``, or it has
        neither and its company is ``r``'s. A loan of a week or less is worked within its period: any absence
        that overlaps it keeps the agent from it. A longer loan spreads its weekly hours over the weeks, and a
        day off is made up within them: an absence keeps the agent from it only when it covers at least half of
        the loan (a long sick leave, a parental leave), not a day off or a summer holiday inside a three-year
        loan.
        """
        return SQL(
            """SELECT a.id, a.resource_id, a.calendar_id, a.company_id, a.date_from, a.date_to, a.name
                 FROM resource_calendar_leaves a
                WHERE a.time_type = 'leave' AND a.date_from < %(end)s AND a.date_to > %(start)s
                  AND (%(end)s::timestamp - %(start)s::timestamp <= %(short)s::interval
                       OR LEAST(a.date_to, %(end)s) - GREATEST(a.date_from, %(start)s)
                          >= (%(end)s::timestamp - %(start)s::timestamp) / 2)""",
            start=date_start,
            end=date_end,
            short=SHORT_LOAN,
        )

    @api.model
    def _conseil_working_calendars_sql(self, date_start, date_end):
        """The working calendars under which an agent may be lent over the period: ids.

        An agent is lent within their working time: a loan of a week or less must meet at least one working
        time of the calendar (a Sunday morning is no loan for an agent who works Monday to Friday). A longer
        loan always meets working days; a flexible schedule has no fixed times.
        """
        local_start = SQL("(%s::timestamp AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(k.tz, 'UTC'))", date_start)
        local_end = SQL("(%s::timestamp AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(k.tz, 'UTC'))", date_end)
        return SQL(
            """SELECT k.id FROM resource_calendar k
                WHERE %(end)s::timestamp - %(start)s::timestamp > %(short)s::interval
                   OR COALESCE(k.flexible_hours, FALSE)
                   OR EXISTS (
                      SELECT 1 FROM generate_series(date_trunc('day', %(local_start)s),
                                                    LEAST(%(local_end)s, %(local_start)s + %(short)s::interval),
                                                    interval '1 day') AS d(day)
                        JOIN resource_calendar_attendance w
                          ON w.calendar_id = k.id AND w.display_type IS NULL AND w.day_period != 'lunch'
                         AND w.dayofweek = (EXTRACT(ISODOW FROM d.day)::int - 1)::text
                       WHERE d.day + w.hour_from * interval '1 hour' < %(local_end)s
                         AND d.day + w.hour_to * interval '1 hour' > %(local_start)s)""",
            start=date_start,
            end=date_end,
            short=SHORT_LOAN,
            local_start=local_start,
            local_end=local_end,
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.env["conseil.guarded.mixin"]._check_values_of(
                self, vals, ["hourly_cost"], HOURLY_COST_BOUNDS
            )
        return super().create(vals_list)

    def write(self, vals):
        self.env["conseil.guarded.mixin"]._check_values_of(self, vals, ["hourly_cost"], HOURLY_COST_BOUNDS)
        if "active" in vals and not vals["active"]:
            self._conseil_check_not_lent()
        result = super().write(vals)
        if "hourly_cost" in vals:
            self.env["conseil.loan"]._revalue([("employee_id", "in", self.ids)])
        return result

    def _conseil_check_lent_hours(self):
        """The loans approved for these agents still fit their working week, when HR changes it."""
        Loan = self.env["conseil.loan"].sudo()
        loans = Loan.search(
            [
                ("employee_id", "in", self.ids),
                ("state", "in", BLOCKING_STATES),
                ("date_end", ">", fields.Datetime.now()),
            ]
        )
        for employee, agent_loans in loans.grouped("employee_id").items():
            overload = Loan._agent_overload(employee, agent_loans)
            if overload:
                moment, lent, week, __ = overload
                raise ValidationError(
                    self.env._(
                        "%(agent)s is lent %(peak)s h a week to associations from %(date)s: a working week of "
                        "%(week)s h would not hold it. Reduce or end those loans first.",
                        agent=employee.sudo().name
                        if employee.company_id in self.env.user.company_ids
                        else self.env._("An agent of another commune"),
                        peak=f"{lent:g}",
                        date=format_datetime(self.env, moment, dt_format="short"),
                        week=f"{week:g}",
                    )
                )

    def _conseil_check_not_lent(self):
        """An agent lent to an association stays an employee until the loan ends."""
        lent = (
            self.env["conseil.loan"]
            .sudo()
            .search(
                [
                    ("employee_id", "in", self.ids),
                    ("state", "in", BLOCKING_STATES),
                    ("date_end", ">", fields.Datetime.now()),
                ],
                limit=1,
            )
        )
        if lent:
            raise UserError(
                self.env._(
                    "%(agent)s is lent to an association until %(end)s (%(loan)s): end or cancel the loan before "
                    "archiving the employee.",
                    agent=lent.employee_id.name,
                    end=format_datetime(self.env, lent.date_end, dt_format="short"),
                    loan=lent.name,
                )
            )
