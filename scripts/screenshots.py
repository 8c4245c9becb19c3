"""Screenshots of the main screens, taken from the running demo with headless Chromium.

Usage (through scripts/screenshots.sh): screenshots.py BASE_URL DATABASE OUTPUT_DIR
"""

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import requests
import websocket

SCREENS = [
    # file, login, what to open (an action xmlid and an optional record to find, or a portal path), wait for.
    # The demo town's users read French: the screenshots show what a French town hall sees.
    ("associations.png", "officer", ("conseil_associations.conseil_association_action", None), ".o_kanban_record"),
    (
        "association_form_fr.png",
        "manager",
        ("conseil_associations.conseil_association_action", ("conseil.association", "Banque alimentaire des Hauts-de-Lys")),
        ".o_form_view .o_field_widget",
    ),
    (
        "council_session.png",
        "officer",
        ("conseil_associations.conseil_meeting_action", ("conseil.meeting", "published")),
        ".o_form_view .o_field_widget",
    ),
    ("season_planning.png", "officer", ("conseil_associations.conseil_season_wizard_action", None), ".o_conseil_season_preview"),
    ("needs.png", "officer", ("conseil_associations.conseil_need_action", None), ".o_kanban_record"),
    ("loans_calendar.png", "officer", ("conseil_associations.conseil_loan_action_calendar", None), ".fc-event, .o_event"),
    (
        "loan_agent.png",
        "hr",
        ("conseil_associations.conseil_loan_action_to_approve_agent", ("conseil.loan", "agent")),
        ".o_form_view .o_field_widget",
    ),
    ("fleet_loans.png", "fleet", ("conseil_associations.conseil_loan_action_to_approve_vehicle", None), ".o_data_row"),
    ("dashboard.png", "manager", ("conseil_associations.conseil_spreadsheet_dashboard_action", None), ".o_spreadsheet_dashboard_action canvas"),
    ("aid_analysis.png", "manager", ("conseil_associations.conseil_aid_action", None), ".o_graph_renderer canvas"),
    # the president of the food bank on the portal
    ("portal_home.png", "banque", ("/my", None), ".o_portal_index_card:not(.d-none)"),
    ("portal_need.png", "banque", ("/my/needs", ("conseil.need", "approved,partial,fulfilled,closed")), ".o_conseil_decision"),
    ("portal_council.png", "banque", ("/my/councils", ("conseil.meeting.attendance", "planned")), ".o_conseil_answer"),
    ("portal_proposal.png", "banque", ("/my/partnerships", ("conseil.partnership", "proposed")), ".o_conseil_accept"),
]

# The acts, as the manager downloads them: file, report, the record (a model and a domain, or a wizard to create).
ACTS = [
    ("act_agent_convention.png", "report_agent_convention", ("conseil.loan", [("convention_issued_on", "!=", False)])),
    ("act_objectives_convention.png", "report_objectives_convention", ("conseil.objectives.convention", [("state", "=", "signed")])),
    ("act_convocation.png", "report_convocation", ("conseil.meeting.attendance", [("meeting_state", "=", "planned")])),
    ("act_attendance_sheet.png", "report_attendance_sheet", ("conseil.meeting", [("state", "in", ["held", "published"]), ("meeting_type", "=", "council")])),
    ("act_minutes.png", "report_meeting_minutes", ("conseil.meeting", [("state", "=", "published"), ("meeting_type", "=", "review")])),
    ("act_decision_letter.png", "report_decision_letter", ("conseil.decision", [("state", "=", "done"), ("outcome", "=", "partial")])),
    ("act_aid_annex.png", "report_aid_annex", ("conseil.aid.annex.wizard", None)),
    ("act_agent_report.png", "report_agent_loans", ("conseil.agent.report.wizard", None)),
]  # fmt: skip


def login(base_url, database, user):
    session = requests.Session()
    page = session.get(f"{base_url}/web/login", params={"db": database}, timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    session.post(
        f"{base_url}/web/login",
        data={"login": user, "password": user, "csrf_token": token, "db": database},
        timeout=30,
    )
    return session


def call(session, base_url, model, method, args, kwargs=None):
    response = session.post(
        f"{base_url}/web/dataset/call_kw/{model}/{method}",
        json={"jsonrpc": "2.0", "method": "call", "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}},
        timeout=60,
    ).json()
    if "error" in response:
        raise RuntimeError(response["error"]["data"]["message"])
    return response["result"]


def record_id(session, base_url, model, key):
    domains = {
        "conseil.association": ([("name", "=", key)], "id"),
        "conseil.meeting": ([("state", "=", key), ("meeting_type", "=", "council")], "date_start desc"),
        "conseil.loan": ([("loan_type", "=", key), ("state", "=", "in_progress")], "date_start desc"),
        # what the food bank's president reads on her portal
        "conseil.need": ([("state", "in", key.split(","))], "id"),
        "conseil.meeting.attendance": ([("meeting_state", "=", key)], "meeting_date"),
        "conseil.partnership": ([("state", "=", key)], "id"),
    }
    domain, order = domains[model]
    ids = call(session, base_url, model, "search", [domain], {"limit": 1, "order": order})
    return ids[0]


def act_pages(base_url, database, output):
    """The first page of each act, as the manager downloads it, turned into a picture (pdftoppm)."""
    session = login(base_url, database, "manager")
    year = int(time.strftime("%Y"))
    # wkhtmltopdf fetches the style sheets of what is printed now from this server, whatever port it runs on
    admin = login(base_url, database, "admin")
    call(admin, base_url, "ir.config_parameter", "set_param", ["report.url", base_url])
    try:
        for act in ACTS:
            act_page(session, base_url, output, year, *act)
    finally:
        call(admin, base_url, "ir.config_parameter", "set_param", ["report.url", False])


def act_page(session, base_url, output, year, filename, report, target):
    """One act, printed from its record (or its wizard), its first page saved as a picture."""
    model, domain = target
    if domain is None:  # the yearly acts are printed from a wizard, for the current year
        record = call(session, base_url, model, "create", [{"year": year}])
    else:
        record = call(session, base_url, model, "search", [domain], {"limit": 1, "order": "id desc"})[0]
    response = session.get(f"{base_url}/report/pdf/conseil_associations.{report}/{record}", timeout=120)
    response.raise_for_status()
    with tempfile.TemporaryDirectory() as folder:
        pdf = os.path.join(folder, "act.pdf")
        with open(pdf, "wb") as file:
            file.write(response.content)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", pdf, os.path.join(folder, "page")],
            check=True,
        )
        shutil.move(os.path.join(folder, "page.png"), os.path.join(output, filename))
    print(f"  {filename}: {report} of {model} {record}")




class Browser:
    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="conseil-shots-")
        self.process = subprocess.Popen(
            [
                chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--remote-debugging-port=0", f"--user-data-dir={self.profile}", "--window-size=1440,900", "about:blank",
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for line in self.process.stderr:
            if "DevTools listening on" in line:
                port = int(re.search(r":(\d+)/", line)[1])
                break
        target = requests.get(f"http://127.0.0.1:{port}/json", timeout=10).json()
        page = next(t for t in target if t["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.counter = 0

    def send(self, method, **params):
        self.counter += 1
        self.socket.send(json.dumps({"id": self.counter, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.counter:
                return message.get("result", {})

    def shoot(self, url, cookie, host, wait_for, path):
        self.send("Network.enable")
        self.send("Network.clearBrowserCookies")
        self.send("Network.setCookie", name="session_id", value=cookie, domain=host, path="/")
        self.send("Emulation.setDeviceMetricsOverride", width=1440, height=900, deviceScaleFactor=1, mobile=False)
        self.send("Page.navigate", url=url)
        deadline = time.time() + 40
        while time.time() < deadline:
            found = self.send(
                "Runtime.evaluate", expression=f"!!document.querySelector({json.dumps(wait_for)})", returnByValue=True
            )
            if found.get("result", {}).get("value"):
                break
            time.sleep(0.5)
        else:
            print(f"  warning: {wait_for!r} not seen on {url}", file=sys.stderr)
        time.sleep(1.5)  # let animations and the chatter settle
        data = self.send("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main(base_url, database, output):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    host = re.match(r"https?://([^:/]+)", base_url)[1]
    sessions = {}
    browser = Browser(chromium)
    try:
        for filename, user, (action, record), wait_for in SCREENS:
            if user not in sessions:
                sessions[user] = login(base_url, database, user)
            session = sessions[user]
            if action.startswith("/"):  # the associations' side: a page of the portal
                url = base_url + action
            else:
                url = f"{base_url}/odoo/action-{action}"
            if record:
                url += f"/{record_id(session, base_url, *record)}"
            print(f"  {filename}: {url}")
            browser.shoot(url, session.cookies["session_id"], host, wait_for, os.path.join(output, filename))
    finally:
        browser.close()
    act_pages(base_url, database, output)


if __name__ == "__main__":
    main(*sys.argv[1:4])
