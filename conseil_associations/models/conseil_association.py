import re
from collections import defaultdict
from datetime import date

from markupsafe import Markup
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)
from stdnum.fr import siret as stdnum_siret

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, email_normalize, format_amount

from .conseil_facts import LIVED_STATES, MANAGER, OFFICER, VALUED_STATES
from .conseil_guarded import DATES, holder_message, plausible_values, text_to_html

# What an association's people may propose to change from the portal; an officer applies it.
# Its identifiers (RNA, SIRET) are the registers', never proposed from the portal.
PORTAL_PROPOSABLE = (
    "name",
    "street",
    "street2",
    "zip",
    "city",
    "phone",
    "email",
    "website",
    "purpose",
    "volunteer_count",
    "senior_volunteer_count",
    "beneficiary_count",
)
PORTAL_COMMENT_MAX = 5_000

# "Key (company_id, rna)=(1, W123456789) already exists."
_UNIQUE_DETAIL = re.compile(r"\)=\((\d+), (.*)\) already exists")


def _identifier_taken(field_name):
    """Name the association that already holds an identifier, for the RPC error."""

    def name_holder(env, match):
        holder = (
            env["conseil.association"]
            .with_context(active_test=False)
            .search([("company_id", "=", int(match[1])), (field_name, "=", match[2])], limit=1)
        )
        return env["conseil.association"]._identifier_taken_message(field_name, match[2], holder)

    return holder_message(
        _UNIQUE_DETAIL,
        name_holder,
        lambda env: env._("This identifier is already used by another association of this company."),
    )


class ConseilAssociation(models.Model):
    _name = "conseil.association"
    _description = "Association"
    _inherit = ["mail.thread", "mail.activity.mixin", "conseil.mailing.mixin", "conseil.guarded.mixin"]
    _inherits = {"res.partner": "partner_id"}
    _order = "name, id"

    # The contact behind the association is created with it and stays its own.
    _server_fields = frozenset({"partner_id"})
    _plausible = {
        "council_member_since": DATES,
        "volunteer_count": (0, 1_000_000),
        "senior_volunteer_count": (0, 1_000_000),
        "beneficiary_count": (0, 100_000_000),
        "rna": 32,
        "siret": 32,
        "purpose": 5_000,
    }

    partner_id = fields.Many2one(
        "res.partner",
        string="Contact Record",
        required=True,
        ondelete="restrict",
        index=True,
        readonly=True,
        copy=False,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    active = fields.Boolean(default=True, tracking=True)
    rna = fields.Char(
        string="RNA Number",
        tracking=True,
        help="Number of the association in the national register of associations "
        "(Répertoire national des associations): W followed by 9 digits. "
        "Associations of Alsace-Moselle, registered with the local court, have none.",
    )
    siret = fields.Char(
        string="SIRET",
        tracking=True,
        help="14-digit establishment number from the SIRENE register. Required by the "
        "open-data publication of subsidies when the association has no RNA number.",
    )
    purpose = fields.Text(
        help="The association's object, as declared in its statutes.",
    )
    theme_ids = fields.Many2many(
        "conseil.theme",
        "conseil_association_theme_rel",
        "association_id",
        "theme_id",
        string="Themes",
        check_company=True,
    )
    volunteer_count = fields.Integer(string="Volunteers", default=0, tracking=True)
    senior_volunteer_count = fields.Integer(
        string="Senior Volunteers",
        tracking=True,
        help="Volunteers aged 65 or more, included in the number of volunteers.",
    )
    beneficiary_count = fields.Integer(
        string="Beneficiaries per Year",
        tracking=True,
        help="People the association serves in a year.",
    )
    is_council_member = fields.Boolean(
        string="Council Member",
        index=True,
        tracking=True,
        help="The association takes part in the twice-monthly council and is invited to every session.",
    )
    council_member_since = fields.Date(tracking=True)
    referent_user_id = fields.Many2one(
        "res.users",
        string="Referent Officer",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
        check_company=True,
        help="The town-hall officer who follows this association.",
    )

    attendance_ids = fields.One2many("conseil.meeting.attendance", "association_id", string="Sessions")
    progress_report_ids = fields.One2many(
        "conseil.progress.report", "association_id", string="Progress Reports"
    )
    session_count = fields.Integer(compute="_compute_attendance_stats", string="Sessions Invited")
    attendance_rate = fields.Float(
        compute="_compute_attendance_stats",
        string="Attendance (12 months)",
        help="Share of the sessions held in the last 12 months to which the association was invited "
        "and where it was present. An excused absence counts as an absence.",
    )
    progress_report_count = fields.Integer(compute="_compute_progress_report_count")
    loan_ids = fields.One2many("conseil.loan", "association_id", string="Loans")
    loan_count = fields.Integer(compute="_compute_loan_count")
    introduction_count = fields.Integer(compute="_compute_introduction_count")
    subsidy_ids = fields.One2many("conseil.subsidy", "association_id", string="Subsidies")
    currency_id = fields.Many2one(related="company_id.currency_id")
    aid_cash = fields.Monetary(
        compute="_compute_aid", string="Cash Aid This Year", help="Cash subsidies of the current year."
    )
    aid_in_kind = fields.Monetary(
        compute="_compute_aid",
        string="In-Kind Aid This Year",
        help="Value in kind of the current year: the part of each loan that falls in it.",
    )
    aid_total = fields.Monetary(compute="_compute_aid", string="Total Aid This Year")
    needs_convention = fields.Boolean(
        compute="_compute_needs_convention",
        search="_search_needs_convention",
        string="Convention Required",
        help="The town's aid this year, cash and in kind, exceeds the threshold above which a convention is "
        "required (loi 2000-321 art. 10, décret 2001-495), and no signed objectives convention covers the year.",
    )
    objectives_convention_ids = fields.One2many(
        "conseil.objectives.convention", "association_id", string="Objectives Conventions"
    )
    need_ids = fields.One2many("conseil.need", "association_id", string="Needs")
    offer_ids = fields.One2many("conseil.offer", "association_id", string="Offers")
    partnership_given_ids = fields.One2many("conseil.partnership", "helper_id", string="Help Given")
    partnership_received_ids = fields.One2many("conseil.partnership", "helped_id", string="Help Received")
    partner_association_ids = fields.Many2many(
        "conseil.association",
        compute="_compute_partner_associations",
        string="Partners",
        help="Associations this one helps or is helped by.",
    )
    need_count = fields.Integer(compute="_compute_need_count")
    document_ids = fields.One2many("conseil.association.document", "association_id", string="Documents")
    document_missing_kinds = fields.Char(
        compute="_compute_document_attention",
        string="Documents Missing or Expired",
        help="The documents the town asks for that the association has not given, or whose validity has ended.",
    )
    document_attention = fields.Boolean(
        compute="_compute_document_attention",
        search="_search_document_attention",
        string="Documents to Ask For",
    )

    _rna_format = models.Constraint(
        "CHECK (rna ~ '^W[0-9]{9}$')",
        "An RNA number is the letter W followed by 9 digits, for example W595012345.",
    )
    _counts_positive = models.Constraint(
        "CHECK (volunteer_count >= 0 AND senior_volunteer_count >= 0 AND beneficiary_count >= 0)",
        "Volunteers, senior volunteers and beneficiaries cannot be negative.",
    )
    _seniors_within_volunteers = models.Constraint(
        "CHECK (COALESCE(senior_volunteer_count, 0) <= COALESCE(volunteer_count, 0))",
        "Senior volunteers are counted among the volunteers: there cannot be more of them.",
    )
    _rna_company_unique = models.UniqueIndex(
        "(company_id, rna) WHERE rna IS NOT NULL",
        _identifier_taken("rna"),
    )
    _siret_company_unique = models.UniqueIndex(
        "(company_id, siret) WHERE siret IS NOT NULL",
        _identifier_taken("siret"),
    )
    _values_plausible = plausible_values(_plausible)

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    def _compute_attendance_stats(self):
        Attendance = self.env["conseil.meeting.attendance"]
        invited = dict(
            Attendance._read_group([("association_id", "in", self.ids)], ["association_id"], ["__count"])
        )
        since = fields.Datetime.subtract(fields.Datetime.now(), months=12)
        held = {
            (association, state): count
            for association, state, count in Attendance._read_group(
                [
                    ("association_id", "in", self.ids),
                    ("meeting_id.state", "in", ("held", "published")),
                    ("meeting_date", ">=", since),
                ],
                ["association_id", "state"],
                ["__count"],
            )
        }
        for association in self:
            total = sum(count for (a, __), count in held.items() if a == association)
            present = held.get((association, "present"), 0)
            association.session_count = invited.get(association, 0)
            association.attendance_rate = 100.0 * present / total if total else 0.0

    def _compute_progress_report_count(self):
        counts = dict(
            self.env["conseil.progress.report"]._read_group(
                [("association_id", "in", self.ids)], ["association_id"], ["__count"]
            )
        )
        for association in self:
            association.progress_report_count = counts.get(association, 0)

    def _compute_loan_count(self):
        counts = dict(
            self.env["conseil.loan"]._read_group(
                [("association_id", "in", self.ids)], ["association_id"], ["__count"]
            )
        )
        for association in self:
            association.loan_count = counts.get(association, 0)

    def _compute_introduction_count(self):
        counts = dict(
            self.env["conseil.introduction"]._read_group(
                [("association_id", "in", self.ids)], ["association_id"], ["__count"]
            )
        )
        for association in self:
            association.introduction_count = counts.get(association, 0)

    @api.depends_context("conseil_aid_year")
    def _compute_aid(self):
        totals = self._aid_totals(self._aid_year())
        for association in self:
            cash, in_kind = totals.get(association.id, (0.0, 0.0))
            association.aid_cash = cash
            association.aid_in_kind = in_kind
            association.aid_total = cash + in_kind

    @api.depends_context("conseil_aid_year")
    def _compute_needs_convention(self):
        """Above the threshold, a convention is required until a signed one covers the year."""
        year = self._aid_year()
        totals = self._aid_totals(year)
        signed = self.env["conseil.objectives.convention"]._signed_years(self, year)
        for association in self:
            total = sum(totals.get(association.id, (0.0, 0.0)))
            association.needs_convention = (
                total > association.company_id.conseil_convention_threshold and association.id not in signed
            )

    def _search_needs_convention(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the convention flag."))
        year = self._aid_year()
        self.env["conseil.loan"].flush_model(["value_by_year", "state", "association_id", "company_id"])
        self.env["conseil.subsidy"].flush_model(["amount", "year", "association_id", "company_id"])
        self.env["conseil.objectives.convention"].flush_model(
            ["association_id", "state", "date_start", "date_end"]
        )
        self.env.cr.execute(
            SQL(
                """SELECT a.association_id FROM conseil_aid a JOIN res_company c ON c.id = a.company_id
                    WHERE a.year = %(year)s AND NOT EXISTS (
                          SELECT 1 FROM conseil_objectives_convention o
                           WHERE o.association_id = a.association_id AND o.state = 'signed'
                             AND EXTRACT(YEAR FROM o.date_start) <= %(year)s
                             AND EXTRACT(YEAR FROM o.date_end) >= %(year)s)
                    GROUP BY a.association_id, c.conseil_convention_threshold
                   HAVING SUM(a.value) > c.conseil_convention_threshold""",
                year=year,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        return [("id", "in" if (operator == "=") == value else "not in", ids)]

    def _aid_year(self):
        """The year of the aid figures: the one asked for when it is plausible, else the current one."""
        year = self.env.context.get("conseil_aid_year")
        if isinstance(year, int) and not isinstance(year, bool) and DATES[0].year <= year < DATES[1].year:
            return year
        return fields.Date.context_today(self).year

    def _aid_totals(self, year):
        """{association id: (cash, in kind)} of a year, in one query."""
        self.env["conseil.loan"].flush_model(
            ["value_by_year", "year_first", "state", "date_start", "association_id"]
        )
        self.env["conseil.subsidy"].flush_model(["amount", "year", "association_id"])
        totals = {}
        for association, nature, value in self.env["conseil.aid"]._read_group(
            [("association_id", "in", self.ids), ("year", "=", year)],
            ["association_id", "nature"],
            ["value:sum"],
        ):
            cash, in_kind = totals.get(association.id, (0.0, 0.0))
            if nature == "cash":
                cash += value
            else:
                in_kind += value
            totals[association.id] = (cash, in_kind)
        return totals

    def _check_convention_threshold(self, year):
        """When the year's aid crosses the threshold, the Managers are asked for a convention."""
        activity_type = self.env.ref("conseil_associations.mail_activity_type_convention_required")
        totals = self.sudo()._aid_totals(year)  # a system check, whoever approved the loan
        signed = self.env["conseil.objectives.convention"]._signed_years(self, year)
        for association in self:
            total = sum(totals.get(association.id, (0.0, 0.0)))
            threshold = association.company_id.conseil_convention_threshold
            if total <= threshold or association.id in signed:
                continue
            already = association.sudo().activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type and str(year) in (a.summary or "")
            )
            if already:
                continue
            managers = self._role_holders(MANAGER, association.company_id)
            town = association._town()
            for manager in managers:
                association.sudo().activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=manager.id,
                    summary=town.env._("Convention required for %(year)s", year=year),
                    note=text_to_html(
                        town.env._(
                            "The town's aid to %(association)s in %(year)s reaches %(total)s, above %(threshold)s: "
                            "a convention is required.",
                            association=association.name,
                            year=year,
                            total=format_amount(town.env, total, association.currency_id),
                            threshold=format_amount(town.env, threshold, association.currency_id),
                        )
                    ),
                )

    def action_issue_objectives_convention(self):
        """The objectives convention of the year whose aid crosses the threshold: issued, and shown."""
        self.ensure_one()
        year = self._aid_year()
        Convention = self.env["conseil.objectives.convention"]
        convention = Convention.search(
            [("association_id", "=", self.id), ("year", "=", year), ("state", "!=", "cancelled")], limit=1
        )
        if not convention:
            convention = Convention.create(
                {
                    "association_id": self.id,
                    "company_id": self.company_id.id,
                    "year": year,
                    "date_start": date(year, 1, 1),
                    "date_end": date(year, 12, 31),
                    "object": self.purpose
                    or self._town().env._("The actions of general interest of %(name)s.", name=self.name),
                    "payment_terms": self.company_id._conseil_objectives_payment_terms(),
                    "conditions_of_use": self.company_id._conseil_objectives_conditions(),
                }
            )
        if convention.state == "draft":
            convention.action_issue()
        return {
            "type": "ir.actions.act_window",
            "res_model": Convention._name,
            "res_id": convention.id,
            "view_mode": "form",
        }

    def _compute_partner_associations(self):
        pairs = self.env["conseil.partnership"]._read_group(
            [
                ("state", "in", LIVED_STATES),
                "|",
                ("helper_id", "in", self.ids),
                ("helped_id", "in", self.ids),
            ],
            ["helper_id", "helped_id"],
        )
        partners = defaultdict(set)
        for helper, helped in pairs:
            partners[helper.id].add(helped.id)
            partners[helped.id].add(helper.id)
        for association in self:
            association.partner_association_ids = [(6, 0, sorted(partners.get(association.id, set())))]

    def _compute_document_attention(self):
        today = fields.Date.context_today(self)
        kinds = self.env["conseil.association.document"]._fields["kind"]._description_selection(self.env)
        lacking = self._documents_lacking(today)
        for association in self:
            missing = lacking.get(association.id, set())
            association.document_missing_kinds = ", ".join(label for kind, label in kinds if kind in missing)
            association.document_attention = bool(missing)

    def _search_document_attention(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        complete = self._complete_document_ids(fields.Date.context_today(self))
        wanted = value if operator == "=" else not value
        return [("id", "not in" if wanted else "in", complete)]

    def _compute_need_count(self):
        counts = dict(
            self.env["conseil.need"]._read_group(
                [("association_id", "in", self.ids)], ["association_id"], ["__count"]
            )
        )
        for association in self:
            association.need_count = counts.get(association, 0)

    # ------------------------------------------------------------
    # CONSTRAINTS AND ONCHANGES
    # ------------------------------------------------------------

    @api.constrains("siret")
    def _check_siret(self):
        """SIRET check digits (Luhn, or La Poste's rule) are beyond a SQL CHECK."""
        for association in self.filtered("siret"):
            try:
                stdnum_siret.validate(association.siret)
            except (InvalidChecksum, InvalidComponent):
                raise ValidationError(
                    self.env._(
                        "The SIRET %(siret)s of %(association)s is not valid: its check digit "
                        "is wrong. Copy it again from the association's SIRENE notice.",
                        siret=association.siret,
                        association=association.display_name,
                    )
                ) from None
            except (InvalidFormat, InvalidLength):
                raise ValidationError(
                    self.env._(
                        "The SIRET %(siret)s of %(association)s is not valid: a SIRET has exactly 14 digits.",
                        siret=association.siret,
                        association=association.display_name,
                    )
                ) from None

    @api.constrains("referent_user_id")
    def _check_referent_is_staff(self):
        self._check_internal_users("referent_user_id")

    @api.onchange("is_council_member")
    def _onchange_is_council_member(self):
        if self.is_council_member and not self.council_member_since:
            self.council_member_since = fields.Date.context_today(self)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        Company = self.env["res.company"]
        for vals in vals_list:
            self._normalize_identifiers(vals)
            vals.setdefault("is_company", True)
            if not vals.get("lang"):  # the town writes to its associations in its language, unless told
                vals["lang"] = (Company.browse(vals.get("company_id")) or self.env.company)._conseil_lang()
        self._check_identifiers_available(
            [(vals.get("company_id") or self.env.company.id, vals) for vals in vals_list]
        )
        associations = super().create(vals_list)
        associations._sync_partner_company()
        return associations

    def write(self, vals):
        self._normalize_identifiers(vals)
        if "company_id" in vals:
            self.filtered(
                lambda association: association.company_id.id != vals["company_id"]
            )._check_no_history(
                self.env._("%(association)s has a history in its commune: it cannot move to another one.")
            )
        if {"rna", "siret", "company_id"} & vals.keys():
            self._check_identifiers_available(
                [
                    (
                        vals.get("company_id") or association.company_id.id,
                        {"rna": association.rna, "siret": association.siret, **vals},
                    )
                    for association in self
                ],
                exclude=self,
            )
        result = super().write(vals)
        if "company_id" in vals:
            self._sync_partner_company()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        """An association with a history is archived, never deleted: its past sessions keep it."""
        self._check_no_history(
            self.env._("%(association)s has a history with the town (sessions, needs, loans, subsidies or "
                       "partnerships): archive it instead of deleting it.")
        )  # fmt: skip

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_sessions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "conseil_associations.conseil_meeting_attendance_action"
        )
        action["domain"] = [("association_id", "=", self.id)]
        action["context"] = {"default_association_id": self.id}
        return action

    def action_view_subsidies(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("conseil_associations.conseil_subsidy_action")
        action["domain"] = [("association_id", "=", self.id)]
        action["context"] = {"default_association_id": self.id}
        return action

    def action_print_statement(self):
        """The yearly in-kind statement of this association, for the current year."""
        return self.env["conseil.statement.wizard"]._print(self, self._aid_year())

    @api.model
    def _statement_domain(self, year):
        """The loans an in-kind statement certifies: used in ``year``, and already lent, not only promised."""
        return [
            ("state", "in", VALUED_STATES),
            ("year_first", "<=", year),
            ("year_last", ">=", year),
            ("date_start", "<=", fields.Datetime.now()),
        ]

    def _statement_lines(self, year):
        """Loans used in ``year``, grouped by nature, each with its quantity and value of that year, and the
        association's suggested accounts."""
        self.ensure_one()
        loans = self.env["conseil.loan"].search(
            [("association_id", "=", self.id), *self._statement_domain(year)], order="loan_type, date_start"
        )
        accounts = {
            "vehicle": self.env._("861 Free provision of goods / 871 Services in kind"),
            "room": self.env._("861 Free provision of goods / 871 Services in kind"),
            "agent": self.env._("862 Services / 871 Services in kind"),
            "equipment": self.env._("861 Free provision of goods / 871 Services in kind"),
        }
        lines = [{"loan": loan, **loan._year_share(year)} for loan in loans]
        natures = []
        for kind, label in self.env["conseil.loan"]._fields["loan_type"]._description_selection(self.env):
            kind_lines = [line for line in lines if line["loan"].loan_type == kind]
            if kind_lines:
                natures.append(
                    {
                        "label": label,
                        "account": accounts[kind],
                        "lines": kind_lines,
                        "loans": loans.browse([line["loan"].id for line in kind_lines]),
                        "total": self.currency_id.round(sum(line["value"] for line in kind_lines)),
                    }
                )
        return {
            "natures": natures,
            "lines": lines,
            "total": self.currency_id.round(sum(line["value"] for line in lines)),
            "loans": loans,
        }

    def action_view_needs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("conseil_associations.conseil_need_action")
        action["domain"] = [("association_id", "=", self.id)]
        action["context"] = {"default_association_id": self.id}
        return action

    def action_view_loans(self):
        self.ensure_one()
        return self.env["conseil.loan"]._action_for_records("association_id", self)

    def action_view_introductions(self):
        self.ensure_one()
        return self.env["conseil.introduction"]._action_for_records("association_id", self)

    def action_view_progress_reports(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "conseil_associations.conseil_progress_report_action"
        )
        action["domain"] = [("association_id", "=", self.id)]
        action["context"] = {"default_association_id": self.id}
        return action

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _conseil_mail_association(self):
        """The association hears of its own documents."""
        self.ensure_one()
        return self

    def _documents_to_send(self):
        """What the documents mail asks for: [(label, valid until)] of the documents expiring or expired, and
        the labels of the kinds never given."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        Document = self.env["conseil.association.document"].sudo()
        current = Document.search([("association_id", "=", self.id)])
        labels = dict(Document._fields["kind"]._description_selection(self.env))
        ending = [
            (labels[document.kind], document.date_expiry)
            for document in current
            if document._validity_on(today) != "valid"
        ]
        never_given = [label for kind, label in labels.items() if kind not in set(current.mapped("kind"))]
        return ending, never_given

    def _documents_lacking(self, day):
        """{association id: the kinds it has no current, unexpired document of, on ``day``}."""
        all_kinds = {kind for kind, __ in self.env["conseil.association.document"]._fields["kind"].selection}
        held = defaultdict(set)
        documents = (
            self.env["conseil.association.document"]
            .sudo()
            .search_fetch(
                [
                    ("association_id", "in", self.ids),
                    "|",
                    ("date_expiry", "=", False),
                    ("date_expiry", ">=", day),
                ],
                ["association_id", "kind"],
            )
        )
        for document in documents:
            held[document.association_id.id].add(document.kind)
        return {association.id: all_kinds - held[association.id] for association in self}

    @api.model
    def _complete_document_ids(self, day):
        """Ids of the associations holding every kind of document, valid on ``day``: one grouped query."""
        kinds = self.env["conseil.association.document"]._fields["kind"].selection
        rows = (
            self.env["conseil.association.document"]
            .sudo()
            ._read_group(
                ["|", ("date_expiry", "=", False), ("date_expiry", ">=", day)],
                ["association_id"],
                ["kind:count_distinct"],
            )
        )
        return [association.id for association, count in rows if count == len(kinds)]

    def action_grant_portal_access(self):
        """Odoo's own *Grant portal access*, on the association and its people."""
        self.ensure_one()
        partners = self.partner_id | self.partner_id.child_ids.filtered(
            lambda p: p.type in ("contact", "other")
        )
        wizard = self.env["portal.wizard"].create({"partner_ids": [Command.set(partners.ids)]})
        return wizard._action_open_modal()

    def _portal_propose_change(self, vals, comment="", people=None):
        """A person of the association proposes a change of its record or of its people: the officer applies it.

        Called as the portal user: the record must be theirs to read. Nothing is
        written to the association; the proposed values, checked by the same rules
        as the back office, are posted in its chatter as a table of differences,
        and its referent officer (else the commune's officers) gets an activity.
        Returns the list of (label, current, proposed) changes.
        """
        self.ensure_one()
        self.check_access("read")
        unknown = vals.keys() - set(PORTAL_PROPOSABLE)
        if unknown & {"rna", "siret"}:
            raise UserError(
                self.env._(
                    "The RNA and SIRET numbers are those of the registers: only the town hall changes them."
                )
            )
        if unknown:
            raise UserError(
                self.env._(
                    "%(fields)s cannot be proposed from the portal.", fields=", ".join(sorted(unknown))
                )
            )
        comment = (comment or "").strip()
        if len(comment) > PORTAL_COMMENT_MAX:
            raise ValidationError(
                self.env._("Your message is limited to %(limit)s characters.", limit=PORTAL_COMMENT_MAX)
            )
        vals = self._check_plausible(vals)
        if vals.get("email") and not email_normalize(vals["email"]):
            raise ValidationError(self.env._("%(email)s is not a valid email address.", email=vals["email"]))
        record = self.sudo()
        volunteers = vals.get("volunteer_count", record.volunteer_count) or 0
        seniors = vals.get("senior_volunteer_count", record.senior_volunteer_count) or 0
        if seniors > volunteers:
            raise ValidationError(
                self.env._(
                    "Senior volunteers are counted among the volunteers: there cannot be more of them."
                )
            )
        town = record._town()  # the officer reads the proposal in the commune's language
        changes = []
        for name in PORTAL_PROPOSABLE:
            if name not in vals:
                continue
            field = self._fields[name]
            current, proposed = record[name], vals[name]
            if field.type == "integer":
                current, proposed = current or 0, int(proposed or 0)
            else:
                current, proposed = current or "", proposed or ""
            if current != proposed:
                changes.append((field._description_string(town.env), current, proposed))
        changes += self._portal_people_changes(people or {})
        if not changes and not comment:
            raise UserError(
                self.env._("Nothing to propose: change a value or write a message to the town hall.")
            )
        record._post_portal_proposal(changes, comment)
        return changes

    def _portal_people_changes(self, people):
        """(label, current, proposed) rows for the association's people: ``people`` maps a contact's id (one
        of the association's, read as the server after the association was read as the user) or ``"new"``
        to its proposed name, role, email and phone."""
        partner = self.sudo().partner_id
        Partner = self.env["res.partner"]
        town = self.sudo()._town()  # the officer reads the proposal in the commune's language
        roles = dict(Partner._fields["conseil_role"]._description_selection(town.env))
        labels = {
            name: Partner._fields[name]._description_string(town.env)
            for name in ("name", "conseil_role", "email", "phone")
        }
        changes = []
        for key, proposed in people.items():
            person = partner.child_ids.filtered(lambda child, key=key: str(child.id) == str(key))
            if key != "new" and not person:
                raise AccessError(self.env._("This person is not one of the association's contacts."))
            proposed = {name: (proposed.get(name) or "").strip() for name in labels}
            if key == "new" and not any(proposed.values()):
                continue
            for name, value in proposed.items():
                if len(value) > 128:
                    raise ValidationError(
                        self.env._("%(field)s is limited to 128 characters.", field=labels[name])
                    )
            if not proposed["name"]:
                raise ValidationError(self.env._("Give the name of each person of the association."))
            if proposed["conseil_role"] and proposed["conseil_role"] not in roles:
                raise ValidationError(self.env._("Choose the role of %(person)s.", person=proposed["name"]))
            if proposed["email"] and not email_normalize(proposed["email"]):
                raise ValidationError(
                    self.env._("%(email)s is not a valid email address.", email=proposed["email"])
                )
            who = person.name if person else town.env._("New person")
            for name, value in proposed.items():
                current = (person[name] or "") if person else ""
                if value != current:
                    shown = [roles.get(v, v) if name == "conseil_role" else v for v in (current, value)]
                    changes.append((f"{who} — {labels[name]}", *shown))
        return changes

    def _post_portal_proposal(self, changes, comment):
        """The proposal in the chatter, from its author, and an activity for the officer who applies it."""
        self.ensure_one()
        town = self._town()
        author = self.env.user.partner_id
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td></tr>") % (label, current, proposed)
            for label, current, proposed in changes
        )
        body = Markup("<p>%s</p>") % town.env._(
            "%(person)s proposes changes from the portal.", person=author.name
        )
        if changes:
            body += Markup(
                "<table class='table table-sm'><tr><th>%s</th><th>%s</th><th>%s</th></tr>%s</table>"
            ) % (
                town.env._("Field"),
                town.env._("Current"),
                town.env._("Proposed"),
                rows,
            )
        if comment:
            body += text_to_html(comment)
        self.sudo().message_post(
            body=body, author_id=author.id, message_type="comment", subtype_xmlid="mail.mt_note"
        )
        officers = self.referent_user_id or self._role_holders(OFFICER, self.company_id)
        activity_type = self.env.ref("conseil_associations.mail_activity_type_portal_change")
        for officer in officers:
            self.sudo().activity_schedule(
                activity_type_id=activity_type.id,
                user_id=officer.id,
                summary=town.env._("Changes proposed by %(person)s", person=author.name),
                note=body,
            )

    @api.model
    def _normalize_identifiers(self, vals):
        """Store identifiers as the registers print them: no spaces, upper case."""
        for field_name in ("rna", "siret"):
            if field_name in vals:
                value = re.sub(r"[\s.\-]", "", vals[field_name] or "").upper()
                vals[field_name] = value or False

    @api.model
    def _check_identifiers_available(self, company_vals, exclude=None):
        """Refuse an RNA or SIRET already held in the company, naming its holder.

        Checked before writing so the user reads which association holds it; the
        unique indexes still hold the rule when two requests race.
        """
        exclude = exclude or self.browse()
        for field_name in ("rna", "siret"):
            requested = [
                (company_id, vals[field_name]) for company_id, vals in company_vals if vals.get(field_name)
            ]
            wanted = set(requested)
            if not wanted:
                continue
            if len(wanted) < len(requested):  # the same number twice in one batch
                duplicate = next(key for key in wanted if requested.count(key) > 1)
                raise ValidationError(self._identifier_taken_message(field_name, duplicate[1], self.browse()))
            # with the user's rights: another commune's association is never named
            holders = self.with_context(active_test=False).search(
                [
                    (field_name, "in", [value for __, value in wanted]),
                    ("company_id", "in", [company_id for company_id, __ in wanted]),
                    ("id", "not in", exclude.ids),
                ]
            )
            for holder in holders:
                if (holder.company_id.id, holder[field_name]) in wanted:
                    raise ValidationError(
                        self._identifier_taken_message(field_name, holder[field_name], holder)
                    )

    def _check_no_history(self, message):
        """Refuse with ``message`` (naming the association) when one of them has a history."""
        history = {
            "conseil.meeting.attendance": ["association_id"],
            "conseil.progress.report": ["association_id"],
            "conseil.need": ["association_id"],
            "conseil.loan": ["association_id"],
            "conseil.subsidy": ["association_id"],
            "conseil.partnership": ["helper_id", "helped_id"],
        }
        for model, field_names in history.items():
            for field_name in field_names:
                rows = self.env[model].sudo()._read_group([(field_name, "in", self.ids)], [field_name])
                if rows:
                    raise UserError(message % {"association": rows[0][0].name})

    def _sync_partner_company(self):
        """The contact belongs to the association's commune, so it never shows in another one."""
        for association in self:
            if association.partner_id.company_id != association.company_id:
                association.partner_id.sudo().company_id = association.company_id

    @api.model
    def _identifier_taken_message(self, field_name, value, holder):
        label = self._fields[field_name]._description_string(self.env)
        if not holder:
            return self.env._(
                "%(label)s %(value)s is already used by another association of this company.",
                label=label,
                value=value,
            )
        return self.env._(
            "%(label)s %(value)s is already used by the association %(association)s. "
            "Open that association instead of creating a duplicate.",
            label=label,
            value=value,
            association=holder.display_name,
        )
