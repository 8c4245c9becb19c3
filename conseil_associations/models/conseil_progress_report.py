from odoo import api, fields, models


class ConseilProgressReport(models.Model):
    _name = "conseil.progress.report"
    _description = "Progress Report"
    _inherit = ["mail.thread", "conseil.agenda.source"]
    _order = "meeting_date desc, association_name, id"
    _rec_name = "association_id"

    _conseil_agenda_section_sequence = 10

    meeting_id = fields.Many2one(
        "conseil.meeting",
        string="Session",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('meeting_type', '=', 'council'), ('state', '!=', 'cancelled')]",
    )
    association_id = fields.Many2one(
        "conseil.association",
        required=True,
        index=True,
        ondelete="cascade",
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
