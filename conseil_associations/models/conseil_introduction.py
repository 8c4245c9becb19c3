from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from .conseil_facts import OFFICER
from .conseil_guarded import DATES, plausible_values, text_to_html

# The contact tag of the actors an association may be introduced to (data/conseil_actor_data.xml).
ACTOR_TAG = "conseil_associations.partner_category_structuring_actor"


def actor_domain(model):
    """The contacts tagged as structuring actors (the tag's data is loaded after the views that name it)."""
    tag = model.env.ref(ACTOR_TAG, raise_if_not_found=False)
    return [("category_id", "in", tag.ids if tag else [])]


# What the officer still arranges while the introduction is planned.
ARRANGEMENTS = frozenset({"actor_id", "date", "user_id", "notes", "outcome"})
# An introduction is planned this long after its need is approved, unless the officer says otherwise.
DEFAULT_DELAY = timedelta(days=14)


class ConseilIntroduction(models.Model):
    """« Mise en réseau »: an approved networking need introduces its association to a structuring actor (CCAS,
    Département, CAF, the food-bank network...). The officer who follows it up records what came of it, on the
    introduction and on the need."""

    _name = "conseil.introduction"
    _description = "Introduction to a Structuring Actor"
    _inherit = ["mail.thread", "mail.activity.mixin", "conseil.agenda.source", "conseil.workflow.mixin"]
    _order = "date desc, id desc"
    _kanban_states = ("planned", "done")

    _conseil_agenda_section_sequence = 35
    # Set by the need's action and by the introduction's own actions, which check who acts.
    _server_fields = frozenset({"state", "need_id", "association_id", "done_on"})
    _transitions = {
        ("planned", "done"): "officer",
        ("planned", "cancelled"): "officer",
        ("cancelled", "planned"): "officer",
    }
    _moves = {
        "done": ("done", ("planned",)),
        "cancel": ("cancelled", ("planned",)),
        "reopen": ("planned", ("cancelled",)),
    }
    _editable_by_state = {"planned": ARRANGEMENTS}
    _editable_groups = {"can_edit": ARRANGEMENTS}
    _plausible = {"date": DATES, "done_on": DATES, "notes": 5_000, "outcome": 5_000}

    need_id = fields.Many2one(
        "conseil.need",
        required=True,
        index=True,
        readonly=True,
        copy=False,
        check_company=True,
        ondelete="restrict",
        domain="[('need_type', '=', 'networking')]",
    )
    association_id = fields.Many2one(
        "conseil.association",
        required=True,
        index=True,
        readonly=True,
        copy=False,
        check_company=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    actor_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain=actor_domain,
        help="The structuring actor the association is introduced to: a contact tagged « Structuring Actor ».",
    )
    date = fields.Date(
        required=True,
        tracking=True,
        default=lambda self: fields.Date.context_today(self) + DEFAULT_DELAY,
        help="When the association meets the actor.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Followed by",
        required=True,
        tracking=True,
        default=lambda self: self.env.user,
        check_company=True,
        domain="[('share', '=', False)]",
        help="The officer who arranges the introduction and records its outcome.",
    )
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
        string="Status",
        group_expand="_expand_states",
        default="planned",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    notes = fields.Text(help="What the association expects from the actor, who to see.")
    outcome = fields.Text(tracking=True, help="What came of the introduction: recorded on the need too.")
    done_on = fields.Date(readonly=True, copy=False)
    can_done = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_cancel = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_reopen = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_edit = fields.Boolean(compute="_compute_can_edit", export_string_translation=False)

    _values_plausible = plausible_values(_plausible)

    @api.depends("association_id", "actor_id")
    def _compute_display_name(self):
        for introduction in self:
            introduction.display_name = self.env._(
                "%(association)s to %(actor)s",
                association=introduction.association_id.name or "",
                actor=introduction.actor_id.name or "",
            )

    @api.constrains("actor_id")
    def _check_structuring_actor(self):
        tag = self.env.ref(ACTOR_TAG)
        for introduction in self.filtered(lambda introduction: tag not in introduction.actor_id.category_id):
            raise ValidationError(
                self.env._(
                    "%(actor)s is not tagged as a structuring actor: tag the contact « %(tag)s » first.",
                    actor=introduction.actor_id.display_name,
                    tag=tag.name,
                )
            )

    @api.constrains("user_id")
    def _check_followed_by_an_officer(self):
        """The introduction is followed by an officer of associative life, never a portal user or a user who
        cannot open it."""
        officers = self.env.ref("conseil_associations.group_conseil_officer")
        for introduction in self:
            user = introduction.user_id.sudo()
            if user.share or officers not in user.all_group_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot follow the introduction %(introduction)s: choose an officer of "
                        "associative life.",
                        user=user.name,
                        introduction=introduction.display_name,
                    )
                )

    @api.constrains("need_id", "association_id")
    def _check_networking_need(self):
        for introduction in self:
            need = introduction.need_id
            if need.need_type != "networking" or need.association_id != introduction.association_id:
                raise ValidationError(
                    self.env._(
                        "An introduction answers a networking need of its own association (%(need)s).",
                        need=need.display_name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        """An introduction that happened is part of the association's history."""
        done = self.filtered(lambda introduction: introduction.state == "done")
        if done:
            raise UserError(
                self.env._(
                    "%(introduction)s took place: it stays in the association's history.",
                    introduction=done[0].display_name,
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_done(self):
        """The introduction took place: its outcome goes to the need, and the follow-up activity is done."""
        self._check_move("done")
        missing = self.filtered(lambda introduction: not (introduction.outcome or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "Write what came of %(introduction)s before marking it done.",
                    introduction=missing[0].display_name,
                )
            )
        self._move("done", {"done_on": fields.Date.context_today(self)})
        for introduction in self:
            introduction.need_id._record_networking_outcome(introduction)
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_cancel(self):
        self._move("cancel")
        self.sudo().activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_reopen(self):
        self._move("reopen")
        self._schedule_follow_up()
        return True

    @api.model
    def _action_for_records(self, field_name, records):
        """The introductions of these needs or associations (``field_name``: the introduction's link)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "conseil_associations.conseil_introduction_action"
        )
        action["domain"] = [(field_name, "in", records.ids)]
        action["context"] = {}  # all of them, the past ones too
        return action

    # ------------------------------------------------------------
    # RULES AND HELPERS
    # ------------------------------------------------------------

    def _workflow_roles(self):
        """Associative-life officers arrange introductions (managers are officers too)."""
        return {"officer"} if self.env.user.has_group(OFFICER) else set()

    def _role_label(self, role):
        return self.env._("associative-life officers") if role == "officer" else role

    def _schedule_follow_up(self):
        """The officer who follows the introduction up is reminded on its day to record the outcome."""
        for introduction in self:
            town = introduction._town().env
            introduction.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=introduction.date,
                user_id=introduction.user_id.id,
                summary=town._(
                    "Follow up the introduction of %(association)s to %(actor)s",
                    association=introduction.association_id.name,
                    actor=introduction.actor_id.name,
                ),
                note=text_to_html(
                    town._("Record what came of it on the introduction: the need keeps the outcome.")
                ),
            )

    # ------------------------------------------------------------
    # AGENDA SOURCE
    # ------------------------------------------------------------

    @api.model
    def _conseil_agenda_section_label(self):
        return self.env._("Introductions")

    @api.model
    def _conseil_agenda_items(self, meeting):
        """Introductions planned before the next session, and those done since the last one (their outcome)."""
        if meeting.meeting_type != "council":
            return []
        following, previous = meeting._next_council(), meeting._previous_council()
        until = following.date_start if following else meeting.date_start + timedelta(days=15)
        since = previous.date_start if previous else meeting.date_start - timedelta(days=15)
        domain = [("company_id", "=", meeting.company_id.id)]
        if meeting.attendance_ids:
            domain.append(("association_id", "in", meeting.attendance_ids.association_id.ids))
        introductions = self.search(
            [
                *domain,
                "|",
                "&",
                ("state", "=", "planned"),
                ("date", "<", until.date()),
                "&",
                ("state", "=", "done"),
                ("done_on", ">=", since.date()),
            ],
            order="date",
        )
        return [
            {
                "name": (
                    self.env._("Introduced: %(introduction)s", introduction=introduction.display_name)
                    if introduction.state == "done"
                    else self.env._(
                        "Introduction on %(date)s: %(introduction)s",
                        date=format_date(self.env, introduction.date),
                        introduction=introduction.display_name,
                    )
                ),
                "description": introduction.outcome if introduction.state == "done" else False,
                "res_model": self._name,
                "res_id": introduction.id,
                "is_flagged": introduction.state == "planned"
                and introduction.date < meeting.date_start.date(),
            }
            for introduction in introductions
        ]
