from odoo import fields, models

from .conseil_guarded import DATES

# The bounds of the terms, for the models made of them (their ``_plausible``).
TERMS_PLAUSIBLE = {
    "weekly_hours": (0, 168),
    "expected_attendance": (0, 100_000),
    "agent_consent_date": DATES,
    "council_informed_date": DATES,
    "waiver_reason": 2_000,
}


class ConseilLoanTermsMixin(models.AbstractModel):
    """What a loan and a recurring loan both state: who borrows, which room, agent or vehicle, and the terms the
    law sets for lending an agent (Code général de la fonction publique, L512-6 to L512-15) — declared once, so
    that a series passes them to its occurrences as they are."""

    _name = "conseil.loan.terms.mixin"
    _description = "Terms of a Loan"

    association_id = fields.Many2one(
        "conseil.association",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    # -- the resource, one of its kind --
    vehicle_id = fields.Many2one(
        "fleet.vehicle", index="btree_not_null", tracking=True, check_company=True, ondelete="restrict"
    )
    employee_id = fields.Many2one(
        "hr.employee",
        string="Agent",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    room_id = fields.Many2one(
        "conseil.room", index="btree_not_null", tracking=True, check_company=True, ondelete="restrict"
    )
    expected_attendance = fields.Integer(tracking=True, help="People expected in the room.")
    # -- an agent's terms --
    weekly_hours = fields.Float(
        tracking=True, help="Hours per week the agent works for the association during the period."
    )
    agent_consent_date = fields.Date(
        string="Agent's Consent",
        tracking=True,
        help="Date the agent agreed in writing to the loan (Code général de la fonction publique, L512-7).",
    )
    council_informed_date = fields.Date(
        string="Council Informed On",
        tracking=True,
        help="Date the municipal council was informed of the loan, which must come before it (L512-12).",
    )
    reimbursement = fields.Selection(
        [("reimbursed", "Reimbursed by the association"), ("waived", "Reimbursement waived")],
        tracking=True,
        help="A loan is reimbursed by the association, unless the town waives it for a stated reason (L512-15).",
    )
    waiver_reason = fields.Text(
        tracking=True,
        help="Why reimbursement is waived, as the convention states it (e.g. aid of general interest).",
    )
