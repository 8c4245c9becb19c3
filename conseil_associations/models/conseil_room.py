import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .conseil_guarded import plausible_values


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
    def _conseil_free_for_loan(self, date_start, date_end, company, weekly_hours=0.0, exclude_loan=None):
        """The rooms of the commune that no loan holds over the period."""
        return self._conseil_free_ids(
            SQL(
                """SELECT r.id FROM conseil_room r
                    WHERE r.active AND r.company_id = %(company)s AND NOT EXISTS (%(busy)s) ORDER BY r.id""",
                company=company.id,
                busy=self._conseil_busy_sql(date_start, date_end, exclude_loan),
            )
        )

    def _conseil_open_between(self, date_start, date_end):
        """Whether the room is open over the whole period (its opening hours, less its closing days)."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        if not calendar:
            return True
        start = pytz.utc.localize(date_start)
        end = pytz.utc.localize(date_end)
        intervals = calendar._work_intervals_batch(start, end, compute_leaves=True)[False]
        open_seconds = sum((stop - begin).total_seconds() for begin, stop, __ in intervals)
        return open_seconds + 1 >= (end - start).total_seconds()
