"""A hostile client: every promise probed through real JSON-RPC, as each role.

The probes are generated from the models' own declarations: the fields the
server owns (``_user_protected_fields``), what each record leaves editable in
its state (``_editable_fields``), the relational fields bound to a commune
(``check_company``), every number and date, every name. A field added later is
probed without a new test. Each probe expects a clear refusal, an Odoo error
with a message (never a raw database or Python error), and reads the record
back as the administrator: nothing was written.
"""

import json
from datetime import datetime

from freezegun import freeze_time
from test_rpc import RpcCase, RpcError

from odoo.models import MAGIC_COLUMNS
from odoo.tests import new_test_user, tagged

OFFICER = "conseil_associations.group_conseil_officer"
MANAGER = "conseil_associations.group_conseil_manager"
DASHBOARD = "conseil_associations.spreadsheet_dashboard_conseil"
# What a user may read when refused: an error of Odoo's, with a message; never a raw one.
REFUSALS = {
    "odoo.exceptions.AccessError",
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.MissingError",
}
# The context keys that once lifted locks, and a few a client might try.
HOSTILE_CONTEXT = {
    "conseil_loan_transition": True,
    "conseil_need_transition": True,
    "conseil_meeting_transition": True,
    "conseil_decision_system": True,
    "conseil_from_meeting": True,
    "conseil_from_event": True,
    "tracking_disable": True,
    "install_mode": True,
    "import_file": True,
    "active_test": False,
    "su": True,
    "uid": 1,
}
HTML = '<img src=x onerror=alert(1)><a href="https://evil.example">clic</a>'
IMPLAUSIBLE_NUMBERS = (-1e15, 1e15, 2**40, "beaucoup")
IMPLAUSIBLE_DATES = ("0001-01-01", "9999-12-31", "2027-13-45", "hier")
IMPLAUSIBLE_DATETIMES = ("0001-01-01 00:00:00", "9999-12-31 23:59:59", "2027-02-30 10:00:00")
PASSWORD = "hostile-pwd-2027"


@tagged("post_install", "-at_install")
@freeze_time("2027-02-15 10:00:00")
class TestHostileClient(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.company_a = env.company
        cls.company_b = env["res.company"].create({"name": "Commune voisine"})

        def user(login, groups, companies=None):
            companies = companies or cls.company_a
            return new_test_user(
                env, login=login, password=PASSWORD, groups=groups,
                company_id=companies[0].id, company_ids=companies.ids,
            )  # fmt: skip

        cls.users = {
            "officer": user("h_officer", OFFICER),
            "manager": user("h_manager", MANAGER),
            "fleet": user("h_fleet", "base.group_user,fleet.fleet_group_manager"),
            "hr": user("h_hr", "base.group_user,hr.group_hr_user"),
            "internal": user("h_internal", "base.group_user"),
            "both": user("h_both", MANAGER, cls.company_a | cls.company_b),
        }
        cls.user_b = user("h_user_b", OFFICER, cls.company_b)
        cls._build_commune_a(env)
        cls._build_commune_b(env)

    # ------------------------------------------------------------
    # THE TOWN UNDER ATTACK
    # ------------------------------------------------------------

    @classmethod
    def _build_commune_a(cls, env):
        cls.theme = env["conseil.theme"].create({"name": "Thème A", "company_id": cls.company_a.id})
        cls.club = env["conseil.association"].create({"name": "Club A", "is_council_member": True})
        cls.grocery = env["conseil.association"].create({"name": "Épicerie A", "is_council_member": True})
        cls.contact = env["res.partner"].create({"name": "Présidente", "parent_id": cls.club.partner_id.id})
        calendar = env["resource.calendar"].create(
            {
                "name": "Toujours",
                "tz": "Europe/Paris",
                "attendance_ids": [
                    (0, 0, {"name": f"J{day}", "dayofweek": str(day), "hour_from": 0, "hour_to": 24})
                    for day in range(7)
                ],
            }
        )
        cls.calendar = calendar
        model = env["fleet.vehicle.model"].create(
            {"name": "Master", "brand_id": env["fleet.vehicle.model.brand"].create({"name": "Renault"}).id}
        )
        cls.vehicles = env["fleet.vehicle"].create(
            [
                {"model_id": model.id, "license_plate": f"HA-{n:03d}", "company_id": cls.company_a.id}
                for n in range(9)
            ]
        )
        week_35 = env["resource.calendar"].create(
            {
                "name": "35 h",
                "tz": "Europe/Paris",
                "attendance_ids": [
                    (0, 0, {"name": f"J{day}", "dayofweek": str(day), "hour_from": 9, "hour_to": 16})
                    for day in range(5)
                ],
            }
        )
        cls.agent = env["hr.employee"].create(
            {"name": "Agent A", "resource_calendar_id": week_35.id, "conseil_is_titulaire": True}
        )
        cls.room = env["conseil.room"].create(
            {"name": "Salle A", "capacity": 80, "resource_calendar_id": calendar.id}
        )
        Meeting = env["conseil.meeting"]

        def session(name, day, kind="council"):
            meeting = Meeting.create(
                {"name": name, "meeting_type": kind, "date_start": f"2027-02-{day:02d} 17:00:00",
                 "date_end": f"2027-02-{day:02d} 19:00:00", "minutes": "<p>Tour de table</p>"}
            )  # fmt: skip
            if kind == "council":
                meeting._invite(cls.club)
                env["conseil.progress.report"].create(
                    {"meeting_id": meeting.id, "association_id": cls.club.id}
                )
                env["conseil.agenda.item"].create(
                    {"meeting_id": meeting.id, "name": "Point", "section": "Divers"}
                )
            return meeting

        cls.meetings = {
            "planned": session("Conseil prévu", 18),
            "held": session("Conseil tenu", 11),
            "published": session("Conseil publié", 4),
            "cancelled": session("Conseil annulé", 25),
        }
        cls.meetings["held"].action_hold()
        cls.meetings["published"].action_hold()
        cls.meetings["published"].action_publish_minutes()
        cls.meetings["cancelled"].action_cancel()
        cls.review = session("Revue ouverte", 20, "review")
        cls.closed_review = session("Revue close", 10, "review")

        Need = env["conseil.need"]
        cls.needs = {}
        for state in ("draft", "submitted", "in_review", "approved", "refused", "closed", "cancelled"):
            need = Need.create(
                {"name": f"Besoin {state}", "association_id": cls.club.id, "need_type": "vehicle",
                 "meeting_id": cls.meetings["planned"].id, "date_from": "2027-03-01", "date_to": "2027-03-02",
                 # two weeks ahead, a day short of the vehicle's lead time: raised as urgent at the council
                 "is_urgent": True, "urgent_reason": "La sortie a été avancée"}
            )  # fmt: skip
            cls.needs[state] = need
            if state == "cancelled":
                need.action_cancel()
            elif state != "draft":
                need.action_submit()
                if state == "closed":
                    need.submitted_on = datetime(2027, 2, 1)
                if state != "submitted":
                    (cls.closed_review if state == "closed" else cls.review)._gather_needs(need)
                outcome = {"approved": "approve", "refused": "refuse", "closed": "refuse"}.get(state)
                if outcome:
                    env["conseil.decision.wizard"].with_context(default_need_id=need.id).create(
                        {"outcome": outcome, "reason": "Pas cette année"}
                    ).action_confirm()
                if state == "closed":
                    need.action_close()
        cls.closed_review.action_hold()
        cls.closed_review.action_close_review()
        cls.decision = cls.needs["approved"].decision_id
        cls.locked_decision = cls.needs["closed"].decision_id

        Loan = env["conseil.loan"]
        cls.loans = {}
        for index, state in enumerate(
            ("draft", "requested", "approved", "in_progress", "returned", "refused", "cancelled")
        ):
            loan = Loan.create(
                {"loan_type": "vehicle", "association_id": cls.club.id, "vehicle_id": cls.vehicles[index].id,
                 "purpose": "Collecte", "date_start": "2027-02-01 08:00:00", "date_end": "2027-02-02 18:00:00",
                 "driver_id": cls.contact.id, "licence_checked_on": "2027-01-15", "odometer_start": 1000}
            )  # fmt: skip
            cls.loans[state] = loan
            path = {
                "requested": ["action_request"],
                "approved": ["action_request", "action_approve"],
                "in_progress": ["action_request", "action_approve", "action_start"],
                "returned": ["action_request", "action_approve", "action_start", "action_return"],
                "refused": ["action_request", "action_refuse"],
                "cancelled": ["action_cancel"],
            }.get(state, [])
            for action in path:
                getattr(loan, action)()
        cls.agent_loan = Loan.create(
            {"loan_type": "agent", "association_id": cls.club.id, "employee_id": cls.agent.id, "purpose": "Animation",
             "date_start": "2027-03-01 08:00:00", "date_end": "2027-04-01 18:00:00", "weekly_hours": 10}
        )  # fmt: skip
        cls.room_loan = Loan.create(
            {"loan_type": "room", "association_id": cls.club.id, "room_id": cls.room.id, "purpose": "Gala",
             "date_start": "2027-03-01 18:00:00", "date_end": "2027-03-01 22:00:00", "expected_attendance": 40}
        )  # fmt: skip
        cls.subsidy = env["conseil.subsidy"].create(
            {"name": "Fonctionnement", "association_id": cls.club.id, "year": 2027, "amount": 1500}
        )
        cls.offer = env["conseil.offer"].create(
            {"name": "Colis", "association_id": cls.grocery.id, "offer_type": "vehicle", "capacity": 10}
        )
        cls.challenge = env["conseil.challenge"].create({"name": "Défi A"})
        cls.partnership = env["conseil.partnership"].create(
            {"helper_id": cls.grocery.id, "helped_id": cls.club.id}
        )
        cls.ended_partnership = env["conseil.partnership"].create(
            {"helper_id": cls.club.id, "helped_id": cls.grocery.id}
        )
        cls.ended_partnership.action_end()
        actor = env["res.partner"].create(
            {
                "name": "CCAS",
                "category_id": [(4, env.ref("conseil_associations.partner_category_structuring_actor").id)],
            }
        )
        networking = Need.create({"name": "Réseau", "association_id": cls.club.id, "need_type": "networking"})
        cls.introductions = env["conseil.introduction"].create(
            [{"need_id": networking.id, "association_id": cls.club.id, "actor_id": actor.id}] * 2
        )
        cls.introductions[1].outcome = "Un contact au CCAS"
        cls.introductions[1].action_done()
        env.flush_all()

    @classmethod
    def _build_commune_b(cls, env):
        b = {"company_id": cls.company_b.id}
        association = env["conseil.association"].create({"name": "Secret de la commune B", **b})
        calendar = env["resource.calendar"].create({"name": "Horaires B", **b})
        meeting = env["conseil.meeting"].create(
            {"name": "Conseil B", "date_start": "2027-02-18 17:00:00", "date_end": "2027-02-18 19:00:00", **b}
        )
        review = env["conseil.meeting"].create(
            {"name": "Revue B", "meeting_type": "review", "date_start": "2027-02-20 17:00:00",
             "date_end": "2027-02-20 19:00:00", **b}
        )  # fmt: skip
        need = env["conseil.need"].create(
            {"name": "Besoin B", "association_id": association.id, "need_type": "room", **b}
        )
        need.action_submit()
        review._gather_needs(need)
        env["conseil.decision.wizard"].with_context(default_need_id=need.id).create(
            {"outcome": "approve"}
        ).action_confirm()
        model = env["fleet.vehicle.model"].search([], limit=1)
        cls.commune_b = {
            "conseil.association": association,
            "res.partner": association.partner_id,
            "resource.calendar": calendar,
            "conseil.meeting": meeting,
            "conseil.need": need,
            "conseil.decision": need.decision_id,
            "conseil.theme": env["conseil.theme"].create({"name": "Thème B", **b}),
            "conseil.room": env["conseil.room"].create(
                {"name": "Salle B", "capacity": 10, "resource_calendar_id": calendar.id, **b}
            ),
            "fleet.vehicle": env["fleet.vehicle"].create(
                {"model_id": model.id, "license_plate": "BB-001", **b}
            ),
            "hr.employee": env["hr.employee"].create({"name": "Agent B", **b}),
            "conseil.offer": env["conseil.offer"].create(
                {"name": "Offre B", "association_id": association.id, "offer_type": "other"}
            ),
            "conseil.challenge": env["conseil.challenge"].create({"name": "Défi B", **b}),
            "hr.department": env["hr.department"].create({"name": "Service B", **b}),
            "res.users": cls.user_b,
        }
        env.flush_all()

    # ------------------------------------------------------------
    # THE PROBES
    # ------------------------------------------------------------

    def targets(self):
        """(record, the role that may otherwise write it): every model, in the states a record can be in."""
        meetings = self.meetings
        yield from ((loan, "officer") for loan in self.loans.values())
        yield self.loans["approved"], "fleet"
        yield self.agent_loan, "officer"
        yield self.room_loan, "officer"
        yield from ((need, "officer") for need in self.needs.values())
        yield self.needs["in_review"], "manager"
        yield from ((meeting, "officer") for meeting in meetings.values())
        yield self.review, "manager"
        for state in ("planned", "published"):
            yield meetings[state].attendance_ids, "officer"
            yield meetings[state].progress_report_ids, "officer"
            yield meetings[state].agenda_item_ids, "officer"
        yield self.decision, "manager"
        yield self.locked_decision, "manager"
        yield self.club, "officer"
        yield self.theme, "manager"
        yield self.room, "manager"
        yield self.subsidy, "manager"
        yield self.offer, "officer"
        yield self.challenge, "officer"
        yield self.partnership, "officer"
        yield self.ended_partnership, "officer"
        yield from ((introduction, "officer") for introduction in self.introductions)

    def as_user(self, role):
        login = self.users[role].login
        if getattr(self, "_logged_in", None) != login:
            self.authenticate(login, PASSWORD)
            self._logged_in = login

    def raw_call_kw(self, model, method, args_json):
        """A call whose arguments are raw JSON, as a script may send them (NaN, Infinity...)."""
        params = (
            json.dumps({"model": model, "method": method, "kwargs": {}})[:-1] + f', "args": {args_json}}}'
        )
        body = f'{{"id": 0, "jsonrpc": "2.0", "method": "call", "params": {params}}}'

        response = self.opener.post(
            f"{self.base_url()}/web/dataset/call_kw/{model}/{method}",
            data=body,
            headers={"Content-Type": "application/json"},
            timeout=30,
        )
        decoded = response.json()
        if "error" in decoded:
            raise RpcError(decoded["error"]["data"])
        return decoded.get("result")

    def write(self, record, values, context=None):
        return self.call_kw(record._name, "write", [record.ids, values], {"context": context or {}})

    def snapshot(self, record, names):
        self.env.invalidate_all()
        record = record.with_context(active_test=False)
        return {name: record.mapped(name) for name in names}

    def assert_refused(self, call, record=None, names=(), what=""):
        """``call`` is refused with a clear message, and ``names`` of ``record`` are as before."""
        before = self.snapshot(record, names) if record else None
        with self.assertRaises(RpcError, msg=f"Accepted: {what}") as caught:
            call()
        error = caught.exception
        self.assertIn(error.name, REFUSALS, f"{what}: a raw error reached the user: {error}")
        self.assertTrue(error.message.strip(), what)
        for raw in ("Traceback", "psycopg2", "SQL", "KeyError", "ValueError"):
            self.assertNotIn(raw, error.message, what)
        if record:
            self.assertEqual(self.snapshot(record, names), before, f"{what}: something was written")
        return error

    def forged(self, record, name):
        """A value of the field's type that differs from the record's, or None when none can be made."""
        field = record._fields[name]
        current = record[name] if len(record) == 1 else record[:1][name]
        kind = field.type
        if kind in ("many2one", "many2many", "one2many"):
            other = (
                self.env[field.comodel_name]
                .with_context(active_test=False)
                .search([("id", "not in", current.ids)], limit=1)
            )
            if not other:
                return None
            return other.id if kind == "many2one" else [(4, other.id)]
        if kind == "selection":
            options = [value for value, __ in field._description_selection(self.env) if value != current]
            return options[0] if options else None
        if kind in ("integer", "float", "monetary", "many2one_reference"):
            return (current or 0) + (7 if kind in ("integer", "many2one_reference") else 7.5)
        if kind == "boolean":
            return not current
        return {
            "char": "forged",
            "text": "forged",
            "html": "<p>forged</p>",
            "date": "2031-05-06",
            "datetime": "2031-05-06 10:00:00",
            "json": {"forged": 1},
            "binary": "Zm9yZ2Vk",
        }.get(kind)

    def user_fields(self, record, with_always_editable=False):
        """Stored fields a user might send, beyond the chatter's: what the guard has to judge."""
        protected = record._user_protected_fields()
        return [
            name
            for name, field in record._fields.items()
            if name not in MAGIC_COLUMNS
            and name not in protected
            and (with_always_editable or not record._always_editable(name))
            and (field.store or field.inherited)
            and field.type != "properties"
        ]

    # ------------------------------------------------------------
    # 1-3. SERVER-OWNED FIELDS, ON WRITE AND CREATE, WHATEVER THE CONTEXT
    # ------------------------------------------------------------

    def test_server_owned_fields_refused_on_write(self):
        probes = 0
        for record, role in self.targets():
            self.as_user(role)
            for name in sorted(record._user_protected_fields()):
                value = self.forged(record.with_user(self.users[role]), name)
                if value is None:
                    continue
                probes += 1
                self.assert_refused(
                    lambda record=record, name=name, value=value: self.write(record, {name: value}, HOSTILE_CONTEXT),
                    record, [name], f"{role} writes {record._name}.{name}",
                )  # fmt: skip
        self.assertGreater(probes, 200, "Every model's server-owned fields are probed")

    def test_server_owned_fields_refused_on_create(self):
        creatable = {
            "conseil.loan": ("officer", {"loan_type": "vehicle", "association_id": self.club.id, "purpose": "X",
                                         "date_start": "2027-05-01 08:00:00", "date_end": "2027-05-02 08:00:00"}),
            "conseil.need": ("officer", {"name": "X", "association_id": self.club.id, "need_type": "room"}),
            "conseil.meeting": ("officer", {"name": "X", "date_start": "2027-05-06 17:00:00",
                                            "date_end": "2027-05-06 19:00:00"}),
            "conseil.meeting.attendance": ("officer", {"meeting_id": self.meetings["planned"].id,
                                                       "association_id": self.grocery.id}),
            "conseil.agenda.item": ("officer", {"meeting_id": self.meetings["planned"].id, "name": "X",
                                                "section": "Divers"}),
            "conseil.challenge": ("officer", {"name": "X"}),
            "conseil.partnership": ("officer", {"helper_id": self.club.id, "helped_id": self.grocery.id}),
            "conseil.association": ("officer", {"name": "X"}),
            "conseil.help.proposal": ("officer", {}),
            "conseil.scdl.export.wizard": ("manager", {}),
        }  # fmt: skip
        for model, (role, values) in creatable.items():
            self.as_user(role)
            Model = self.env[model]
            new = Model.new(Model.default_get(list(Model._fields)))  # the defaults: forged values differ
            for name in sorted(Model._user_protected_fields()):
                value = self.forged(new, name)
                if value is None:
                    continue
                value = value or True  # a forged flag is set, not cleared, on a new record
                before = Model.with_context(active_test=False).search_count([])
                self.assert_refused(
                    lambda model=model, values=values, name=name, value=value: self.call_kw(
                        model, "create", [{**values, name: value}], {"context": HOSTILE_CONTEXT}
                    ),
                    what=f"{role} creates {model} with {name}",
                )
                self.assertEqual(Model.with_context(active_test=False).search_count([]), before, model)
        # decisions are acts of a review, never created directly, even by the deciding manager
        self.as_user("manager")
        self.assert_refused(
            lambda: self.call_kw(
                "conseil.decision",
                "create",
                [
                    {
                        "need_id": self.needs["submitted"].id,
                        "outcome": "approve",
                        "decided_by_id": self.users["manager"].id,
                    }
                ],
            ),
            what="manager creates a decision",
        )

    def test_context_defaults_choose_nothing_the_server_owns(self):
        self.as_user("officer")
        loan_id = self.call_kw(
            "conseil.loan",
            "create",
            [{"loan_type": "vehicle", "association_id": self.club.id, "purpose": "X",
              "date_start": "2027-05-01 08:00:00", "date_end": "2027-05-02 08:00:00"}],
            {"context": {**HOSTILE_CONTEXT, "default_state": "approved", "default_approved_by_id": self.users["fleet"].id,
                         "default_need_id": self.needs["approved"].id, "default_is_late": True}},
        )  # fmt: skip
        loan = self.env["conseil.loan"].browse(loan_id)
        self.assertEqual(
            (loan.state, loan.approved_by_id, loan.need_id, loan.is_late),
            ("draft", self.env["res.users"], self.env["conseil.need"], False),
        )

    # ------------------------------------------------------------
    # 4. TERMS FROZEN BY STATE
    # ------------------------------------------------------------

    def test_frozen_terms_refused(self):
        probes = 0
        for record, role in self.targets():
            editable = record.with_user(self.users[role])._editable_fields() if len(record) == 1 else None
            if editable is None:
                continue
            self.as_user(role)
            for name in self.user_fields(record):
                if name in editable:
                    continue
                value = self.forged(record, name)
                if value is None:
                    continue
                probes += 1
                self.assert_refused(
                    lambda record=record, name=name, value=value: self.write(record, {name: value}),
                    record, [name], f"{role} writes {name} of {record.display_name} ({record._name})",
                )  # fmt: skip
        self.assertGreater(probes, 150)

    def test_what_a_state_leaves_open_stays_open(self):
        """Not a lock on everything: what users may still change, they change."""
        self.as_user("officer")
        self.write(self.loans["draft"], {"purpose": "Nouvel objet"})
        self.write(self.loans["approved"], {"licence_checked_on": "2027-02-10"})
        self.write(self.needs["submitted"], {"quantity": 2})
        self.write(self.needs["approved"], {"challenge_id": self.challenge.id})
        self.write(self.meetings["held"], {"minutes": "<p>Compte rendu</p>"})
        self.write(self.meetings["planned"].attendance_ids, {"note": "En retard"})
        self.env.invalidate_all()
        self.assertEqual(self.loans["draft"].purpose, "Nouvel objet")
        self.assertEqual(self.needs["submitted"].quantity, 2)
        self.assertEqual(self.meetings["planned"].attendance_ids.note, "En retard")

    def test_decisions_are_acts(self):
        self.as_user("manager")
        for decision in (self.decision, self.locked_decision):
            for name in ("reference", "need_id", "outcome", "decision_date", "reason", "is_locked", "state"):
                value = self.forged(decision, name)
                self.assert_refused(
                    lambda decision=decision, name=name, value=value: self.write(decision, {name: value}, HOSTILE_CONTEXT),
                    decision, [name], f"manager writes {name} of {decision.reference}",
                )  # fmt: skip
        self.assert_refused(
            lambda: self.call_button("conseil.decision", "action_cancel", self.locked_decision.id),
            self.locked_decision, ["state"], "a closed review's decision cancelled",
        )  # fmt: skip
        self.assert_refused(
            lambda: self.call_kw("conseil.decision", "unlink", [self.decision.ids]), self.decision, ["state"],
            "a decision deleted",
        )  # fmt: skip
        # a decision on a need never gathered, or gathered in a closed review
        for need in (self.needs["submitted"], self.needs["closed"]):
            self.assert_refused(
                lambda need=need: self.call_button(
                    "conseil.decision.wizard",
                    "action_confirm",
                    self.call_kw("conseil.decision.wizard", "create", [{"need_id": need.id, "outcome": "approve",
                                 "decided_by_id": self.users["manager"].id, "decision_date": "2027-02-15"}]),
                ),
                need, ["state", "decision_ids"], f"a decision on {need.name}",
            )  # fmt: skip
        # back-dated to year 1, or dated before the need was submitted
        need = self.needs["in_review"]
        for day in ("0001-01-01", "2026-01-01"):
            self.assert_refused(
                lambda day=day: self.call_button(
                    "conseil.decision.wizard",
                    "action_confirm",
                    self.call_kw("conseil.decision.wizard", "create", [{"need_id": need.id, "outcome": "approve",
                                 "decided_by_id": self.users["manager"].id, "decision_date": day}]),
                ),
                need, ["state", "decision_ids"], f"a decision dated {day}",
            )  # fmt: skip

    # ------------------------------------------------------------
    # 5. ONE COMMUNE NEVER TOUCHES ANOTHER'S RECORDS
    # ------------------------------------------------------------

    def test_no_link_to_another_commune(self):
        probes = 0
        for role in ("manager", "both"):
            for record, __ in self.targets():
                if len(record) != 1:
                    continue
                editable = record.with_user(self.users[role])._editable_fields()
                for name in self.user_fields(record):
                    field = record._fields[name]
                    if not (field.relational and field.check_company) or (
                        editable is not None and name not in editable
                    ):
                        continue
                    self.assertIn(
                        field.comodel_name,
                        self.commune_b,
                        f"A record of commune B to link {record._name}.{name}",
                    )
                    foreign = self.commune_b[field.comodel_name]
                    value = foreign.id if field.type == "many2one" else [(4, foreign.id)]
                    self.as_user(role)
                    probes += 1
                    error = self.assert_refused(
                        lambda record=record, name=name, value=value: self.write(record, {name: value}),
                        record, [name], f"{role} links {record._name}.{name} to commune B",
                    )  # fmt: skip
                    self.assertNotIn(
                        foreign.sudo().display_name, error.message, "No name of commune B is told"
                    )
        self.assertGreater(probes, 30)

    def test_no_record_of_another_commune_born_in_this_one(self):
        b = self.commune_b
        self.as_user("both")
        attempts = {
            "conseil.loan": {"loan_type": "vehicle", "association_id": self.club.id, "vehicle_id": b["fleet.vehicle"].id,
                             "purpose": "X", "date_start": "2027-05-01 08:00:00", "date_end": "2027-05-02 08:00:00"},
            "conseil.need": {"name": "X", "association_id": b["conseil.association"].id, "need_type": "room",
                             "company_id": self.company_a.id},
            "conseil.partnership": {"helper_id": self.club.id, "helped_id": b["conseil.association"].id},
            "conseil.room": {"name": "X", "capacity": 5, "resource_calendar_id": b["resource.calendar"].id},
            "conseil.meeting.attendance": {"meeting_id": self.meetings["planned"].id,
                                           "association_id": b["conseil.association"].id},
        }  # fmt: skip
        for model, values in attempts.items():
            before = self.env[model].search_count([])
            error = self.assert_refused(lambda model=model, values=values: self.call_kw(model, "create", [values]),
                                        what=f"{model} of A linked to B")  # fmt: skip
            self.assertNotIn("Secret de la commune B", error.message)
            self.assertEqual(self.env[model].search_count([]), before)

    def test_an_identifier_of_another_commune_is_not_told(self):
        self.commune_b["conseil.association"].write({"rna": "W595000999"})
        self.as_user("officer")
        self.call_kw(
            "conseil.association", "create", [{"name": "Homonyme", "rna": "W595000999"}]
        )  # another commune
        error = self.assert_refused(
            lambda: self.call_kw("conseil.association", "create", [{"name": "Intrus", "rna": "W595000999",
                                                                     "company_id": self.company_b.id}]),
            what="an association created in commune B",
        )  # fmt: skip
        self.assertNotIn("Secret de la commune B", error.message)

    # ------------------------------------------------------------
    # 6-7. PLAUSIBLE VALUES, NAMES
    # ------------------------------------------------------------

    def test_implausible_numbers_and_dates(self):
        probes = 0
        for record, role in self.targets():
            if len(record) != 1:
                continue
            editable = record.with_user(self.users[role])._editable_fields()
            self.as_user(role)
            for name in self.user_fields(record, with_always_editable=True):
                field = record._fields[name]
                if (editable is not None and name not in editable and not record._always_editable(name)) or (
                    field.related
                ):
                    continue
                values = {
                    "integer": IMPLAUSIBLE_NUMBERS,
                    "float": IMPLAUSIBLE_NUMBERS,
                    "monetary": IMPLAUSIBLE_NUMBERS,
                    "date": IMPLAUSIBLE_DATES,
                    "datetime": IMPLAUSIBLE_DATETIMES,
                }.get(field.type, ())
                for value in values:
                    probes += 1
                    self.assert_refused(
                        lambda record=record, name=name, value=value: self.write(record, {name: value}),
                        record, [name], f"{record._name}.{name} = {value!r}",
                    )  # fmt: skip
        self.assertGreater(probes, 100)

    def test_blank_and_huge_names(self):
        probes = 0
        for record, role in self.targets():
            if len(record) != 1:
                continue
            editable = record.with_user(self.users[role])._editable_fields()
            self.as_user(role)
            for name in self.user_fields(record):
                field = record._fields[name]
                named = name == record._rec_name or (field.required and field.type in ("char", "text"))
                if (
                    not named
                    or field.type not in ("char", "text")
                    or (editable is not None and name not in editable)
                ):
                    continue
                for value in ("   ", "x" * 1_000_000):
                    probes += 1
                    self.assert_refused(
                        lambda record=record, name=name, value=value: self.write(record, {name: value}),
                        record, [name], f"{record._name}.{name} of {len(value)} characters",
                    )  # fmt: skip
        self.assertGreater(probes, 10)

    def test_a_loan_from_year_one_is_refused_and_an_agent_week_is_bounded(self):
        self.as_user("officer")
        self.assert_refused(
            lambda: self.call_kw("conseil.loan", "create", [{
                "loan_type": "vehicle", "association_id": self.club.id, "purpose": "X",
                "vehicle_id": self.vehicles[8].id, "date_start": "0001-01-01 00:00:00", "date_end": "9999-12-31 00:00:00"}]),
            what="a loan from year 1 to 9999",
        )  # fmt: skip
        for hours in (-1000, 36, 1e9):
            self.assert_refused(
                lambda hours=hours: self.write(self.agent_loan, {"weekly_hours": hours}),
                self.agent_loan, ["weekly_hours", "value"], f"{hours} h a week for a 35 h agent",
            )  # fmt: skip

    def test_statement_of_an_absurd_year(self):
        self.as_user("officer")
        response = self.url_open(
            f"/report/html/conseil_associations.report_in_kind_statement/{self.club.id}?options="
            + '{"year": 99999}'
        )
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn("Traceback", response.text)
        self.assertIn("Choose a year between", response.text)

    # ------------------------------------------------------------
    # 8. HISTORY IS NEVER DELETED
    # ------------------------------------------------------------

    def test_history_is_never_deleted(self):
        cases = [
            ("manager", self.club),
            ("officer", self.meetings["published"]),
            ("officer", self.meetings["held"]),
            ("officer", self.meetings["published"].attendance_ids),
            ("officer", self.meetings["published"].progress_report_ids),
            ("officer", self.loans["approved"]),
            ("officer", self.loans["returned"]),
            ("manager", self.room),
            ("manager", self.decision),
        ]
        for role, record in cases:
            self.as_user(role)
            self.assert_refused(
                lambda record=record: self.call_kw(record._name, "unlink", [record.ids]),
                what=f"{role} deletes {record._name} {record.display_name}",
            )
            self.env.invalidate_all()
            self.assertEqual(record.exists(), record)
        # an approved loan cancelled, then back to draft, is still kept
        loan = self.loans["approved"]
        loan.with_user(self.users["fleet"]).action_cancel()
        loan.with_user(self.users["officer"]).action_reset_to_draft()
        self.as_user("officer")
        self.assert_refused(
            lambda: self.call_kw("conseil.loan", "unlink", [loan.ids]), what="a loan once approved"
        )

    # ------------------------------------------------------------
    # 9. TEXT STAYS TEXT
    # ------------------------------------------------------------

    def test_user_text_is_never_html(self):
        self.as_user("officer")
        association_id = self.call_kw("conseil.association", "create", [{"name": HTML}])
        loan_id = self.call_kw("conseil.loan", "create", [{
            "loan_type": "vehicle", "association_id": association_id, "vehicle_id": self.vehicles[8].id,
            "purpose": HTML, "date_start": "2027-02-05 08:00:00", "date_end": "2027-02-06 08:00:00"}])  # fmt: skip
        self.call_button("conseil.loan", "action_request", loan_id)
        self.as_user("fleet")
        self.call_button("conseil.loan", "action_approve", loan_id)
        loan = self.env["conseil.loan"].browse(loan_id)
        self.env["conseil.loan"]._cron_flag_late_loans()  # the note of the activity names the association
        self.env["conseil.subsidy"].create(
            {"name": "Grosse", "association_id": association_id, "year": 2027, "amount": 50000}
        )  # the convention activity names it too
        rendered = {
            "calendar event": loan.calendar_event_id.sudo().description,
            "late activity": " ".join(loan.activity_ids.mapped("note")),
            "convention activity": " ".join(loan.association_id.activity_ids.mapped("note")),
            "chatter": " ".join(loan.sudo().message_ids.mapped("body")),
        }
        for place, html in rendered.items():
            with self.subTest(place=place):
                self.assertTrue(html, f"Nothing rendered in the {place}")
                self.assertNotIn("<img", html)
                self.assertNotIn("<a href", html)
        self.assertIn("&lt;img", rendered["calendar event"])
        self.assertIn("&lt;img", rendered["late activity"])
        # the open-data report of problems is written by the export, never by a user
        self.as_user("manager")
        wizard_id = self.call_kw("conseil.scdl.export.wizard", "create", [{}])
        self.assert_refused(
            lambda: self.call_kw("conseil.scdl.export.wizard", "write", [[wizard_id], {"problems": HTML}])
        )

    # ------------------------------------------------------------
    # 10. LOAN EVENTS ARE PRIVATE; EVENTS BELONG TO THEIR OWNER
    # ------------------------------------------------------------

    def test_loan_events_are_private(self):
        self.as_user("officer")
        loan_id = self.call_kw("conseil.loan", "create", [{
            "loan_type": "vehicle", "association_id": self.club.id, "vehicle_id": self.vehicles[8].id,
            "purpose": "Tournée", "date_start": "2027-04-05 08:00:00", "date_end": "2027-04-06 08:00:00"}])  # fmt: skip
        self.call_button("conseil.loan", "action_request", loan_id)
        self.as_user("fleet")
        self.call_button("conseil.loan", "action_approve", loan_id)
        event = self.env["conseil.loan"].browse(loan_id).calendar_event_id
        self.assertEqual(event.privacy, "private")
        for role in ("fleet", "officer"):  # its approver and its requester read it
            self.as_user(role)
            [read] = self.call_kw("calendar.event", "read", [event.ids, ["name", "description"]])
            self.assertIn("Club A", read["name"])
        for role in ("internal", "manager", "hr"):  # nobody else, even by searching
            self.as_user(role)
            self.assert_refused(
                lambda: self.call_kw("calendar.event", "read", [event.ids, ["name", "description"]])
            )
            for domain in (
                [("name", "ilike", "Club A")],
                [("res_model", "=", "conseil.loan")],
                [("id", "=", event.id)],
            ):
                self.assertFalse(self.call_kw("calendar.event", "search", [domain]), f"{role} found {domain}")
        # nobody moves, re-points or deletes the event of a loan or a session, except through its owner
        self.as_user("officer")
        session_event = self.meetings["planned"].calendar_event_id
        for target, values in (
            (event, {"start": "2027-06-01 08:00:00", "stop": "2027-06-01 09:00:00"}),
            (event, {"res_id": self.loans["draft"].id}),
            (session_event, {"res_id": self.meetings["held"].id}),
        ):
            self.assert_refused(lambda target=target, values=values: self.call_kw("calendar.event", "write",
                                [target.ids, values]), target, list(values), f"event written {values}")  # fmt: skip
        for target in (event, session_event):
            self.assert_refused(lambda target=target: self.call_kw("calendar.event", "unlink", [target.ids]),
                                what="an owned event deleted")  # fmt: skip
        fake = {"name": "Faux", "start": "2027-06-01 08:00:00", "stop": "2027-06-01 09:00:00"}
        loan_model = self.env["ir.model"]._get_id("conseil.loan")
        for values, context in (
            ({**fake, "res_model_id": loan_model, "res_id": self.loans["draft"].id}, {}),
            (fake, {"default_res_model": "conseil.loan", "default_res_id": self.loans["draft"].id}),
            (fake, {"active_model": "conseil.meeting", "active_id": self.meetings["planned"].id}),
        ):
            self.assert_refused(
                lambda values=values, context=context: self.call_kw(
                    "calendar.event", "create", [values], {"context": context}
                ),
                what=f"an event made to look like a loan's or a session's ({context})",
            )
        # a loan syncs only its own event: a foreign one linked to it is refused anyway
        own = self.env["calendar.event"].create({"name": "Mon rendez-vous", "start": "2027-06-02 08:00:00",
                                                  "stop": "2027-06-02 09:00:00"})  # fmt: skip
        self.assert_refused(lambda: self.write(self.loans["draft"], {"calendar_event_id": own.id}),
                            self.loans["draft"], ["calendar_event_id"], "a loan linked to someone's event")  # fmt: skip

    # ------------------------------------------------------------
    # WHAT AN OUTSIDE ATTACK FOUND, KEPT FIXED
    # ------------------------------------------------------------

    def test_a_review_decides_only_while_open(self):
        """Publishing or cancelling a review never lets its decisions change afterwards."""
        self.as_user("officer")
        review = self.review
        self.call_button("conseil.meeting", "action_hold", review.id)
        self.write(review, {"minutes": "<p>Décisions</p>"})
        self.assert_refused(lambda: self.call_button("conseil.meeting", "action_publish_minutes", review.id),
                            review, ["state"], "a review published before it is closed")  # fmt: skip
        planned = self.env["conseil.meeting"].create(
            {"name": "Revue à venir", "meeting_type": "review", "date_start": "2027-02-27 17:00:00",
             "date_end": "2027-02-27 19:00:00"}
        )  # fmt: skip
        need = self.env["conseil.need"].create(
            {"name": "B", "association_id": self.club.id, "need_type": "room"}
        )
        need.action_submit()
        planned._gather_needs(need)
        self.assert_refused(lambda: self.call_button("conseil.meeting", "action_cancel", planned.id),
                            planned, ["state"], "a review with gathered needs cancelled")  # fmt: skip
        self.as_user("manager")  # once closed, it is published, and its decisions are final
        self.call_button("conseil.meeting", "action_close_review", review.id)
        self.as_user("officer")
        self.call_button("conseil.meeting", "action_publish_minutes", review.id)
        self.as_user("manager")
        self.assert_refused(lambda: self.call_button("conseil.decision", "action_cancel", self.decision.id),
                            self.decision, ["state"], "a decision of a published review cancelled")  # fmt: skip

    def test_a_decision_with_loans_stays(self):
        need = self.needs["approved"]
        need.with_user(self.users["officer"]).action_create_loans()
        self.as_user("manager")
        self.assert_refused(lambda: self.call_button("conseil.decision", "action_cancel", self.decision.id),
                            self.decision, ["state"], "a decision whose loans exist cancelled")  # fmt: skip

    def test_the_contact_of_an_association_stays_in_its_commune(self):
        partner = self.club.partner_id
        self.as_user("officer")
        for values in ({"company_id": self.company_b.id}, {"name": "   "}, {"name": "x" * 5000},
                       {"comment": "x" * 1_000_000}):  # fmt: skip
            self.assert_refused(lambda values=values: self.call_kw("res.partner", "write", [partner.ids, values]),
                                partner, list(values), f"the association's contact written {list(values)}")  # fmt: skip
        self.assertEqual(self.env["conseil.association"].with_user(self.users["officer"]).search_count(
            [("id", "=", self.club.id)]), 1)  # fmt: skip
        self.as_user("both")
        b_contact = self.env["res.partner"].create(
            {"name": "Contact B", "parent_id": self.commune_b["conseil.association"].partner_id.id,
             "company_id": self.company_b.id}
        )  # fmt: skip
        for values in (
            {"parent_id": b_contact.id},
            {"child_ids": [(4, b_contact.id)]},
            {"user_id": self.user_b.id},
        ):
            self.assert_refused(lambda values=values: self.write(self.club, values), self.club.partner_id,
                                ["parent_id", "child_ids", "user_id"], f"association linked to B by {values}")  # fmt: skip

    def test_a_shared_vehicle_tells_nothing_of_the_other_commune(self):
        shared = self.env["fleet.vehicle"].create(
            {"model_id": self.vehicles[0].model_id.id, "license_plate": "PARTAGE", "company_id": False}
        )
        theirs = self.env["conseil.loan"].create(
            {"loan_type": "vehicle", "association_id": self.commune_b["conseil.association"].id,
             "company_id": self.company_b.id, "vehicle_id": shared.id, "purpose": "Secret",
             "date_start": "2027-03-10 08:00:00", "date_end": "2027-03-12 08:00:00"}
        )  # fmt: skip
        theirs.action_request()
        theirs.action_approve()
        ours = self.env["conseil.loan"].create(
            {"loan_type": "vehicle", "association_id": self.club.id, "vehicle_id": shared.id, "purpose": "X",
             "date_start": "2027-03-11 08:00:00", "date_end": "2027-03-13 08:00:00"}
        )  # fmt: skip
        ours.action_request()
        self.as_user("fleet")
        error = self.assert_refused(
            lambda: self.call_button("conseil.loan", "action_approve", ours.id), ours, ["state"]
        )
        self.assertIn("another commune", error.message)
        self.assertNotIn("Secret de la commune B", error.message)
        self.assertNotIn(theirs.name, error.message)
        [read] = self.call_kw(
            "fleet.vehicle", "read", [shared.ids, ["conseil_next_loan_id", "conseil_loan_count"]]
        )
        self.assertEqual((read["conseil_next_loan_id"], read["conseil_loan_count"]), (False, 1))
        self.assertEqual(theirs.name, "MAD/2027/0001", "Each commune numbers its own loans")

    def test_the_events_of_a_commune_and_of_its_sessions(self):
        b_event = self.commune_b["conseil.meeting"].calendar_event_id
        self.as_user("officer")
        self.assertFalse(self.call_kw("calendar.event", "search", [[("id", "=", b_event.id)]]))
        self.assert_refused(lambda: self.call_kw("calendar.event", "write", [b_event.ids, {"active": False}]))
        event = self.meetings["planned"].calendar_event_id
        attendee = event.attendee_ids.filtered(lambda a: a.partner_id == self.club.partner_id)
        self.as_user("internal")
        for values in ({"active": False}, {"partner_ids": [(6, 0, [])]}, {"description": "Annulé"},
                       {"alarm_ids": [(6, 0, [])]}):  # fmt: skip
            self.assert_refused(lambda values=values: self.call_kw("calendar.event", "write", [event.ids, values]),
                                event, list(values), f"a session's event written {values}")  # fmt: skip
        for state in ("declined", "accepted"):
            self.assert_refused(
                lambda state=state: self.call_kw("calendar.attendee", "write", [attendee.ids, {"state": state}]),
                attendee, ["state"], f"an association's reply made by someone else ({state})",
            )  # fmt: skip
        self.assert_refused(lambda: self.call_kw("calendar.attendee", "unlink", [attendee.ids]))
        self.assertEqual(self.meetings["planned"].attendance_ids.state, "invited")
        # the one who may change the session moves it in the Calendar, and the session follows
        self.as_user("officer")
        self.call_kw("calendar.event", "write", [event.ids, {"duration": 3.0}])
        self.env.invalidate_all()
        self.assertEqual(self.meetings["planned"].date_end, datetime(2027, 2, 18, 20, 0))

    def test_a_hand_over_is_recorded_once_it_happened(self):
        loan = self.loans["approved"]
        self.as_user("officer")
        self.write(loan, {"key_handover_time": "2199-12-31 00:00:00"})
        self.assert_refused(lambda: self.call_button("conseil.loan", "action_start", loan.id), loan,
                            ["state", "odometer_start_id"], "a hand-over in 2199")  # fmt: skip

    def test_the_readings_a_loan_recorded_stay(self):
        reading = self.loans["returned"].odometer_start_id
        self.assertTrue(reading)
        self.as_user("fleet")
        self.assert_refused(lambda: self.call_kw("fleet.vehicle.odometer", "write", [reading.ids, {"value": 1}]),
                            reading, ["value"], "a reading of a loan rewritten")  # fmt: skip
        self.assert_refused(lambda: self.call_kw("fleet.vehicle.odometer", "unlink", [reading.ids]))
        self.assertTrue(reading.exists())

    def test_malformed_calls_get_a_message(self):
        loan = self.loans["in_progress"]
        self.as_user("officer")
        calls = [
            lambda: self.call_kw("conseil.loan", "action_return", [loan.ids], {"return_time": "garbage"}),
            lambda: self.call_kw(
                "conseil.loan", "action_return", [loan.ids], {"return_time": "2027-02-15 25:61:00"}
            ),
            lambda: self.call_kw("conseil.loan", "action_return", [loan.ids], {"odometer_end": [1, 2]}),
            lambda: self.write(self.club, {"theme_ids": "abc"}),
            lambda: self.write(self.club, {"theme_ids": [(4, "x")]}),
            lambda: self.write(self.club, {"theme_ids": [(4, 999999999)]}),
            lambda: self.write(self.club, {"no_such_field": 1}),
            lambda: self.call_kw("conseil.need", "search", [[("date_from", ">", "hier")]]),
            lambda: self.call_kw("conseil.need", "search", [[("no_such_field", "=", 1)]]),
            lambda: self.call_kw("conseil.need", "search_read", [[]], {"limit": -5}),
            lambda: self.call_kw("conseil.need", "read_group", [[], ["quantity"], ["no_such_field"]]),
            lambda: self.call_kw("conseil.need", "read", [self.needs["draft"].ids, ["no_such_field"]]),
            lambda: self.call_kw("conseil.season.wizard", "create", [{"tz": "Mars/Olympus"}]),
            # the dashboard is the town's: an officer reads it, never rewrites it
            lambda: self.write(self.env.ref(DASHBOARD), {"spreadsheet_data": "{}"}),
            lambda: self.call_kw("conseil.statement.wizard", "create", [{"year": 0}]),
            # its figures are read as the user: never another commune's
            lambda: self.call_kw(
                "conseil.need",
                "formatted_read_group",
                [[], [], ["__count"]],
                {"context": {"allowed_company_ids": [self.company_b.id]}},
            ),
        ]
        for index, call in enumerate(calls):
            self.assert_refused(call, what=f"malformed call {index}")
        self.as_user("fleet")
        for rate in (
            "NaN",
            "Infinity",
            "1e400",
            '"abc"',
            "-5",
        ):  # raw JSON: NaN and Infinity are what a script sends
            self.assert_refused(lambda rate=rate: self.raw_call_kw(
                "fleet.vehicle", "write", f'[[{self.vehicles[0].id}], {{"conseil_daily_rate": {rate}}}]'
            ), what=f"a daily rate of {rate}")  # fmt: skip
        self.assertEqual(loan.state, "in_progress")

    def test_an_agent_week_shrinks_only_with_its_loans(self):
        loan = self.agent_loan
        loan.write({"agent_consent_date": "2027-01-10", "convention_ref": "C", "council_informed_date": "2027-01-20",
                    "reimbursement": "reimbursed", "weekly_hours": 30})  # fmt: skip
        loan.action_request()
        loan.with_user(self.users["hr"]).action_approve()
        part_time = self.env["resource.calendar"].create(
            {"name": "20 h", "attendance_ids": [(0, 0, {"name": "L", "dayofweek": "0", "hour_from": 8, "hour_to": 12})]}
        )  # fmt: skip
        self.as_user("hr")
        self.assert_refused(
            lambda: self.call_kw("hr.employee", "write", [self.agent.ids, {"resource_calendar_id": part_time.id}]),
            self.agent, ["resource_calendar_id"], "the week of a lent agent shortened below what is lent",
        )  # fmt: skip

    def test_history_pieces_are_not_deleted_either(self):
        self.subsidy.decision_ref = "DEL-2027-001"
        cases = [
            ("manager", self.subsidy),
            ("manager", self.partnership),
            ("manager", self.needs["in_review"]),
        ]
        for role, record in cases:
            self.as_user(role)
            self.assert_refused(lambda record=record: self.call_kw(record._name, "unlink", [record.ids]),
                                what=f"{record._name} deleted")  # fmt: skip
            self.assertTrue(record.exists())

    def test_only_the_town_staff_chairs_and_decides(self):
        portal = new_test_user(self.env, login="h_portal", groups="base.group_portal")
        self.as_user("manager")
        for record, values in (
            (self.meetings["planned"], {"chair_id": portal.id}),
            (self.meetings["planned"], {"official_ids": [(4, portal.id)]}),
            (self.club, {"referent_user_id": portal.id}),
        ):
            self.assert_refused(
                lambda record=record, values=values: self.write(record, values), record, list(values)
            )
        need = self.needs["in_review"]
        wizard = self.call_kw(
            "conseil.decision.wizard", "create",
            [{"need_id": need.id, "outcome": "approve", "decided_by_id": portal.id, "decision_date": "2027-02-20"}],
        )  # fmt: skip
        self.assert_refused(lambda: self.call_button("conseil.decision.wizard", "action_confirm", wizard), need,
                            ["state", "decision_ids"], "a decision by a portal user")  # fmt: skip

    def test_the_open_data_file_holds_no_formula(self):
        wizard = self.env["conseil.scdl.export.wizard"]
        row = dict.fromkeys(wizard._fields and ["nomBeneficiaire", "objet", "montant"], "")
        row.update(
            {
                "nomBeneficiaire": '=HYPERLINK("https://evil.example","clic")',
                "objet": "@SUM(A1)",
                "montant": "-12.00",
            }
        )
        content = wizard._csv_bytes([row]).decode()
        self.assertIn("'=HYPERLINK", content)
        self.assertIn("'@SUM(A1)", content)
        self.assertIn(",-12.00,", content, "Amounts stay numbers")

    def test_personal_defaults_choose_nothing_the_server_owns(self):
        """A user's own defaults (ir.default) are a client's choice too: they set no server-owned field."""
        self.as_user("officer")
        for model, field_name, value in (
            ("conseil.loan", "state", "approved"),
            ("conseil.loan", "approved_by_id", self.users["fleet"].id),
            ("conseil.need", "state", "approved"),
            ("conseil.meeting", "state", "published"),
        ):
            self.call_kw("ir.default", "set", [model, field_name, value, True, False])
        loan_id = self.call_kw("conseil.loan", "create", [{
            "loan_type": "vehicle", "association_id": self.club.id, "purpose": "X", "vehicle_id": self.vehicles[8].id,
            "date_start": "2027-05-01 08:00:00", "date_end": "2027-05-02 08:00:00"}])  # fmt: skip
        need_id = self.call_kw("conseil.need", "create", [{"name": "X", "association_id": self.club.id,
                                                          "need_type": "room"}])  # fmt: skip
        meeting_id = self.call_kw("conseil.meeting", "create", [{"name": "X", "date_start": "2027-05-06 17:00:00",
                                                                 "date_end": "2027-05-06 19:00:00"}])  # fmt: skip
        copy_id = self.call_kw("conseil.loan", "copy", [[self.loans["draft"].id]])
        loan = self.env["conseil.loan"].browse(loan_id)
        self.assertEqual((loan.state, loan.approved_by_id), ("draft", self.env["res.users"]))
        self.assertEqual(self.env["conseil.need"].browse(need_id).state, "draft")
        self.assertEqual(self.env["conseil.meeting"].browse(meeting_id).state, "planned")
        self.assertEqual(
            self.env["conseil.loan"].browse(copy_id[0] if isinstance(copy_id, list) else copy_id).state,
            "draft",
        )
        # nor through the server, which creates records under sudo() for the same user
        need = self.needs["approved"]
        self.env["conseil.loan"].search([("need_id", "=", need.id)]).unlink()
        self.call_button("conseil.need", "action_create_loans", need.id)
        self.assertEqual(set(need.loan_ids.mapped("state")), {"draft"})

    def test_a_closed_session_takes_nothing_through_a_default(self):
        published = self.meetings["published"]
        self.as_user("officer")
        self.call_kw("ir.default", "set", ["conseil.agenda.item", "meeting_id", published.id, True, False])
        for model, values in (
            ("conseil.agenda.item", {"name": "Ajout", "section": "X"}),
            ("conseil.meeting.attendance", {"association_id": self.grocery.id}),
            ("conseil.progress.report", {"association_id": self.grocery.id}),
        ):
            before = self.env[model].search_count([])
            self.assert_refused(lambda model=model, values=values: self.call_kw(
                model, "create", [values], {"context": {"default_meeting_id": published.id}}
            ), what=f"{model} added to a published session")  # fmt: skip
            self.assertEqual(self.env[model].search_count([]), before)

    def test_a_planned_schedule_holds_what_is_lent(self):
        """The Employees app plans versions of an agent's contract: none may hold less than what is lent."""
        loan = self.agent_loan
        loan.write({"agent_consent_date": "2027-01-10", "convention_ref": "C", "council_informed_date": "2027-01-20",
                    "reimbursement": "reimbursed", "weekly_hours": 30})  # fmt: skip
        loan.action_request()
        loan.with_user(self.users["hr"]).action_approve()
        short = self.env["resource.calendar"].create(
            {"name": "4 h", "attendance_ids": [(0, 0, {"name": "L", "dayofweek": "0", "hour_from": 8, "hour_to": 12})]}
        )  # fmt: skip
        self.as_user("hr")
        self.assert_refused(lambda: self.call_kw("hr.version", "create", [{
            "employee_id": self.agent.id, "date_version": "2027-03-15", "resource_calendar_id": short.id}]),
            what="a version of 4 h planned while 30 h are lent")  # fmt: skip
        self.assert_refused(lambda: self.call_kw("hr.employee", "write", [self.agent.ids, {"active": False}]),
                            self.agent, ["active"], "a lent agent archived")  # fmt: skip

    def test_attendees_and_readings_tell_nothing_of_the_other_commune(self):
        b = self.commune_b
        b_loan = self.env["conseil.loan"].create(
            {"loan_type": "room", "association_id": b["conseil.association"].id, "company_id": self.company_b.id,
             "room_id": b["conseil.room"].id, "purpose": "Secret", "expected_attendance": 5,
             "date_start": "2027-03-10 08:00:00", "date_end": "2027-03-10 10:00:00"}
        )  # fmt: skip
        b_loan.action_request()
        b_loan.action_approve()
        events = (
            b_loan.calendar_event_id
            | b["conseil.meeting"].calendar_event_id
            | self.loans["approved"].calendar_event_id
        )
        self.as_user("internal")
        self.assertFalse(
            self.call_kw(
                "calendar.attendee", "search_read", [[("event_id", "in", events.ids)], ["partner_id"]]
            )
        )
        contact = self.env["res.partner"].create({"name": "Contact secret", "parent_id": b["res.partner"].id})
        self.assertEqual(
            contact.company_id, self.company_b, "The contacts of an association are of its commune"
        )
        self.assertFalse(self.call_kw("res.partner", "search", [[("name", "ilike", "secret")]]))

    def test_a_shared_theme_is_the_administrators(self):
        shared = self.env["conseil.theme"].create({"name": "Partagée", "company_id": False})
        self.commune_b["conseil.association"].theme_ids = shared
        self.as_user("manager")
        for call in (
            lambda: self.call_kw("conseil.theme", "unlink", [shared.ids]),
            lambda: self.call_kw("conseil.theme", "write", [shared.ids, {"name": "Renommée"}]),
            lambda: self.call_kw(
                "conseil.theme", "create", [{"name": "Nouvelle partagée", "company_id": False}]
            ),
            lambda: self.call_kw("conseil.theme", "write", [self.theme.ids, {"company_id": False}]),
        ):
            self.assert_refused(call, shared, ["name", "association_ids"])
        self.assertEqual(self.commune_b["conseil.association"].theme_ids, shared)

    def test_loans_of_a_need_are_created_once(self):
        need = self.needs["approved"]
        self.as_user("officer")
        self.call_button("conseil.need", "action_create_loans", need.id)
        self.assert_refused(
            lambda: self.call_button("conseil.need", "action_create_loans", need.id), need, ["loan_ids"]
        )
