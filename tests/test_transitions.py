"""The transition tables, exhaustively: every (state, action, role) succeeds through its action or is refused.

Each table below is the rule as the town states it, written independently of
the code: who may do what, from which status. For every status a record can
be in and every action of its model, each role either succeeds (and the
record reaches the expected status) or is refused with an Odoo error and
nothing changes. The button a user sees (``can_*``) agrees with the outcome,
and no user writes the status directly, whatever the target.
"""

from contextlib import closing

from freezegun import freeze_time

from conseil_testing import FLEET_MANAGER, HR_OFFICER, ConseilCase
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

# The roles of the town, and the users who hold them in these tests.
ROLES = ("officer", "manager", "fleet", "hr", "internal")

LOAN_RULES = {
    # (from, action): the roles that may act; every other (status, action, role) is refused
    ("draft", "action_request"): {"officer", "manager"},
    ("draft", "action_cancel"): {"officer", "manager"},
    ("requested", "action_approve"): {"approver"},
    ("requested", "action_refuse"): {"approver"},
    ("requested", "action_cancel"): {"officer", "manager"},
    ("approved", "action_reset_to_requested"): {"approver"},
    ("refused", "action_reset_to_requested"): {"approver"},
    ("approved", "action_cancel"): {"approver"},
    ("approved", "action_start"): {"officer", "manager", "approver"},
    ("approved", "action_return"): {"officer", "manager", "approver"},
    ("in_progress", "action_return"): {"officer", "manager", "approver"},
    ("cancelled", "action_reset_to_draft"): {"officer", "manager"},
}
LOAN_ACTIONS = {
    # action: (status reached, the button that shows it)
    "action_request": ("requested", "can_request"),
    "action_approve": ("approved", "can_approve"),
    "action_refuse": ("refused", "can_refuse"),
    "action_reset_to_requested": ("requested", "can_reset"),
    "action_cancel": ("cancelled", "can_cancel"),
    "action_start": ("in_progress", "can_start"),
    "action_return": ("returned", "can_return"),
    "action_reset_to_draft": ("draft", "can_reset_to_draft"),
}
# Who approves each kind of loan.
APPROVER_ROLE = {"vehicle": "fleet", "agent": "hr", "room": "manager"}

NEED_RULES = {
    ("draft", "submit"): {"officer", "manager"},
    ("draft", "cancel"): {"officer", "manager"},
    ("submitted", "cancel"): {"officer", "manager"},
    ("cancelled", "reset_to_draft"): {"officer", "manager"},
    ("submitted", "gather"): {"manager"},
    ("in_review", "decide"): {"manager"},
    ("approved", "mark_fulfilled"): {"officer", "manager"},
    ("partial", "mark_fulfilled"): {"officer", "manager"},
    ("redirected", "mark_fulfilled"): {"officer", "manager"},
    ("fulfilled", "close"): {"officer", "manager"},
    ("refused", "close"): {"officer", "manager"},
    ("redirected", "close"): {"officer", "manager"},
}
NEED_ACTIONS = {
    "submit": ("submitted", "can_submit"),
    "cancel": ("cancelled", "can_cancel"),
    "reset_to_draft": ("draft", "can_reset_to_draft"),
    "gather": ("in_review", None),
    "decide": ("approved", "can_decide"),
    "mark_fulfilled": ("fulfilled", "can_mark_fulfilled"),
    "close": ("closed", "can_close"),
}

MEETING_RULES = {
    ("planned", "action_hold"): {"officer", "manager"},
    ("planned", "action_cancel"): {"officer", "manager"},
    ("cancelled", "action_reset_to_planned"): {"officer", "manager"},
    ("held", "action_publish_minutes"): {"officer", "manager"},
}
MEETING_ACTIONS = {
    "action_hold": ("held", "can_hold"),
    "action_cancel": ("cancelled", "can_cancel"),
    "action_reset_to_planned": ("planned", "can_plan_again"),
    "action_publish_minutes": ("published", "can_publish"),
}

CHALLENGE_RULES = {
    ("open", "action_start"): {"officer", "manager"},
    ("open", "action_achieve"): {"officer", "manager"},
    ("open", "action_drop"): {"officer", "manager"},
    ("in_progress", "action_achieve"): {"officer", "manager"},
    ("in_progress", "action_drop"): {"officer", "manager"},
    ("achieved", "action_reopen"): {"officer", "manager"},
    ("dropped", "action_reopen"): {"officer", "manager"},
}
CHALLENGE_ACTIONS = {
    "action_start": ("in_progress", "can_start"),
    "action_achieve": ("achieved", "can_achieve"),
    "action_drop": ("dropped", "can_drop"),
    "action_reopen": ("open", "can_reopen"),
}

PARTNERSHIP_RULES = {
    # the officers answer a proposal on the helper's behalf; its own people answer from the portal
    ("proposed", "action_accept"): {"officer", "manager"},
    ("proposed", "action_decline"): {"officer", "manager"},
    ("proposed", "action_cancel"): {"officer", "manager"},
    ("active", "action_end"): {"officer", "manager"},
    ("active", "action_cancel"): {"officer", "manager"},
}
PARTNERSHIP_ACTIONS = {
    "action_accept": ("active", "can_accept"),
    "action_decline": ("declined", "can_decline"),
    "action_end": ("ended", "can_end"),
    "action_cancel": ("cancelled", "can_cancel"),
}

ATTENDANCE_STATES = ("invited", "confirmed", "present", "excused", "absent")
ATTENDANCE_ACTIONS = {
    "action_mark_confirmed": "confirmed",
    "action_mark_present": "present",
    "action_mark_excused": "excused",
    "action_mark_absent": "absent",
}


class Rollback(Exception):
    pass


@tagged("post_install", "-at_install")
@freeze_time("2027-02-15 10:00:00")
class TestTransitionTables(ConseilCase):
    """Records are built in each status through the actions, then every action is tried as every role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            "officer": cls.officer,
            "manager": cls.manager,
            "fleet": new_test_user(cls.env, login="tt_fleet", groups=f"base.group_user,{FLEET_MANAGER}"),
            "hr": new_test_user(cls.env, login="tt_hr", groups=f"base.group_user,{HR_OFFICER}"),
            "internal": cls.internal_user,
        }
        cls.food_bank = cls.create_association("Banque alimentaire", is_council_member=True)
        cls.grocery = cls.create_association("Épicerie solidaire", is_council_member=True)
        model = cls.env["fleet.vehicle.model"].create(
            {
                "name": "Master",
                "brand_id": cls.env["fleet.vehicle.model.brand"].create({"name": "Renault"}).id,
            }
        )
        cls.vehicles = cls.env["fleet.vehicle"].create(
            [{"model_id": model.id, "license_plate": f"TT-{n:03d}"} for n in range(40)]
        )
        calendar = cls.env["resource.calendar"].create(
            {
                "name": "Toujours ouvert",
                "tz": "Europe/Paris",
                "attendance_ids": [
                    (0, 0, {"name": f"J{day}", "dayofweek": str(day), "hour_from": 0, "hour_to": 24})
                    for day in range(7)
                ],
            }
        )
        cls.agents = cls.env["hr.employee"].create(
            [
                {"name": f"Agent {n}", "resource_calendar_id": calendar.id, "conseil_is_titulaire": True}
                for n in range(40)
            ]
        )
        cls.rooms = cls.env["conseil.room"].create(
            [{"name": f"Salle {n}", "capacity": 50, "resource_calendar_id": calendar.id} for n in range(40)]
        )
        cls.review = cls.env["conseil.meeting"].create(
            {
                "name": "Revue",
                "meeting_type": "review",
                "date_start": "2027-02-20 17:00:00",
                "date_end": "2027-02-20 19:00:00",
            }
        )
        cls.serial = 0

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def roles_of(self, role_names, approver=None):
        """The users' roles: 'approver' stands for the approver of the loan's kind."""
        return {
            name for name in ROLES if name in role_names or (approver == name and "approver" in role_names)
        }

    def attempt(self, record, user, call):
        """Run ``call`` as ``user`` and roll it back: (succeeded, status reached, error)."""
        with closing(self.env.cr.savepoint()):
            try:
                call(record.with_user(user))
                record.invalidate_recordset()
                return True, record.state, None
            except (AccessError, UserError) as error:
                record.invalidate_recordset()
                return False, record.state, error
            finally:
                self.env.invalidate_all()

    def button(self, record, user, field_name):
        if not field_name:
            return None
        record.invalidate_recordset()
        try:
            return record.with_user(user)[field_name]
        except AccessError:
            return False

    def check_every_action(self, record, rules, actions, calls, approver=None):
        """Every action of the model, as every role, on ``record`` (in its status)."""
        state = record.state
        for action, (target, button) in actions.items():
            allowed = self.roles_of(rules.get((state, action), set()), approver)
            for role, user in self.users.items():
                with self.subTest(status=state, action=action, role=role):
                    shows = self.button(record, user, button)
                    succeeded, reached, error = self.attempt(record, user, calls[action])
                    if role in allowed:
                        self.assertTrue(succeeded, f"{role} may {action} from {state}: {error}")
                        self.assertEqual(reached, target)
                    else:
                        self.assertFalse(succeeded, f"{role} may not {action} from {state}")
                        self.assertEqual(reached, state, "A refused action changes nothing")
                    if shows is not None:
                        self.assertEqual(shows, succeeded, f"The {button} button agrees with {action}")
            for role, user in self.users.items():
                with self.subTest(status=state, write="state", role=role):
                    for target_state in dict(record._fields["state"].selection):
                        succeeded, reached, __ = self.attempt(
                            record,
                            user,
                            lambda rec, target_state=target_state: rec.write({"state": target_state}),
                        )
                        self.assertEqual(reached, state, f"{role} wrote the status {target_state} directly")

    # ------------------------------------------------------------
    # LOANS
    # ------------------------------------------------------------

    def loan_in(self, kind, state):
        self.serial += 1
        resource = {
            "vehicle": {
                "vehicle_id": self.vehicles[self.serial].id,
                "driver_id": self.food_bank.partner_id.id,
                "licence_checked_on": "2027-01-15",
            },
            "agent": {
                "employee_id": self.agents[self.serial].id,
                "weekly_hours": 10,
                "agent_consent_date": "2027-01-10",
                "convention_ref": "CONV-1",
                "council_informed_date": "2027-01-20",
                "reimbursement": "reimbursed",
            },
            "room": {"room_id": self.rooms[self.serial].id, "expected_attendance": 20},
        }[kind]
        loan = self.env["conseil.loan"].create(
            {
                "loan_type": kind,
                "association_id": self.food_bank.id,
                "purpose": "Collecte",
                # a loan of two weeks ago: it can be handed over and returned today
                "date_start": "2027-02-01 08:00:00",
                "date_end": "2027-02-02 18:00:00",
                **resource,
            }
        )
        path = {
            "draft": [],
            "requested": ["action_request"],
            "approved": ["action_request", "action_approve"],
            "in_progress": ["action_request", "action_approve", "action_start"],
            "returned": ["action_request", "action_approve", "action_start", "action_return"],
            "refused": ["action_request", "action_refuse"],
            "cancelled": ["action_cancel"],
        }[state]
        for action in path:
            getattr(loan, action)()
        self.assertEqual(loan.state, state)
        return loan

    def test_loan_table(self):
        calls = {action: (lambda loan, action=action: getattr(loan, action)()) for action in LOAN_ACTIONS}
        calls["action_refuse"] = lambda loan: loan.action_refuse(reason="Indisponible")
        for kind in ("vehicle", "agent", "room"):
            for state in dict(self.env["conseil.loan"]._fields["state"].selection):
                loan = self.loan_in(kind, state)
                self.check_every_action(loan, LOAN_RULES, LOAN_ACTIONS, calls, approver=APPROVER_ROLE[kind])

    # ------------------------------------------------------------
    # NEEDS
    # ------------------------------------------------------------

    def need_in(self, state):
        need = self.env["conseil.need"].create(
            {"name": f"Besoin {state}", "association_id": self.food_bank.id, "need_type": "other"}
        )
        outcome = {"approved": "approve", "fulfilled": "approve", "closed": "approve", "partial": "partial",
                   "refused": "refuse", "redirected": "redirect"}.get(state)  # fmt: skip
        if state == "cancelled":
            need.action_cancel()
        elif state != "draft":
            need.action_submit()
            if state != "submitted":
                self.review._gather_needs(need)
            if outcome:
                self.decide(need, outcome)
            if state in ("fulfilled", "closed"):
                need.action_mark_fulfilled()
            if state == "closed":
                need.action_close()
        self.assertEqual(need.state, state)
        return need

    def decide(self, need, outcome="approve"):
        self.env["conseil.decision.wizard"].with_env(need.env).with_context(default_need_id=need.id).create(
            {
                "outcome": outcome,
                "granted": "Le samedi",
                "reason": "Pas de budget",
                "redirect_association_id": self.grocery.id,
            }
        ).action_confirm()

    def test_need_table(self):
        calls = {
            "submit": lambda need: need.action_submit(),
            "cancel": lambda need: need.action_cancel(),
            "reset_to_draft": lambda need: need.action_reset_to_draft(),
            "gather": lambda need: self.review.with_env(need.env)._gather_needs(need),
            "decide": lambda need: self.decide(need),
            "mark_fulfilled": lambda need: need.action_mark_fulfilled(),
            "close": lambda need: need.action_close(),
        }
        for state in dict(self.env["conseil.need"]._fields["state"].selection):
            self.check_every_action(self.need_in(state), NEED_RULES, NEED_ACTIONS, calls)

    # ------------------------------------------------------------
    # SESSIONS, ATTENDANCE, DECISIONS
    # ------------------------------------------------------------

    def meeting_in(self, state):
        meeting = self.env["conseil.meeting"].create(
            {
                "name": f"Conseil {state}",
                "date_start": "2027-03-04 17:00:00",
                "date_end": "2027-03-04 19:00:00",
                "minutes": "<p>Tour de table</p>",
            }
        )
        meeting._invite(self.food_bank)
        if state in ("held", "published"):
            meeting.action_hold()
        if state == "published":
            meeting.with_context(force_report_rendering=False).action_publish_minutes()
        if state == "cancelled":
            meeting.action_cancel()
        self.assertEqual(meeting.state, state)
        return meeting

    def test_meeting_and_attendance_tables(self):
        calls = {
            action: (lambda meeting, action=action: getattr(meeting, action)()) for action in MEETING_ACTIONS
        }
        for state in dict(self.env["conseil.meeting"]._fields["state"].selection):
            meeting = self.meeting_in(state)
            self.check_every_action(meeting, MEETING_RULES, MEETING_ACTIONS, calls)
            # attendance is taken by officers while the session is open, and frozen after
            open_session = state in ("planned", "held")
            attendance = meeting.attendance_ids
            for role, user in self.users.items():
                for action, target in ATTENDANCE_ACTIONS.items():
                    with self.subTest(session=state, action=action, role=role):
                        succeeded, reached, __ = self.attempt(
                            attendance, user, lambda line, action=action: getattr(line, action)()
                        )
                        self.assertEqual(succeeded, open_session and role in ("officer", "manager"))
                        self.assertEqual(reached, target if succeeded else "invited")

    def test_decision_table(self):
        need = self.need_in("approved")
        decision = need.decision_id
        for role, user in self.users.items():
            with self.subTest(review="open", role=role):
                succeeded, reached, __ = self.attempt(decision, user, lambda rec: rec.action_cancel())
                self.assertEqual(succeeded, role == "manager")
                self.assertEqual(reached, "cancelled" if succeeded else "done")
        self.review.action_hold()
        self.review.action_close_review()
        for role, user in self.users.items():
            with self.subTest(review="closed", role=role):
                succeeded, reached, __ = self.attempt(decision, user, lambda rec: rec.action_cancel())
                self.assertFalse(succeeded, "A closed review's decisions are final, for everyone")
                self.assertEqual(self.button(decision, user, "can_cancel"), False)

    # ------------------------------------------------------------
    # CHALLENGES AND PARTNERSHIPS
    # ------------------------------------------------------------

    def test_challenge_and_partnership_tables(self):
        calls = {action: (lambda rec, action=action: getattr(rec, action)()) for action in CHALLENGE_ACTIONS}
        path = {
            "open": [],
            "in_progress": ["action_start"],
            "achieved": ["action_achieve"],
            "dropped": ["action_drop"],
        }
        for state, actions in path.items():
            challenge = self.env["conseil.challenge"].create({"name": f"Défi {state}"})
            for action in actions:
                getattr(challenge, action)()
            self.check_every_action(challenge, CHALLENGE_RULES, CHALLENGE_ACTIONS, calls)
        calls = {
            action: (lambda rec, action=action: getattr(rec, action)()) for action in PARTNERSHIP_ACTIONS
        }
        offer = self.env["conseil.offer"].create(
            {"name": "Colis", "association_id": self.grocery.id, "offer_type": "equipment"}
        )
        path = {
            "proposed": [],
            "active": ["action_accept"],
            "ended": ["action_accept", "action_end"],
            "declined": ["action_decline"],
            "cancelled": ["action_cancel"],
        }
        for state, actions in path.items():
            need = self.env["conseil.need"].create(
                {"name": f"Colis {state}", "association_id": self.food_bank.id, "need_type": "equipment"}
            )
            partnership = need._propose_help(offer)
            for action in actions:
                getattr(partnership, action)()
            self.assertEqual(partnership.state, state)
            self.check_every_action(partnership, PARTNERSHIP_RULES, PARTNERSHIP_ACTIONS, calls)

    # ------------------------------------------------------------
    # THE SERVER, TOO, FOLLOWS THE TABLE
    # ------------------------------------------------------------

    def test_server_moves_only_along_the_table(self):
        loan = self.loan_in("vehicle", "draft")
        with self.assertRaisesRegex(UserError, "cannot become"):
            loan.sudo().write({"state": "returned"})
        loan.sudo().write({"state": "requested"})
        self.assertEqual(loan.state, "requested")

    def test_the_table_is_what_the_town_states(self):
        """The code's tables and this file's say the same: a role added or a move removed shows here."""
        self.assertEqual(
            set(self.env["conseil.loan"]._transitions),
            {(source, LOAN_ACTIONS[action][0]) for source, action in LOAN_RULES},
        )
        decided = ("approved", "partial", "refused", "redirected")
        self.assertEqual(
            set(self.env["conseil.need"]._transitions),
            {(source, NEED_ACTIONS[action][0]) for source, action in NEED_RULES}
            | {("in_review", outcome) for outcome in decided}  # the outcomes of a decision
            | {(outcome, "in_review") for outcome in decided}  # a decision cancelled while its review is open
            | {("in_review", "submitted")}  # undecided when its review closes
            | {
                ("draft", "redirected"),
                ("submitted", "redirected"),
            },  # an offer of another association answers it
        )
        self.assertEqual(
            set(self.env["conseil.meeting"]._transitions),
            {(source, MEETING_ACTIONS[action][0]) for source, action in MEETING_RULES},
        )
        self.assertEqual(
            set(self.env["conseil.partnership"]._transitions),
            {(source, PARTNERSHIP_ACTIONS[action][0]) for source, action in PARTNERSHIP_RULES},
        )
