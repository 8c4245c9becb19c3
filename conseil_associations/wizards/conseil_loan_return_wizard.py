from odoo import api, fields, models


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

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        loan = self.env["conseil.loan"].browse(values.get("loan_id"))
        if loan.vehicle_id and "odometer_end" in fields_list:
            values["odometer_end"] = max(loan.vehicle_id.odometer, loan.odometer_start)
        return values

    def action_confirm(self):
        self.ensure_one()
        self.loan_id.action_return(
            return_time=self.return_time,
            odometer_end=self.odometer_end if self.loan_type == "vehicle" else 0.0,
            damage_notes=self.damage_notes,
            fuel_notes=self.fuel_notes,
        )
        return {"type": "ir.actions.act_window_close"}
