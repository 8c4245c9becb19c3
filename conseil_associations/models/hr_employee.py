from odoo import api, fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    conseil_is_titulaire = fields.Boolean(
        string="Established Civil Servant",
        groups="hr.group_hr_user",
        help="Titulaire of the territorial civil service. Only titulaires can be lent to an association "
        "(mise à disposition), unless the settings allow contract staff.",
    )
    conseil_loan_lock = fields.Integer(
        groups="base.group_system",
        copy=False,
        help="Technical: bumped by each approval of a loan of this agent, so that two approvals at once "
        "are serialised by the database.",
    )
    conseil_loan_ids = fields.One2many(
        "conseil.loan", "employee_id", string="Loans to Associations", groups="hr.group_hr_user"
    )
    conseil_loan_count = fields.Integer(
        compute="_compute_conseil_loans", string="Loans to Associations Count", groups="hr.group_hr_user"
    )
    conseil_current_borrower_id = fields.Many2one(
        "conseil.association",
        compute="_compute_conseil_loans",
        string="Current Borrower",
        groups="hr.group_hr_user",
    )
    conseil_next_loan_id = fields.Many2one(
        "conseil.loan", compute="_compute_conseil_loans", string="Next Loan", groups="hr.group_hr_user"
    )

    @api.depends_context("uid")
    def _compute_conseil_loans(self):
        self.env["conseil.loan"]._compute_resource_loan_fields(self, "employee_id", "conseil_")

    def action_view_conseil_loans(self):
        self.ensure_one()
        return self.env["conseil.loan"]._action_for_resource("employee_id", self)
