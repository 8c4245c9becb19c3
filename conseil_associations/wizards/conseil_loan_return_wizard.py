from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError


class ConseilLoanReturnWizard(models.TransientModel):
    _name = "conseil.loan.return.wizard"
    _description = "Return of a Loan"
    _inherit = ["conseil.guarded.mixin"]

    _plausible = {"odometer_end": (0, 5_000_000), "damage_notes": 2_000}

    loan_id = fields.Many2one("conseil.loan", required=True, ondelete="cascade")
    loan_type = fields.Selection(related="loan_id.loan_type")
    return_time = fields.Datetime(string="Returned On", required=True, default=fields.Datetime.now)
    odometer_start = fields.Float(related="loan_id.odometer_start")
    odometer_end = fields.Float(string="Odometer at Return")
    odometer_unit = fields.Selection(related="loan_id.odometer_unit")
    damage_notes = fields.Text(help="Scratches, breakdowns, missing equipment...")
    fuel_notes = fields.Char(help="e.g. tank half full")
    line_ids = fields.One2many("conseil.loan.return.wizard.line", "wizard_id", string="Equipment Returned")

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards.loan_id.check_access(
            "read"
        )  # the return of a loan its user may read, never another commune's
        return wizards

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        loan = self.env["conseil.loan"].browse(
            values.get("loan_id") or self.env.context.get("default_loan_id")
        )
        if loan.vehicle_id and "odometer_end" in fields_list:
            values["odometer_end"] = max(loan.vehicle_id.odometer, loan.odometer_start)
        if loan.loan_type == "equipment" and "line_ids" in fields_list:
            values["line_ids"] = [Command.create({"loan_line_id": line.id}) for line in loan.line_ids]
        return values

    def action_confirm(self):
        self.ensure_one()
        if self.loan_type == "equipment":
            if self.line_ids.loan_line_id.loan_id - self.loan_id:
                raise UserError(
                    self.env._(
                        "Record the return of the lines of %(loan)s only.", loan=self.loan_id.display_name
                    )
                )
            self.loan_id._record_equipment_returns(
                {
                    line.loan_line_id.id: (line.missing_quantity, line.damaged_quantity)
                    for line in self.line_ids
                }
            )
        self.loan_id.action_return(
            return_time=self.return_time,
            odometer_end=self.odometer_end if self.loan_type == "vehicle" else 0.0,
            damage_notes=self.damage_notes,
            fuel_notes=self.fuel_notes,
        )
        return {"type": "ir.actions.act_window_close"}


class ConseilLoanReturnWizardLine(models.TransientModel):
    _name = "conseil.loan.return.wizard.line"
    _description = "Equipment Returned"
    _inherit = ["conseil.guarded.mixin"]

    _plausible = {"missing_quantity": (0, 100_000), "damaged_quantity": (0, 100_000)}

    wizard_id = fields.Many2one("conseil.loan.return.wizard", required=True, ondelete="cascade")
    loan_line_id = fields.Many2one("conseil.loan.line", required=True, ondelete="cascade")
    equipment_id = fields.Many2one(related="loan_line_id.equipment_id")
    quantity = fields.Integer(related="loan_line_id.quantity", string="Lent")
    missing_quantity = fields.Integer(string="Missing")
    damaged_quantity = fields.Integer(string="Damaged")

    @api.constrains("wizard_id", "loan_line_id")
    def _check_line_of_the_loan(self):
        """A return records the lines of its own loan: no other loan's line is read through it."""
        for line in self:
            if line.loan_line_id.sudo().loan_id != line.wizard_id.loan_id:
                raise ValidationError(
                    self.env._(
                        "Record the return of the lines of %(loan)s only.",
                        loan=line.wizard_id.loan_id.display_name,
                    )
                )
