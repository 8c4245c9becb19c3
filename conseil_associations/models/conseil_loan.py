import math
import re
from collections import Counter
from datetime import datetime, time, timedelta

import psycopg2
import pytz
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_amount, format_datetime, format_list, mute_logger

from .conseil_facts import (
    APPROVER_GROUPS,
    BLOCKING_STATES,
    MANAGER,
    OFFICER,
    RESOURCE_FIELDS,
    VALUED_STATES,
    sql_list,
)
from .conseil_guarded import DATES, format_quantity, holder_message, plausible_values, text_to_html
from .conseil_loan_terms import TERMS_PLAUSIBLE

# What the requesting side agrees on: frozen once the loan is approved.
TERMS = frozenset(
    {
        "loan_type",
        "association_id",
        "purpose",
        "date_start",
        "date_end",
        "vehicle_id",
        "employee_id",
        "room_id",
        "weekly_hours",
        "agent_consent_date",
        "convention_ref",
        "council_informed_date",
        "reimbursement",
        "waiver_reason",
        "expected_attendance",
        "agent_activities",
        "agent_workplace",
        "agent_schedule",
        "agent_evaluation",
        "line_ids",
        "department_id",
        "total_hours",
    }
)
# What is settled when the resource is handed over: the driver, the keys, the odometer.
HANDOVER = frozenset(
    {"driver_id", "licence_checked_on", "key_handover_time", "odometer_start", "driver_licence"}
)
# What is known once the resource is in use.
USE = frozenset({"actual_hours"})
# An agent lent for at most 3 years (décret 2008-580, art. 3); no loan of any kind is longer.
LONGEST_LOAN = "3 years"
# What a vehicle may drive in a day (24 h at 80 km/h, rounded up): beyond it, an odometer reading is a typo.
MAX_KM_PER_DAY = 2000
# A return is recorded when it happens: a few minutes of clock difference are allowed.
RETURN_CLOCK_SKEW = timedelta(minutes=5)
# Sends the mails the loan actions queue for the association (data/conseil_mail_template_data.xml).
MAIL_CRON = "conseil_associations.ir_cron_send_loan_mails"
# The convention de mise à disposition of an agent loan (décret 2008-580, art. 2), an issued act.
AGENT_CONVENTION_REPORT = "conseil_associations.action_report_agent_convention"
# HR hears this long before an agent loan ends that a renewal is a new loan and a new convention.
AGENT_LOAN_END_NOTICE = relativedelta(months=3)
# "Key (vehicle_id, tsrange(...))=(5, [...)) conflicts with existing key (vehicle_id, tsrange(...))=(5, ["a","b"))."
_EXISTING_KEY = re.compile(r'existing key \(\w+, .*?\)=\((\d+), \["([^"]+)","([^"]+)"\)\)')


def _microseconds(delta):
    """A duration as an integer, for exact proportions."""
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def _rounded_ratio(count, part, whole):
    """``count × part / whole`` rounded half up, in integers: no float error can break a sum."""
    return (2 * count * part + whole) // (2 * whole)


def _overlap_message(resource_field, end_field="date_end"):
    """Name the loan that holds the resource, for the error the user reads (``end_field``: the end the
    constraint compares, a room's end after its clean-up buffer)."""

    def name_holder(env, match):
        blocking = (
            env["conseil.loan"]
            .sudo()
            .search(
                [
                    (resource_field, "=", int(match[1])),
                    ("state", "in", BLOCKING_STATES),
                    ("date_start", "=", match[2]),
                    (end_field, "=", match[3]),
                ],
                limit=1,
            )
        )
        return env["conseil.loan"]._blocking_message(blocking)

    return holder_message(
        _EXISTING_KEY, name_holder, lambda env: env._("This resource is already lent over this period.")
    )


class ConseilLoan(models.Model):
    _name = "conseil.loan"
    _description = "Loan to an Association"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "conseil.agenda.source",
        "conseil.workflow.mixin",
        "conseil.calendar.owner.mixin",
        "conseil.mailing.mixin",
        "conseil.act.mixin",
        "conseil.loan.terms.mixin",
    ]
    _kanban_states = ("draft", "requested", "approved", "in_progress", "returned")
    _order = "date_start desc, id desc"

    _conseil_agenda_section_sequence = 30
    # The event shows the resource, the association, the period and the purpose; users change the loan, never
    # its event.
    _calendar_event_sync_fields = frozenset(
        {"date_start", "date_end", "employee_id", "vehicle_id", "room_id", "purpose"}
    )
    # Set by the actions, each of which checks who acts (README, "Security model").
    _server_fields = frozenset(
        {
            "state",
            "name",
            "need_id",
            "decision_id",
            "requested_by_id",
            "approved_by_id",
            "approved_on",
            "refusal_reason",
            "is_late",
            "calendar_event_id",
            "odometer_start_id",
            "odometer_end_id",
            "odometer_end",
            "key_return_time",
            "actual_return_time",
            "return_notes",
            "fuel_notes",
            "valuation_frozen",
            "frozen_valuation",
            "convention_issued_on",
            "convention_act_id",
            "end_reminded",
            "series_id",
        }
    )
    _transitions = {
        ("draft", "requested"): "officer",
        ("draft", "cancelled"): "officer",
        ("requested", "approved"): "approver",
        ("requested", "refused"): "approver",
        ("requested", "cancelled"): "officer",
        ("approved", "requested"): "approver",
        ("refused", "requested"): "approver",
        ("approved", "cancelled"): "approver",
        ("approved", "in_progress"): "keeper",
        ("approved", "returned"): "keeper",
        ("in_progress", "returned"): "keeper",
        ("cancelled", "draft"): "officer",
    }
    _moves = {
        "request": ("requested", ("draft",)),
        "approve": ("approved", None),
        "refuse": ("refused", None),
        "reset": ("requested", ("approved", "refused")),
        "cancel": ("cancelled", None),
        "start": ("in_progress", None),
        "return": ("returned", None),
        "reset_to_draft": ("draft", None),
    }
    _editable_by_state = {
        "draft": TERMS | HANDOVER | USE | {"company_id"},
        "requested": TERMS | HANDOVER | USE,
        "approved": HANDOVER | USE,
        "in_progress": USE,
    }
    _editable_groups = {"can_edit_terms": TERMS, "can_edit_handover": HANDOVER, "can_edit_use": USE}
    _plausible = {
        **TERMS_PLAUSIBLE,
        "date_start": DATES,
        "date_end": DATES,
        "approved_on": DATES,
        "licence_checked_on": DATES,
        "key_handover_time": DATES,
        "key_return_time": DATES,
        "actual_return_time": DATES,
        "convention_issued_on": DATES,
        "odometer_start": (0, 5_000_000),
        "odometer_end": (0, 5_000_000),
        "actual_hours": (0, 10_000),
        "valuation_quantity": (0, 100_000),
        "unit_value": (0, 1_000_000),
        "distance_value": (0, 100_000_000),
        "value": (0, 1_000_000_000),
        "name": 64,
        "convention_ref": 64,
        "purpose": 2_000,
        "agent_activities": 5_000,
        "agent_workplace": 256,
        "agent_schedule": 256,
        "agent_evaluation": 5_000,
        "refusal_reason": 2_000,
        "return_notes": 2_000,
        "fuel_notes": 256,
    }

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    loan_type = fields.Selection(
        [("vehicle", "Vehicle"), ("agent", "Agent"), ("room", "Room"), ("equipment", "Equipment")],
        string="Kind",
        required=True,
        index=True,
        tracking=True,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("requested", "Requested"),
            ("approved", "Approved"),
            ("in_progress", "In Progress"),
            ("returned", "Returned"),
            ("refused", "Refused"),
            ("cancelled", "Cancelled"),
        ],
        string="Status",
        group_expand="_expand_states",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    purpose = fields.Text(required=True, help="What the association will do with the resource.")
    availability_warning = fields.Char(compute="_compute_availability_warning")
    is_early_handover = fields.Boolean(compute="_compute_is_early_handover", export_string_translation=False)
    need_id = fields.Many2one(
        "conseil.need",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        ondelete="restrict",
        readonly=True,
        copy=False,
    )
    decision_id = fields.Many2one(
        "conseil.decision",
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",
        readonly=True,
        copy=False,
    )
    date_start = fields.Datetime(string="Start", required=True, tracking=True)
    date_end = fields.Datetime(string="End", required=True, tracking=True)
    requested_by_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        index=True,
        readonly=True,
        copy=False,
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    approved_on = fields.Datetime(readonly=True, copy=False)
    refusal_reason = fields.Text(readonly=True, copy=False, tracking=True)
    can_request = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_approve = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_refuse = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_reset = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_cancel = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_start = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_return = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_reset_to_draft = fields.Boolean(compute="_compute_workflow_buttons", export_string_translation=False)
    can_edit_terms = fields.Boolean(compute="_compute_can_edit", export_string_translation=False)
    can_edit_handover = fields.Boolean(compute="_compute_can_edit", export_string_translation=False)
    can_edit_use = fields.Boolean(compute="_compute_can_edit", export_string_translation=False)
    is_late = fields.Boolean(
        string="Late",
        index=True,
        readonly=True,
        copy=False,
        tracking=True,
        help="Not returned after its end.",
    )
    color = fields.Integer(compute="_compute_color")
    # -- vehicle --
    association_partner_id = fields.Many2one(
        related="association_id.partner_id", string="Contact of the Association"
    )
    driver_id = fields.Many2one(
        "res.partner",
        tracking=True,
        check_company=True,
        help="The association's member who will drive.",
    )
    licence_checked_on = fields.Date(
        tracking=True,
        help="Date the driving licence of the driver was seen by the town hall.",
    )
    key_handover_time = fields.Datetime(
        string="Handed Over",
        copy=False,
        tracking=True,
        help="When the keys, the room or the agent were handed over.",
    )
    key_return_time = fields.Datetime(string="Keys Returned", readonly=True, copy=False, tracking=True)
    odometer_start = fields.Float(string="Odometer at Pick-up", copy=False)
    odometer_end = fields.Float(string="Odometer at Return", readonly=True, copy=False)
    odometer_start_id = fields.Many2one(
        "fleet.vehicle.odometer", readonly=True, copy=False, index="btree_not_null"
    )
    odometer_end_id = fields.Many2one(
        "fleet.vehicle.odometer", readonly=True, copy=False, index="btree_not_null"
    )
    odometer_unit = fields.Selection(related="vehicle_id.odometer_unit")
    # -- agent --
    convention_ref = fields.Char(
        string="Convention",
        tracking=True,
        copy=False,
        help="Number of the convention between the town and the association (décret 2008-580, art. 2), given "
        "when the convention is issued. Type a reference only for a convention signed on paper before the "
        "addon was used.",
    )
    convention_issued_on = fields.Datetime(readonly=True, copy=False, tracking=True)
    convention_act_id = fields.Many2one(
        "ir.attachment", string="Issued Convention", readonly=True, copy=False, index="btree_not_null"
    )
    can_issue_convention = fields.Boolean(
        compute="_compute_convention_buttons", export_string_translation=False
    )
    can_cancel_convention = fields.Boolean(
        compute="_compute_convention_buttons", export_string_translation=False
    )
    agent_activities = fields.Text(
        string="Activities Entrusted",
        help="The nature and the level of the activities the agent carries out for the association, as the "
        "convention states them.",
    )
    agent_workplace = fields.Char(string="Place of Work")
    agent_schedule = fields.Char(string="Schedule", help="When the agent works for the association.")
    agent_evaluation = fields.Text(
        string="Control and Evaluation",
        default=lambda self: self.env.company._conseil_agent_evaluation(),
        help="How the association controls the agent's activities and how they are evaluated.",
    )
    end_reminded = fields.Boolean(readonly=True, copy=False)
    # -- room --
    room_capacity = fields.Integer(related="room_id.capacity")
    # -- valuation (loi 2000-321 art. 9-1: aid in kind is valued) --
    currency_id = fields.Many2one(related="company_id.currency_id")
    actual_hours = fields.Float(
        help="Hours the agent actually worked for the association; when set, it replaces weekly hours × weeks."
    )
    valuation_quantity = fields.Float(
        compute="_compute_valuation", store=True, string="Valued Quantity", help="Hours or days valued."
    )
    valuation_unit = fields.Selection(
        [("hour", "Hours"), ("day", "Days")], compute="_compute_valuation", store=True, string="Valued Unit"
    )
    unit_value = fields.Monetary(
        compute="_compute_valuation", store=True, help="Value of one hour or one day."
    )
    distance_value = fields.Monetary(
        compute="_compute_valuation", store=True, help="Kilometres driven × the rate per kilometre."
    )
    value = fields.Monetary(
        string="Valuation",
        compute="_compute_valuation",
        store=True,
        tracking=True,
        help="Value of this aid in kind, recomputed while the loan changes and frozen when it is returned.",
    )
    value_by_year = fields.Json(
        compute="_compute_valuation",
        store=True,
        string="Valuation by Year",
        help="The quantity and value of each calendar year the loan covers, in proportion to its time in that year.",
    )
    year_first = fields.Integer(
        compute="_compute_valuation", store=True, index=True, aggregator=False, string="First Year"
    )
    year_last = fields.Integer(
        compute="_compute_valuation", store=True, index=True, aggregator=False, string="Last Year"
    )
    value_by_year_html = fields.Html(string="By Year", compute="_compute_value_by_year_html", sanitize=False)
    valuation_frozen = fields.Boolean(readonly=True, copy=False)
    frozen_valuation = fields.Json(string="Valuation at Return", readonly=True, copy=False)
    series_id = fields.Many2one(
        "conseil.loan.series",
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",
        readonly=True,
        copy=False,
        help="The recurring loan this loan is an occurrence of.",
    )
    # -- return --
    actual_return_time = fields.Datetime(readonly=True, copy=False, tracking=True)
    return_notes = fields.Text(string="Damage Notes", readonly=True, copy=False)
    fuel_notes = fields.Char(readonly=True, copy=False)

    _dates_ordered = models.Constraint("CHECK (date_end > date_start)", "A loan must end after it starts.")
    _resource_matches_kind = models.Constraint(
        "CHECK ((loan_type = 'vehicle' OR vehicle_id IS NULL) AND (loan_type = 'agent' OR employee_id IS NULL)"
        " AND (loan_type = 'room' OR room_id IS NULL))",
        "A loan lends one resource, of its kind: a vehicle, an agent or a room.",
    )
    _resource_before_request = models.Constraint(
        "CHECK (state IN ('draft', 'cancelled') OR loan_type = 'equipment'"
        " OR COALESCE(vehicle_id, employee_id, room_id) IS NOT NULL)",
        "Choose the vehicle, agent or room before requesting the loan.",
    )
    _agent_three_years = models.Constraint(
        f"CHECK (loan_type != 'agent' OR date_end <= date_start + interval '{LONGEST_LOAN}')",
        "An agent is lent for at most three years at a time: a renewal is a new loan (décret 2008-580, art. 3).",
    )
    _three_years_at_most = models.Constraint(
        f"CHECK (date_end <= date_start + interval '{LONGEST_LOAN}')",
        "A loan lasts three years at most: a longer one is renewed as a new loan.",
    )
    _values_plausible = plausible_values(_plausible)
    # What the return checks with the vehicle named, held by the database too: no more than a day's kilometres a
    # day between hand-over and return.
    _distance_plausible = models.Constraint(
        f"""CHECK (COALESCE(odometer_end, 0) = 0 OR COALESCE(odometer_start, 0) = 0 OR actual_return_time IS NULL
                  OR odometer_end - odometer_start <= {MAX_KM_PER_DAY} * GREATEST(1, EXTRACT(EPOCH FROM
                     actual_return_time - COALESCE(key_handover_time, date_start)) / 86400))""",
        "A vehicle cannot have driven that far between its hand-over and its return: check the odometer.",
    )
    _vehicle_no_overlap = models.Constraint(
        "EXCLUDE USING gist (vehicle_id WITH =, tsrange(date_start, date_end, '[)') WITH &&)"
        f" WHERE (state IN {sql_list(BLOCKING_STATES)} AND vehicle_id IS NOT NULL)",
        _overlap_message("vehicle_id"),
    )
    # A room is held until the end of its clean-up buffer (``buffered_end``, models/conseil_loan_room.py; the ORM
    # computes it just after inserting a row, which holds the room until its end meanwhile).
    _room_no_overlap = models.Constraint(
        "EXCLUDE USING gist (room_id WITH =, tsrange(date_start, COALESCE(buffered_end, date_end), '[)') WITH &&)"
        f" WHERE (state IN {sql_list(BLOCKING_STATES)} AND room_id IS NOT NULL)",
        _overlap_message("room_id", "buffered_end"),
    )
    # Overlap searches of one agent (the part-time rule) and the late-loan job.
    _employee_period_index = models.Index(
        f"(employee_id, date_start, date_end) WHERE state IN {sql_list(BLOCKING_STATES)} AND employee_id IS NOT NULL"
    )
    _open_end_index = models.Index(f"(date_end) WHERE state IN {sql_list(BLOCKING_STATES)}")
    # The lists' order: the latest loans first, read from the index rather than sorting the town's loans.
    _list_order_index = models.Index("(date_start DESC, id DESC)")

    def init(self):
        """The part-time rule as a database invariant: an agent's approved hours never exceed their week.

        A constraint trigger checks every approved or in-progress agent loan
        written, whatever the path. It first bumps a counter on the agent's
        row: a second transaction approving a loan of the same agent waits for
        the first, then fails with a serialization error that Odoo retries, and
        the retry sees the first approval. The approval action checks the same
        rule first, to name the loans that would be exceeded.
        """
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE FUNCTION conseil_loan_check_agent_week() RETURNS trigger AS $$
            DECLARE
                overload record;
            BEGIN
                UPDATE hr_employee SET conseil_loan_lock = COALESCE(conseil_loan_lock, 0) + 1
                 WHERE id = NEW.employee_id;
                -- at each moment of the period when a loan starts or the agent's schedule changes, the hours lent
                -- then, against the week of the schedule in force (the HR version of that day)
                SELECT moments.moment, SUM(l.weekly_hours) AS lent, weeks.week INTO overload
                  FROM (SELECT GREATEST(o.date_start, NEW.date_start) AS moment
                          FROM conseil_loan o
                         WHERE o.employee_id = NEW.employee_id AND o.state IN %(blocking)s
                           AND o.date_start < NEW.date_end AND o.date_end > NEW.date_start
                        UNION
                        SELECT v.date_version::timestamp
                          FROM hr_version v
                         WHERE v.employee_id = NEW.employee_id AND v.active
                           AND v.date_version::timestamp > NEW.date_start AND v.date_version::timestamp < NEW.date_end
                       ) AS moments
                  JOIN conseil_loan l ON l.employee_id = NEW.employee_id AND l.state IN %(blocking)s
                                     AND l.date_start <= moments.moment AND l.date_end > moments.moment
                 CROSS JOIN LATERAL (
                       SELECT COALESCE(
                           (SELECT c.hours_per_week FROM hr_version v
                              JOIN resource_calendar c ON c.id = v.resource_calendar_id
                             WHERE v.employee_id = NEW.employee_id AND v.active AND v.date_version <= moments.moment::date
                             ORDER BY v.date_version DESC LIMIT 1),
                           (SELECT c.hours_per_week FROM hr_version v
                              JOIN resource_calendar c ON c.id = v.resource_calendar_id
                             WHERE v.employee_id = NEW.employee_id AND v.active
                             ORDER BY v.date_version LIMIT 1),
                           0) AS week
                       ) AS weeks
                 GROUP BY moments.moment, weeks.week
                HAVING SUM(l.weekly_hours) > weeks.week + 0.000001
                 LIMIT 1;
                IF FOUND THEN
                    RAISE EXCEPTION 'agent %% would be lent %% h a week from %%, above their working week of %% h',
                        NEW.employee_id, overload.lent, overload.moment, overload.week
                        USING ERRCODE = 'check_violation', CONSTRAINT = 'conseil_loan_agent_week',
                              TABLE = 'conseil_loan';
                END IF;
                RETURN NULL;
            END
            $$ LANGUAGE plpgsql;
            DROP TRIGGER IF EXISTS conseil_loan_agent_week ON conseil_loan;
            CREATE CONSTRAINT TRIGGER conseil_loan_agent_week
                AFTER INSERT OR UPDATE OF state, employee_id, weekly_hours, date_start, date_end ON conseil_loan
                FOR EACH ROW WHEN (NEW.employee_id IS NOT NULL AND NEW.state IN %(blocking)s)
                EXECUTE FUNCTION conseil_loan_check_agent_week();
            """,
                blocking=BLOCKING_STATES,
            )
        )

    @api.model
    def _sql_error_to_message(self, exc):
        if exc.diag.constraint_name == "conseil_loan_agent_week":
            return self.env._(
                "An agent cannot be lent more hours a week than they work: the loans approved over this period "
                "would exceed the agent's working week. Reduce the hours or choose another period."
            )
        return super()._sql_error_to_message(exc)

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    def _compute_access_url(self):
        for record in self:
            record.access_url = f"/my/loans/{record.id}"

    @api.depends("loan_type")
    def _compute_workflow_buttons(self):
        """The approver depends on the kind of loan."""
        return super()._compute_workflow_buttons()

    @api.depends("loan_type", "convention_issued_on")
    def _compute_can_edit(self):
        return super()._compute_can_edit()

    @api.depends_context("uid")
    @api.depends("state", "loan_type", "convention_issued_on")
    def _compute_convention_buttons(self):
        issuer = self._is_convention_issuer()
        manager = self.env.user.has_group(MANAGER)
        for loan in self:
            open_terms = loan.loan_type == "agent" and loan.state in ("draft", "requested")
            loan.can_issue_convention = issuer and open_terms and not loan.convention_issued_on
            loan.can_cancel_convention = manager and open_terms and bool(loan.convention_issued_on)

    @api.depends(
        "loan_type",
        "date_start",
        "date_end",
        "weekly_hours",
        "actual_hours",
        "employee_id",
        "vehicle_id",
        "room_id",
        "company_id",
        "odometer_start",
        "odometer_end",
        "valuation_frozen",
    )
    def _compute_valuation(self):
        """Agent: hours × hourly cost; vehicle: days × daily rate (+ km); room: hours or days × tariff.

        The rates of the resources and of the company are no dependency: the ORM would recompute the frozen
        loans too. Their writes revalue the loans not yet frozen (``_revalue``).
        """
        for loan in self:
            if loan.valuation_frozen and loan.frozen_valuation:
                values = loan.frozen_valuation
                # a loan frozen before the yearly split was stored: split its frozen value
                by_year = values.get("by_year") or loan._split_by_year(values["quantity"], values["value"])
            else:
                values = loan._valuation()
                by_year = values["by_year"]
            loan.valuation_quantity = values["quantity"]
            loan.valuation_unit = values["unit"]
            loan.unit_value = values["unit_value"]
            loan.distance_value = values["distance_value"]
            loan.value = values["value"]
            loan.value_by_year = by_year
            years = [int(year) for year in by_year]
            loan.year_first = min(years, default=0)
            loan.year_last = max(years, default=0)

    @api.depends("value_by_year", "valuation_unit")
    def _compute_value_by_year_html(self):
        """Each year's part, for the loans that cover more than one year."""
        for loan in self:
            if len(loan.value_by_year or {}) < 2:
                loan.value_by_year_html = False
                continue
            unit = dict(self._fields["valuation_unit"]._description_selection(self.env)).get(
                loan.valuation_unit, ""
            )
            loan.value_by_year_html = Markup("<ul class='list-unstyled mb-0'>%s</ul>") % Markup("").join(
                Markup("<li><strong>%s</strong> %s (%s %s)</li>")
                % (
                    year,
                    format_amount(self.env, share["value"], loan.currency_id),
                    format_quantity(self.env, share["quantity"]),
                    unit,
                )
                for year, share in sorted(loan.value_by_year.items())
            )

    @api.depends("loan_type")
    def _compute_color(self):
        colors = {"vehicle": 4, "agent": 10, "room": 2, "equipment": 7}
        for loan in self:
            loan.color = colors.get(loan.loan_type, 0)

    @api.depends("name", "association_id", "loan_type")
    def _compute_display_name(self):
        for loan in self:
            resource = loan._resource()
            parts = [loan.name if loan.name != "/" else self.env._("New loan")]
            if resource and resource.display_name:
                parts.append(resource.display_name)
            if loan.association_id.name:
                parts.append(loan.association_id.name)
            loan.display_name = " - ".join(parts)

    # ------------------------------------------------------------
    # CONSTRAINTS AND ONCHANGES
    # ------------------------------------------------------------

    @api.depends("date_start")
    def _compute_is_early_handover(self):
        """Handing over more than a day before the loan starts asks for a confirmation."""
        soon = fields.Datetime.now() + timedelta(days=1)
        for loan in self:
            loan.is_early_handover = bool(loan.date_start and loan.date_start > soon)

    @api.constrains("convention_ref", "convention_issued_on")
    def _check_convention_ref_not_an_issued_number(self):
        """A typed reference is a paper convention's: the town's own numbers come only with an issued act."""
        for loan in self.filtered(lambda loan: loan.convention_ref and not loan.convention_issued_on):
            if re.match(r"\s*CMAD\s*/", loan.convention_ref, re.IGNORECASE):
                raise ValidationError(
                    self.env._(
                        "%(reference)s looks like a number the town gives when it issues a convention: issue "
                        "the convention of %(loan)s with its button, or type the reference of the paper convention.",
                        reference=loan.convention_ref,
                        loan=loan.display_name,
                    )
                )

    @api.constrains("room_id", "expected_attendance")
    def _check_room_capacity(self):
        for loan in self.filtered("room_id"):
            if loan.expected_attendance > loan.room_id.capacity:
                raise ValidationError(
                    self.env._(
                        "%(room)s holds %(capacity)s people; %(expected)s are expected. Choose a larger room.",
                        room=loan.room_id.name,
                        capacity=loan.room_id.capacity,
                        expected=loan.expected_attendance,
                    )
                )

    @api.constrains("room_id", "date_start", "date_end")
    def _check_room_opening_hours(self):
        """The period must fall entirely within the room's opening hours."""
        for loan in self.filtered("room_id"):
            if not loan.room_id._conseil_open_between(loan.date_start, loan.date_end):
                tz = loan.room_id.tz or "Europe/Paris"
                raise ValidationError(
                    self.env._(
                        "%(room)s is not open for the whole period from %(start)s to %(end)s (its opening hours: "
                        "%(hours)s). Choose other times or another room.",
                        room=loan.room_id.name,
                        start=format_datetime(self.env, loan.date_start, tz=tz, dt_format="short"),
                        end=format_datetime(self.env, loan.date_end, tz=tz, dt_format="short"),
                        hours=loan.room_id.resource_calendar_id.name,
                    )
                )

    @api.constrains("driver_id", "association_id")
    def _check_driver_of_the_association(self):
        for loan in self.filtered("driver_id"):
            partner = loan.association_id.partner_id
            if loan.driver_id != partner and loan.driver_id.parent_id != partner:
                raise ValidationError(
                    self.env._(
                        "The driver of %(loan)s is one of the contacts of %(association)s.",
                        loan=loan.display_name,
                        association=loan.association_id.name,
                    )
                )

    @api.constrains("weekly_hours", "employee_id")
    def _check_weekly_hours_within_week(self):
        """An agent is never lent more hours a week than they work, from the request on."""
        for loan in self.filtered("employee_id"):
            week = loan.employee_id.sudo().resource_calendar_id.hours_per_week
            if week and loan.weekly_hours > week + 1e-6:
                raise ValidationError(
                    self.env._(
                        "%(agent)s works %(week)s h a week: %(hours)s h a week cannot be lent (%(loan)s).",
                        agent=loan.employee_id.name,
                        week=f"{week:g}",
                        hours=f"{loan.weekly_hours:g}",
                        loan=loan.display_name,
                    )
                )

    @api.depends(
        "state",
        "loan_type",
        "vehicle_id",
        "room_id",
        "employee_id",
        "weekly_hours",
        "expected_attendance",
        "date_start",
        "date_end",
    )
    def _compute_availability_warning(self):
        """Told while the request is written: the resource is already lent over the period."""
        for loan in self:
            loan.availability_warning = loan._availability_warning()

    def _availability_warning(self):
        self.ensure_one()
        if self.state not in ("draft", "requested") or not (self.date_start and self.date_end):
            return False
        if self.date_start >= self.date_end or not self._resource():
            return False
        if self.loan_type != "agent":
            blocking = self._find_blocking_loans()[:1]
            if blocking:
                return self._blocking_message(blocking)
            field_name = RESOURCE_FIELDS[self.loan_type]
            still_out = self.sudo().search(
                [
                    (field_name, "=", self[field_name].id),
                    ("state", "=", "in_progress"),
                    ("date_end", "<", fields.Datetime.now()),
                    ("date_start", "<", self.date_end),
                    ("id", "not in", self._origin.ids),
                ],
                limit=1,
            )
            return self._still_out_message(still_out) if still_out else False
        if not self.weekly_hours:
            return False
        lent = self.sudo().search(
            [
                ("employee_id", "=", self.employee_id.id),
                ("state", "in", BLOCKING_STATES),
                ("date_start", "<", self.date_end),
                ("date_end", ">", self.date_start),
                ("id", "not in", self._origin.ids),
            ]
        )
        overload = lent and self._agent_overload(self.employee_id, lent | self.sudo())
        if not overload:
            return False
        moment, hours, week, __ = overload
        return self.env._(
            "%(agent)s works %(capacity)s h a week and is already lent over this period: with this loan, "
            "%(peak)s h a week would be lent from %(date)s. Reduce the hours or choose another period.",
            agent=self.employee_id.name,
            capacity=f"{week:g}",
            peak=f"{hours:g}",
            date=format_datetime(self.env, moment, dt_format="short"),
        )

    @api.onchange("loan_type")
    def _onchange_loan_type(self):
        for kind, field_name in RESOURCE_FIELDS.items():
            if self.loan_type != kind:
                self[field_name] = False

    @api.onchange("vehicle_id")
    def _onchange_vehicle_id(self):
        if self.vehicle_id and not self.odometer_start:
            self.odometer_start = self.vehicle_id.odometer

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def _add_server_values(self, vals_list):
        """Each loan gets the next reference of its company (MAD/<year>/<number>)."""
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"]._conseil_next(
                    "conseil.loan",
                    company,
                    self.env._("Loans to associations of %(company)s", company=company.name),
                    "MAD/%(range_year)s/",
                    fields.Date.context_today(self),
                )
        return super()._add_server_values(vals_list)

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals:
            self.need_id._on_loans_progress()
        if "date_end" in vals:
            # a loan that ends at another date is reminded of its new end
            self.filtered("end_reminded").sudo().write({"end_reminded": False})
        return result

    def _editable_fields(self):
        """The requesting side sets the terms; approvers only what happens at handover and in use."""
        editable = super()._editable_fields()
        if not self.env.user.has_group(OFFICER) or self.convention_issued_on:
            editable -= TERMS | {"company_id"}
        return editable

    def _frozen_message(self, field_names):
        if self.convention_issued_on and field_names & TERMS:
            return self.env._(
                "%(loan)s: its convention %(convention)s is issued, and the terms it states cannot change. "
                "A manager may cancel the convention first; a new one is then issued.",
                loan=self.display_name,
                convention=self.convention_ref,
            )
        if self.state in VALUED_STATES and field_names & TERMS:
            return self.env._(
                "%(loan)s is approved: its terms are frozen. Ask its approver to reset it to requested "
                "before changing it.",
                loan=self.display_name,
            )
        return super()._frozen_message(field_names)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        """A loan once requested is part of the town's records: cancel it, never delete it."""
        kept = self.filtered(lambda loan: loan.state not in ("draft", "cancelled") or loan.approved_on)
        if kept:
            raise UserError(
                self.env._(
                    "%(loan)s has been requested: cancel it instead of deleting it, so that its history stays.",
                    loan=kept[0].display_name,
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_request(self):
        """Submit the loan: it blocks nobody yet, and its approvers get an activity."""
        self._check_move("request")
        for loan in self:
            loan._check_ready_to_request()
        self._move("request")
        self._schedule_approval_activities()
        return True

    def action_approve(self):
        """Approve: the database refuses the loan if its resource is already lent (no double booking)."""
        self._check_move("approve")
        for loan in self:
            loan._check_ready_to_request()
            if loan.loan_type == "agent":
                loan._check_agent_lawful()
        self._check_resources_back()
        agents = self.filtered(lambda loan: loan.loan_type == "agent")
        if agents:
            agents._lock_agents()
            agents._check_agent_capacity()
        try:
            with self.env.cr.savepoint():
                self._move(
                    "approve", {"approved_by_id": self.env.user.id, "approved_on": fields.Datetime.now()}
                )
                with mute_logger("odoo.sql_db"):  # a double booking is an answer, not a server error
                    self.env.flush_all()
                # inside the savepoint, whose end would post the tracking record by record
                self._log_tracking_now(self._town().env._("Approved by %(user)s.", user=self.env.user.name))
        except psycopg2.errors.ExclusionViolation:
            self.env.invalidate_all()
            for loan in self:
                blocking = (
                    loan._find_blocking_loans(exclude=self)[:1]
                    or (self - loan).filtered(lambda other, loan=loan: other._overlaps(loan))[:1]
                )
                if blocking:
                    raise ValidationError(self._blocking_message(blocking, loan)) from None
            raise
        self._close_approval_activities()
        self._create_calendar_events()
        self._check_convention_thresholds()
        self._conseil_mail_once_later(
            "approved", "conseil_associations.mail_template_loan_approved", MAIL_CRON
        )
        return True

    def action_refuse(self, reason=None):
        """Refuse the request, with the reason the association will read."""
        self._move("refuse", {"refusal_reason": reason} if reason else None)
        self._log_tracking_now(self._town().env._("Refused by %(user)s.", user=self.env.user.name))
        self._close_approval_activities()
        self._conseil_mail_once_later("refused", "conseil_associations.mail_template_loan_refused", MAIL_CRON)
        return True

    def action_reset_to_requested(self):
        """Only the approver's group unfreezes an approved loan, or reconsiders a refusal."""
        self._check_move("reset")
        self._remove_calendar_events()
        self._move("reset", {"approved_by_id": False})
        self._schedule_approval_activities()
        return True

    def action_cancel(self):
        self._check_move("cancel")
        self._remove_calendar_events()
        self._close_approval_activities()
        self._move("cancel")
        return True

    def action_reset_to_draft(self):
        self._move("reset_to_draft")
        return True

    def action_issue_convention(self):
        """Number the convention de mise à disposition, file its PDF, and freeze the terms it states.

        The loans are locked first: two users issuing at once give one number and one act.
        """
        self._check_convention_issuer()
        self._conseil_lock_rows()
        self.invalidate_recordset()
        for loan in self.filtered(lambda loan: not loan.convention_issued_on):
            loan._check_convention_ready()
            town = loan._town().env
            number = self.env["ir.sequence"]._conseil_next(
                "conseil.loan.convention",
                loan.company_id,
                town._("Conventions de mise à disposition of %(company)s", company=loan.company_id.name),
                "CMAD/%(range_year)s/",
                fields.Date.context_today(self),
            )
            loan._server_write({"convention_ref": number, "convention_issued_on": fields.Datetime.now()})
            act = loan._conseil_issue_act(AGENT_CONVENTION_REPORT, lang=loan._convention_lang())
            loan._server_write({"convention_act_id": act.id})
            loan.sudo().message_post(
                body=town._(
                    "Convention %(number)s issued by %(user)s.", number=number, user=self.env.user.name
                ),
                attachment_ids=act.ids,
            )
        return True

    def action_cancel_convention(self):
        """Cancel the issued convention: its act stays filed, its terms may change, the next one gets a new number."""
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only council managers can cancel a convention."))
        self._conseil_lock_rows()
        self.invalidate_recordset()
        for loan in self.filtered("convention_issued_on"):
            if loan.state not in ("draft", "requested"):
                raise UserError(
                    self.env._(
                        "%(loan)s is %(state)s: reset it to requested before cancelling its convention.",
                        loan=loan.display_name,
                        state=loan._state_label(loan.state),
                    )
                )
            act, number = loan.convention_act_id, loan.convention_ref
            loan._server_write(
                {"convention_ref": False, "convention_issued_on": False, "convention_act_id": False}
            )
            loan.sudo().message_post(
                body=loan._town().env._(
                    "Convention %(number)s cancelled by %(user)s: its act stays filed, cancelled.",
                    number=number,
                    user=self.env.user.name,
                ),
                attachment_ids=act.ids,
            )
        return True

    def action_start(self):
        """The resource is handed over: when, and for a vehicle the odometer, in the vehicle's own log."""
        self._check_move("start")
        now = fields.Datetime.now()
        for loan in self:
            if loan.key_handover_time and loan.key_handover_time > now + RETURN_CLOCK_SKEW:
                raise ValidationError(
                    self.env._(
                        "%(loan)s: a hand-over is recorded once it happened, not in advance (%(time)s).",
                        loan=loan.display_name,
                        time=format_datetime(self.env, loan.key_handover_time, dt_format="short"),
                    )
                )
            values = {"key_handover_time": loan.key_handover_time or now}
            if loan.loan_type == "vehicle":
                loan._check_ready_to_drive()
                if not loan.odometer_start:  # the vehicle's own reading, when the officer noted none
                    values["odometer_start"] = loan.vehicle_id.odometer
            if loan.loan_type == "vehicle" and (values.get("odometer_start") or loan.odometer_start):
                moment = values["key_handover_time"]
                odometer = values.get("odometer_start") or loan.odometer_start
                values["odometer_start_id"] = loan._record_odometer(odometer, moment).id
            loan._move("start", values)
        return True

    def action_return(self, return_time=None, odometer_end=0.0, damage_notes=None, fuel_notes=None):
        """The resources are back: the time, the odometer in the vehicle's log, the damage; the value is frozen."""
        try:
            return_time = fields.Datetime.to_datetime(return_time) if return_time else False
            odometer_end = float(odometer_end or 0.0)
        except (TypeError, ValueError):
            raise UserError(
                self.env._("Give the return time as a date and time, and the odometer as a number.")
            ) from None
        for loan in self:
            loan._return(return_time, odometer_end, damage_notes, fuel_notes)
        self._conseil_mail_once_later(
            "returned", "conseil_associations.mail_template_loan_returned", MAIL_CRON
        )
        return True

    def _return(self, return_time, odometer_end, damage_notes, fuel_notes):
        self.ensure_one()
        self._check_move("return")
        # what the caller sends is checked as a user's values are, before anything is computed from it
        self._check_plausible(
            {
                "actual_return_time": return_time or False,
                "odometer_end": odometer_end or 0.0,
                "return_notes": damage_notes or False,
                "fuel_notes": fuel_notes or False,
            }
        )
        return_time = fields.Datetime.to_datetime(return_time) or fields.Datetime.now()
        self._check_return_time(return_time)
        values = {
            "actual_return_time": return_time,
            "return_notes": damage_notes or False,
            "fuel_notes": fuel_notes or False,
            "is_late": False,
        }
        if self.loan_type == "vehicle":
            values["key_return_time"] = return_time
            if odometer_end:
                values["odometer_end"] = odometer_end
                values["odometer_end_id"] = self._record_odometer(
                    odometer_end, return_time, at_return=True
                ).id
        self._move("return", values)
        self._server_write({"valuation_frozen": True, "frozen_valuation": self._valuation()})
        self._check_convention_thresholds()
        self.sudo().activity_unlink(["conseil_associations.mail_activity_type_loan_late"])

    def action_open_return_wizard(self):
        self.ensure_one()
        self._check_move("return")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return"),
            "res_model": "conseil.loan.return.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_loan_id": self.id},
        }

    def action_open_availability(self):
        """The free resources of the period, listed by the server when the dialog opens."""
        self.ensure_one()
        wizard = self.env["conseil.loan.availability.wizard"].create({"loan_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Available resources"),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    # ------------------------------------------------------------
    # AGENDA SOURCE
    # ------------------------------------------------------------

    @api.model
    def _conseil_agenda_section_label(self):
        return self.env._("Loans")

    @api.model
    def _conseil_agenda_items(self, meeting):
        """Loans ending before the next session (to renew or return), and the late ones."""
        if meeting.meeting_type != "council":
            return []
        following = meeting._next_council()
        until = following.date_start if following else meeting.date_start + timedelta(days=15)
        domain = [("company_id", "=", meeting.company_id.id)]
        if meeting.attendance_ids:
            # The council follows the loans of the associations it gathers.
            domain.append(("association_id", "in", meeting.attendance_ids.association_id.ids))
        loans = self.search(
            [
                *domain,
                ("state", "in", BLOCKING_STATES),
                "|",
                ("is_late", "=", True),
                "&",
                ("date_end", ">=", meeting.date_start),
                ("date_end", "<", until),
            ],
            order="date_end",
        )
        return [
            {
                "name": (
                    self.env._("Late: %(loan)s", loan=loan._agenda_label())
                    if loan.is_late
                    else self.env._(
                        "Ends on %(date)s: %(loan)s",
                        date=format_datetime(self.env, loan.date_end, tz=meeting._tz(), dt_format="short"),
                        loan=loan._agenda_label(),
                    )
                ),
                "res_model": self._name,
                "res_id": loan.id,
                "is_flagged": loan.is_late,
            }
            for loan in loans
        ]

    def _agenda_label(self):
        """What the council reads of a loan: what is lent, to whom."""
        self.ensure_one()
        return self.env._(
            "%(resource)s to %(association)s",
            resource=self._resource_label() or self.env._("New loan"),
            association=self.association_id.name,
        )

    # ------------------------------------------------------------
    # RULES
    # ------------------------------------------------------------

    def _workflow_roles(self):
        """Officers request; the kind's approver approves; either hands over and takes back."""
        self.ensure_one()
        roles = set()
        if self.env.user.has_group(OFFICER):
            roles.add("officer")
        group = self._approver_group()
        if group and self.env.user.has_group(group):
            roles.add("approver")
        if roles:
            roles.add("keeper")
        return roles

    def _approver_group(self):
        """The group whose members approve this loan, in its commune: by its kind (APPROVER_GROUPS)."""
        self.ensure_one()
        return APPROVER_GROUPS.get(self.loan_type)

    def _role_label(self, role):
        approvers = {
            "vehicle": self.env._("fleet managers"),
            "agent": self.env._("HR officers"),
            "room": self.env._("council managers"),
        }
        return {
            "officer": self.env._("associative-life officers"),
            "approver": approvers.get(self.loan_type, role),
            "keeper": self.env._("officers and %(approvers)s", approvers=approvers.get(self.loan_type, role)),
        }.get(role, role)

    def _check_ready_to_request(self):
        self.ensure_one()
        if not self._resource():
            raise UserError(
                self.env._("Choose the vehicle, agent or room of %(loan)s first.", loan=self.display_name)
            )
        if self.loan_type == "agent" and self.weekly_hours <= 0:
            raise UserError(
                self.env._(
                    "Say how many hours a week the agent works for the association (%(loan)s).",
                    loan=self.display_name,
                )
            )
        if self.loan_type == "room" and not self.expected_attendance:
            raise UserError(
                self.env._("Say how many people are expected in the room (%(loan)s).", loan=self.display_name)
            )

    def _check_ready_to_drive(self):
        """The keys of a vehicle leave with a driver of the association whose licence was checked."""
        self.ensure_one()
        missing = [
            self._fields[name].get_description(self.env)["string"]
            for name in ("driver_id", "licence_checked_on")
            if not self[name]
        ]
        if missing:
            raise UserError(
                self.env._(
                    "Before handing over %(loan)s, fill in: %(missing)s.",
                    loan=self.display_name,
                    missing=format_list(self.env, missing),
                )
            )

    def _check_agent_lawful(self):
        """Code général de la fonction publique L512-6 to L512-15, décret 2008-580."""
        self.ensure_one()
        missing = []
        if not self.agent_consent_date:
            missing.append(self.env._("the agent's written consent (date)"))
        if not self.convention_ref:
            missing.append(
                self.env._(
                    "the convention with the association (issue it, or type the reference of a convention "
                    "signed on paper before)"
                )
            )
        if not self.council_informed_date:
            missing.append(self.env._("the date the municipal council was informed"))
        if not self.reimbursement:
            missing.append(self.env._("whether the association reimburses the town"))
        elif self.reimbursement == "waived" and not (self.waiver_reason or "").strip():
            missing.append(self.env._("the reason the reimbursement is waived"))
        if missing:
            raise ValidationError(
                self.env._(
                    "%(loan)s cannot be approved: the law requires %(missing)s.",
                    loan=self.display_name,
                    missing=", ".join(missing),
                )
            )
        today = fields.Date.context_today(self)
        if self.council_informed_date > today or self.council_informed_date > self.date_start.date():
            raise ValidationError(
                self.env._(
                    "%(loan)s: the municipal council must be informed before the loan (informed on %(date)s).",
                    loan=self.display_name,
                    date=self.council_informed_date,
                )
            )
        if self.agent_consent_date > today:
            raise ValidationError(
                self.env._(
                    "%(loan)s: the agent's consent cannot be dated in the future.", loan=self.display_name
                )
            )
        if not self.employee_id.conseil_is_titulaire and not self.company_id.conseil_allow_contract_agents:
            raise ValidationError(
                self.env._(
                    "%(agent)s is not an established civil servant (titulaire): only titulaires can be lent, "
                    "unless the settings allow contract staff.",
                    agent=self.employee_id.name,
                )
            )

    def _is_convention_issuer(self):
        """HR officers, who approve agent loans, and council managers issue their conventions."""
        return self.env.user.has_group(APPROVER_GROUPS["agent"]) or self.env.user.has_group(MANAGER)

    def _check_convention_issuer(self):
        if not self._is_convention_issuer():
            raise AccessError(self.env._("Only HR officers and council managers can issue a convention."))

    def _check_convention_ready(self):
        """The convention states the terms of the loan: they are all known, and still open, when it is issued."""
        self.ensure_one()
        if self.loan_type != "agent":
            raise UserError(
                self.env._("%(loan)s lends no agent: it has no convention to issue.", loan=self.display_name)
            )
        if self.state not in ("draft", "requested"):
            raise UserError(
                self.env._(
                    "%(loan)s is %(state)s: its convention is issued before it is approved. Reset it to requested "
                    "first.",
                    loan=self.display_name,
                    state=self._state_label(self.state),
                )
            )
        required = (
            "employee_id",
            "weekly_hours",
            "agent_activities",
            "agent_workplace",
            "agent_schedule",
            "agent_evaluation",
            "agent_consent_date",
            "reimbursement",
        )
        missing = [name for name in required if not self[name]]
        if self.reimbursement == "waived" and not (self.waiver_reason or "").strip():
            missing.append("waiver_reason")
        if missing:
            raise UserError(
                self.env._(
                    "Before issuing the convention of %(loan)s, fill in: %(missing)s. The associative-life "
                    "officer who prepares the loan writes its terms while it is a draft or requested.",
                    loan=self.display_name,
                    missing=self._field_labels(missing),
                )
            )

    def _convention_lang(self):
        """A convention is an act of the town: it is written, and issued, in the town's language."""
        self.ensure_one()
        return self.company_id._conseil_lang()

    def _check_return_time(self, return_time):
        """A return happens after the pick-up (or the start) and not in the future."""
        self.ensure_one()
        picked_up = self.key_handover_time or self.date_start
        if return_time < picked_up:
            raise ValidationError(
                self.env._(
                    "%(loan)s cannot be returned before it was picked up (%(start)s).",
                    loan=self.display_name,
                    start=format_datetime(self.env, picked_up, dt_format="short"),
                )
            )
        if return_time > fields.Datetime.now() + RETURN_CLOCK_SKEW:
            raise ValidationError(
                self.env._(
                    "%(loan)s: a return is recorded once it happened, not in advance.", loan=self.display_name
                )
            )

    def _lock_agents(self):
        """Serialise concurrent approvals for one agent.

        Bumping a counter on the agent's row makes a second transaction that
        approves a loan of the same agent wait for the first one, then fail
        with a serialization error; the RPC layer retries it, and the retry
        sees the first approval.
        """
        self.env.cr.execute(
            SQL(
                "UPDATE hr_employee SET conseil_loan_lock = COALESCE(conseil_loan_lock, 0) + 1 WHERE id IN %s",
                tuple(self.employee_id.ids),
            )
        )

    def _check_agent_capacity(self):
        """Overlapping loans of one agent never exceed the agent's working week."""
        for employee, loans in self.grouped("employee_id").items():
            if not employee.sudo().resource_calendar_id.hours_per_week:
                raise ValidationError(
                    self.env._(
                        "%(agent)s has no working schedule: set one in the Employees app to know how many hours "
                        "a week can be lent.",
                        agent=employee.name,
                    )
                )
            others = self.sudo().search(
                [
                    ("employee_id", "=", employee.id),
                    ("state", "in", BLOCKING_STATES),
                    ("date_start", "<", max(loans.mapped("date_end"))),
                    ("date_end", ">", min(loans.mapped("date_start"))),
                    ("id", "not in", loans.ids),
                ]
            )
            overload = self._agent_overload(employee, others | loans.sudo())
            if overload:
                moment, lent, week, running = overload
                raise ValidationError(
                    self.env._(
                        "%(agent)s works %(capacity)s h a week. With this loan, %(peak)s h a week would be lent "
                        "from %(date)s (loans: %(loans)s). Reduce the hours or choose another period.",
                        agent=employee.name,
                        capacity=f"{week:g}",
                        peak=f"{lent:g}",
                        date=format_datetime(self.env, moment, dt_format="short"),
                        loans=", ".join(
                            f"{loan.name} ({loan.association_id.name}, {loan.weekly_hours:g} h)"
                            for loan in running
                        ),
                    )
                )

    @api.model
    def _agent_overload(self, employee, loans):
        """The first moment these loans of one agent exceed the agent's week then, or None.

        The week is the one of the agent's schedule in force at that moment (the
        HR version of the day, as the Employees app plans it): the rule that the
        database's constraint trigger holds too. Returns (moment, hours lent,
        week, the loans running then).
        """
        if not loans:
            return None
        versions = employee.sudo().version_ids.filtered("active").sorted("date_version")
        weeks = [
            (version.date_version, version.resource_calendar_id.hours_per_week or 0.0) for version in versions
        ]

        def week_at(moment):
            hours = weeks[0][1] if weeks else 0.0
            for day, week in weeks:
                if day <= moment.date():
                    hours = week
            return hours

        first, last = min(loans.mapped("date_start")), max(loans.mapped("date_end"))
        changes = {datetime.combine(day, time()) for day, __ in weeks}
        for moment in sorted({*loans.mapped("date_start"), *(day for day in changes if first < day < last)}):
            running = loans.filtered(lambda loan, moment=moment: loan.date_start <= moment < loan.date_end)
            lent, week = sum(running.mapped("weekly_hours")), week_at(moment)
            if lent > week + 1e-6:
                return moment, lent, week, running
        return None

    def _valuation_quantity_label(self, quantity=None):
        """The valued quantity (or ``quantity``, a part of it) as the reader writes it."""
        return format_quantity(self.env, self.valuation_quantity if quantity is None else quantity)

    def _still_out_message(self, still_out):
        return self.env._(
            "%(resource)s has not come back from %(loan)s, which ended on %(end)s: check it is returned "
            "before lending it again.",
            resource=still_out._resource_label(),
            loan=still_out.name,
            end=format_datetime(self.env, still_out.date_end, dt_format="short"),
        )

    def _check_resources_back(self):
        """A vehicle or room still out from an earlier loan (its end passed, not returned) is not lent again."""
        lent = self.filtered(lambda loan: loan.loan_type in ("vehicle", "room"))
        if not lent:
            return
        out = self.sudo().search(
            [
                ("state", "=", "in_progress"),
                ("date_end", "<", fields.Datetime.now()),
                ("id", "not in", self.ids),
                "|",
                ("vehicle_id", "in", lent.vehicle_id.ids),
                ("room_id", "in", lent.room_id.ids),
            ]
        )
        for loan in lent:
            key = (loan.loan_type, loan.vehicle_id.id, loan.room_id.id)
            still_out = out.filtered(
                lambda other, key=key, loan=loan: (other.loan_type, other.vehicle_id.id, other.room_id.id)
                == key
                and other.date_start < loan.date_end
            )[:1]
            if still_out:
                raise ValidationError(self._still_out_message(still_out))

    def _find_blocking_loans(self, exclude=None):
        """Approved or in-progress loans of the same vehicle or room that overlap this one."""
        self.ensure_one()
        field_name = RESOURCE_FIELDS[self.loan_type]
        if self.loan_type == "agent" or not self[field_name]:
            return self.browse()
        return self.sudo().search(
            [
                (field_name, "=", self[field_name].id),
                ("state", "in", BLOCKING_STATES),
                ("date_start", "<", self.date_end),
                ("date_end", ">", self.date_start),
                ("id", "not in", (exclude or self._origin).ids),
            ],
            order="date_start",
        )

    def _overlaps(self, other):
        return (
            self.loan_type == other.loan_type
            and self._resource() == other._resource()
            and self.date_start < other.date_end
            and other.date_start < self.date_end
        )

    @api.model
    def _blocking_message(self, blocking, loan=None):
        if not blocking:
            return self.env._("This resource is already lent over this period.")
        blocking = blocking.sudo()
        if blocking.company_id not in self.env.user.company_ids:
            return self.env._(
                "%(resource)s is already lent to another commune over this period. Choose another period or "
                "another resource.",
                resource=blocking._resource_label(),
            )
        return self.env._(
            "%(resource)s is already lent to %(association)s from %(start)s to %(end)s (%(blocking)s). "
            "Choose another period or another resource.",
            resource=blocking._resource_label(),
            association=blocking.association_id.name,
            start=format_datetime(self.env, blocking.date_start, dt_format="short"),
            end=format_datetime(self.env, blocking.date_end, dt_format="short"),
            blocking=blocking.name,
        )

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _valuation(self):
        """The loan's value, from its period and the rates in force."""
        self.ensure_one()
        empty = {
            "quantity": 0.0,
            "unit": False,
            "unit_value": 0.0,
            "distance_value": 0.0,
            "value": 0.0,
            "by_year": {},
        }
        if not (self.loan_type and self.date_start and self.date_end) or self.date_end <= self.date_start:
            return empty
        company = self.company_id or self.env.company
        hours = (self.date_end - self.date_start).total_seconds() / 3600
        days = math.ceil(round(hours / 24, 6))
        distance_value = 0.0
        if self.loan_type == "agent":
            unit = "hour"
            quantity = self.actual_hours or self.weekly_hours * (hours / 24) / 7
            unit_value = self.employee_id.sudo().hourly_cost or company.conseil_default_hourly_cost
        elif self.loan_type == "vehicle":
            unit = "day"
            quantity = days
            unit_value = self.vehicle_id.conseil_daily_rate or company.conseil_default_vehicle_daily_rate
            if self.odometer_end > self.odometer_start > 0:
                distance_value = (self.odometer_end - self.odometer_start) * company.conseil_km_rate
        else:
            room = self.room_id
            if room.daily_rate and (hours >= 24 or not room.hourly_rate):
                unit, quantity, unit_value = "day", days, room.daily_rate
            else:
                unit, quantity, unit_value = "hour", hours, room.hourly_rate
        quantity = round(quantity, 2)
        value = company.currency_id.round(quantity * unit_value + distance_value)
        return {
            "quantity": quantity,
            "unit": unit,
            "unit_value": unit_value,
            "distance_value": distance_value,
            "value": value,
            "by_year": self._split_by_year(quantity, value),
        }

    def _split_by_year(self, quantity, value):
        """``{"2026": {"quantity": …, "value": …}, …}``: the parts of each calendar year the loan covers.

        Each year gets the real time elapsed in it (``_year_periods``). The parts are rounded cumulatively
        (part of a year = round(total × elapsed at its end) − round(total × elapsed at its start)), so that they
        add up exactly to the loan's quantity and value.
        """
        self.ensure_one()
        periods = self._year_periods()
        if not periods:
            return {}
        currency = (self.company_id or self.env.company).currency_id
        # each figure as a whole number of its smallest step: hundredths of hours or days, cents
        units = {
            "quantity": (round(quantity * 100), 0.01, 2),
            "value": (round(value / currency.rounding), currency.rounding, currency.decimal_places),
        }
        total = _microseconds(self.date_end - self.date_start)

        def elapsed(count, moment):
            return _rounded_ratio(count, _microseconds(moment - self.date_start), total)

        return {
            str(year): {
                name: round((elapsed(count, end) - elapsed(count, start)) * step, digits)
                for name, (count, step, digits) in units.items()
            }
            for year, start, end in periods
        }

    def _year_periods(self):
        """``[(year, start, end)]``: the loan's period cut at each 1 January 00:00 in the commune's timezone.

        UTC datetimes, as stored: their differences are real elapsed time, so a daylight-saving change or a
        29 February counts. A loan ending at midnight on 1 January does not touch the new year.
        """
        self.ensure_one()
        if not (self.date_start and self.date_end) or self.date_end <= self.date_start:
            return []
        tz = pytz.timezone(self._portal_tz())
        year = self.date_start.replace(tzinfo=pytz.utc).astimezone(tz).year
        start, periods = self.date_start, []
        while start < self.date_end:
            new_year = tz.localize(datetime(year + 1, 1, 1)).astimezone(pytz.utc).replace(tzinfo=None)
            end = min(new_year, self.date_end)
            periods.append((year, start, end))
            start, year = end, year + 1
        return periods

    def _year_share(self, year):
        """The part of the loan's valuation that falls in ``year``: ``{"quantity": hours or days, "value": …}``."""
        self.ensure_one()
        share = (self.value_by_year or {}).get(str(year)) or {}
        return {"quantity": share.get("quantity", 0.0), "value": share.get("value", 0.0)}

    def _years(self):
        """The calendar years the loan covers, in order."""
        self.ensure_one()
        return sorted(int(year) for year in self.value_by_year or {})

    def _check_convention_thresholds(self):
        """Every year a loan covers counts its part against the threshold of that year."""
        years_by_association = {}
        for loan in self:
            years_by_association.setdefault(loan.association_id, set()).update(loan._years())
        for association, years in years_by_association.items():
            for year in sorted(years):
                association._check_convention_threshold(year)

    @api.model
    def _revalue(self, domain):
        """Revalue the loans of ``domain`` not yet frozen, after a rate they are valued with changed.

        One search and one batched update, whatever the number of loans; frozen loans keep their value and
        their yearly split. The rate change is tracked on the resource; the loans' chatter does not repeat it.
        """
        loans = (
            self.sudo().with_context(mail_notrack=True).search([*domain, ("valuation_frozen", "=", False)])
        )
        if not loans:
            return
        valuation = [name for name, field in self._fields.items() if field.compute == "_compute_valuation"]
        for name in valuation:
            self.env.add_to_compute(self._fields[name], loans)
        loans._recompute_recordset(valuation)

    def _resource(self):
        self.ensure_one()
        field_name = RESOURCE_FIELDS.get(self.loan_type)
        return self[field_name] if field_name else self.env["res.partner"]

    def _resource_label(self):
        """What the loan lends, as the association and the town read it: « Minibus », « 30 × Chairs, 6 × Tables »."""
        self.ensure_one()
        return self._resource().display_name or ""

    def _record_odometer(self, value, moment, at_return=False):
        """A reading of the lent vehicle, in its own log; never below the reading at hand-over."""
        self.ensure_one()
        self._check_plausible({"odometer_end" if at_return else "odometer_start": value})
        if at_return and self.odometer_start:
            # a vehicle does not drive more than a day's worth of kilometres a day
            days = max((moment - (self.key_handover_time or self.date_start)).total_seconds() / 86400, 1.0)
            if value - self.odometer_start > MAX_KM_PER_DAY * days:
                raise ValidationError(
                    self.env._(
                        "%(vehicle)s cannot have driven %(km)s km in %(days)s days: check the odometer at return.",
                        vehicle=self.vehicle_id.display_name,
                        km=f"{value - self.odometer_start:g}",
                        days=f"{math.ceil(days):g}",
                    )
                )
        return self.vehicle_id._conseil_record_odometer(
            value,
            moment,
            driver=self.driver_id or self.association_id.partner_id,
            floor=self.odometer_start if at_return else 0.0,
        )

    def _approvers_by_loan(self):
        """{loan: the users who may approve it, in its company}, one lookup per kind of loan and commune."""
        holders = {}
        approvers = {}
        for loan in self:
            key = (loan._approver_group(), loan.company_id)
            if key not in holders:
                holders[key] = self._role_holders(key[0], loan.company_id)
            users = holders[key]
            if loan.loan_type == "vehicle" and loan.vehicle_id.manager_id in users:
                users = loan.vehicle_id.manager_id
            approvers[loan] = users
        return approvers

    def _schedule_approval_activities(self):
        """One approval activity per request, for one approver: the resource's own manager when it has one,
        else the approver of its kind with the fewest approvals waiting (the others see it in their list of
        requests to approve). Each approver is not notified of every request of the town."""
        activity_type = self.env.ref("conseil_associations.mail_activity_type_loan_approval")
        waiting = Counter(
            dict(
                self.env["mail.activity"]
                .sudo()
                ._read_group(
                    [("activity_type_id", "=", activity_type.id), ("res_model", "=", self._name)],
                    ["user_id"],
                    ["__count"],
                )
            )
        )
        for loan, approvers in self._approvers_by_loan().items():
            if not approvers:  # nobody holds the role in this commune yet: the request waits in the lists
                continue
            user = min(approvers, key=lambda approver: (waiting[approver], approver.id))
            waiting[user] += 1
            loan.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=user.id,
                summary=loan._town().env._(
                    "Approve the loan to %(association)s", association=loan.association_id.name
                ),
                date_deadline=min(
                    fields.Date.context_today(self) + timedelta(days=2), loan.date_start.date()
                ),
            )

    def _close_approval_activities(self):
        self.sudo().activity_unlink(["conseil_associations.mail_activity_type_loan_approval"])

    # ------------------------------------------------------------
    # CALENDAR EVENT (conseil.calendar.owner.mixin)
    # ------------------------------------------------------------

    def _calendar_event_wanted(self):
        return self.state in BLOCKING_STATES

    @api.model
    def _calendar_event_context(self):
        # the event shows the loan, whose chatter tells its story: the event keeps no chatter of its own
        return {
            **super()._calendar_event_context(),
            "no_mail_to_attendees": True,
            "mail_create_nolog": True,
            "mail_create_nosubscribe": True,
            "tracking_disable": True,
        }

    def _prepare_calendar_event_values(self):
        """A private event: its details are for its approver (the organizer), the requester and the lent agent."""
        town = self._town().env  # the event is named in the town's language
        resource = self._resource()
        partners = self.requested_by_id.partner_id
        if self.loan_type == "agent":
            partners |= self.employee_id.sudo().work_contact_id | self.employee_id.sudo().user_id.partner_id
        name = town._(
            "%(resource)s lent to %(association)s",
            resource=resource.with_context(lang=town.lang).display_name,
            association=self.association_id.name,
        )
        if self.loan_type == "agent":
            name = town._("%(name)s (%(hours)s h/week)", name=name, hours=f"{self.weekly_hours:g}")
        return {
            **super()._prepare_calendar_event_values(),
            "name": name,
            "start": self.date_start,
            "stop": self.date_end,
            "description": text_to_html(self.purpose),
            "partner_ids": [Command.set(partners.ids)],
            "user_id": self.approved_by_id.id or self.env.user.id,
            "privacy": "private",
            "show_as": "free" if self.loan_type == "agent" else "busy",
            "location": self.room_id.name if self.loan_type == "room" else False,
        }

    def _calendar_event_locked_message(self, event):
        return self.env._(
            "%(event)s shows a loan to an association: change the loan itself, and its event follows.",
            event=event.display_name,
        )

    def _calendar_event_removal_message(self, event):
        return self.env._(
            "%(event)s shows a loan to an association: cancel the loan instead.", event=event.display_name
        )

    @api.model
    def _action_for_records(self, field_name, records):
        """The loans of these vehicles, agents, rooms, needs or associations (``field_name``: the loan's link)."""
        action = self.env["ir.actions.act_window"]._for_xml_id("conseil_associations.conseil_loan_action")
        action["domain"] = [(field_name, "in", records.ids)]
        action["context"] = {f"default_{field_name}": records[:1].id, "search_default_group_state": 1}
        kind = {field: kind for kind, field in RESOURCE_FIELDS.items()}.get(field_name)
        if kind:
            action["context"]["default_loan_type"] = kind
        return action

    @api.model
    def _cron_flag_late_loans(self):
        """Loans not returned after their end are flagged, their requester and their association told."""
        now = fields.Datetime.now()
        late = self.sudo().search(
            [("state", "in", BLOCKING_STATES), ("date_end", "<", now), ("is_late", "=", False)]
        )
        activity_type = self.env.ref("conseil_associations.mail_activity_type_loan_late")
        for loan in late:
            town = loan._town()
            loan.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=(loan.requested_by_id or loan.create_uid).id,
                summary=town.env._("%(resource)s not returned", resource=loan._resource_label()),
                note=text_to_html(
                    town.env._(
                        "The loan to %(association)s ended on %(end)s and has not been returned.",
                        association=loan.association_id.name,
                        end=format_datetime(town.env, loan.date_end, dt_format="short"),
                    )
                ),
            )
        late._server_write({"is_late": True})
        # the association hears once per loan, even if the loan is extended and late again
        late._conseil_mail_once_later("late", "conseil_associations.mail_template_loan_late", MAIL_CRON)
        return late

    @api.model
    def _cron_remind_agent_loan_ends(self):
        """Three months before an agent loan ends, its HR officers hear that a renewal is a new loan, once."""
        today = fields.Date.context_today(self)
        ending = self.sudo().search(
            [
                ("loan_type", "=", "agent"),
                ("state", "in", BLOCKING_STATES),
                ("end_reminded", "=", False),
                ("date_end", ">=", fields.Datetime.now()),
                (
                    "date_end",
                    "<",
                    fields.Datetime.to_datetime(today + AGENT_LOAN_END_NOTICE + timedelta(days=1)),
                ),
            ]
        )
        activity_type = self.env.ref("conseil_associations.mail_activity_type_agent_loan_end")
        for loan in ending:
            town = loan._town().env
            for user in self._role_holders(APPROVER_GROUPS["agent"], loan.company_id):
                loan.activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=user.id,
                    date_deadline=loan.date_end.date(),
                    summary=town._("The loan of %(agent)s ends", agent=loan.employee_id.name),
                    note=text_to_html(
                        town._(
                            "The loan of %(agent)s to %(association)s ends on %(end)s. A renewal is a new loan "
                            "and a new convention: prepare them now if the association keeps the agent.",
                            agent=loan.employee_id.name,
                            association=loan.association_id.name,
                            end=format_datetime(town, loan.date_end, dt_format="short"),
                        )
                    ),
                )
        ending.write({"end_reminded": True})
        return ending

    @api.model
    def _resource_model(self, loan_type):
        return self.env[self._fields[RESOURCE_FIELDS[loan_type]].comodel_name]

    @api.model
    def _free_resource_ids(self, loan_type, date_start, date_end, company, **options):
        """Ids of the vehicles, agents or rooms free over the period, by name: each kind of resource answers
        (conseil.lendable.mixin ``_conseil_free_for_loan``, whose ``options`` narrow and page the list)."""
        return self._resource_model(loan_type)._conseil_free_for_loan(
            date_start, date_end, company, **options
        )

    # ------------------------------------------------------------
    # PORTAL (read only: the association asks through a need or the chatter)
    # ------------------------------------------------------------

    def _portal_tz(self):
        """The commune's timezone: the association reads the hours the town hall gives."""
        return self.company_id.partner_id.tz or "Europe/Paris"

    def _portal_when(self, moment):
        return format_datetime(self.env, moment, tz=self._portal_tz(), dt_format="short") if moment else ""

    def _portal_resource(self):
        """(name, detail) of the lent resource as an association may see it: of an agent, the name and the job."""
        self.ensure_one()
        if self.loan_type == "room" and self.room_id:
            room = self.room_id.sudo()
            town = " ".join(part for part in (room.zip, room.city) if part)
            return room.name, ", ".join(part for part in (room.street, town) if part)
        if self.loan_type == "vehicle" and self.vehicle_id:
            vehicle = self.vehicle_id.sudo()
            return vehicle.model_id.display_name or "", vehicle.license_plate or ""
        if self.loan_type == "agent" and self.employee_id:
            agent = self.employee_id.sudo()
            return agent.name, agent.job_title or ""
        return "", ""

    def _portal_next_steps(self):
        """What the association must do now for this loan, in its own words: one line a step."""
        self.ensure_one()
        start, end = self._portal_when(self.date_start), self._portal_when(self.date_end)
        resource = self._portal_resource()[0]
        if self.state in ("draft", "requested"):
            return [self.env._("The town hall is studying the request: you will receive its answer by mail.")]
        if self.state == "refused":
            return [
                self.env._("The request is refused. You may raise a new need, or ask the town hall below.")
            ]
        if self.state == "cancelled":
            return [self.env._("This loan is cancelled: there is nothing to do.")]
        if self.state == "returned":
            return [
                self.env._("Returned: nothing more to do. Its value is in your yearly in-kind statement.")
            ]
        steps = []
        if self.is_late:
            steps.append(
                self.env._(
                    "The loan ended on %(end)s: bring the resource back to the town hall now.", end=end
                )
            )
        if self.loan_type == "room":
            steps += self._portal_room_steps(resource, start, end)
        elif self.loan_type == "vehicle":
            steps += self._portal_vehicle_steps(start, end)
        elif self.loan_type == "agent":
            steps += self._portal_agent_steps(resource, start, end)
        return steps

    def _portal_room_steps(self, room, start, end):
        if self.state == "approved":
            return [
                self.env._(
                    "Collect the keys of %(room)s at the town hall before %(start)s.", room=room, start=start
                ),
                self.env._("Bring the keys back by %(end)s.", end=end),
            ]
        return [self.env._("Bring the keys back by %(end)s.", end=end)]

    def _portal_vehicle_steps(self, start, end):
        if self.state == "in_progress":
            return [
                self.env._(
                    "Bring the vehicle and its keys back by %(end)s: the town hall notes the odometer at return.",
                    end=end,
                )
            ]
        steps = []
        if not self.driver_id:
            steps.append(self.env._("Tell the town hall which of your members will drive."))
        if not self.licence_checked_on:
            steps.append(
                self.env._("Show the driver's licence at the town hall before %(start)s.", start=start)
            )
        steps.append(
            self.env._(
                "Collect the keys at the town hall on %(start)s: the odometer is noted at pick-up and at return.",
                start=start,
            )
        )
        return steps

    def _portal_agent_steps(self, agent, start, end):
        return [
            self.env._(
                "%(agent)s works for the association %(hours)s hours a week from %(start)s to %(end)s: "
                "agree with them on the schedule.",
                agent=agent,
                hours=format_quantity(self.env, self.weekly_hours),
                start=start,
                end=end,
            )
        ]
