from odoo import api, fields, models

from .conseil_facts import OFFICER

# What the council writes of a challenge, whatever its progress.
CHALLENGE = frozenset({"name", "description", "theme_ids", "association_ids", "meeting_ids"})


class ConseilChallenge(models.Model):
    _name = "conseil.challenge"
    _description = "Challenge of the Council"
    _inherit = ["mail.thread", "mail.activity.mixin", "conseil.workflow.mixin"]
    _order = "state_sequence, id desc"

    _transitions = {
        ("open", "in_progress"): "officer",
        ("open", "achieved"): "officer",
        ("open", "dropped"): "officer",
        ("in_progress", "achieved"): "officer",
        ("in_progress", "dropped"): "officer",
        ("achieved", "open"): "officer",
        ("dropped", "open"): "officer",
    }
    _moves = {
        "start": ("in_progress", None),
        "achieve": ("achieved", None),
        "drop": ("dropped", None),
        "reopen": ("open", None),
    }
    _editable_by_state = dict.fromkeys(("open", "in_progress", "achieved", "dropped"), CHALLENGE)
    _plausible = {"name": 256, "description": 50_000}

    name = fields.Char(string="Challenge", required=True, tracking=True)
    description = fields.Html()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    theme_ids = fields.Many2many("conseil.theme", string="Themes", check_company=True)
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
        [
            ("open", "Launched"),
            ("in_progress", "In Progress"),
            ("achieved", "Achieved"),
            ("dropped", "Dropped"),
        ],
        string="Status",
        default="open",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        group_expand=True,
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    color = fields.Integer()
    can_start = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_achieve = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_drop = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_reopen = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {"in_progress": 0, "open": 1, "achieved": 2, "dropped": 3}
        for challenge in self:
            challenge.state_sequence = order.get(challenge.state, 9)

    def action_start(self):
        return self._move("start")

    def action_achieve(self):
        return self._move("achieve")

    def action_drop(self):
        return self._move("drop")

    def action_reopen(self):
        return self._move("reopen")

    def _workflow_roles(self):
        return {"officer"} if self.env.user.has_group(OFFICER) else set()

    def _role_label(self, role):
        return self.env._("associative-life officers")

    @api.model
    def _creatable_fields(self, vals=None):
        return super()._creatable_fields(vals) | {"company_id"}
