from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime


class ConseilSeriesApproveWizard(models.TransientModel):
    _name = "conseil.series.approve.wizard"
    _description = "Decision on a Recurring Loan"
    _inherit = ["conseil.guarded.mixin"]

    _server_fields = frozenset({"line_ids"})
    _plausible = {"reason": 2_000}

    series_id = fields.Many2one("conseil.loan.series", required=True, ondelete="cascade")
    line_ids = fields.One2many("conseil.series.approve.line", "wizard_id", string="Occurrences")
    free_count = fields.Integer(compute="_compute_counts", string="Free")
    conflict_count = fields.Integer(compute="_compute_counts", string="In Conflict")
    reason = fields.Text(
        string="Reason of a Refusal", help="Why the whole series is refused, for the association to read."
    )

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards:
            wizard.series_id._check_move("decide")
            wizard._create_lines()
        return wizards

    @api.depends("line_ids.conflict")
    def _compute_counts(self):
        for wizard in self:
            wizard.conflict_count = len(wizard.line_ids.filtered("conflict"))
            wizard.free_count = len(wizard.line_ids) - wizard.conflict_count

    def _create_lines(self):
        """The server's snapshot of the occurrences to decide, each with what blocks it: not a user's to forge."""
        conflicts = self._conflicts()
        self.env["conseil.series.approve.line"].sudo().create(
            [
                {
                    "wizard_id": self.id,
                    "loan_id": loan.id,
                    "conflict": conflicts[loan][0],
                    "blocking_loan_id": conflicts[loan][1].id,
                }
                for loan in self._to_decide()
            ]
        )

    def _to_decide(self):
        return self.series_id.loan_ids.filtered(lambda loan: loan.state == "requested").sorted("date_start")

    def _conflicts(self):
        """{occurrence to decide: (why it cannot be approved or False, the loan that blocks it)}."""
        return self.series_id._occurrence_conflicts(self._to_decide())

    def action_approve_free(self):
        """Approve every occurrence nothing blocks, in one batch; refuse those in conflict, with the reason."""
        self.ensure_one()
        series = self.series_id
        series._check_move("decide")
        conflicts = self._conflicts()  # again: the world may have changed since the dialog opened
        blocked = [loan for loan, (conflict, __) in conflicts.items() if conflict]
        free = self._to_decide().filtered(lambda loan: not conflicts[loan][0])
        if free:
            free.action_approve()
        for loan in blocked:
            loan.action_refuse(reason=self._refusal_reason(loan))
        if blocked:
            self._note_refused({loan: conflicts[loan][0] for loan in blocked})
        series._decided()
        return {"type": "ir.actions.act_window_close"}

    def _refusal_reason(self, loan):
        """What the association reads of an occurrence refused for a conflict, in its language: the resource is
        not available that day; never another association, its slot nor its loan (those are the town's)."""
        env = loan.with_context(lang=loan._conseil_mail_lang()).env
        return env._(
            "%(resource)s is not available on %(date)s: this date of the series cannot be granted.",
            resource=loan._resource().sudo().with_context(lang=env.lang).display_name,
            date=format_datetime(env, loan.date_start, tz=self.series_id.tz, dt_format="short"),
        )

    def _note_refused(self, reasons):
        """The town keeps why each occurrence was refused, in an internal note on the series."""
        items = Markup("").join(
            Markup("<li>%s: %s</li>") % (loan.name, reason) for loan, reason in reasons.items()
        )
        self.series_id.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>") % (self.env._("Occurrences refused for a conflict:"), items),
            subtype_xmlid="mail.mt_note",
        )

    def action_refuse_all(self):
        """Approve none: every occurrence to decide is refused, with the reason the association reads."""
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say why the series is refused: the association reads it."))
        self.series_id._check_move("decide")
        to_decide = self._to_decide()
        if to_decide:
            to_decide.action_refuse(reason=self.reason)
        self.series_id._decided()
        return {"type": "ir.actions.act_window_close"}


class ConseilSeriesApproveLine(models.TransientModel):
    _name = "conseil.series.approve.line"
    _description = "Occurrence of a Recurring Loan to Decide"
    _inherit = ["conseil.guarded.mixin"]
    _order = "date_start, id"

    _server_fields = frozenset({"wizard_id", "loan_id", "conflict", "blocking_loan_id"})
    _plausible = {"conflict": 1_000}

    wizard_id = fields.Many2one("conseil.series.approve.wizard", required=True, ondelete="cascade")
    loan_id = fields.Many2one("conseil.loan", string="Occurrence", required=True, ondelete="cascade")
    reference = fields.Char(related="loan_id.name", string="Occurrence Reference")
    date_start = fields.Datetime(related="loan_id.date_start", string="Start")
    date_end = fields.Datetime(related="loan_id.date_end", string="End")
    conflict = fields.Char()
    blocking_loan_id = fields.Many2one("conseil.loan", string="Blocked By", ondelete="cascade")
