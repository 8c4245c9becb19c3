"""`make serve`: the production shape starts, live notifications reach the browser, reads use the replica.

Runs `scripts/serve.sh` itself (HTTP workers, a cron worker, the websocket process,
a streaming replica of the cluster for the read-only requests) on a copy of the
test database made by `make test`. A websocket of a signed-in user receives a
notification of the bus (the websocket process crash-looped once on a package the
virtualenv installed: a failure shows its log). With the replica's replay paused,
the web client's reads show the replica's stale data while an approval still
checks the primary: it never double-books a vehicle.
"""

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import uuid
from pathlib import Path

import requests
import websocket

import odoo
from odoo.addons.bus.websocket import WebsocketConnectionHandler
from odoo.tests import tagged

PROJECT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
START_TIMEOUT = 120
NODES = 2


def free_ports(count):
    """The first of ``count`` consecutive free ports: node n of `make serve` takes the n-th."""
    for __ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        if first + count < 65536 and all(port_is_free(first + n) for n in range(1, count)):
            return first
    raise AssertionError("No free ports for the servers")


def port_is_free(port):
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@tagged("post_install", "-at_install")
class TestProductionShape(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.database = os.environ.get("CONSEIL_SERVE_DB")
        if not cls.database:
            raise AssertionError("Run the suite with `make test`: it prepares the database this test serves.")
        cls.http_port = free_ports(NODES)
        cls.gevent_port = free_ports(NODES)
        while cls.gevent_port < cls.http_port + NODES and cls.http_port < cls.gevent_port + NODES:
            cls.gevent_port = free_ports(NODES)
        cls.log = tempfile.NamedTemporaryFile(prefix="conseil-serve-", suffix=".log", delete=False)  # noqa: SIM115
        environment = {
            **os.environ,
            "CONSEIL_RUN_DB": cls.database,
            "CONSEIL_HTTP_PORT": str(cls.http_port),
            "CONSEIL_GEVENT_PORT": str(cls.gevent_port),
            "CONSEIL_WORKERS": "2",
            "CONSEIL_ADMIN_PASSWD": uuid.uuid4().hex,
            "CONSEIL_REPLICA": "1",
            "CONSEIL_NODES": str(NODES),
        }
        cls.pg_script("replica", "drop")  # a fresh copy of the cluster, never one left behind
        cls.server = subprocess.Popen(
            [os.path.join(PROJECT_DIR, "scripts", "serve.sh")],
            env=environment,
            stdout=cls.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its workers and websocket process stop with it
        )
        cls.addClassCleanup(cls.stop_server)
        cls.wait_until_serving()
        cls.start_proxy()

    @classmethod
    def start_proxy(cls):
        """nginx with the configuration the README gives (docs/deploy/nginx.conf), on loopback, without TLS."""
        cls.proxy_port = free_ports(1)
        cls.proxy_dir = tempfile.mkdtemp(prefix="conseil-nginx-")
        site = (Path(PROJECT_DIR) / "docs" / "deploy" / "nginx.conf").read_text(encoding="utf-8")
        redirect = site.index("server {\n    listen 80;")
        site = site[:redirect] + site[site.index("}\n", redirect) + 2 :]
        site = site.replace("    listen 443 ssl http2;", f"    listen 127.0.0.1:{cls.proxy_port};")
        site = "".join(line for line in site.splitlines(keepends=True) if "ssl_certificate" not in line)
        for default, first in (("8069", cls.http_port), ("8072", cls.gevent_port)):
            nodes = "".join(f"    server 127.0.0.1:{first + node};\n" for node in range(NODES))
            site = re.sub(rf"    server 127\.0\.0\.1:{default};\n(    # server .*\n)?", nodes, site)
        conf = Path(cls.proxy_dir) / "nginx.conf"
        conf.write_text(
            f"daemon off;\npid {cls.proxy_dir}/nginx.pid;\nerror_log {cls.proxy_dir}/error.log;\nevents {{}}\n"
            f"http {{\naccess_log off;\n{site}\n}}\n",
            encoding="utf-8",
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        cls.proxy = subprocess.Popen(
            [nginx, "-p", cls.proxy_dir, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        cls.addClassCleanup(cls.stop_proxy)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{cls.proxy_port}/web/health", timeout=2).ok:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"nginx did not start: {(Path(cls.proxy_dir) / 'error.log').read_text()}")

    @classmethod
    def stop_proxy(cls):
        cls.proxy.terminate()
        cls.proxy.wait(timeout=30)
        shutil.rmtree(cls.proxy_dir, ignore_errors=True)

    @classmethod
    def stop_server(cls):
        if cls.server.poll() is None:
            os.killpg(cls.server.pid, signal.SIGTERM)
            try:
                cls.server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(cls.server.pid, signal.SIGKILL)
                cls.server.wait()
        cls.log.close()
        os.unlink(cls.log.name)
        cls.pg_script("replica", "drop")

    @classmethod
    def pg_script(cls, *args):
        return subprocess.run(
            [os.path.join(PROJECT_DIR, "scripts", "pg.sh"), *args],
            capture_output=True, text=True, timeout=300, check=True,
        ).stdout  # fmt: skip

    def replica_sql(self, query):
        settings = dict(line.split("=", 1) for line in self.pg_script("replica", "env").split())
        return subprocess.run(
            ["psql", "-h", settings["PGHOST_REPLICA"], "-p", settings["PGPORT_REPLICA"], "-U", "odoo",
             "-d", self.database, "-tAc", query],
            capture_output=True, text=True, timeout=60, check=True,
        ).stdout.strip()  # fmt: skip

    @classmethod
    def server_log(cls):
        with open(cls.log.name, encoding="utf-8", errors="replace") as log:
            return log.read()

    @classmethod
    def wait_until_serving(cls):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if cls.server.poll() is not None:
                raise AssertionError(f"make serve stopped:\n{cls.server_log()[-5000:]}")
            try:
                for node in range(NODES):
                    requests.get(
                        f"http://127.0.0.1:{cls.http_port + node}/web/health", timeout=2
                    ).raise_for_status()
                    with socket.create_connection(("127.0.0.1", cls.gevent_port + node), timeout=2):
                        pass
                return
            except OSError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"make serve did not answer in {START_TIMEOUT} s:\n{cls.server_log()[-5000:]}")

    def sign_in(self, through=None):
        self.session = requests.Session()
        session = self.session
        response = session.post(
            f"{through or f'http://127.0.0.1:{self.http_port}'}/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"db": self.database, "login": "admin", "password": "admin"},
            },
            timeout=30,
        )
        self.assertNotIn("error", response.json(), response.text)
        return session.cookies["session_id"]

    def call(self, model, method, *args, button=False, node=0):
        route = "call_button" if button else "call_kw"
        response = self.session.post(
            f"http://127.0.0.1:{self.http_port + node}/web/dataset/{route}/{model}/{method}",
            json={"jsonrpc": "2.0", "method": "call", "params": {
                "model": model, "method": method, "args": list(args), "kwargs": {}}},
            timeout=60,
        ).json()  # fmt: skip
        if "error" in response:
            raise AssertionError(response["error"]["data"]["message"])
        return response["result"]

    def state_read(self, loan_id):
        """What the web client's list shows: search_read is a read-only method, served by the replica."""
        found = self.call("conseil.loan", "search_read", [["id", "=", loan_id]], ["state"])
        return found[0]["state"] if found else None

    def wait_for_replica(self, loan_id, state):
        deadline = time.monotonic() + 30
        while self.state_read(loan_id) != state and time.monotonic() < deadline:
            time.sleep(0.3)
        self.assertEqual(self.state_read(loan_id), state)

    def send_to_admin(self, payload):
        """What the server does when something happens for a user: a bus notification, from another process."""
        odoo_bin = os.path.join(os.path.dirname(odoo.__path__[0]), "odoo-bin")
        script = f'env["bus.bus"]._sendone(env.ref("base.partner_admin"), "conseil/ping", {payload!r})\nenv.cr.commit()\n'
        result = subprocess.run(
            [sys.executable, odoo_bin, "shell", "-d", self.database, "--no-http", "--log-level=warn",
             *shlex.split(os.environ["CONSEIL_ODOO_ARGS"])],
            input=script, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])

    def receive(self, connection, notification_type, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                message = connection.recv()
            except websocket.WebSocketTimeoutException:
                continue
            for notification in json.loads(message or "[]"):
                if notification["message"]["type"] == notification_type:
                    return notification["message"]["payload"]
        self.fail(f"No {notification_type} notification in {timeout} s:\n{self.server_log()[-5000:]}")

    def test_a_notification_reaches_a_browser_through_the_proxy(self):
        """The browser knows only the proxy: it signs in there and opens the websocket there."""
        proxy = f"127.0.0.1:{self.proxy_port}"
        connection = websocket.create_connection(
            f"ws://{proxy}/websocket?version={WebsocketConnectionHandler._VERSION}",
            cookie=f"session_id={self.sign_in(through=f'http://{proxy}')}",
            timeout=60,
        )
        self.addCleanup(connection.close)
        connection.settimeout(2)
        self.assertEqual(connection.getstatus(), 101)  # switched to the websocket protocol
        connection.send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}}))
        time.sleep(1)  # the subscription is read before the notification is sent
        token = uuid.uuid4().hex
        self.send_to_admin({"token": token})
        self.assertEqual(self.receive(connection, "conseil/ping"), {"token": token})

    def requested_loans(self, plate, count):
        """``count`` requests of the same van for the same days, by a choir."""
        brand = self.call("fleet.vehicle.model.brand", "create", [{"name": "Renault"}])[0]
        model = self.call("fleet.vehicle.model", "create", [{"name": "Master", "brand_id": brand}])[0]
        van = self.call("fleet.vehicle", "create", [{"model_id": model, "license_plate": plate}])[0]
        choir = self.call("conseil.association", "create", [{"name": f"Chorale {plate}"}])[0]
        driver = self.call("conseil.association", "read", [choir], ["partner_id"])[0]["partner_id"][0]
        loan = {
            "loan_type": "vehicle", "vehicle_id": van, "association_id": choir, "purpose": "Concert",
            "date_start": "2031-03-01 08:00:00", "date_end": "2031-03-03 18:00:00",
            "driver_id": driver, "licence_checked_on": "2031-02-01",
        }  # fmt: skip
        loan_ids = self.call("conseil.loan", "create", [loan] * count)
        for loan_id in loan_ids:
            self.call("conseil.loan", "action_request", [loan_id], button=True)
        return loan_ids

    def test_reads_come_from_the_replica_and_an_approval_checks_the_primary(self):
        self.sign_in()
        first, second = self.requested_loans("RE-PL-1CA", 2)
        self.assertEqual(self.replica_sql("SELECT pg_is_in_recovery()"), "t")
        self.wait_for_replica(first, "requested")  # streaming: the replica follows within moments
        self.replica_sql("SELECT pg_wal_replay_pause()")
        self.addCleanup(self.replica_sql, "SELECT pg_wal_replay_resume()")

        self.call("conseil.loan", "action_approve", [first], button=True)
        self.assertEqual(self.state_read(first), "requested", "the list reads the paused replica")
        with self.assertRaisesRegex(AssertionError, "RE-PL-1CA"):
            self.call("conseil.loan", "action_approve", [second], button=True)

        self.replica_sql("SELECT pg_wal_replay_resume()")
        self.wait_for_replica(first, "approved")
        self.assertEqual(self.state_read(second), "requested")

    def test_approvals_racing_on_two_nodes_never_double_book(self):
        """The same van asked twice, both requests approved at the same instant, one on each node."""
        self.sign_in()
        for round_ in range(4):
            loan_ids = self.requested_loans(f"NO-DE-{round_}", NODES)
            outcomes = self.approve_at_once(loan_ids)
            self.assertEqual(outcomes.count("approved"), 1, outcomes)
            refusal = next(outcome for outcome in outcomes if outcome != "approved")
            self.assertIn(f"NO-DE-{round_}", refusal)  # a message that names the van, not a database error
            self.assertNotIn("psycopg2", refusal)
            states = [loan["state"] for loan in self.call("conseil.loan", "read", loan_ids, ["state"])]
            self.assertEqual(sorted(states), ["approved", "requested"])

    def approve_at_once(self, loan_ids):
        """Approve loan n on node n, all at the same instant; what each approver reads back."""
        start = threading.Barrier(len(loan_ids))
        outcomes = [None] * len(loan_ids)

        def approve(node):
            start.wait()
            try:
                self.call("conseil.loan", "action_approve", [loan_ids[node]], button=True, node=node)
                outcomes[node] = "approved"
            except AssertionError as refusal:
                outcomes[node] = str(refusal)

        racers = [threading.Thread(target=approve, args=(node,)) for node in range(len(loan_ids))]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join(timeout=120)
        return outcomes

    def test_a_scheduled_job_runs_once_whatever_the_number_of_nodes(self):
        """Every node has a cron worker; Odoo's job lock lets one of them run each call."""
        self.sign_in()
        model = self.call("ir.model", "search", [["model", "=", "res.partner"]])[0]
        marker = f"Passage du job {uuid.uuid4().hex[:8]}"
        cron = self.call(
            "ir.cron", "create",
            [{"name": marker, "model_id": model, "state": "code", "interval_number": 1,
              "interval_type": "days", "nextcall": "2099-01-01 00:00:00",
              "code": f"env['res.partner'].create({{'name': {marker!r}}})"}],
        )[0]  # fmt: skip
        for call in range(1, 4):
            self.call("ir.cron.trigger", "create", [{"cron_id": cron, "call_at": "2000-01-01 00:00:00"}])
            self.wake_cron_workers()  # what ir.cron._trigger() does: every node's cron worker wakes at once
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and self.runs(marker) < call:
                time.sleep(1)
            time.sleep(3)  # time for a second run, if a second node took the job too
            self.assertEqual(self.runs(marker), call)

    def wake_cron_workers(self):
        settings = dict(line.split("=", 1) for line in self.pg_script("env").split())
        subprocess.run(
            ["psql", "-h", settings["PGHOST"], "-p", settings["PGPORT"], "-U", settings["PGUSER"], "-d", "postgres",
             "-tAc", f"SELECT pg_notify('cron_trigger', '{self.database}')"],
            capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip

    def runs(self, marker):
        return self.call("res.partner", "search_count", [["name", "=", marker]], node=1)

    def test_the_shape_runs_workers_cron_and_websocket_without_a_traceback(self):
        log = self.server_log()
        self.assertEqual(log.count("Worker WorkerHTTP"), 2 * NODES, log[-5000:])
        self.assertEqual(log.count("Worker WorkerCron"), NODES, log[-5000:])
        for node in range(NODES):
            self.assertIn(
                f"Evented Service (longpolling) running on 127.0.0.1:{self.gevent_port + node}", log
            )
        self.assertNotIn("Traceback", log)
        self.assertNotIn("DistributionNotFound", log)
