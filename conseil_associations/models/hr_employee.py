from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime


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

    def write(self, vals):
        if "active" in vals and not vals["active"]:
            self._conseil_check_not_lent()
        return super().write(vals)

    def _conseil_check_lent_hours(self):
        """The loans approved for these agents still fit their working week, when HR changes it."""
        Loan = self.env["conseil.loan"].sudo()
        loans = Loan.search(
            [
                ("employee_id", "in", self.ids),
                ("state", "in", ("approved", "in_progress")),
                ("date_end", ">", fields.Datetime.now()),
            ]
        )
        for employee, agent_loans in loans.grouped("employee_id").items():
            overload = Loan._agent_overload(employee, agent_loans)
            if overload:
                moment, lent, week, __ = overload
                raise ValidationError(
                    self.env._(
                        "%(agent)s is lent %(peak)s h a week to associations from %(date)s: a working week of "
                        "%(week)s h would not hold it. Reduce or end those loans first.",
                        agent=employee.sudo().name
                        if employee.company_id in self.env.user.company_ids
                        else self.env._("An agent of another commune"),
                        peak=f"{lent:g}",
                        date=format_datetime(self.env, moment, dt_format="short"),
                        week=f"{week:g}",
                    )
                )

    def _conseil_check_not_lent(self):
        """An agent lent to an association stays an employee until the loan ends."""
        lent = (
            self.env["conseil.loan"]
            .sudo()
            .search(
                [
                    ("employee_id", "in", self.ids),
                    ("state", "in", ("approved", "in_progress")),
                    ("date_end", ">", fields.Datetime.now()),
                ],
                limit=1,
            )
        )
        if lent:
            raise UserError(
                self.env._(
                    "%(agent)s is lent to an association until %(end)s (%(loan)s): end or cancel the loan before "
                    "archiving the employee.",
                    agent=lent.employee_id.name,
                    end=format_datetime(self.env, lent.date_end, dt_format="short"),
                    loan=lent.name,
                )
            )
