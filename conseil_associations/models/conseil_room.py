from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from .conseil_facts import BLOCKING_STATES
from .conseil_guarded import plausible_values

# A closing day of a room: a leave of its opening hours for every resource (or of every calendar of its commune).
CLOSURES_SQL = """cl.resource_id IS NULL AND cl.time_type = 'leave'
    AND (cl.calendar_id = r.resource_calendar_id OR (cl.calendar_id IS NULL AND cl.company_id = r.company_id))"""


class ConseilRoom(models.Model):
    _name = "conseil.room"
    _description = "Communal Room"
    _inherit = ["mail.thread", "conseil.guarded.mixin", "conseil.lendable.mixin"]
    _order = "name, id"

    _conseil_loan_type = "room"

    _plausible = {
        "capacity": (1, 100_000),
        "hourly_rate": (0, 10_000),
        "daily_rate": (0, 100_000),
        "buffer_minutes": (0, 480),
        "equipment": 5_000,
        "accessibility_note": 5_000,
    }

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    street = fields.Char()
    zip = fields.Char()
    city = fields.Char()
    capacity = fields.Integer(
        required=True, tracking=True, help="Maximum number of people allowed in the room."
    )
    is_accessible = fields.Boolean(
        string="Wheelchair Accessible",
        help="Accessible to people with reduced mobility (ERP accessibility rules).",
    )
    accessibility_note = fields.Text()
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Opening Hours",
        required=True,
        check_company=True,
        default=lambda self: self.env.company.resource_calendar_id,
        help="A loan must fall within these hours.",
    )
    tz = fields.Selection(related="resource_calendar_id.tz")
    currency_id = fields.Many2one(related="company_id.currency_id")
    hourly_rate = fields.Monetary(
        tracking=True, help="Tariff per hour, used to value the loans of this room."
    )
    daily_rate = fields.Monetary(tracking=True, help="Tariff per day, used for loans of a day or more.")
    equipment = fields.Text(help="Tables, chairs, kitchen, sound system...")
    buffer_minutes = fields.Integer(
        string="Set-up / Clean-up Buffer (minutes)",
        default=lambda self: self.env.company.conseil_room_buffer_minutes,
        tracking=True,
        help="Minutes kept free after each booking to clean up and set up for the next one. A loan takes the "
        "buffer of its room when it is approved.",
    )
    closing_day_ids = fields.One2many(
        related="resource_calendar_id.global_leave_ids",
        string="Closing Days",
        help="The days off of its opening hours: no loan is approved over them, a recurring loan skips them.",
    )
    conseil_loan_ids = fields.One2many("conseil.loan", "room_id", string="Loans")
    # What a room's loans tell is for those who lend rooms (conseil.lendable.mixin).
    conseil_loan_count = fields.Integer(groups="conseil_associations.group_conseil_officer")
    conseil_current_borrower_id = fields.Many2one(groups="conseil_associations.group_conseil_officer")
    conseil_next_loan_id = fields.Many2one(groups="conseil_associations.group_conseil_officer")

    _capacity_positive = models.Constraint("CHECK (capacity > 0)", "A room holds at least one person.")
    _rates_positive = models.Constraint(
        "CHECK (hourly_rate >= 0 AND daily_rate >= 0)", "The tariffs of a room cannot be negative."
    )
    _values_plausible = plausible_values(
        {name: bound for name, bound in _plausible.items() if isinstance(bound, tuple)}
    )

    def write(self, vals):
        result = super().write(vals)
        if vals.keys() & {"hourly_rate", "daily_rate"}:
            self.env["conseil.loan"]._revalue([("room_id", "in", self.ids)])
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_lent(self):
        """A room that was lent keeps its loans' history: archive it instead."""
        lent = self.env["conseil.loan"].sudo()._read_group([("room_id", "in", self.ids)], ["room_id"])
        if lent:
            raise UserError(
                self.env._(
                    "%(room)s has been lent to associations: archive it instead of deleting it.",
                    room=lent[0][0].name,
                )
            )

    @api.depends("name", "capacity")
    def _compute_display_name(self):
        for room in self:
            room.display_name = (
                self.env._("%(room)s (%(capacity)s seats)", room=room.name, capacity=room.capacity)
                if room.capacity
                else room.name
            )

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
        capacity=0,
    ):
        """The rooms of the commune of at least ``capacity`` seats that no loan holds over the period and its
        buffer, open then (their opening hours, asked once for each calendar the rooms share) and not closed.

        A loan holds its room until its buffered end (the exclusion constraint's range, whose GiST index serves
        the test); the new loan needs the room's own buffer after it.
        """
        return self._conseil_free_ids(
            SQL(
                """SELECT r.id FROM conseil_room r
                    WHERE r.active AND r.company_id = %(company)s AND r.capacity >= %(capacity)s %(named)s
                      AND NOT COALESCE(r.resource_calendar_id = ANY(%(shut)s), FALSE)
                      AND NOT EXISTS (
                          SELECT 1 FROM conseil_loan l
                           WHERE l.room_id = r.id AND l.state IN %(blocking)s AND l.id != %(exclude)s
                             AND tsrange(l.date_start, COALESCE(l.buffered_end, l.date_end), '[)')
                                 && tsrange(%(start)s::timestamp, %(end)s::timestamp + make_interval(mins => COALESCE(r.buffer_minutes, 0)), '[)')
                          UNION ALL
                          SELECT 1 FROM conseil_loan l
                           WHERE l.room_id = r.id AND l.state = 'in_progress' AND l.id != %(exclude)s
                             AND l.date_end < %(now)s AND l.date_start < %(end)s)
                      AND NOT EXISTS (
                          SELECT 1 FROM resource_calendar_leaves cl
                           WHERE %(closures)s AND cl.date_from < %(end)s AND cl.date_to > %(start)s)
                    %(page)s""",
                company=company.id,
                capacity=capacity or 0,
                shut=self._conseil_shut_calendar_ids(date_start, date_end, company),
                named=self._conseil_named_sql(name),
                page=self._conseil_page_sql(limit),
                blocking=BLOCKING_STATES,
                exclude=exclude_loan.id if exclude_loan else 0,
                start=date_start,
                end=date_end,
                now=fields.Datetime.now(),
                closures=SQL(CLOSURES_SQL),
            )
        )

    def _conseil_closures(self, date_start, date_end):
        """{room: its closing days (``resource.calendar.leaves``) over the period}, in one query for all rooms."""
        if not self:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT r.id, cl.id FROM conseil_room r JOIN resource_calendar_leaves cl ON %(closures)s
                    WHERE r.id IN %(rooms)s AND cl.date_from < %(end)s AND cl.date_to > %(start)s
                    ORDER BY cl.date_from""",
                closures=SQL(CLOSURES_SQL),
                rooms=tuple(self.ids),
                start=date_start,
                end=date_end,
            )
        )
        closures = dict.fromkeys(self, self.env["resource.calendar.leaves"])
        for room_id, leave_id in self.env.cr.fetchall():
            closures[self.browse(room_id)] |= self.env["resource.calendar.leaves"].browse(leave_id)
        return closures

    def _conseil_open_between(self, date_start, date_end):
        """Whether the room is open over the whole period (its opening hours, less its closing days)."""
        self.ensure_one()
        return self._conseil_calendar_open(self.resource_calendar_id, date_start, date_end)

    @api.model
    def _conseil_shut_calendar_ids(self, date_start, date_end, company):
        """The opening hours of the commune's rooms that do not cover the whole period: each calendar the rooms
        share is asked once, whatever the number of rooms."""
        # the town's rooms, whoever asks: a room the user cannot read is not lent through this list anyway
        calendars = self.sudo()._read_group([("company_id", "=", company.id)], ["resource_calendar_id"])
        return [
            calendar.id
            for (calendar,) in calendars
            if calendar and not self._conseil_calendar_open(calendar, date_start, date_end)
        ]

    @api.model
    def _conseil_calendar_open(self, calendar, date_start, date_end):
        """Whether opening hours ``calendar`` (none: always open) cover the whole period, less its leaves."""
        if not calendar:
            return True
        start = pytz.utc.localize(fields.Datetime.to_datetime(date_start))
        end = pytz.utc.localize(fields.Datetime.to_datetime(date_end))
        intervals = calendar._work_intervals_batch(start, end, compute_leaves=True)[False]
        open_seconds = sum((stop - begin).total_seconds() for begin, stop, __ in intervals)
        return open_seconds + 1 >= (end - start).total_seconds()

    def _conseil_closure_label(self, leave):
        """« 14 juillet 2027 (Fête nationale) », or « from … to … (Travaux) » for several days."""
        self.ensure_one()
        tz = pytz.timezone(self.tz or "Europe/Paris")
        first = pytz.utc.localize(leave.date_from).astimezone(tz).date()
        last = (pytz.utc.localize(leave.date_to).astimezone(tz) - timedelta(seconds=1)).date()
        if last <= first:
            dates = format_date(self.env, first)
        else:
            dates = self.env._(
                "from %(first)s to %(last)s",
                first=format_date(self.env, first),
                last=format_date(self.env, last),
            )
        return f"{dates} ({leave.name})" if leave.name else dates
