from odoo import api, fields, models


class ConseilChallenge(models.Model):
    _name = "conseil.challenge"
    _description = "Challenge of the Council"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state_sequence, id desc"

    name = fields.Char(string="Challenge", required=True, tracking=True)
    description = fields.Html()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    theme_ids = fields.Many2many("conseil.theme", string="Themes")
    association_ids = fields.Many2many(
        "conseil.association", string="Associations Engaged", check_company=True
    )
    need_ids = fields.One2many("conseil.need", "challenge_id", string="Needs")
    meeting_ids = fields.Many2many(
        "conseil.meeting",
        string="Sessions",
        check_company=True,
        help="Sessions where the challenge was discussed.",
    )
    partnership_ids = fields.One2many("conseil.partnership", "challenge_id", string="Partnerships")
    state = fields.Selection(
        [("open", "Open"), ("in_progress", "In Progress"), ("achieved", "Achieved"), ("dropped", "Dropped")],
        default="open",
        required=True,
        index=True,
        tracking=True,
        group_expand=True,
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    color = fields.Integer()

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {"in_progress": 0, "open": 1, "achieved": 2, "dropped": 3}
        for challenge in self:
            challenge.state_sequence = order.get(challenge.state, 9)

    def action_start(self):
        self.filtered(lambda c: c.state == "open").write({"state": "in_progress"})
        return True

    def action_achieve(self):
        self.filtered(lambda c: c.state in ("open", "in_progress")).write({"state": "achieved"})
        return True

    def action_drop(self):
        self.filtered(lambda c: c.state in ("open", "in_progress")).write({"state": "dropped"})
        return True

    def action_reopen(self):
        self.filtered(lambda c: c.state in ("achieved", "dropped")).write({"state": "open"})
        return True
