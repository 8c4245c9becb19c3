from collections import defaultdict

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from .conseil_need import NEED_TYPES, OPEN_STATES

# Ranking of "who could help": weights of each reason.
SCORE_SAME_TYPE = 100
SCORE_PER_THEME = 10
SCORE_CAPACITY = 20
SCORE_AVAILABLE = 15
SCORE_HELPED_BEFORE = 15
SCORE_EXPERIENCED = 5


class ConseilOffer(models.Model):
    _name = "conseil.offer"
    _description = "Offer of an Association"
    _inherit = ["mail.thread"]
    _order = "association_id, id"

    name = fields.Char(string="Offer", required=True, tracking=True)
    association_id = fields.Many2one(
        "conseil.association",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="association_id.company_id", store=True, index=True)
    offer_type = fields.Selection(NEED_TYPES, string="Type", required=True, index=True, tracking=True)
    description = fields.Text()
    capacity = fields.Float(tracking=True, help="How much the association can give, in the unit below.")
    capacity_unit = fields.Selection(
        [
            ("hours_week", "Hours per week"),
            ("days", "Days"),
            ("hours", "Hours"),
            ("persons", "Persons"),
            ("parcels", "Parcels"),
            ("units", "Units"),
            ("euros", "Euros"),
        ],
        string="Unit",
        default="units",
        required=True,
    )
    capacity_period = fields.Selection(
        [("once", "Once"), ("week", "Per week"), ("month", "Per month")], default="week", required=True
    )
    theme_ids = fields.Many2many("conseil.theme", string="Themes")
    date_from = fields.Date(string="Available From")
    date_to = fields.Date(string="Available Until")
    active = fields.Boolean(default=True)

    _capacity_positive = models.Constraint("CHECK (capacity >= 0)", "A capacity cannot be negative.")
    _period_ordered = models.Constraint(
        "CHECK (date_to IS NULL OR date_from IS NULL OR date_to >= date_from)",
        "The availability must end after it starts.",
    )


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


class ConseilPartnership(models.Model):
    _name = "conseil.partnership"
    _description = "Partnership between Associations"
    _inherit = ["mail.thread", "conseil.agenda.source"]
    _order = "date_start desc, id desc"

    _conseil_agenda_section_sequence = 40

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
        [("active", "Active"), ("ended", "Ended"), ("cancelled", "Cancelled")],
        default="active",
        required=True,
        index=True,
        tracking=True,
    )
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

    @api.depends("helper_id.name", "helped_id.name")
    def _compute_name(self):
        for partnership in self:
            partnership.name = self.env._(
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

    def action_end(self):
        self.filtered(lambda p: p.state == "active").write(
            {"state": "ended", "date_end": fields.Date.context_today(self)}
        )
        return True

    def action_cancel(self):
        self.filtered(lambda p: p.state == "active").write({"state": "cancelled"})
        return True

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


class ConseilHelpProposal(models.TransientModel):
    _name = "conseil.help.proposal"
    _description = "Who Could Help"
    _order = "rank"

    need_id = fields.Many2one("conseil.need", required=True, ondelete="cascade")
    offer_id = fields.Many2one("conseil.offer", required=True, ondelete="cascade")
    association_id = fields.Many2one(related="offer_id.association_id")
    offer_type = fields.Selection(related="offer_id.offer_type")
    rank = fields.Integer()
    score = fields.Integer()
    reasons = fields.Text()

    def action_accept(self):
        """The helper takes the need on: a partnership, and the need is redirected."""
        self.ensure_one()
        return self.need_id._accept_help(self.offer_id)


class ConseilPartnershipThemeReport(models.Model):
    """Partnerships by the themes of the two associations: who works with whom across themes."""

    _name = "conseil.partnership.theme.report"
    _description = "Partnerships across Themes"
    _auto = False

    partnership_id = fields.Many2one("conseil.partnership", readonly=True)
    helper_theme_id = fields.Many2one("conseil.theme", string="Theme of the Helper", readonly=True)
    helped_theme_id = fields.Many2one("conseil.theme", string="Theme of the Helped", readonly=True)
    crosses_themes = fields.Boolean(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date_start = fields.Date(readonly=True)
    state = fields.Selection(
        [("active", "Active"), ("ended", "Ended"), ("cancelled", "Cancelled")], readonly=True
    )

    _depends = {
        "conseil.partnership": [
            "helper_id",
            "helped_id",
            "crosses_themes",
            "company_id",
            "date_start",
            "state",
        ],
        "conseil.association": ["theme_ids"],
    }

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
                SELECT row_number() OVER (ORDER BY p.id, a.theme_id, b.theme_id) AS id,
                       p.id AS partnership_id, a.theme_id AS helper_theme_id, b.theme_id AS helped_theme_id,
                       p.crosses_themes, p.company_id, p.date_start, p.state
                  FROM conseil_partnership p
                  JOIN conseil_association_theme_rel a ON a.association_id = p.helper_id
                  JOIN conseil_association_theme_rel b ON b.association_id = p.helped_id
            )
            """
        )


class ConseilNeed(models.Model):
    _inherit = "conseil.need"

    challenge_id = fields.Many2one(
        "conseil.challenge", index="btree_not_null", check_company=True, tracking=True
    )
    partnership_ids = fields.One2many("conseil.partnership", "need_id", string="Partnerships")

    def action_who_could_help(self):
        """Ranked offers of other associations, each with its reasons."""
        self.ensure_one()
        ranking = self._rank_offers()
        self.env["conseil.help.proposal"].search([("need_id", "=", self.id)]).unlink()
        proposals = self.env["conseil.help.proposal"].create(
            [
                {
                    "need_id": self.id,
                    "offer_id": offer.id,
                    "rank": rank,
                    "score": score,
                    "reasons": "\n".join(reasons),
                }
                for rank, (offer, score, reasons) in enumerate(ranking, start=1)
            ]
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Who could help: %(need)s", need=self.name),
            "res_model": "conseil.help.proposal",
            "view_mode": "list",
            "domain": [("id", "in", proposals.ids)],
            "target": "new",
        }

    def _rank_offers(self, limit=20):
        """[(offer, score, reasons)], best first, in a constant number of queries.

        Same type first, then shared themes, capacity for the quantity asked,
        availability over the wanted period, and past partnerships.
        """
        self.ensure_one()
        today = fields.Date.context_today(self)
        wanted_from = self.date_from or today
        wanted_to = self.date_to or wanted_from
        offers = self.env["conseil.offer"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("association_id", "!=", self.association_id.id),
                ("association_id.active", "=", True),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", max(wanted_from, today)),
                "|",
                ("date_from", "=", False),
                ("date_from", "<=", wanted_to),
            ]
        )
        if not offers:
            return []
        offers.fetch(
            ["offer_type", "capacity", "capacity_unit", "date_from", "date_to", "association_id", "theme_ids"]
        )
        offers.association_id.fetch(["name", "theme_ids"])
        need_themes = self.theme_ids
        history = defaultdict(int)
        helped_before = set()
        for helper, helped, count in self.env["conseil.partnership"]._read_group(
            [("helper_id", "in", offers.association_id.ids), ("state", "!=", "cancelled")],
            ["helper_id", "helped_id"],
            ["__count"],
        ):
            history[helper.id] += count
            if helped == self.association_id:
                helped_before.add(helper.id)
        type_labels = dict(NEED_TYPES)
        ranking = []
        for offer in offers:
            score, reasons = 0, []
            if offer.offer_type == self.need_type:
                score += SCORE_SAME_TYPE
                reasons.append(
                    self.env._("Offers %(type)s, what is needed", type=type_labels[offer.offer_type].lower())
                )
            shared = need_themes & (offer.theme_ids | offer.association_id.theme_ids)
            if shared:
                score += SCORE_PER_THEME * len(shared)
                reasons.append(
                    self.env._("Shares the themes %(themes)s", themes=", ".join(shared.mapped("name")))
                )
            if offer.capacity and offer.capacity_unit == self.unit:
                if offer.capacity >= self.quantity:
                    score += SCORE_CAPACITY
                    reasons.append(
                        self.env._(
                            "Capacity %(capacity)s for %(quantity)s asked",
                            capacity=f"{offer.capacity:g}",
                            quantity=f"{self.quantity:g}",
                        )
                    )
                elif self.quantity:
                    score += int(SCORE_CAPACITY * offer.capacity / self.quantity)
                    reasons.append(
                        self.env._(
                            "Covers part of it: %(capacity)s of %(quantity)s",
                            capacity=f"{offer.capacity:g}",
                            quantity=f"{self.quantity:g}",
                        )
                    )
            if (not offer.date_from or offer.date_from <= wanted_from) and (
                not offer.date_to or offer.date_to >= wanted_to
            ):
                score += SCORE_AVAILABLE
                reasons.append(self.env._("Available over the whole wanted period"))
            if offer.association_id.id in helped_before:
                score += SCORE_HELPED_BEFORE
                reasons.append(self.env._("Already helped this association"))
            elif history[offer.association_id.id]:
                score += SCORE_EXPERIENCED
                reasons.append(
                    self.env._(
                        "Has helped %(count)s other association(s)", count=history[offer.association_id.id]
                    )
                )
            ranking.append((offer, score, reasons))
        ranking.sort(key=lambda item: (-item[1], item[0].id))
        return ranking[:limit]

    def _accept_help(self, offer):
        self.ensure_one()
        if self.state not in ("draft", "submitted", "in_review"):
            raise UserError(self.env._("Only an open need can be redirected to a partner association."))
        if offer.association_id == self.association_id:
            raise ValidationError(self.env._("An association cannot help itself."))
        partnership = self.env["conseil.partnership"].create(
            {
                "helper_id": offer.association_id.id,
                "helped_id": self.association_id.id,
                "company_id": self.company_id.id,
                "need_id": self.id,
                "offer_id": offer.id,
                "challenge_id": self.challenge_id.id,
                "exchange": offer.name,
                "date_start": self.date_from or fields.Date.context_today(self),
                "date_end": self.date_to,
            }
        )
        if self.state == "in_review" and self.review_meeting_id:
            # The municipal team is deciding this need: the redirection is its decision.
            self.env["conseil.decision"].create(
                {
                    "need_id": self.id,
                    "review_meeting_id": self.review_meeting_id.id,
                    "company_id": self.company_id.id,
                    "outcome": "redirect",
                    "redirect_association_id": offer.association_id.id,
                    "decision_date": fields.Date.context_today(self),
                }
            )
        else:
            self._transition({"state": "redirected"})
        self.message_post(
            body=self.env._(
                "%(helper)s will help: %(offer)s.", helper=offer.association_id.name, offer=offer.name
            ),
            subtype_xmlid="mail.mt_note",
        )
        return partnership.get_formview_action()

    @api.model
    def _needs_with_offers(self, company, associations=None):
        """Open needs of a commune (or of some of its associations) that another association's active offer
        of the same type could answer."""
        offers = self.env["conseil.offer"].search_read(
            [
                ("company_id", "=", company.id),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", fields.Date.context_today(self)),
            ],
            ["offer_type", "association_id"],
        )
        if not offers:
            return self.browse()
        by_type = defaultdict(set)
        for offer in offers:
            by_type[offer["offer_type"]].add(offer["association_id"][0])
        domain = [
            ("company_id", "=", company.id),
            ("state", "in", OPEN_STATES),
            ("need_type", "in", list(by_type)),
        ]
        if associations:
            domain.append(("association_id", "in", associations.ids))
        needs = self.search(domain)
        return needs.filtered(lambda need: by_type[need.need_type] - {need.association_id.id})
