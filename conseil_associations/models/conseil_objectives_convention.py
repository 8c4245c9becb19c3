import base64
import io
from datetime import date, timedelta

from PIL import Image

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount, format_date
from odoo.tools.mimetypes import guess_mimetype
from odoo.tools.pdf import PdfFileReader

from .conseil_facts import MANAGER
from .conseil_guarded import DATES, plausible_values, text_to_html

REPORT = "conseil_associations.action_report_objectives_convention"
# What the town and the association agree on: frozen once the convention is issued.
TERMS = frozenset(
    {
        "association_id",
        "company_id",
        "year",
        "date_start",
        "date_end",
        "object",
        "payment_terms",
        "conditions_of_use",
        "reporting_obligations",
    }
)
# A signed copy is a PDF or a scan.
SIGNED_COPY_TYPES = ("application/pdf", "image/jpeg", "image/png")
SIGNED_COPY_MAX = 20 * 1024 * 1024
# The longest notice a town may set before a convention expires (res.company's check).
EXPIRY_NOTICE_MAX = 365


class ConseilObjectivesConvention(models.Model):
    """Convention d'objectifs (loi 2000-321 art. 10, décret 2001-495).

    Above the threshold of aid in a year (23 000 €, cash and in kind valued),
    the town signs with the association a convention stating the object, the
    amount and its breakdown, and how the aid is paid, used and accounted for.
    It is issued (numbered, its PDF filed), then signed: the signed copy is
    kept, and only a signed convention clears the association's flag for the
    years it covers.
    """

    _name = "conseil.objectives.convention"
    _description = "Objectives Convention"
    _inherit = ["mail.thread", "mail.activity.mixin", "conseil.workflow.mixin", "conseil.act.mixin"]
    _check_company_auto = True
    _order = "year desc, id desc"

    _server_fields = frozenset(
        {"state", "name", "issued_on", "signed_on", "signed_attachment_id", "expiry_reminded"}
    )
    _transitions = {
        ("draft", "issued"): "manager",
        ("issued", "signed"): "manager",
        ("draft", "cancelled"): "manager",
        ("issued", "cancelled"): "manager",
        ("signed", "cancelled"): "manager",
    }
    _moves = {
        "issue": ("issued", ("draft",)),
        "sign": ("signed", ("issued",)),
        "cancel": ("cancelled", None),
    }
    _editable_by_state = {"draft": TERMS, "issued": frozenset({"signed_copy", "signed_copy_name"})}
    _editable_groups = {"can_edit_terms": TERMS}
    _kanban_states = ("draft", "issued", "signed")
    _plausible = {
        "date_start": DATES,
        "date_end": DATES,
        "issued_on": DATES,
        "signed_on": DATES,
        "year": (DATES[0].year, DATES[1].year - 1),
        "name": 64,
        "object": 10_000,
        "payment_terms": 5_000,
        "conditions_of_use": 5_000,
        "reporting_obligations": 5_000,
        "signed_copy_name": 256,
    }

    name = fields.Char(string="Number", required=True, readonly=True, copy=False, default="/")
    state = fields.Selection(
        [("draft", "Draft"), ("issued", "Issued"), ("signed", "Signed"), ("cancelled", "Cancelled")],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand="_expand_states",
    )
    association_id = fields.Many2one(
        "conseil.association",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    year = fields.Integer(
        string="Year of the Aid",
        required=True,
        aggregator=False,
        tracking=True,
        default=lambda self: fields.Date.context_today(self).year,
        help="The year whose aid the convention states, amount and breakdown.",
    )
    date_start = fields.Date(
        string="Valid From",
        required=True,
        tracking=True,
        default=lambda self: date(fields.Date.context_today(self).year, 1, 1),
    )
    date_end = fields.Date(
        string="Valid Until",
        required=True,
        tracking=True,
        default=lambda self: date(fields.Date.context_today(self).year, 12, 31),
        help="Four years at most: the convention covers each year of its validity.",
    )
    object = fields.Text(
        required=True,
        help="The programme of actions of general interest the association commits to, which the aid supports.",
    )
    payment_terms = fields.Text(default=lambda self: self.env.company._conseil_objectives_payment_terms())
    conditions_of_use = fields.Text(
        string="Conditions of Use", default=lambda self: self.env.company._conseil_objectives_conditions()
    )
    reporting_obligations = fields.Text(default=lambda self: self._default_reporting_obligations())
    amount_cash = fields.Monetary(compute="_compute_amounts", string="Subsidies")
    amount_in_kind = fields.Monetary(compute="_compute_amounts", string="Aid in Kind")
    amount_total = fields.Monetary(compute="_compute_amounts", string="Amount")
    issued_on = fields.Date(readonly=True, copy=False)
    signed_on = fields.Date(readonly=True, copy=False, tracking=True)
    signed_copy = fields.Binary(
        string="Signed Copy to File",
        attachment=True,
        copy=False,
        help="The convention signed by the mayor and the association's president (PDF or scan), filed when the "
        "convention is marked signed.",
    )
    signed_copy_name = fields.Char(copy=False)
    signed_attachment_id = fields.Many2one("ir.attachment", string="Signed Copy", readonly=True, copy=False)
    expiry_reminded = fields.Boolean(readonly=True, copy=False)
    can_issue = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_sign = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_cancel = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_edit_terms = fields.Boolean(compute="_compute_can_edit", export_string_translation=False)

    _dates_ordered = models.Constraint(
        "CHECK (date_end >= date_start)", "An objectives convention ends after it starts."
    )
    _four_years_at_most = models.Constraint(
        "CHECK (date_end < date_start + interval '4 years')",
        "An objectives convention lasts four years at most (loi 2000-321, art. 10): a longer one is a new "
        "convention.",
    )
    _one_per_year = models.UniqueIndex(
        "(association_id, year) WHERE state != 'cancelled'",
        "This association already has an objectives convention for this year: cancel it first.",
    )
    _number_unique = models.UniqueIndex(
        "(company_id, name) WHERE name != '/'", "This number is already given."
    )
    _values_plausible = plausible_values(_plausible)

    # ------------------------------------------------------------
    # COMPUTES AND CONSTRAINTS
    # ------------------------------------------------------------

    @api.depends("association_id", "year")
    def _compute_amounts(self):
        for convention in self:
            breakdown = convention._aid_breakdown()
            convention.amount_cash = breakdown["cash"]
            convention.amount_in_kind = breakdown["in_kind"]
            convention.amount_total = breakdown["cash"] + breakdown["in_kind"]

    @api.depends("name", "association_id", "year")
    def _compute_display_name(self):
        for convention in self:
            number = convention.name if convention.name != "/" else self.env._("Draft convention")
            convention.display_name = f"{number} - {convention.association_id.name or ''} ({convention.year})"

    @api.constrains("year", "date_start", "date_end")
    def _check_year_covered(self):
        for convention in self:
            if not convention.date_start.year <= convention.year <= convention.date_end.year:
                raise ValidationError(
                    self.env._(
                        "The convention states the aid of %(year)s: its validity must cover that year.",
                        year=convention.year,
                    )
                )

    @api.model
    def _default_reporting_obligations(self):
        return self.env.company._conseil_town_env()._(
            "Within six months of the end of each year of the convention, the association sends the town the "
            "compte rendu financier of the actions the aid supported (loi 2000-321, art. 10, al. 6; arrêté of "
            "11 October 2006), with its annual accounts and its activity report. It keeps them at the disposal of "
            "the town and of the public."
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_issue(self):
        """Number the convention and file its PDF: its terms and its amounts are kept as issued."""
        self._check_move("issue")
        self._conseil_lock_rows()
        self.invalidate_recordset()
        for convention in self.filtered(lambda convention: convention.state == "draft"):
            town = convention._town().env
            number = self.env["ir.sequence"]._conseil_next(
                self._name,
                convention.company_id,
                town._("Objectives conventions of %(company)s", company=convention.company_id.name),
                "COBJ/%(range_year)s/",
                fields.Date.context_today(self),
            )
            convention._move("issue", {"name": number, "issued_on": fields.Date.context_today(self)})
            act = convention._conseil_issue_act(REPORT, lang=convention.company_id._conseil_lang())
            convention.sudo().message_post(
                body=town._(
                    "Convention %(number)s issued by %(user)s.", number=number, user=self.env.user.name
                ),
                attachment_ids=act.ids,
            )
        return True

    def action_sign(self):
        """File the signed copy the manager gave: the convention now clears the flag of the years it covers."""
        self._check_move("sign")
        for convention in self:
            raw = convention._check_signed_copy()
            town = convention._town().env
            copy = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": town._(
                            "Signed convention %(number)s", number=convention.name.replace("/", "-")
                        )
                        + "."
                        + (convention.signed_copy_name or "pdf").rsplit(".", 1)[-1].lower()[:5],
                        "raw": raw,
                        "res_model": self._name,
                        "res_id": convention.id,
                        "conseil_act": True,
                    }
                )
            )
            convention._move(
                "sign",
                {
                    "signed_on": fields.Date.context_today(self),
                    "signed_attachment_id": copy.id,
                    "signed_copy": False,
                    "signed_copy_name": False,
                },
            )
            convention.sudo().message_post(
                body=town._("Signed copy filed by %(user)s.", user=self.env.user.name),
                attachment_ids=copy.ids,
            )
            convention._close_required_activities()
        return True

    def action_cancel(self):
        """Cancel the convention: its issued act and signed copy stay filed, and the flag comes back."""
        self._check_move("cancel")
        for convention in self:
            convention._move("cancel")
            convention.sudo().message_post(
                body=convention._town().env._(
                    "Convention cancelled by %(user)s: its act stays filed, cancelled.",
                    user=self.env.user.name,
                )
            )
            convention.association_id._check_convention_threshold(convention.year)
        return True

    # ------------------------------------------------------------
    # RULES
    # ------------------------------------------------------------

    def _workflow_roles(self):
        return {"manager"} if self.env.user.has_group(MANAGER) else set()

    def _role_label(self, role):
        return self.env._("council managers") if role == "manager" else role

    def _check_signed_copy(self):
        """The signed copy the manager uploaded: a PDF or a scan, of a sensible size."""
        self.ensure_one()
        if not self.signed_copy:
            raise UserError(
                self.env._("Upload the signed copy of %(convention)s first.", convention=self.display_name)
            )
        raw = base64.b64decode(self.with_context(bin_size=False).signed_copy)
        if (
            len(raw) > SIGNED_COPY_MAX
            or guess_mimetype(raw) not in SIGNED_COPY_TYPES
            or not self._readable_document(raw)
        ):
            raise ValidationError(self.env._("The signed copy is a PDF, JPEG or PNG file of 20 MB at most."))
        return raw

    @staticmethod
    def _readable_document(raw):
        """Whether the file is what it says it is: a PDF with pages, or an image (not only its first bytes)."""
        try:
            if raw.startswith(b"%PDF"):
                return PdfFileReader(io.BytesIO(raw), strict=False).getNumPages() > 0
            Image.open(io.BytesIO(raw)).verify()
        except Exception:
            return False
        return True

    def _covered_years(self):
        self.ensure_one()
        return range(self.date_start.year, self.date_end.year + 1)

    def _close_required_activities(self):
        """The activities « Convention required for <year> » of the years the convention covers are done."""
        activity_type = self.env.ref("conseil_associations.mail_activity_type_convention_required")
        years = {str(year) for year in self._covered_years()}
        activities = self.association_id.sudo().activity_ids.filtered(
            lambda activity: activity.activity_type_id == activity_type
            and any(year in (activity.summary or "") for year in years)
        )
        if activities:
            activities.action_feedback(
                feedback=self._town().env._("Convention %(number)s signed.", number=self.name)
            )

    def _aid_breakdown(self):
        """The aid of the convention's year: the subsidies one by one, the aid in kind by kind of resource."""
        self.ensure_one()
        empty = {"subsidies": [], "in_kind_lines": [], "cash": 0.0, "in_kind": 0.0}
        if not (self.association_id and self.year):
            return empty
        Aid = self.env["conseil.aid"].sudo()
        rows = Aid.search(
            [("association_id", "=", self.association_id.id), ("year", "=", self.year)], order="date, id"
        )
        kinds = dict(Aid._fields["kind"]._description_selection(self.env))
        in_kind = {}
        for row in rows.filtered(lambda row: row.nature == "in_kind"):
            in_kind[row.kind] = in_kind.get(row.kind, 0.0) + row.value
        subsidies = rows.filtered(lambda row: row.nature == "cash")
        return {
            "subsidies": [(row.subsidy_id.name, row.value) for row in subsidies],
            "in_kind_lines": [(kinds.get(kind, kind), value) for kind, value in in_kind.items()],
            "cash": sum(subsidies.mapped("value")),
            "in_kind": sum(in_kind.values()),
        }

    def _format_amount(self, amount):
        return format_amount(self.env, amount, self.currency_id)

    @api.model
    def _signed_years(self, associations, year):
        """The ids of ``associations`` a signed convention covers in ``year``."""
        signed = self.sudo().search(
            [
                ("association_id", "in", associations.ids),
                ("state", "=", "signed"),
                ("date_start", "<=", date(year, 12, 31)),
                ("date_end", ">=", date(year, 1, 1)),
            ]
        )
        return set(signed.association_id.ids)

    @api.model
    def _cron_remind_expiry(self):
        """N days before a signed convention expires (a setting of the town), its managers hear it, once."""
        today = fields.Date.context_today(self)
        expiring = (
            self.sudo()
            .search(
                [
                    ("state", "=", "signed"),
                    ("expiry_reminded", "=", False),
                    ("date_end", ">=", today),
                    ("date_end", "<=", today + timedelta(days=EXPIRY_NOTICE_MAX)),
                ]
            )
            .filtered(
                lambda convention: convention.date_end
                <= today + timedelta(days=convention.company_id.conseil_objectives_expiry_days)
            )
        )
        activity_type = self.env.ref("conseil_associations.mail_activity_type_objectives_convention_expiry")
        for convention in expiring:
            town = convention._town().env
            for user in self._role_holders(MANAGER, convention.company_id):
                convention.activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=user.id,
                    date_deadline=convention.date_end,
                    summary=town._("Convention %(number)s expires", number=convention.name),
                    note=text_to_html(
                        town._(
                            "The objectives convention %(number)s with %(association)s expires on %(end)s: "
                            "prepare the next one if the town's aid continues above the threshold.",
                            number=convention.name,
                            association=convention.association_id.name,
                            end=format_date(town, convention.date_end),
                        )
                    ),
                )
        expiring.write({"expiry_reminded": True})
        return expiring
