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
    line_ids = fields.One2many("conseil.loan.availability.line", "wizard_id", string="Free Resources")

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards:
            wizard._create_lines()
        return wizards

    def _create_lines(self):
        """One line per free resource, each with its button: the officer picks by clicking."""
        field_name, resources = {
            "vehicle": ("vehicle_id", self.free_vehicle_ids),
            "agent": ("employee_id", self.free_employee_ids),
            "room": ("room_id", self.free_room_ids),
        }[self.loan_type]
        # the server's snapshot of what is free: lines are not a user's to forge
        self.env["conseil.loan.availability.line"].sudo().create(
            [
                {
                    "wizard_id": self.id,
                    "sequence": index,
                    field_name: resource.id,
                    **self._line_details(resource),
                }
                for index, resource in enumerate(resources.sudo())
            ]
        )

    def _line_details(self, resource):
        if resource._name == "fleet.vehicle":
            return {
                "name": resource.display_name,
                "detail": ", ".join(
                    part
                    for part in (
                        resource.license_plate,
                        resource.category_id.name,
                        self.env._("%(seats)s seats", seats=resource.seats) if resource.seats else "",
                    )
                    if part
                ),
            }
        if resource._name == "hr.employee":
            return {
                "name": resource.name,
                "detail": ", ".join(part for part in (resource.job_title, resource.parent_id.name) if part),
            }
        return {
            "name": resource.name,
            "detail": ", ".join(
                part
                for part in (
                    self.env._("%(capacity)s people", capacity=resource.capacity),
                    self.env._("accessible") if resource.is_accessible else "",
                )
                if part
            ),
        }

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
                    and room._conseil_open_between(loan.date_start, loan.date_end)
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


class ConseilLoanAvailabilityLine(models.TransientModel):
    _name = "conseil.loan.availability.line"
    _description = "Free Resource for a Loan"
    _inherit = ["conseil.guarded.mixin"]
    _order = "sequence, id"

    _server_fields = frozenset(
        {"wizard_id", "vehicle_id", "employee_id", "room_id", "name", "detail", "sequence"}
    )
    _plausible = {"name": 256, "detail": 512, "sequence": (0, 1_000_000)}

    wizard_id = fields.Many2one("conseil.loan.availability.wizard", required=True, ondelete="cascade")
    sequence = fields.Integer()
    vehicle_id = fields.Many2one("fleet.vehicle")
    employee_id = fields.Many2one("hr.employee", string="Agent")
    room_id = fields.Many2one("conseil.room")
    name = fields.Char(string="Resource")
    detail = fields.Char(string="Details")

    def action_choose(self):
        """Lend this resource: the loan takes it, as from the field of the wizard."""
        self.ensure_one()
        wizard = self.wizard_id
        wizard.write(
            {
                "vehicle_id": self.vehicle_id.id,
                "employee_id": self.employee_id.id,
                "room_id": self.room_id.id,
            }
        )
        return wizard.action_choose()
