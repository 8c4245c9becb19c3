"""A room loan: the room's closing days and its set-up / clean-up buffer, and the loan's place in a series."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime, format_list

from .conseil_facts import BLOCKING_STATES


# The loan's rules of each kind of resource live in their own file (conseil_loan_equipment.py, conseil_loan_records.py
# and this one), beside the resource they are about, rather than in one loan class of three thousand lines.
# pylint: disable=consider-merging-classes-inherited
class ConseilLoan(models.Model):
    _inherit = "conseil.loan"

    buffered_end = fields.Datetime(
        string="Held Until",
        compute="_compute_buffered_end",
        store=True,
        copy=False,
        help="The end of the loan plus the set-up / clean-up buffer of its room: no other booking of the room "
        "starts before. The room's buffer is taken when the loan is approved.",
    )

    @api.depends("date_end", "room_id")
    def _compute_buffered_end(self):
        """The room's buffer is read, not a dependency: a new buffer never moves the approved loans."""
        for loan in self:
            loan.buffered_end = loan.date_end and loan.date_end + loan._buffer()

    def _buffer(self):
        self.ensure_one()
        return timedelta(minutes=self.room_id.buffer_minutes if self.loan_type == "room" else 0)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("room_id", "date_start", "date_end")
    def _check_room_opening_hours(self):
        """A closing day of the room is named with its dates, before the opening hours are checked."""
        self._check_room_closures()
        return super()._check_room_opening_hours()

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_approve(self):
        """A room closed since the request is refused with its dates; an approved room loan takes the room's
        current buffer, which the exclusion constraint then holds."""
        self._check_move("approve")  # who may not approve hears it before any closing day
        rooms = self.filtered(lambda loan: loan.loan_type == "room")
        rooms._check_room_closures()
        self.env.add_to_compute(self._fields["buffered_end"], rooms)
        return super().action_approve()

    def _conseil_mail_once_later(self, key, template_xmlid, cron_xmlid):
        """An occurrence decided with its series is told in the series' one mail, not in a mail of its own."""
        if key in ("approved", "refused"):
            told = self.filtered(lambda loan: loan.sudo().series_id.state != "requested")
            return super(ConseilLoan, told)._conseil_mail_once_later(key, template_xmlid, cron_xmlid)
        return super()._conseil_mail_once_later(key, template_xmlid, cron_xmlid)

    def action_cancel_series_rest(self):
        """Cancel this occurrence and every later one of its series, in one click."""
        self.ensure_one()
        if not self.series_id:
            raise UserError(self.env._("%(loan)s is not part of a series.", loan=self.display_name))
        return self.series_id._cancel_from(self.date_start)

    # ------------------------------------------------------------
    # AVAILABILITY
    # ------------------------------------------------------------

    def _availability_warning(self):
        """A closing day of the room over the period is told while the request is written."""
        if (
            self.loan_type == "room"
            and self.room_id
            and self.state in ("draft", "requested")
            and self.date_start
            and self.date_end
            and self.date_start < self.date_end
        ):
            message = self._closure_message()
            if message:
                return message
        return super()._availability_warning()

    def _find_blocking_loans(self, exclude=None):
        """A room is held until the end of its buffer: a booking inside the buffer of another blocks too."""
        self.ensure_one()
        if self.loan_type != "room" or not self.room_id:
            return super()._find_blocking_loans(exclude)
        return self.sudo().search(
            [
                ("room_id", "=", self.room_id.id),
                ("state", "in", BLOCKING_STATES),
                ("date_start", "<", self.date_end + self._buffer()),
                ("buffered_end", ">", self.date_start),
                ("id", "not in", (exclude or self._origin).ids),
            ],
            order="date_start",
        )

    def _overlaps(self, other):
        if self.loan_type != "room" or other.loan_type != "room":
            return super()._overlaps(other)
        return (
            self.room_id == other.room_id
            and self.date_start < other.date_end + other._buffer()
            and other.date_start < self.date_end + self._buffer()
        )

    # ------------------------------------------------------------
    # CLOSING DAYS
    # ------------------------------------------------------------

    def _check_room_closures(self):
        """No room loan over a closing day of its room: the dates are named. One query for the whole batch."""
        loans = self.filtered(lambda loan: loan.loan_type == "room" and loan.room_id)
        if not loans:
            return
        closures = loans.room_id._conseil_closures(
            min(loans.mapped("date_start")), max(loans.mapped("date_end"))
        )
        for loan in loans:
            message = loan._closure_message(closures[loan.room_id])
            if message:
                raise ValidationError(message)

    def _closure_message(self, closures=None):
        """Why the room is closed over the loan, its closing days named; False when it is open.

        ``closures``: the room's closing days already read for a longer period (a series), else read here.
        """
        self.ensure_one()
        if closures is None:
            closures = self.room_id._conseil_closures(self.date_start, self.date_end)[self.room_id]
        closures = [
            leave for leave in closures if leave.date_from < self.date_end and leave.date_to > self.date_start
        ]
        if not closures:
            return False
        return self.env._(
            "%(room)s is closed: %(dates)s. %(loan)s cannot take place then. Choose another date or another room.",
            room=self.room_id.name,
            dates=format_list(self.env, [self.room_id._conseil_closure_label(leave) for leave in closures]),
            loan=self.display_name,
        )

    # ------------------------------------------------------------
    # SERIES
    # ------------------------------------------------------------

    def _series_conflict(self, held, closures):
        """(why this occurrence cannot be approved or False, the loan that blocks it), from the loans holding
        its resource and its room's closing days, read once for the whole series."""
        self.ensure_one()
        nobody = self.browse()
        closed = self.loan_type == "room" and self._closure_message(closures)
        if closed:
            return closed, nobody
        if self.loan_type == "agent":
            running = held.filtered(
                lambda other: other.date_start < self.date_end and other.date_end > self.date_start
            )
            overload = running and self._agent_overload(self.employee_id, running | self.sudo())
            if not overload:
                return False, nobody
            moment, lent, week, loans = overload
            return (
                self.env._(
                    "%(agent)s works %(capacity)s h a week. With this loan, %(peak)s h a week would be lent "
                    "from %(date)s (loans: %(loans)s). Reduce the hours or choose another period.",
                    agent=self.employee_id.name,
                    capacity=f"{week:g}",
                    peak=f"{lent:g}",
                    date=format_datetime(self.env, moment, dt_format="short"),
                    loans=", ".join(
                        f"{loan.name} ({loan.association_id.name}, {loan.weekly_hours:g} h)" for loan in loans
                    ),
                ),
                (loans - self)[:1],
            )
        blocking = held.filtered(
            lambda other: other.date_start < self.date_end + self._buffer()
            and other.buffered_end > self.date_start
        )[:1]
        if blocking:
            return self._blocking_message(blocking, self), blocking
        return False, nobody
