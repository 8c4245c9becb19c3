from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ConseilLoanReturnWizard(models.TransientModel):
    _name = "conseil.loan.return.wizard"
    _description = "Return of a Loan"

    loan_id = fields.Many2one("conseil.loan", required=True, ondelete="cascade")
    loan_type = fields.Selection(related="loan_id.loan_type")
    return_time = fields.Datetime(string="Returned On", required=True, default=fields.Datetime.now)
    odometer_start = fields.Float(related="loan_id.odometer_start")
    odometer_end = fields.Float(string="Odometer at Return")
    odometer_unit = fields.Selection(related="loan_id.odometer_unit")
    damage_notes = fields.Text(help="Scratches, breakdowns, missing equipment...")
    fuel_notes = fields.Char(help="e.g. tank half full")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        loan = self.env["conseil.loan"].browse(values.get("loan_id"))
        if loan.vehicle_id and "odometer_end" in fields_list:
            values["odometer_end"] = max(loan.vehicle_id.odometer, loan.odometer_start)
        return values

    def action_confirm(self):
        self.ensure_one()
        loan = self.loan_id
        if loan.state not in ("approved", "in_progress"):
            raise UserError(
                self.env._("%(loan)s is not under way: it cannot be returned.", loan=loan.display_name)
            )
        if self.return_time < loan.date_start:
            raise ValidationError(self.env._("A loan cannot be returned before it starts."))
        values = {
            "state": "returned",
            "actual_return_time": self.return_time,
            "return_notes": self.damage_notes,
            "fuel_notes": self.fuel_notes,
            "is_late": False,
        }
        if loan.loan_type == "vehicle":
            if self.odometer_end < loan.odometer_start:
                raise ValidationError(
                    self.env._(
                        "The odometer at return (%(end)s) cannot be below the odometer at pick-up (%(start)s).",
                        end=self.odometer_end,
                        start=loan.odometer_start,
                    )
                )
            values["key_return_time"] = self.return_time
            values["odometer_end"] = self.odometer_end
            if self.odometer_end:
                values["odometer_end_id"] = loan._record_odometer(self.odometer_end).id
        loan._transition(values)
        loan._freeze_valuation()
        loan._check_convention_thresholds()
        loan.activity_unlink(["conseil_associations.mail_activity_type_loan_late"])
        return {"type": "ir.actions.act_window_close"}


class ConseilLoanRefuseWizard(models.TransientModel):
    _name = "conseil.loan.refuse.wizard"
    _description = "Refusal of a Loan"

    loan_id = fields.Many2one("conseil.loan", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_refuse(self):
        self.ensure_one()
        self.loan_id.action_refuse(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
