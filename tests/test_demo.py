"""The demo town installs on a fresh database, in a commune of its own, and tells its story.

Runs in separate Odoo processes on a database of its own (made by `make test`),
because demo data loads only when the addon is installed with ``--with-demo``.
"""

import os
import re
import shlex
import subprocess
import sys
import unittest

import odoo
from odoo.tests import tagged

SCRIPT = """
from odoo.exceptions import AccessDenied
town = env.ref("conseil_associations.demo_company")
main = env.ref("base.main_company")
print("TOWN", town.name, town.currency_id.name, town.partner_id.lang, bool(town.logo))
print("MAIN", main.name, main.currency_id.name)
Loan = env["conseil.loan"].with_company(town)
returned = Loan.search([("company_id", "=", town.id), ("state", "=", "returned")])
print("RETURNED", len(returned), all(loan.valuation_frozen and loan.value > 0 for loan in returned))
print("APPROVED", Loan.search_count([("company_id", "=", town.id), ("state", "in", ("approved", "in_progress"))]))
print("LATE", Loan.search_count([("company_id", "=", town.id), ("is_late", "=", True)]))
closed = env["conseil.meeting"].search(
    [("company_id", "=", town.id), ("meeting_type", "=", "review"), ("is_review_closed", "=", True)]
).filtered("decision_ids")
print("DECISIONS", len(closed.decision_ids), all(d.reference.startswith("DEC-") and d.is_locked for d in closed.decision_ids))
published = env["conseil.meeting"].search([("company_id", "=", town.id), ("state", "=", "published")])
councils = published.filtered(lambda m: m.meeting_type == "council")
print("PUBLISHED", len(councils), all(m.progress_report_ids and m.attendance_ids.filtered(lambda a: a.state == "present") for m in councils))
reviews = published - councils
print("REVIEW MINUTES", len(reviews), all(m.decision_ids and m._conseil_act("conseil_associations.action_report_meeting_minutes") for m in reviews))
choir = env.ref("conseil_associations.demo_series_choir")
print("SERIES", choir.state, len(choir.skipped_days), set(choir.loan_ids.mapped("state")) == {"approved"},
      choir.room_id.buffer_minutes, bool(choir.room_id.closing_day_ids))
print("NEEDS", " ".join(sorted(set(env["conseil.need"].search([("company_id", "=", town.id)]).mapped("state")))))
for login in ("officer", "manager", "fleet", "hr"):
    try:
        uid = env["res.users"].authenticate({"type": "password", "login": login, "password": login}, {"interactive": False})["uid"]
        user = env["res.users"].browse(uid)
        print("LOGIN", login, user.company_id == town, user.lang)
    except AccessDenied:
        print("LOGIN", login, "refused")
"""


def odoo_command(*args):
    odoo_bin = os.path.join(os.path.dirname(odoo.__path__[0]), "odoo-bin")
    odoo_args = shlex.split(os.environ.get("CONSEIL_ODOO_ARGS", ""))
    return [sys.executable, odoo_bin, *args, "--no-http", "--log-level=warn", *odoo_args]


@tagged("post_install", "-at_install")
class TestDemo(unittest.TestCase):
    def test_demo_town_installs(self):
        database = os.environ.get("CONSEIL_DEMO_DB")
        self.assertTrue(
            database and os.environ.get("CONSEIL_ODOO_ARGS"),
            "Run the suite with `make test`: it names the database the demo town is installed in.",
        )
        install = subprocess.run(
            odoo_command("-d", database, "-i", "conseil_associations", "--with-demo", "--stop-after-init"),
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        log = install.stdout + install.stderr
        self.assertEqual(install.returncode, 0, log[-3000:])
        self.assertNotIn("failed to install", log, log[-3000:])
        self.assertFalse(re.findall(r".* (ERROR|CRITICAL) .*", log), log[-3000:])

        result = subprocess.run(
            odoo_command("shell", "-d", database),
            input=SCRIPT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        output = result.stdout
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        for line in (
            # a commune of its own, in euros, French, with its crest; the main company left as it was
            "TOWN Ville de Hautmont-sur-Lys EUR fr_FR True",
            "MAIN YourCompany USD",
            # the food bank's van and the concert's room came back, valued
            "RETURNED 2 True",
            "LATE 1",
            # the decisions of a closed review are numbered and final
            "DECISIONS 8 True",
            # the choir's weekly room for the season, approved, the commune's holiday skipped
            "SERIES decided 1 True 30 True",
            "NEEDS cancelled closed draft fulfilled in_review partial redirected refused approved submitted",
            "LOGIN officer True fr_FR",
            "LOGIN manager True fr_FR",
            "LOGIN fleet True fr_FR",
            "LOGIN hr True fr_FR",
        ):
            if line.startswith("NEEDS"):
                self.assertIn(
                    "NEEDS " + " ".join(sorted(line.split()[1:])), output, output + result.stderr[-3000:]
                )
            else:
                self.assertIn(line, output, output + result.stderr[-3000:])
        approved = int(re.search(r"^APPROVED (\d+)$", output, re.M)[1])
        self.assertGreaterEqual(approved, 5, output)
        published = re.search(r"^PUBLISHED (\d+) (\w+)$", output, re.M)
        self.assertTrue(int(published[1]) >= 1 and published[2] == "True", output)
        self.assertIn(
            "REVIEW MINUTES 1 True", output
        )  # the last review's minutes, with its decisions, issued
