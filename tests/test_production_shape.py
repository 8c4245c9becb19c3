"""`make serve`: the production shape starts, and live notifications reach the browser.

Runs `scripts/serve.sh` itself (HTTP workers, a cron worker, the websocket process)
on a copy of the test database made by `make test`, then connects a websocket as a
signed-in user and checks that a notification of the bus arrives. The websocket
process crash-looped once on a package the virtualenv installed: a failure here
shows its log.
"""

import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import uuid

import requests
import websocket

import odoo
from odoo.addons.bus.websocket import WebsocketConnectionHandler
from odoo.tests import tagged

PROJECT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
START_TIMEOUT = 90


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@tagged("post_install", "-at_install")
class TestProductionShape(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.database = os.environ.get("CONSEIL_SERVE_DB")
        if not cls.database:
            raise AssertionError("Run the suite with `make test`: it prepares the database this test serves.")
        cls.http_port, cls.gevent_port = free_port(), free_port()
        cls.log = tempfile.NamedTemporaryFile(prefix="conseil-serve-", suffix=".log", delete=False)  # noqa: SIM115
        environment = {
            **os.environ,
            "CONSEIL_RUN_DB": cls.database,
            "CONSEIL_HTTP_PORT": str(cls.http_port),
            "CONSEIL_GEVENT_PORT": str(cls.gevent_port),
            "CONSEIL_WORKERS": "2",
            "CONSEIL_ADMIN_PASSWD": uuid.uuid4().hex,
        }
        cls.server = subprocess.Popen(
            [os.path.join(PROJECT_DIR, "scripts", "serve.sh")],
            env=environment,
            stdout=cls.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its workers and websocket process stop with it
        )
        cls.addClassCleanup(cls.stop_server)
        cls.wait_until_serving()

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
                health = requests.get(f"http://127.0.0.1:{cls.http_port}/web/health", timeout=2)
                with socket.create_connection(("127.0.0.1", cls.gevent_port), timeout=2):
                    pass
                if health.ok:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"make serve did not answer in {START_TIMEOUT} s:\n{cls.server_log()[-5000:]}")

    def sign_in(self):
        session = requests.Session()
        response = session.post(
            f"http://127.0.0.1:{self.http_port}/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"db": self.database, "login": "admin", "password": "admin"},
            },
            timeout=30,
        )
        self.assertNotIn("error", response.json(), response.text)
        return session.cookies["session_id"]

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

    def test_a_notification_reaches_a_signed_in_browser(self):
        connection = websocket.create_connection(
            f"ws://127.0.0.1:{self.gevent_port}/websocket?version={WebsocketConnectionHandler._VERSION}",
            cookie=f"session_id={self.sign_in()}",
            timeout=2,
        )
        self.addCleanup(connection.close)
        self.assertEqual(connection.getstatus(), 101)  # switched to the websocket protocol
        connection.send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}}))
        time.sleep(1)  # the subscription is read before the notification is sent
        token = uuid.uuid4().hex
        self.send_to_admin({"token": token})
        self.assertEqual(self.receive(connection, "conseil/ping"), {"token": token})

    def test_the_shape_runs_workers_cron_and_websocket_without_a_traceback(self):
        log = self.server_log()
        self.assertEqual(log.count("Worker WorkerHTTP"), 2, log[-5000:])
        self.assertIn("Worker WorkerCron", log)
        self.assertIn(f"Evented Service (longpolling) running on 127.0.0.1:{self.gevent_port}", log)
        self.assertNotIn("Traceback", log)
        self.assertNotIn("DistributionNotFound", log)
