from odoo import api, fields, models
from odoo.exceptions import UserError


class ConseilLoanAvailabilityWizard(models.TransientModel):
    _name = "conseil.loan.availability.wizard"
    _description = "Resources Available for a Loan"
    _inherit = ["conseil.guarded.mixin"]

    loan_id = fields.Many2one("conseil.loan", required=True, ondelete="cascade")
    loan_type = fields.Selection(related="loan_id.loan_type")
    date_start = fields.Datetime(related="loan_id.date_start")
    date_end = fields.Datetime(related="loan_id.date_end")
    free_vehicle_ids = fields.Many2many(
        "fleet.vehicle", compute="_compute_free_resources", string="Free Vehicles"
    )
    free_employee_ids = fields.Many2many(
        "hr.employee", compute="_compute_free_resources", string="Free Agents"
    )
    free_room_ids = fields.Many2many("conseil.room", compute="_compute_free_resources", string="Free Rooms")
    vehicle_id = fields.Many2one("fleet.vehicle", domain="[('id', 'in', free_vehicle_ids)]")
    employee_id = fields.Many2one("hr.employee", string="Agent", domain="[('id', 'in', free_employee_ids)]")
    room_id = fields.Many2one("conseil.room", domain="[('id', 'in', free_room_ids)]")

    @api.depends("loan_id")
    def _compute_free_resources(self):
        for wizard in self:
            loan = wizard.loan_id
            wizard.free_vehicle_ids = wizard.free_employee_ids = wizard.free_room_ids = False
            if not loan:
                continue
            ids = loan._free_resource_ids(
                loan.loan_type,
                loan.date_start,
                loan.date_end,
                loan.company_id,
                weekly_hours=loan.weekly_hours,
                exclude_loan=loan,
            )
            if loan.loan_type == "vehicle":
                wizard.free_vehicle_ids = self.env["fleet.vehicle"].browse(ids)
            elif loan.loan_type == "agent":
                wizard.free_employee_ids = self.env["hr.employee"].browse(ids)
            else:
                rooms = self.env["conseil.room"].browse(ids)
                wizard.free_room_ids = rooms.filtered(
                    lambda room, loan=loan: room.capacity >= loan.expected_attendance
                    and loan._room_open_for(room)
                )

    def action_choose(self):
        self.ensure_one()
        loan = self.loan_id
        if loan.state != "draft":
            raise UserError(self.env._("Only a draft loan can change its resource."))
        chosen = {"vehicle": self.vehicle_id, "agent": self.employee_id, "room": self.room_id}[loan.loan_type]
        if not chosen:
            raise UserError(self.env._("Choose one of the free resources listed."))
        field_name = {"vehicle": "vehicle_id", "agent": "employee_id", "room": "room_id"}[loan.loan_type]
        loan.write({field_name: chosen.id})
        return {"type": "ir.actions.act_window_close"}
