"""Who could help: the offers of other associations, ranked for a need."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

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
        """[(offer, score, reasons)], best first, in a constant number of queries and a time that does not grow
        with the town: the database scores every current offer (same type first, then shared themes, capacity
        for the quantity asked, availability over the wanted period, and past partnerships); the reasons are
        written for the best ``limit`` only.
        """
        self.ensure_one()
        today = fields.Date.context_today(self)
        wanted_from = self.date_from or today
        wanted_to = self.date_to or wanted_from
        Offer = self.env["conseil.offer"]
        current = Offer._search(
            [
                ("company_id", "=", self.company_id.id),
                ("association_id", "!=", self.association_id.id),
                ("association_active", "=", True),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", max(wanted_from, today)),
                "|",
                ("date_from", "=", False),
                ("date_from", "<=", wanted_to),
            ]
        )
        self.env.flush_all()
        rows = self.env.execute_query_dict(
            self._rank_offers_sql(current.subselect(), wanted_from, wanted_to, limit)
        )
        offers = Offer.browse([row["id"] for row in rows])
        offers.fetch(["offer_type", "capacity", "capacity_unit", "association_id"])
        type_labels = dict(self._fields["need_type"]._description_selection(self.env))
        return [
            (offer, row["score"], self._help_reasons(offer, row, type_labels))
            for offer, row in zip(offers, rows, strict=True)
        ]

    def _rank_offers_sql(self, offer_ids, wanted_from, wanted_to, limit):
        """The score of each offer of ``offer_ids`` for this need, the best ``limit`` first, with its parts."""
        return SQL(
            """
            WITH offer AS (
                SELECT o.id, o.association_id, o.offer_type = %(type)s AS same_type,
                       o.capacity, o.capacity_unit, o.date_from, o.date_to
                  FROM conseil_offer o
                 WHERE o.id IN %(offer_ids)s
            ), shared AS (
                -- from the need's themes: the offers and associations that share one, never all the town's
                SELECT theme.offer_id AS id, ARRAY_AGG(DISTINCT theme.theme_id) AS theme_ids
                  FROM (
                        SELECT r.conseil_offer_id AS offer_id, r.conseil_theme_id AS theme_id
                          FROM conseil_offer_conseil_theme_rel r
                         WHERE r.conseil_theme_id = ANY(%(themes)s)
                        UNION ALL
                        SELECT offer.id, a.theme_id
                          FROM conseil_association_theme_rel a
                          JOIN offer ON offer.association_id = a.association_id
                         WHERE a.theme_id = ANY(%(themes)s)
                       ) theme
                 WHERE theme.offer_id IN (SELECT id FROM offer)
                 GROUP BY theme.offer_id
            ), history AS (
                SELECT p.helper_id, COUNT(*) AS lived, BOOL_OR(p.helped_id = %(helped)s) AS helped_before
                  FROM conseil_partnership p
                 WHERE p.state IN %(lived)s AND p.helper_id IN (SELECT association_id FROM offer)
                 GROUP BY p.helper_id
            ), part AS (
                SELECT offer.id, offer.same_type,
                       COALESCE(shared.theme_ids, '{}') AS theme_ids,
                       CASE WHEN offer.same_type AND offer.capacity != 0 AND offer.capacity_unit = %(unit)s THEN
                            CASE WHEN offer.capacity >= %(quantity)s THEN %(capacity)s
                                 WHEN %(quantity)s != 0 THEN FLOOR(%(capacity)s * offer.capacity / %(quantity)s)
                                 ELSE 0 END
                       ELSE 0 END AS capacity_points,
                       (offer.date_from IS NULL OR offer.date_from <= %(wanted_from)s)
                       AND (offer.date_to IS NULL OR offer.date_to >= %(wanted_to)s) AS available,
                       COALESCE(history.helped_before, FALSE) AS helped_before,
                       COALESCE(history.lived, 0) AS lived
                  FROM offer
                  LEFT JOIN shared ON shared.id = offer.id
                  LEFT JOIN history ON history.helper_id = offer.association_id
            )
            SELECT part.*,
                   (CASE WHEN same_type THEN %(same_type)s ELSE 0 END
                    + %(per_theme)s * CARDINALITY(theme_ids)
                    + capacity_points
                    + CASE WHEN available THEN %(available)s ELSE 0 END
                    + CASE WHEN helped_before THEN %(helped_before)s WHEN lived > 0 THEN %(experienced)s ELSE 0 END
                   )::int AS score
              FROM part
             ORDER BY score DESC, id
             LIMIT %(limit)s
            """,
            offer_ids=offer_ids,
            type=self.need_type,
            themes=self.theme_ids.ids,
            helped=self.association_id.id,
            lived=LIVED_STATES,
            unit=self.unit,
            quantity=self.quantity,
            wanted_from=wanted_from,
            wanted_to=wanted_to,
            same_type=SCORE_SAME_TYPE,
            per_theme=SCORE_PER_THEME,
            capacity=SCORE_CAPACITY,
            available=SCORE_AVAILABLE,
            helped_before=SCORE_HELPED_BEFORE,
            experienced=SCORE_EXPERIENCED,
            limit=limit,
        )

    def _help_reasons(self, offer, parts, type_labels):
        """Why ``offer`` ranks where it does, from the parts of its score, as the officer reads them."""
        reasons = []
        if parts["same_type"]:
            reasons.append(self.env._("Offers %(type)s, what is needed", type=type_labels[offer.offer_type]))
        if parts["theme_ids"]:
            shared = self.theme_ids.filtered(lambda theme: theme.id in parts["theme_ids"])
            reasons.append(self.env._("Common themes: %(themes)s", themes=", ".join(shared.mapped("name"))))
        if parts["same_type"] and offer.capacity and offer.capacity_unit == self.unit:
            if offer.capacity >= self.quantity:
                reasons.append(
                    self.env._(
                        "Can give %(capacity)s, %(quantity)s asked",
                        capacity=f"{offer.capacity:g}",
                        quantity=f"{self.quantity:g}",
                    )
                )
            elif self.quantity:
                reasons.append(
                    self.env._(
                        "Covers part of it: %(capacity)s of %(quantity)s",
                        capacity=f"{offer.capacity:g}",
                        quantity=f"{self.quantity:g}",
                    )
                )
        if parts["available"]:
            reasons.append(self.env._("Available over the whole wanted period"))
        if parts["helped_before"]:
            reasons.append(self.env._("Already helped this association"))
        elif parts["lived"]:
            reasons.append(
                self.env._("Has helped another association")
                if parts["lived"] == 1
                else self.env._("Has helped %(count)s other associations", count=parts["lived"])
            )
        return reasons

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
        of the same type could answer: one query, whatever the number of offers in the town."""
        Offer = self.env["conseil.offer"]
        offers = Offer._search(
            [
                ("company_id", "=", company.id),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", fields.Date.context_today(self)),
            ]
        )
        domain = [("company_id", "=", company.id), ("state", "in", OPEN_STATES)]
        if associations:
            domain.append(("association_id", "in", associations.ids))
        needs = self._search(domain)
        self.env.flush_all()
        answered = self.env.execute_query(
            SQL(
                """SELECT n.id FROM conseil_need n
                    WHERE n.id IN %(needs)s
                      AND EXISTS (SELECT 1 FROM conseil_offer o
                                   WHERE o.id IN %(offers)s
                                     AND o.offer_type = n.need_type
                                     AND o.association_id != n.association_id)""",
                needs=needs.subselect(),
                offers=offers.subselect(),
            )
        )
        return self.search([("id", "in", [need_id for (need_id,) in answered])])
