from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .conseil_facts import OFFICER
from .conseil_guarded import DATES, plausible_values, text_to_html

# What the two associations agreed: it may change while the partnership lives.
AGREEMENT = frozenset(
    {"helper_id", "helped_id", "need_id", "offer_id", "challenge_id", "date_start", "date_end", "exchange"}
)


class ConseilPartnership(models.Model):
    _name = "conseil.partnership"
    _description = "Partnership between Associations"
    _inherit = [
        "mail.thread",
        "portal.mixin",
        "conseil.agenda.source",
        "conseil.workflow.mixin",
        "conseil.mailing.mixin",
    ]
    _kanban_states = ("proposed", "active", "ended")
    _order = "date_start desc, id desc"

    _conseil_agenda_section_sequence = 40
    # "helper": who answers for the helping association, its own people or an officer on its behalf
    _transitions = {
        ("proposed", "active"): "helper",
        ("proposed", "declined"): "helper",
        ("proposed", "cancelled"): "officer",
        ("active", "ended"): "officer",
        ("active", "cancelled"): "officer",
    }
    _moves = {
        "accept": ("active", ("proposed",)),
        "decline": ("declined", ("proposed",)),
        "end": ("ended", ("active",)),
        "cancel": ("cancelled", None),
    }
    _editable_by_state = {"proposed": AGREEMENT, "active": AGREEMENT}
    _editable_groups = {"can_edit_agreement": AGREEMENT}
    _server_fields = frozenset({"state", "decline_reason"})
    _plausible = {"date_start": DATES, "date_end": DATES, "exchange": 2_000, "decline_reason": 2_000}

    name = fields.Char(compute="_compute_name", store=True)
    helper_id = fields.Many2one(
        "conseil.association",
        string="Helping Association",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    helped_id = fields.Many2one(
        "conseil.association",
        string="Helped Association",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    need_id = fields.Many2one("conseil.need", index="btree_not_null", check_company=True, tracking=True)
    offer_id = fields.Many2one("conseil.offer", index="btree_not_null", check_company=True)
    challenge_id = fields.Many2one(
        "conseil.challenge", index="btree_not_null", check_company=True, tracking=True
    )
    date_start = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    date_end = fields.Date(tracking=True)
    exchange = fields.Text(
        string="What Is Exchanged", help="e.g. 50 food parcels a week, two drivers on Saturdays."
    )
    state = fields.Selection(
        [
            ("proposed", "Proposed"),
            ("active", "Active"),
            ("ended", "Ended"),
            ("declined", "Declined"),
            ("cancelled", "Called Off"),
        ],
        string="Status",
        group_expand="_expand_states",
        default="active",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    decline_reason = fields.Text(string="Why Declined", readonly=True, copy=False, tracking=True)
    can_accept = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_decline = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_end = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_cancel = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_edit_agreement = fields.Boolean(compute="_compute_can_edit", export_string_translation=False)
    crosses_themes = fields.Boolean(
        compute="_compute_crosses_themes",
        store=True,
        help="The two associations share no theme: a synergy the council created between different worlds.",
    )

    _distinct_associations = models.Constraint(
        "CHECK (helper_id != helped_id)", "An association does not partner with itself."
    )
    _period_ordered = models.Constraint(
        "CHECK (date_end IS NULL OR date_end >= date_start)", "A partnership must end after it starts."
    )
    _values_plausible = plausible_values({"date_start": DATES, "date_end": DATES})

    def _compute_access_url(self):
        for record in self:
            record.access_url = f"/my/partnerships/{record.id}"

    @api.depends("helper_id.name", "helped_id.name")
    def _compute_name(self):
        for partnership in self:
            # a stored name, read by the whole town: in its language, whoever proposed
            partnership.name = partnership._town().env._(
                "%(helper)s helps %(helped)s",
                helper=partnership.helper_id.name or "?",
                helped=partnership.helped_id.name or "?",
            )

    @api.depends("helper_id.theme_ids", "helped_id.theme_ids")
    def _compute_crosses_themes(self):
        for partnership in self:
            partnership.crosses_themes = bool(
                partnership.helper_id.theme_ids
                and partnership.helped_id.theme_ids
                and not (partnership.helper_id.theme_ids & partnership.helped_id.theme_ids)
            )

    @api.constrains("helper_id", "helped_id", "need_id", "offer_id")
    def _check_need_and_offer_of_the_partners(self):
        """The need is the helped association's, the offer the helper's."""
        for partnership in self:
            if partnership.need_id and partnership.need_id.association_id != partnership.helped_id:
                raise ValidationError(
                    self.env._("The need of a partnership is a need of the helped association.")
                )
            if partnership.offer_id and partnership.offer_id.association_id != partnership.helper_id:
                raise ValidationError(
                    self.env._("The offer of a partnership is an offer of the helping association.")
                )

    @api.model
    def _creatable_fields(self, vals=None):
        return super()._creatable_fields(vals) | {"company_id"}

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        """A synergy the council created is part of its history: end or cancel it, never delete it."""
        raise UserError(
            self.env._("A partnership is never deleted: end it, or cancel it if it never started.")
        )

    def _workflow_roles(self):
        """Officers act for the town and may answer for the helper; the helper's own people answer for it."""
        if self.env.user.has_group(OFFICER):
            return {"officer", "helper"}
        if self.env.user._is_portal() and self._is_helper_person():
            return {"helper"}
        return set()

    def _is_helper_person(self):
        """Whether the user is one of the helping association's people (as its record rule says)."""
        return self.sudo().helper_id.partner_id == self.env.user.partner_id.commercial_partner_id

    def _role_label(self, role):
        if role == "helper":
            return self.env._("the helping association or associative-life officers")
        return self.env._("associative-life officers")

    def _transition_obstacle(self, target):
        need = self.sudo().need_id
        if self.state == "proposed" and target == "active" and need and not need._is_open_for_help():
            return self.env._(
                "%(need)s is no longer open: this proposal can only be declined or called off.",
                need=need.display_name,
            )
        return None

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_accept(self):
        """The helper said yes: from its portal, or to the officer who records it (said at the council)."""
        self._accept()
        return True

    def action_decline(self):
        self._decline()
        return True

    def _portal_accept(self):
        """A person of the helping association accepts the proposal from the portal."""
        self.ensure_one()
        self.check_access("read")
        return self._accept()

    def _portal_decline(self, reason=""):
        """A person of the helping association declines the proposal from the portal, saying why if they wish."""
        self.ensure_one()
        self.check_access("read")
        return self._decline(reason)

    def _accept(self):
        """The one way a proposal becomes a partnership: the need it answers is redirected to the helper."""
        self.ensure_one()
        self.check_access("read")
        self._check_move("accept")
        partnership = self.sudo()
        partnership._move("accept")
        if partnership.need_id:
            partnership.need_id._redirect_to_helper(partnership)
            partnership._withdraw_other_proposals()
        town = partnership._town()
        partnership._post_answer(
            town.env._(
                "%(person)s accepted on behalf of %(helper)s.",
                person=self.env.user.partner_id.name,
                helper=partnership.helper_id.name,
            )
        )
        partnership._ask_to_put_in_touch()
        return self

    def _ask_to_put_in_touch(self):
        """The officer who proposed puts the two associations in touch (the helped one's referent if the
        proposer is gone): an activity on the need, where the officer follows it."""
        officer = (
            self.create_uid if self.create_uid.active and not self.create_uid.share else self.env["res.users"]
        )
        officer = officer or self.helped_id.referent_user_id
        if not (officer and self.need_id):
            return
        town = self._town()
        self.need_id.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=officer.id,
            summary=town.env._(
                "Put %(helper)s in touch with %(helped)s",
                helper=self.helper_id.name,
                helped=self.helped_id.name,
            ),
        )

    def _conseil_mail_association(self):
        """A proposal is asked of the helping association: the mail goes to its people."""
        self.ensure_one()
        return self.helper_id

    def _withdraw_other_proposals(self):
        """The need found its helper: the proposals still waiting for it are called off, and say why."""
        others = self.search(
            [("need_id", "=", self.need_id.id), ("state", "=", "proposed"), ("id", "!=", self.id)]
        )
        if not others:
            return
        others._move("cancel")
        town = self._town()
        for other in others:
            other.message_post(
                body=town.env._("Called off: %(helper)s took the need on.", helper=self.helper_id.name),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

    def _decline(self, reason=""):
        """The helper says no, saying why if it wishes: the need stays open for another helper."""
        self.ensure_one()
        self.check_access("read")
        self._check_move("decline")
        reason = (reason or "").strip()
        partnership = self.sudo()
        partnership._move("decline", {"decline_reason": reason or False})
        town = partnership._town()
        partnership._post_answer(
            town.env._(
                "%(person)s declined on behalf of %(helper)s.",
                person=self.env.user.partner_id.name,
                helper=partnership.helper_id.name,
            ),
            reason,
        )
        return self

    def _post_answer(self, body, reason=""):
        """Tell the town in the chatter who answered for the helper."""
        self.message_post(
            body=text_to_html("\n".join(filter(None, [body, reason]))),
            author_id=self.env.user.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )

    def action_end(self):
        for partnership in self:
            partnership._move(
                "end", {"date_end": max(fields.Date.context_today(self), partnership.date_start)}
            )
        return True

    def action_cancel(self):
        return self._move("cancel")

    # ------------------------------------------------------------
    # AGENDA SOURCE: challenges and synergies
    # ------------------------------------------------------------

    @api.model
    def _conseil_agenda_section_label(self):
        return self.env._("Challenges and synergies")

    @api.model
    def _conseil_agenda_items(self, meeting):
        if meeting.meeting_type != "council":
            return []
        company = [("company_id", "=", meeting.company_id.id)]
        items = []
        for challenge in self.env["conseil.challenge"].search([*company, ("state", "=", "in_progress")]):
            items.append(
                {
                    "name": self.env._("Challenge in progress: %(challenge)s", challenge=challenge.name),
                    "res_model": challenge._name,
                    "res_id": challenge.id,
                }
            )
        previous = meeting._previous_council()
        since = (previous.date_start if previous else meeting.date_start).date()
        domain = [*company, ("state", "=", "active"), ("create_date", "<=", meeting.date_start)]
        if previous:
            domain.append(("date_start", ">=", since))
        for partnership in self.search(domain, order="date_start, id"):
            items.append(
                {
                    "name": self.env._("New partnership: %(partnership)s", partnership=partnership.name),
                    "res_model": self._name,
                    "res_id": partnership.id,
                }
            )
        for need in self.env["conseil.need"]._needs_with_offers(
            meeting.company_id, meeting.attendance_ids.association_id
        ):
            items.append(
                need._agenda_item(
                    self.env._("An offer could answer: %(need)s", need=need._agenda_label()), flagged=False
                )
            )
        return items
