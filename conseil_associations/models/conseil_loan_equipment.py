import math

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime, format_list

from .conseil_facts import MANAGER, TECHNICAL
from .conseil_guarded import INTEGER_MAX

# The database's name for the stock rule of the lines (conseil.loan.line, init()).
STOCK_CONSTRAINT = "conseil_loan_line_equipment_stock"


class ConseilLoan(models.Model):
    """Equipment loans: one request, one approval, one calendar entry and one return for several lines."""

    _inherit = "conseil.loan"

    line_ids = fields.One2many("conseil.loan.line", "loan_id", string="Equipment Lent", copy=True)
    equipment_summary = fields.Char(string="Equipment", compute="_compute_equipment_summary")

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("line_ids.quantity", "line_ids.equipment_id")
    def _compute_equipment_summary(self):
        for loan in self:
            loan.equipment_summary = loan._equipment_label() if loan.loan_type == "equipment" else False

    @api.depends("line_ids.quantity", "line_ids.equipment_id")
    def _compute_valuation(self):
        """Equipment: days × the value per day of each item × its quantity, summed over the lines."""
        return super()._compute_valuation()

    @api.depends("line_ids.quantity", "line_ids.equipment_id")
    def _compute_availability_warning(self):
        return super()._compute_availability_warning()

    @api.depends("line_ids.quantity", "line_ids.equipment_id")
    def _compute_display_name(self):
        result = super()._compute_display_name()
        for loan in self.filtered(lambda loan: loan.loan_type == "equipment" and loan.line_ids):
            parts = [loan.name if loan.name != "/" else self.env._("New loan"), loan._equipment_label()]
            if loan.association_id.name:
                parts.append(loan.association_id.name)
            loan.display_name = " - ".join(parts)
        return result

    @api.constrains("loan_type", "line_ids")
    def _check_lines_of_equipment_loans(self):
        for loan in self.filtered(lambda loan: loan.loan_type != "equipment" and loan.line_ids):
            raise ValidationError(
                self.env._("%(loan)s lends no equipment: it has no equipment lines.", loan=loan.display_name)
            )

    @api.onchange("loan_type")
    def _onchange_loan_type(self):
        result = super()._onchange_loan_type()
        if self.loan_type != "equipment":
            self.line_ids = False
        return result

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_approve(self):
        """Equipment: the stock is checked first, to name the loans that hold it; the database holds it anyway."""
        equipment_loans = self.filtered(lambda loan: loan.loan_type == "equipment")
        if equipment_loans:
            self._check_move("approve")
            equipment_loans.line_ids.equipment_id.sudo()._conseil_lock()
            equipment_loans._check_equipment_stock()
        try:
            return super().action_approve()
        except psycopg2.errors.CheckViolation as error:
            if error.diag.constraint_name != STOCK_CONSTRAINT:
                raise
            self.env.invalidate_all()
            raise ValidationError(
                self.env._(
                    "Together, these loans would lend more equipment than the town owns over their periods: "
                    "approve them one at a time to see which one does not fit."
                )
            ) from None

    def _record_equipment_returns(self, counts):
        """The items missing or damaged at the return, per line (``{line id: (missing, damaged)}``), told on the
        loan's chatter. Checked as the return is: by who may take the loan back."""
        self.ensure_one()
        self._check_move("return")
        if set(counts) - set(self.line_ids.ids):
            raise UserError(
                self.env._("Record the return of the lines of %(loan)s only.", loan=self.display_name)
            )
        told = []
        town = self._town().env
        for line in self.line_ids:
            missing, damaged = counts.get(line.id, (0, 0))
            for count in (missing, damaged):
                if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= INTEGER_MAX:
                    raise ValidationError(
                        self.env._("Count the missing and damaged items with whole numbers from 0.")
                    )
            if missing + damaged > line.quantity:
                raise ValidationError(
                    self.env._(
                        "%(quantity)s × %(equipment)s were lent: %(missing)s missing and %(damaged)s damaged are "
                        "more than that.",
                        quantity=line.quantity,
                        equipment=line.equipment_id.name,
                        missing=missing,
                        damaged=damaged,
                    )
                )
            line.sudo().write({"missing_quantity": missing, "damaged_quantity": damaged})
            if missing or damaged:
                told.append(
                    town._(
                        "%(equipment)s: %(missing)s missing, %(damaged)s damaged (of %(quantity)s)",
                        equipment=line.equipment_id.name,
                        missing=missing,
                        damaged=damaged,
                        quantity=line.quantity,
                    )
                )
        if told:
            self.sudo().message_post(
                body=town._("Equipment not returned in good order: %(lines)s.", lines=format_list(town, told))
            )

    # ------------------------------------------------------------
    # RULES
    # ------------------------------------------------------------

    def _approver_group(self):
        """Equipment loans: the council managers, or the technical services where the town says so."""
        if self.loan_type == "equipment":
            return TECHNICAL if self.company_id.conseil_equipment_approver == "technical" else MANAGER
        return super()._approver_group()

    def _role_label(self, role):
        if self.loan_type != "equipment" or role not in ("approver", "keeper"):
            return super()._role_label(role)
        approvers = (
            self.env._("technical services")
            if self.company_id.conseil_equipment_approver == "technical"
            else self.env._("council managers")
        )
        if role == "approver":
            return approvers
        return self.env._("officers and %(approvers)s", approvers=approvers)

    def _check_ready_to_request(self):
        if self.loan_type == "equipment" and not self.line_ids:
            raise UserError(
                self.env._(
                    "Add the equipment lent, and how many of each, to %(loan)s first.", loan=self.display_name
                )
            )
        return super()._check_ready_to_request()

    def _check_lines_editable(self):
        """Lines are terms: they change where the loan's terms still may (``_editable_fields``)."""
        for loan in self:
            if "line_ids" not in loan._editable_fields():
                raise UserError(loan._frozen_message({"line_ids"}))

    def _check_equipment_stock(self):
        """Each line fits in what the town owns, less what the other approved loans hold over the period."""
        peaks = self.line_ids.sudo()._held_beside(self.ids)  # one query for the whole batch
        for loan in self:
            for line in loan.line_ids.sudo():
                peak = peaks.get(line.id)
                held = peak["held"] if peak else 0
                if held + line.quantity > line.equipment_id.quantity:
                    raise ValidationError(loan._equipment_short_message(line, held, peak))

    def _equipment_short_message(self, line, held, peak):
        if not peak:  # nothing else is lent then: the town owns fewer than asked (its stock was lowered)
            return self.env._(
                "%(equipment)s: the town owns %(owned)s, %(quantity)s are asked for %(association)s. Reduce the "
                "quantity.",
                equipment=line.equipment_id.name,
                owned=line.equipment_id.quantity,
                quantity=line.quantity,
                association=self.association_id.name,
            )
        return self.env._(
            "%(equipment)s: the town owns %(owned)s and %(held)s are already lent from %(date)s (%(loans)s): "
            "%(quantity)s more cannot be lent to %(association)s. Reduce the quantity or choose another period.",
            equipment=line.equipment_id.name,
            owned=line.equipment_id.quantity,
            held=held,
            date=format_datetime(self.env, peak["moment"], dt_format="short"),
            loans=self._equipment_holders_label(peak["line_ids"]),
            quantity=line.quantity,
            association=self.association_id.name,
        )

    @api.model
    def _equipment_holders_label(self, line_ids):
        """The loans that hold these lines, as the approver reads them: reference, association, quantity."""
        lines = self.env["conseil.loan.line"].sudo().browse(line_ids)
        return ", ".join(
            self.env._(
                "%(loan)s (%(association)s, %(quantity)s)",
                loan=line.loan_id.name,
                association=line.association_id.name,
                quantity=line.quantity,
            )
            if line.company_id in self.env.user.company_ids
            else self.env._("a loan of another commune")
            for line in lines
        )

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _equipment_label(self):
        """« 30 × Chairs, 6 × Tables »: what an equipment loan lends."""
        self.ensure_one()
        return ", ".join(line.display_name for line in self.line_ids)

    def _resource(self):
        """Of an equipment loan, its first equipment: whether it lends anything, and a name for the messages."""
        if self.loan_type == "equipment":
            self.ensure_one()
            return self.line_ids.equipment_id[:1]
        return super()._resource()

    def _resource_label(self):
        if self.loan_type == "equipment":
            return self._equipment_label()
        return super()._resource_label()

    def _valuation(self):
        if self.loan_type != "equipment" or not (
            self.date_start and self.date_end and self.date_end > self.date_start
        ):
            return super()._valuation()
        days = self._valuation_days()
        per_day = sum(line.quantity * line.equipment_id.sudo().unit_value for line in self.line_ids)
        value = (self.company_id or self.env.company).currency_id.round(days * per_day)
        return {
            "quantity": days,
            "unit": "day",
            "unit_value": per_day,
            "distance_value": 0.0,
            "value": value,
            "by_year": self._split_by_year(days, value),
        }

    def _valuation_days(self):
        """Days lent, a day begun counting whole: as a vehicle's."""
        hours = (self.date_end - self.date_start).total_seconds() / 3600
        return math.ceil(round(hours / 24, 6))

    def _availability_warning(self):
        if self.loan_type != "equipment":
            return super()._availability_warning()
        if self.state not in ("draft", "requested") or not (self.date_start and self.date_end):
            return False
        if self.date_start >= self.date_end or not self.line_ids.equipment_id:
            return False
        Equipment = self.env["conseil.equipment"].sudo()
        free = Equipment._conseil_free_quantities(
            self.date_start,
            self.date_end,
            self.company_id,
            exclude_loan=self,
            equipment=self.line_ids.equipment_id,
        )
        for line in self.line_ids.filtered("equipment_id"):
            available = free.get(line.equipment_id._origin.id, line.equipment_id.quantity)
            if line.quantity > available:
                return self.env._(
                    "%(equipment)s: %(quantity)s asked, %(free)s free over this period. Reduce the quantity or "
                    "choose another period.",
                    equipment=line.equipment_id.name,
                    quantity=line.quantity,
                    free=max(available, 0),
                )
        return False

    @api.model
    def _free_resource_ids(self, loan_type, date_start, date_end, company, **options):
        if loan_type == "equipment":
            return self.env["conseil.equipment"]._conseil_free_for_loan(
                date_start, date_end, company, **options
            )
        return super()._free_resource_ids(loan_type, date_start, date_end, company, **options)

    def _prepare_calendar_event_values(self):
        values = super()._prepare_calendar_event_values()
        if self.loan_type == "equipment":
            town = self._town().env
            values["name"] = town._(
                "Equipment lent to %(association)s: %(equipment)s",
                association=self.association_id.name,
                equipment=self._town()._equipment_label(),
            )
            values["location"] = ", ".join(
                sorted(set(self.line_ids.equipment_id.sudo().mapped("storage_place")) - {False})
            )
        return values

    def _agenda_label(self):
        if self.loan_type == "equipment":
            return self.env._(
                "%(resource)s to %(association)s",
                resource=self._equipment_label() or self.env._("New loan"),
                association=self.association_id.name,
            )
        return super()._agenda_label()

    # ------------------------------------------------------------
    # PORTAL
    # ------------------------------------------------------------

    def _portal_resource(self):
        if self.loan_type == "equipment":
            self.ensure_one()
            places = sorted(set(self.line_ids.sudo().mapped("storage_place")) - {False})
            return self.sudo()._equipment_label(), ", ".join(places)
        return super()._portal_resource()

    def _portal_next_steps(self):
        steps = super()._portal_next_steps()
        if self.loan_type == "equipment" and self.state in ("approved", "in_progress"):
            end = self._portal_when(self.date_end)
            if self.state == "approved":
                steps.append(
                    self.env._(
                        "Collect the equipment with the technical services on %(start)s.",
                        start=self._portal_when(self.date_start),
                    )
                )
            steps.append(
                self.env._(
                    "Bring all the equipment back by %(end)s: missing or damaged items are noted at the return.",
                    end=end,
                )
            )
        return steps
