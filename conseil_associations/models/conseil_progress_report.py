from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .conseil_guarded import plausible_values

# Open sessions: their progress reports are still being written.
OPEN_SESSION_STATES = ("planned", "held")


class ConseilProgressReport(models.Model):
    _name = "conseil.progress.report"
    _description = "Progress Report"
    _inherit = ["mail.thread", "conseil.agenda.source", "conseil.guarded.mixin", "conseil.session.part.mixin"]
    _order = "meeting_date desc, association_name, id"
    _rec_name = "association_id"

    _conseil_agenda_section_sequence = 10
    _plausible = {
        "beneficiaries_served": (0, 10_000_000),
        "actions": 100_000,
        "difficulties": 5_000,
        "good_practice": 5_000,
    }

    meeting_id = fields.Many2one(
        "conseil.meeting",
        string="Session",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('meeting_type', '=', 'council'), ('state', '!=', 'cancelled')]",
    )
    association_id = fields.Many2one(
        "conseil.association",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    association_name = fields.Char(related="association_id.name", store=True, string="Association Name")
    company_id = fields.Many2one(related="meeting_id.company_id", store=True, index=True)
    meeting_date = fields.Datetime(related="meeting_id.date_start", store=True, string="Session Date")
    actions = fields.Html(
        string="Actions Since Last Session",
        help="What the association did since the previous council.",
    )
    beneficiaries_served = fields.Integer(
        tracking=True, help="People the association served since the previous council."
    )
    difficulties = fields.Text(help="What holds the association back: people, premises, transport, money...")
    good_practice = fields.Text(
        string="Good Practice to Share",
        help="Something that worked and that other associations could reuse.",
    )

    _one_per_session = models.UniqueIndex(
        "(meeting_id, association_id)",
        "This association already has a progress report for this session: complete it instead.",
    )
    _beneficiaries_positive = models.Constraint(
        "CHECK (beneficiaries_served >= 0)",
        "The number of beneficiaries served cannot be negative.",
    )
    _values_plausible = plausible_values({"beneficiaries_served": _plausible["beneficiaries_served"]})

    # ------------------------------------------------------------
    # CONSTRAINTS AND CRUD
    # ------------------------------------------------------------

    @api.constrains("meeting_id")
    def _check_reported_at_a_council(self):
        for report in self:
            if report.meeting_id.meeting_type != "council":
                raise ValidationError(
                    self.env._(
                        "A progress report is given at an associations council, not at %(session)s.",
                        session=report.meeting_id.display_name,
                    )
                )

    def _closed_session_messages(self):
        """The progress reports of a session that is over are part of its record."""
        return (
            self.env._("A closed session takes no more progress reports."),
            self.env._("The progress reports of a closed session are kept."),
        )

    def _editable_fields(self):
        """Written while the session is open, for the session and the association it was given for."""
        if self.meeting_id.state not in OPEN_SESSION_STATES:
            return frozenset()
        return frozenset(self._fields) - {"meeting_id", "association_id", "company_id"}

    def _frozen_message(self, field_names):
        if self.meeting_id.state not in OPEN_SESSION_STATES:
            return self.env._(
                "The progress reports of %(session)s can no longer change: the session is closed.",
                session=self.meeting_id.display_name,
            )
        return self.env._(
            "A progress report stays with its session and its association: create another one instead."
        )

    # ------------------------------------------------------------
    # AGENDA SOURCE
    # ------------------------------------------------------------

    @api.model
    def _conseil_agenda_section_label(self):
        return self.env._("Progress reports")

    @api.model
    def _conseil_agenda_items(self, meeting):
        reports = self.search([("meeting_id", "=", meeting.id)], order="association_name")
        items = []
        for report in reports:
            name = self.env._("%(association)s: progress report", association=report.association_name)
            if report.good_practice:
                name = self.env._(
                    "%(association)s: progress report and a good practice to share",
                    association=report.association_name,
                )
            items.append(
                {
                    "name": name,
                    "description": report.difficulties or False,
                    "res_model": self._name,
                    "res_id": report.id,
                    "is_flagged": bool(report.difficulties),
                }
            )
        return items
