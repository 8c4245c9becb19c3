"""What the demo town's officer does after each council, for the councils already past.

Hautmont-sur-Lys itself is demo data (``demo/conseil_demo_town.xml``) and its
life goes through the addon's actions (``demo/conseil_demo_life.xml``). Only
this has no XML id to hang on: the attendance lines and progress reports of the
sessions the season wizard planned.
"""

import base64
import io
import random
from datetime import timedelta

from markupsafe import Markup
from reportlab.pdfgen import canvas

from odoo import api, fields, models

DIFFICULTIES = [False, "Manque de bénévoles le samedi", "Local trop petit", False]
PRACTICES = [
    False,
    False,
    "Tournée de collecte mutualisée avec une autre association",
    "Permanence du samedi matin pour les familles qui travaillent",
    "Binômes jeune / senior pour les visites",
    "Fiche d'accueil traduite en trois langues",
]
# The scan the association sends back, signed: a stand-in for the demo.
REVIEW_MINUTES = Markup(
    "<p>La revue municipale a examiné les besoins présentés au conseil des associations. Ses décisions, "
    "numérotées ci-dessus, sont notifiées à chaque association.</p>"
)
MINUTES = Markup(
    "<p>Tour de table des associations, points d'étape, annonce des décisions de la revue municipale.</p>"
)


def signed_copy():
    """The scan the manager uploads once the mayor and the president signed: a one-page PDF."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 770, "Convention d'objectifs signée par le maire et la présidente (démo)")
    page.showPage()
    page.save()
    return buffer.getvalue()


class ConseilDemo(models.AbstractModel):
    _name = "conseil.demo"
    _description = "Demo Town"

    @api.model
    def _speak_french(self):
        """The town writes in French (agendas, minutes) from the start: its French labels are loaded before
        the demo's life is generated, not at the end of the installation as Odoo does."""
        module = self.env["ir.module.module"].search([("name", "=", "conseil_associations")])
        module.sudo()._update_translations(filter_lang="fr_FR")
        self.env.registry.clear_cache("stable")  # the translated selections are cached there

    @api.model
    def _hold_past_councils(self):
        """Take the attendance of the past councils, note progress reports, hold them, write the minutes,
        and publish those older than three weeks: as the current user, through the actions."""
        rng = random.Random(20000)  # the same town at every install
        now = fields.Datetime.now()
        councils = self.env["conseil.meeting"].search(
            [
                ("meeting_type", "=", "council"),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "planned"),
                ("date_end", "<", now),
            ],
            order="date_start",
        )
        Attendance = self.env["conseil.meeting.attendance"]
        for council in councils:
            marked = {"present": Attendance, "excused": Attendance, "absent": Attendance}
            for line in council.attendance_ids:
                draw = rng.random()
                marked["present" if draw < 0.78 else "excused" if draw < 0.92 else "absent"] |= line
            marked["present"].action_mark_present()
            marked["excused"].action_mark_excused()
            marked["absent"].action_mark_absent()
            self.env["conseil.progress.report"].create(
                [
                    {
                        "meeting_id": council.id,
                        "association_id": line.association_id.id,
                        "actions": Markup(
                            "<p>Distributions et animations depuis le dernier conseil (%s).</p>"
                        )
                        % line.association_id.name,
                        "beneficiaries_served": rng.randint(20, 300),
                        "difficulties": rng.choice(DIFFICULTIES),
                        "good_practice": rng.choice(PRACTICES),
                    }
                    for line in marked["present"][: rng.randint(3, 6)]
                ]
            )
            council.action_build_agenda()
            council.action_hold()
            council.minutes = MINUTES
        councils.filtered(lambda c: c.date_end < now - timedelta(days=20)).action_publish_minutes()

    @api.model
    def _publish_review_minutes(self):
        """The last closed review's minutes are written and published: an act with its numbered decisions."""
        review = self.env["conseil.meeting"].search(
            [
                ("meeting_type", "=", "review"),
                ("company_id", "=", self.env.company.id),
                ("is_review_closed", "=", True),
                ("decision_ids", "!=", False),
            ],
            order="date_start desc",
            limit=1,
        )
        review.minutes = REVIEW_MINUTES
        review.action_publish_minutes()

    @api.model
    def _date_the_past(self):
        """Date the town's history when it happened: the actions stamp the day they run (the install day), the
        demo's six months are dated from their sessions. Demo data only: the server's dates, written as the
        server."""
        now = fields.Datetime.now()
        company = [("company_id", "=", self.env.company.id)]
        for need in self.env["conseil.need"].sudo().search([*company, ("meeting_id", "!=", False)]):
            raised = min(need.meeting_id.date_end, now)
            values = {"raised_on": raised}
            if need.submitted_on:
                values["submitted_on"] = min(raised + timedelta(days=1), now)
            need.write(values)
        for decision in self.env["conseil.decision"].sudo().search(company):
            review = decision.review_meeting_id
            submitted = decision.need_id.submitted_on
            if review and review.date_start < now and (not submitted or submitted <= review.date_start):
                decision.write({"decision_date": review.date_start.date()})
        for meeting in self.env["conseil.meeting"].sudo().search([*company, ("state", "=", "published")]):
            meeting.write({"minutes_published_on": min(meeting.date_end + timedelta(days=7), now)})
        for loan in self.env["conseil.loan"].sudo().search([*company, ("approved_on", "!=", False)]):
            loan.write({"approved_on": min(loan.date_start - timedelta(days=7), now)})

    @api.model
    def _sign_objectives_conventions(self):
        """The associations whose aid this year crosses the threshold: their objectives convention is issued from
        their form, and signed, its signed copy filed (as the current user, a manager)."""
        associations = self.env["conseil.association"].search(
            [("company_id", "=", self.env.company.id), ("needs_convention", "=", True)]
        )
        Convention = self.env["conseil.objectives.convention"]
        for association in associations:
            convention = Convention.browse(association.action_issue_objectives_convention()["res_id"])
            convention.write(
                {"signed_copy": base64.b64encode(signed_copy()), "signed_copy_name": "convention-signee.pdf"}
            )
            convention.action_sign()
