"""The town at work, for Locust: officers, managers, the fleet manager, HR and the associations' people.

Each simulated person signs in with its own account (bench/load/prepare.py), reads before it clicks
(5 to 15 s between actions: a list or a form is read before the next click) and does what its role does, through the routes the web client and the
portal use. A refusal the town expects (a van already lent, a room taken) is a success for the load
test and is counted apart; any other error, an HTTP error or a server error fails the request.

Settings (environment): CONSEIL_LOAD_DB, CONSEIL_LOAD_PLAN (the JSON file prepare.py wrote),
CONSEIL_LOAD_REFUSALS (where the count of expected refusals is written at the end).
"""

import itertools
import json
import os
import random
from collections import Counter
from datetime import datetime, timedelta

from locust import HttpUser, between, events, task

DATABASE = os.environ["CONSEIL_LOAD_DB"]
with open(os.environ["CONSEIL_LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
EXPECTED_REFUSALS = {"odoo.exceptions.UserError", "odoo.exceptions.ValidationError"}
FIRST_DAY = datetime(2029, 1, 8)
DAYS = 60
REFUSALS = Counter()
ACCOUNT_NUMBERS = {}


@events.quitting.add_listener
def write_refusals(environment, **kwargs):
    path = os.environ.get("CONSEIL_LOAD_REFUSALS")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(REFUSALS, out)


class TownUser(HttpUser):
    abstract = True
    wait_time = between(5, 15)
    role = None

    def on_start(self):
        number = next(ACCOUNT_NUMBERS.setdefault(self.role, itertools.count())) % PLAN["accounts"][self.role]
        self.login = f"load_{self.role}_{number}"
        self.rpc(
            "/web/session/authenticate",
            {"db": DATABASE, "login": self.login, "password": self.login},
            "sign in",
        )

    def rpc(self, path, params, name, refusals=False):
        payload = {"jsonrpc": "2.0", "method": "call", "params": params}
        with self.client.post(path, json=payload, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return None
            body = response.json()
            error = body.get("error")
            if not error:
                return body["result"]
            exception = error.get("data", {}).get("name", "?")
            if refusals and exception in EXPECTED_REFUSALS:
                REFUSALS[name] += 1
                response.success()
            else:
                response.failure(f"{exception}: {error.get('data', {}).get('message', '')[:300]}")
            return None

    def call(self, model, method, *args, name, button=False, refusals=False, **kwargs):
        route = "call_button" if button else "call_kw"
        params = {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
        return self.rpc(f"/web/dataset/{route}/{model}/{method}", params, name, refusals=refusals)

    def page(self, path, name):
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    def list_loans(self, domain, name):
        specification = {
            "name": {}, "state": {}, "loan_type": {}, "date_start": {}, "date_end": {},
            "association_id": {"fields": {"display_name": {}}},
        }  # fmt: skip
        # as the web client's list asks: the records of the page, and a count that stops at 10 001
        return self.call(
            "conseil.loan", "web_search_read", name=name,
            domain=domain, specification=specification, limit=80, order="date_start desc", count_limit=10001,
        )  # fmt: skip

    @staticmethod
    def slot(hours_from, hours_to):
        """A weekday of the weeks everybody asks for (FIRST_DAY is a Monday): rooms open on weekdays."""
        day = FIRST_DAY + timedelta(weeks=random.randrange(DAYS // 7), days=random.randrange(5))
        return (
            (day + timedelta(hours=hours_from)).strftime("%Y-%m-%d %H:%M:%S"),
            (day + timedelta(hours=hours_to)).strftime("%Y-%m-%d %H:%M:%S"),
        )


class Officer(TownUser):
    """An associative-life officer: the lists, the associations, and the requests she records."""

    weight = 6
    role = "officer"

    @task(4)
    def browse_loans(self):
        self.list_loans([], "officer: loans list")

    @task(2)
    def open_association(self):
        association_id, __ = random.choice(PLAN["associations"])
        self.call(
            "conseil.association", "web_read", [association_id], name="officer: open an association",
            specification={"name": {}, "rna": {}, "aid_cash": {}, "aid_in_kind": {}, "needs_convention": {}},
        )  # fmt: skip

    @task(2)
    def request_vehicle(self):
        association_id, driver_id = random.choice(PLAN["associations"])
        start, end = self.slot(7, 17)
        values = {
            "loan_type": "vehicle", "vehicle_id": random.choice(PLAN["vehicles"]), "association_id": association_id,
            "purpose": "Collecte", "date_start": start, "date_end": end,
            "driver_id": driver_id, "licence_checked_on": "2028-12-01",
        }  # fmt: skip
        loan_ids = self.call("conseil.loan", "create", [values], name="officer: record a vehicle request")
        if loan_ids:
            self.call(
                "conseil.loan", "action_request", loan_ids, name="officer: send a request", button=True,
                refusals=True,
            )  # fmt: skip

    @task(1)
    def request_from_available(self):
        """A request recorded without its van: Available Resources lists the free ones, she takes the first."""
        association_id, driver_id = random.choice(PLAN["associations"])
        start, end = self.slot(7, 17)
        values = {
            "loan_type": "vehicle", "association_id": association_id, "purpose": "Collecte", "date_start": start,
            "date_end": end, "driver_id": driver_id, "licence_checked_on": "2028-12-01",
        }  # fmt: skip
        loan_ids = self.call("conseil.loan", "create", [values], name="officer: record a vehicle request")
        if not loan_ids:
            return
        wizard_id = self.call(
            "conseil.loan.availability.wizard", "create", [{"loan_id": loan_ids[0]}],
            name="officer: open available resources",
        )  # fmt: skip
        lines = wizard_id and self.call(
            "conseil.loan.availability.line", "web_search_read", name="officer: read the free vans",
            domain=[("wizard_id", "=", wizard_id)], specification={"name": {}, "detail": {}}, limit=40,
        )  # fmt: skip
        if lines and lines["records"]:
            self.call(
                "conseil.loan.availability.line", "action_choose", [lines["records"][0]["id"]],
                name="officer: choose a free van", button=True,
            )  # fmt: skip
            self.call(
                "conseil.loan", "action_request", loan_ids, name="officer: send a request", button=True,
                refusals=True,
            )  # fmt: skip

    @task(1)
    def request_room(self):
        association_id, __ = random.choice(PLAN["associations"])
        start, end = self.slot(13, 16)
        values = {
            "loan_type": "room", "room_id": random.choice(PLAN["rooms"]), "association_id": association_id,
            "purpose": "Assemblée générale", "date_start": start, "date_end": end, "expected_attendance": 20,
        }  # fmt: skip
        loan_ids = self.call("conseil.loan", "create", [values], name="officer: record a room request")
        if loan_ids:
            self.call(
                "conseil.loan", "action_request", loan_ids, name="officer: send a request", button=True,
                refusals=True,
            )  # fmt: skip


class Approver(TownUser):
    abstract = True
    loan_type = None

    def approve_one(self, name):
        requested = self.list_loans(
            [["state", "=", "requested"], ["loan_type", "=", self.loan_type]],
            f"{self.role}: requests to approve",
        )
        if requested and requested["records"]:
            loan = random.choice(requested["records"])
            self.call("conseil.loan", "action_approve", [loan["id"]], name=name, button=True, refusals=True)


class FleetManager(Approver):
    """The fleet manager approves the vehicle requests (an overlapping one is refused, with its reason)."""

    weight = 1
    role = "fleet"
    loan_type = "vehicle"

    @task
    def approve(self):
        self.approve_one("fleet: approve a vehicle loan")


class Manager(Approver):
    """The council manager approves the rooms and looks at the town's aid."""

    weight = 1
    role = "manager"
    loan_type = "room"

    @task(2)
    def approve(self):
        self.approve_one("manager: approve a room loan")

    @task(1)
    def aid_by_association(self):
        self.call(
            "conseil.aid", "web_read_group", name="manager: aid by association",
            domain=[["year", "=", 2026]], groupby=["association_id"], aggregates=["value:sum"], limit=80,
        )  # fmt: skip


class HrOfficer(TownUser):
    """HR follows the agents lent to associations."""

    weight = 1
    role = "hr"

    @task
    def agent_loans(self):
        self.list_loans([["loan_type", "=", "agent"]], "hr: agent loans")


class AssociationPerson(TownUser):
    """The president of an association, on the portal: home, needs, loans, councils, aid."""

    weight = 4
    role = "portal"

    def on_start(self):
        super().on_start()
        self.page("/my", "portal: home")

    @task(2)
    def needs(self):
        self.page("/my/needs", "portal: our needs")

    @task(2)
    def loans(self):
        self.page("/my/loans", "portal: our loans")

    @task(1)
    def councils(self):
        self.page("/my/councils", "portal: councils")

    @task(1)
    def aid(self):
        self.page("/my/aid", "portal: our aid")
