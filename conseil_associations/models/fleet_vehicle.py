from odoo import api, fields, models


class FleetVehicle(models.Model):
    _inherit = "fleet.vehicle"

    conseil_daily_rate = fields.Monetary(
        string="Daily Rate for Associations",
        currency_field="currency_id",
        help="Values a day of loan of this vehicle to an association. Empty: the default rate of the settings.",
    )
    conseil_loan_ids = fields.One2many("conseil.loan", "vehicle_id", string="Loans to Associations")
    conseil_loan_count = fields.Integer(
        compute="_compute_conseil_loans", string="Loans to Associations Count"
    )
    conseil_current_borrower_id = fields.Many2one(
        "conseil.association", compute="_compute_conseil_loans", string="Current Borrower"
    )
    conseil_next_loan_id = fields.Many2one(
        "conseil.loan", compute="_compute_conseil_loans", string="Next Loan"
    )

    _conseil_daily_rate_plausible = models.Constraint(
        "CHECK (conseil_daily_rate IS NULL OR conseil_daily_rate BETWEEN 0 AND 10000)",
        "The daily rate of a vehicle lent to associations is between 0 and 10 000.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.env["conseil.guarded.mixin"]._check_values_of(self, vals, ["conseil_daily_rate"])
        return super().create(vals_list)

    def write(self, vals):
        self.env["conseil.guarded.mixin"]._check_values_of(self, vals, ["conseil_daily_rate"])
        return super().write(vals)

    @api.depends_context("uid")
    def _compute_conseil_loans(self):
        self.env["conseil.loan"]._compute_resource_loan_fields(self, "vehicle_id", "conseil_")

    def action_view_conseil_loans(self):
        self.ensure_one()
        return self.env["conseil.loan"]._action_for_resource("vehicle_id", self)
