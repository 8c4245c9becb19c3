import statistics

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ConseilDashboard(models.TransientModel):
    """The key figures of the associative life, computed when opened."""

    _name = "conseil.dashboard"
    _description = "Associations Dashboard"
    _inherit = ["conseil.guarded.mixin"]

    _plausible = {"year": (1900, 2199)}

    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    year = fields.Integer(default=lambda self: fields.Date.context_today(self).year)
    open_need_count = fields.Integer(compute="_compute_figures", string="Open Needs")
    late_need_count = fields.Integer(compute="_compute_figures", string="Needs Waiting Too Long")
    median_days_to_decision = fields.Float(
        compute="_compute_figures",
        string="Median Days to Decision",
        help="From submission to decision, this year.",
    )
    loans_in_progress = fields.Integer(compute="_compute_figures", string="Loans Under Way")
    loans_to_approve = fields.Integer(compute="_compute_figures", string="Loans to Approve")
    in_kind_value = fields.Monetary(compute="_compute_figures", string="In-Kind Aid This Year")
    cash_value = fields.Monetary(compute="_compute_figures", string="Cash Aid This Year")
    convention_count = fields.Integer(compute="_compute_figures", string="Associations Needing a Convention")

    @api.constrains("company_id")
    def _check_company_of_the_user(self):
        if self.company_id - self.env.user.company_ids:
            raise ValidationError(self.env._("The dashboard shows the figures of your own commune."))

    @api.depends("year")
    def _compute_display_name(self):
        for dashboard in self:
            dashboard.display_name = self.env._("Dashboard %(year)s", year=dashboard.year)

    @api.depends("year", "company_id")
    def _compute_figures(self):
        Need = self.env["conseil.need"]
        Loan = self.env["conseil.loan"]
        for dashboard in self:
            company = [("company_id", "=", dashboard.company_id.id)]
            dashboard.open_need_count = Need.search_count(
                [*company, ("state", "in", ("submitted", "in_review"))]
            )
            dashboard.late_need_count = Need.search_count([*company, ("is_late", "=", True)])
            decided = Need.search_read(
                [*company, ("decision_date", ">=", f"{dashboard.year}-01-01"), ("submitted_on", "!=", False)],
                ["submitted_on", "decision_date"],
            )
            delays = [max((row["decision_date"] - row["submitted_on"].date()).days, 0) for row in decided]
            dashboard.median_days_to_decision = statistics.median(delays) if delays else 0.0
            counts = dict(
                Loan._read_group(
                    [*company, ("state", "in", ("requested", "in_progress"))], ["state"], ["__count"]
                )
            )
            dashboard.loans_in_progress = counts.get("in_progress", 0)
            dashboard.loans_to_approve = counts.get("requested", 0)
            values = dict(
                self.env["conseil.aid"]._read_group(
                    [*company, ("year", "=", dashboard.year)], ["nature"], ["value:sum"]
                )
            )
            dashboard.in_kind_value = values.get("in_kind", 0.0)
            dashboard.cash_value = values.get("cash", 0.0)
            dashboard.convention_count = (
                self.env["conseil.association"]
                .with_context(conseil_aid_year=dashboard.year)
                .search_count([*company, ("needs_convention", "=", True)])
            )

    @api.model
    def action_open(self):
        dashboard = self.create({})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dashboard"),
            "res_model": self._name,
            "res_id": dashboard.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_open_needs(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("conseil_associations.conseil_need_action")
        action["context"] = {"search_default_undecided": 1}
        return action

    def action_open_loans(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("conseil_associations.conseil_loan_action")
        action["context"] = {"search_default_under_way": 1}
        return action

    def action_open_aid(self):
        return self.env["ir.actions.act_window"]._for_xml_id("conseil_associations.conseil_aid_action")

    def action_open_conventions(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "conseil_associations.conseil_association_action"
        )
        action["context"] = {"search_default_needs_convention": 1}
        return action
