"""Who could help: the offers of other associations, ranked for a need."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .conseil_facts import LIVED_STATES
from .conseil_need import OPEN_STATES

# A need another association may still take on: not yet decided by the town.
HELPABLE_STATES = ("draft", "submitted", "in_review")

# Ranking of "who could help": weights of each reason.
SCORE_SAME_TYPE = 100
SCORE_PER_THEME = 10
SCORE_CAPACITY = 20
SCORE_AVAILABLE = 15
SCORE_HELPED_BEFORE = 15
SCORE_EXPERIENCED = 5


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
        self.check_access("read")
        self.env["conseil.help.proposal"].search([("need_id", "=", self.id)]).unlink()
        proposals = (
            self.env["conseil.help.proposal"]
            .sudo()
            .create(
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
            [("helper_id", "in", offers.association_id.ids), ("state", "in", LIVED_STATES)],
            ["helper_id", "helped_id"],
            ["__count"],
        ):
            history[helper.id] += count
            if helped == self.association_id:
                helped_before.add(helper.id)
        type_labels = dict(self._fields["need_type"]._description_selection(self.env))
        ranking = []
        for offer in offers:
            score, reasons = 0, []
            if offer.offer_type == self.need_type:
                score += SCORE_SAME_TYPE
                reasons.append(
                    self.env._("Offers %(type)s, what is needed", type=type_labels[offer.offer_type])
                )
            shared = need_themes & (offer.theme_ids | offer.association_id.theme_ids)
            if shared:
                score += SCORE_PER_THEME * len(shared)
                reasons.append(
                    self.env._("Common themes: %(themes)s", themes=", ".join(shared.mapped("name")))
                )
            if offer.offer_type == self.need_type and offer.capacity and offer.capacity_unit == self.unit:
                if offer.capacity >= self.quantity:
                    score += SCORE_CAPACITY
                    reasons.append(
                        self.env._(
                            "Can give %(capacity)s, %(quantity)s asked",
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
                count = history[offer.association_id.id]
                reasons.append(
                    self.env._("Has helped another association")
                    if count == 1
                    else self.env._("Has helped %(count)s other associations", count=count)
                )
            ranking.append((offer, score, reasons))
        ranking.sort(key=lambda item: (-item[1], item[0].id))
        return ranking[:limit]

    def _is_open_for_help(self):
        self.ensure_one()
        return self.state in HELPABLE_STATES

    def _propose_help(self, offer):
        """The officer asks the association of ``offer`` to take this need on: a proposal it accepts or declines.

        Nothing moves on the need until the helper accepts (``_redirect_to_helper``).
        """
        self.ensure_one()
        self.check_access("write")
        offer.check_access("read")
        if not self._is_open_for_help():
            raise UserError(self.env._("Only an open need can be redirected to a partner association."))
        if offer.association_id == self.association_id:
            raise ValidationError(self.env._("An association cannot help itself."))
        if self.state == "in_review":
            # The municipal team is deciding this need: the redirection is its decision.
            self._check_transition("redirected", ("in_review",))
        Partnership = self.env["conseil.partnership"]
        Partnership.check_access("create")
        pending = self.partnership_ids.filtered(
            lambda partnership: partnership.helper_id == offer.association_id
            and partnership.state in ("proposed", "active")
        )
        if pending:
            raise UserError(
                self.env._(
                    "%(helper)s was already asked to help with %(need)s.",
                    helper=offer.association_id.name,
                    need=self.display_name,
                )
            )
        partnership = Partnership.sudo().create(
            {
                "state": "proposed",
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
        self.sudo().message_post(
            body=self._town().env._(
                "%(helper)s was asked to help: %(offer)s.", helper=offer.association_id.name, offer=offer.name
            ),
            subtype_xmlid="mail.mt_note",
        )
        partnership._conseil_mail_once("proposal", "conseil_associations.mail_template_partnership_proposal")
        return partnership.sudo(False)

    def _redirect_to_helper(self, partnership):
        """The helper accepted: the need is redirected to it, by a decision when the municipal team reviews it.

        Called by the server once the acceptance is checked; the proposer's authority was checked when they
        proposed.
        """
        self.ensure_one()
        if self.state == "in_review":
            self._decide(
                {
                    "outcome": "redirect",
                    "redirect_association_id": partnership.helper_id.id,
                    "decided_by_id": partnership.create_uid.id,
                }
            )
        else:
            self._move("redirect")
        self.message_post(
            body=self._town().env._(
                "%(helper)s will help: %(offer)s.",
                helper=partnership.helper_id.name,
                offer=partnership.offer_id.name or partnership.exchange or "",
            ),
            subtype_xmlid="mail.mt_note",
        )

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
