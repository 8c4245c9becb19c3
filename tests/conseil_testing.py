"""Shared set-up for the suite: users of each role, built by the tests themselves, and races of real
transactions."""

import threading
import unittest
import uuid
from functools import partial

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import TransactionCase, get_db_name, new_test_user
from odoo.tools import mute_logger

OFFICER = "conseil_associations.group_conseil_officer"
MANAGER = "conseil_associations.group_conseil_manager"


class ConseilCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.company = cls.env.company
        cls.officer = new_test_user(cls.env, login="conseil_officer", groups=OFFICER)
        cls.manager = new_test_user(cls.env, login="conseil_manager", groups=MANAGER)
        cls.internal_user = new_test_user(cls.env, login="conseil_internal", groups="base.group_user")
        cls.Association = cls.env["conseil.association"]
        cls.theme_food = cls.env.ref("conseil_associations.theme_food_aid")

    @classmethod
    def create_association(cls, name="Les Amis du Jardin", **values):
        return cls.Association.create({"name": name, **values})

    def assert_batch_costs_as_one(self, action, records, message):
        """``action`` on many ``records`` at once costs no more queries than on one.

        The first record warms the caches, the second is measured alone, the
        others together; what the commit does (chatter tracking) is counted.
        """

        def queries(subset):
            before = self.cr.sql_log_count
            action(subset)
            self.cr.flush()
            return self.cr.sql_log_count - before

        queries(records[0])
        one = queries(records[1])
        self.assertLessEqual(queries(records[2:]), one, message)


FLEET_MANAGER = "fleet.fleet_group_manager"
HR_OFFICER = "hr.group_hr_user"


class LoanCase(ConseilCase):
    """Resources of each kind, and the people who approve them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fleet_manager = new_test_user(
            cls.env, login="conseil_fleet", groups=f"base.group_user,{FLEET_MANAGER}"
        )
        cls.hr_officer = new_test_user(cls.env, login="conseil_hr", groups=f"base.group_user,{HR_OFFICER}")
        cls.food_bank = cls.create_association("Banque alimentaire")
        cls.grocery = cls.create_association("Épicerie solidaire")
        brand = cls.env["fleet.vehicle.model.brand"].create({"name": "Renault"})
        model = cls.env["fleet.vehicle.model"].create({"name": "Master", "brand_id": brand.id, "seats": 3})
        cls.van = cls.env["fleet.vehicle"].create({"model_id": model.id, "license_plate": "AB-123-CD"})
        cls.minibus = cls.env["fleet.vehicle"].create({"model_id": model.id, "license_plate": "EF-456-GH"})
        cls.calendar_35h = cls.env["resource.calendar"].create(
            {
                "name": "35 h",
                "tz": "Europe/Paris",
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 16,
                            "day_period": "full_day",
                        },
                    )
                    for day in range(5)
                ],
            }
        )
        cls.agent = cls.env["hr.employee"].create(
            {"name": "Marc Agent", "resource_calendar_id": cls.calendar_35h.id, "conseil_is_titulaire": True}
        )
        cls.contract_agent = cls.env["hr.employee"].create(
            {
                "name": "Julie Contractuelle",
                "resource_calendar_id": cls.calendar_35h.id,
                "conseil_is_titulaire": False,
            }
        )
        cls.opening_hours = cls.env["resource.calendar"].create(
            {
                "name": "Salle ouverte 8 h - 23 h",
                "tz": "Europe/Paris",
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 8,
                            "hour_to": 23,
                            "day_period": "full_day",
                        },
                    )
                    for day in range(7)
                ],
            }
        )
        cls.room = cls.env["conseil.room"].create(
            {
                "name": "Salle des fêtes",
                "capacity": 120,
                "resource_calendar_id": cls.opening_hours.id,
                "hourly_rate": 30,
            }
        )
        cls.Loan = cls.env["conseil.loan"]

    @classmethod
    def make_loan(cls, kind="vehicle", start="2027-03-01 08:00:00", end=None, **values):
        # A room is lent for an afternoon (09:00-19:00 in Paris), vehicles and agents for days.
        end = end or ("2027-03-01 18:00:00" if kind == "room" else "2027-03-03 18:00:00")
        defaults = {
            "vehicle": {"vehicle_id": cls.van.id},
            "agent": {
                "employee_id": cls.agent.id,
                "weekly_hours": 10,
                "agent_consent_date": "2026-10-01",
                "convention_ref": "CONV-2027-01",
                "council_informed_date": "2026-10-15",
                "reimbursement": "waived",
                "waiver_reason": "Aide d'intérêt général aux seniors isolés",
            },
            "room": {"room_id": cls.room.id, "expected_attendance": 80},
        }[kind]
        if kind == "vehicle":  # the keys leave with a driver of the association whose licence was checked
            association = cls.env["conseil.association"].browse(
                values.get("association_id", cls.food_bank.id)
            )
            defaults.update(driver_id=association.partner_id.id, licence_checked_on="2027-02-01")
        return cls.Loan.with_user(cls.officer).create(
            {
                "loan_type": kind,
                "association_id": cls.food_bank.id,
                "purpose": "Collecte de printemps",
                "date_start": start,
                "date_end": end,
                **defaults,
                **values,
            }
        )

    @classmethod
    def requested(cls, kind="vehicle", **values):
        loan = cls.make_loan(kind, **values)
        loan.with_user(cls.officer).action_request()
        return loan

    def approver(self, kind):
        return {"vehicle": self.fleet_manager, "agent": self.hr_officer, "room": self.manager}[kind]


def race(registry, contenders, done="done"):
    """Run each contender in its own real transaction, all released at the same instant: {key: ``done`` or the
    error it met}.

    ``contenders``: {key: (uid, action)}, ``action(env)`` acting as the user ``uid``. Each transaction takes its
    snapshot before the others commit (none sees the others' work), then acts through ``retrying``, the wrapper
    the RPC layer puts around every call (retry on serialization failures, clear message on integrity errors):
    the loser gets what a user would read, and only the database can keep the promise.
    """
    barrier = threading.Barrier(len(contenders))
    outcomes = {}

    def run(key, uid, action):
        with registry.cursor() as cr:
            env = api.Environment(cr, uid, {})
            cr.execute("SELECT 1")  # the transaction, and its snapshot, start before the barrier
            barrier.wait(timeout=30)
            try:
                retrying(partial(action, env), env)
                outcomes[key] = done
            except Exception as error:
                outcomes[key] = error

    threads = [threading.Thread(target=run, args=(key, *contender)) for key, contender in contenders.items()]
    with mute_logger("odoo.sql_db", "odoo.service.model"):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    return outcomes


class CommittedCase(unittest.TestCase):
    """Tests of real concurrent transactions (:func:`race`), whose data must be committed to be seen.

    A class builds its data once in its own transaction (``build(env)``: its associations in
    ``association_ids``, the records to remove afterwards with ``keep_for_cleanup``, its users with
    ``race_users``); each test starts without loans of those associations, and the class removes everything at
    the end. Names carry a random suffix: two runs never meet.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.suffix = uuid.uuid4().hex[:8]
        cls.association_ids, cls._cleanup, cls._user_ids = [], [], []
        with cls.registry.cursor() as cr:
            cls.build(api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True}))
            cr.commit()

    @classmethod
    def build(cls, env):
        raise NotImplementedError

    @classmethod
    def race_users(cls, env, role, groups):
        """Two users of ``groups``, who race each other."""
        users = [new_test_user(env, login=f"race_{role}_{n}_{cls.suffix}", groups=groups).id for n in (1, 2)]
        cls._user_ids += users
        return users

    @classmethod
    def keep_for_cleanup(cls, records):
        """Remove ``records`` at the end of the class, after the loans and before the associations."""
        cls._cleanup.append(records)
        return records

    @classmethod
    def _delete_loans(cls, cr):
        if cls.association_ids:
            associations = tuple(cls.association_ids)
            cr.execute("DELETE FROM conseil_loan WHERE association_id IN %s", (associations,))
            cr.execute("DELETE FROM conseil_loan_series WHERE association_id IN %s", (associations,))

    @classmethod
    def tearDownClass(cls):
        with cls.registry.cursor() as cr:
            cls._delete_loans(cr)
            env = api.Environment(cr, SUPERUSER_ID, {})
            for records in reversed(cls._cleanup):
                records.with_env(env).unlink()
            env["conseil.association"].browse(cls.association_ids).unlink()
            env["res.users"].browse(cls._user_ids).action_archive()
            cr.commit()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            self._delete_loans(cr)
            cr.commit()

    def states(self, loan_ids):
        """{loan id: its state}, as committed."""
        with self.registry.cursor() as cr:
            cr.execute("SELECT id, state FROM conseil_loan WHERE id IN %s", (tuple(loan_ids),))
            return dict(cr.fetchall())
