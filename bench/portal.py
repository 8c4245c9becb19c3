"""The associations' portal at city scale, as an association's person sees it.

Run after bench/run.py built the city in DATABASE: gives the first association a
person with portal access, starts the real Odoo HTTP server on a loopback port
(one process, no cron), logs in as that person and loads the portal pages;
reports the median time the browser waits and the SQL queries the server ran
for each page (the query count Odoo logs for every request). An association of
a tenth of the city and one of the whole city hold the same records, so these
counts must not move from one scale to the other.

Usage (through scripts/bench.sh): portal.py DATABASE RUNS PORT ODOO_BIN [odoo options]
"""

import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry

LOGIN, PASSWORD = "bench_portal", "bench_portal_pwd"
# Odoo's request log line ends with: "<method> <path> HTTP/1.1" <status> - <queries> <query s> <other s>
REQUEST_LOG = re.compile(r'"(GET|POST) (\S+) HTTP/[\d.]+" (\d+) - (\d+) ')


def portal_person(env):
    """A president with portal access for the first association of the city (created once)."""
    user = env["res.users"].search([("login", "=", LOGIN)])
    if user:
        return user
    association = env["conseil.association"].search([], order="id", limit=1)
    person = env["res.partner"].create(
        {"name": "Présidente du banc", "parent_id": association.partner_id.id, "conseil_role": "president"}
    )
    return env["res.users"].create(
        {
            "login": LOGIN,
            "password": PASSWORD,
            "partner_id": person.id,
            "group_ids": [Command.set([env.ref("base.group_portal").id])],
        }
    )


def pages(env, user):
    """(label, method, path): the pages an association's person opens (the counters are those /my asks for)."""
    association = env["conseil.association"].with_user(user).search([], limit=1)
    return [
        ("portal home (/my)", "GET", "/my"),
        ("portal home counters", "POST", "/my/counters"),
        ("my association", "GET", f"/my/associations/{association.id}"),
        ("its documents", "GET", f"/my/associations/{association.id}/documents"),
        ("its needs", "GET", "/my/needs"),
        ("its loans", "GET", "/my/loans"),
        ("its councils", "GET", "/my/councils"),
        ("its aid", "GET", "/my/aid"),
        ("its offers", "GET", "/my/offers"),
        ("its partnerships", "GET", "/my/partnerships"),
    ]


def wait_for(port, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise RuntimeError(f"the Odoo server did not listen on port {port}")


def queries_of(log_path, method, path, since):
    """The query counts of the requests logged after line ``since`` for this method and path."""
    lines = Path(log_path).read_text(errors="replace").splitlines()[since:]
    return [int(m[4]) for m in map(REQUEST_LOG.search, lines) if m and m[1] == method and m[2] == path]


def main(database, runs, port, odoo_bin, *odoo_args):
    runs, port = int(runs), int(port)
    odoo.tools.config.parse_config(
        ["-d", database, *odoo_args, "--log-level=warn", "--http-interface=127.0.0.1"]
    )
    with Registry(database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        user = portal_person(env)
        to_load = pages(env, user)
        cr.commit()
    with tempfile.TemporaryDirectory() as scratch:
        log_path = f"{scratch}/odoo.log"
        server = subprocess.Popen(
            [sys.executable, odoo_bin, *odoo_args, "-d", database, f"--db-filter=^{database}$",
             "--http-interface=127.0.0.1", f"--http-port={port}", "--workers=0", "--max-cron-threads=0",
             "--log-level=info", f"--logfile={log_path}"],
        )  # fmt: skip
        try:
            wait_for(port)
            base = f"http://127.0.0.1:{port}"
            session = requests.Session()
            login = session.post(
                f"{base}/web/session/authenticate",
                json={"jsonrpc": "2.0", "params": {"db": database, "login": LOGIN, "password": PASSWORD}},
                timeout=60,
            )
            login.raise_for_status()
            home = session.get(f"{base}/my", timeout=120).text
            counters = {"counters": sorted(set(re.findall(r'data-placeholder_count="(\w+)"', home)))}
            print(f"{'portal page (an association of the city)':<46} {'median ms':>10} {'queries':>8}")
            for label, method, path in to_load:
                since = len(Path(log_path).read_text(errors="replace").splitlines())
                times = []
                for index in range(runs + 1):
                    start = time.perf_counter()
                    if method == "GET":
                        response = session.get(base + path, timeout=120, allow_redirects=False)
                    else:
                        response = session.post(
                            base + path, json={"jsonrpc": "2.0", "params": counters}, timeout=120
                        )
                    elapsed = time.perf_counter() - start
                    if response.status_code != 200:
                        raise RuntimeError(f"{path} answered {response.status_code}")
                    if index:  # the first load warms the caches
                        times.append(elapsed)
                time.sleep(0.2)  # the server writes its request line after the answer
                counts = queries_of(log_path, method, path, since)[1:]
                median_queries = int(statistics.median(counts)) if counts else -1
                print(f"{label:<46} {statistics.median(times) * 1000:>10.1f} {median_queries:>8}")
        finally:
            server.terminate()
            server.wait(timeout=60)


if __name__ == "__main__":
    main(*sys.argv[1:])
