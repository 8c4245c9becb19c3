"""A town's database of the previous version upgrades to this one, its data in place.

Builds a database with the addon as it was at ``PREVIOUS_VERSION_COMMIT`` (taken from the project's git history),
records a session and opens the old dashboard there, then upgrades it with the addon of the working tree, in separate Odoo processes.
"""

import os
import shlex
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import odoo
from odoo.tests import get_db_name, tagged

# The last commit of 19.0.1.0.0, before the session's `event_id` became `calendar_event_id`.
PREVIOUS_VERSION_COMMIT = "b4ffa57786ac6f3387a5f332b26a2a85fbc0cdc1"
PROJECT_DIR = Path(__file__).resolve().parent.parent

BEFORE = """
association = env["conseil.association"].create({"name": "Club de l'Europe", "is_council_member": True})
meeting = env["conseil.meeting"].create(
    {"name": "Conseil de mars", "date_start": "2027-03-04 17:00:00", "date_end": "2027-03-04 19:00:00"}
)
meeting.action_invite_council_members()
env["conseil.dashboard"].create({})
room = env["conseil.room"].create({"name": "Salle du Moulin", "capacity": 40})
env["conseil.loan"].create(
    {"loan_type": "room", "room_id": room.id, "association_id": association.id, "purpose": "Assemblée générale",
     "expected_attendance": 20, "date_start": "2027-03-01 08:00:00", "date_end": "2027-03-01 10:00:00"}
)
env.cr.commit()
print("BEFORE", meeting.id, meeting.event_id.id)
"""

AFTER = """
meeting = env["conseil.meeting"].search([("name", "=", "Conseil de mars")])
event = meeting.calendar_event_id
print("AFTER", meeting.id, event.id, event.res_model, event.res_id)
print("VERSION", env["ir.module.module"].search([("name", "=", "conseil_associations")]).latest_version)
env.cr.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = 'conseil_meeting' AND column_name = 'event_id'")
print("OLD_COLUMN", env.cr.fetchone()[0])
env.cr.execute("SELECT to_regclass('conseil_dashboard')")
print("OLD_DASHBOARD", env.cr.fetchone()[0])
print("NEW_DASHBOARD", bool(env.ref("conseil_associations.spreadsheet_dashboard_conseil", raise_if_not_found=False)))
loan = env["conseil.loan"].search([("purpose", "=", "Assemblée générale")])
print("HELD_UNTIL", loan.buffered_end == loan.date_end, loan.room_id.buffer_minutes)
print("NOT_LENT", env.company.conseil_unavailable_vehicle_state_ids.mapped("name"))
meeting.write({"date_start": "2027-03-11 17:00:00", "date_end": "2027-03-11 19:00:00"})
print("FOLLOWS", event.start)
"""


@tagged("post_install", "-at_install")
class TestMigration(unittest.TestCase):
    def setUp(self):
        odoo_args = os.environ.get("CONSEIL_ODOO_ARGS")
        self.assertTrue(
            odoo_args, "Run the suite with `make test`: it tells this test how to reach the cluster."
        )
        # the same cluster and data directory, the addons path without this project: each run names its own
        self.odoo_args = [arg for arg in shlex.split(odoo_args) if not arg.startswith("--addons-path")]
        self.database = f"{get_db_name()}_migration"
        self.odoo_src = Path(odoo.__path__[0]).parent
        self.addCleanup(self.drop_database)

    def drop_database(self):
        with odoo.sql_db.db_connect("postgres").cursor() as cr:
            cr._cnx.autocommit = True
            cr.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def odoo(self, addons_dir, *args, script=None):
        addons_path = f"{self.odoo_src / 'addons'},{self.odoo_src / 'odoo' / 'addons'},{addons_dir}"
        command = [sys.executable, str(self.odoo_src / "odoo-bin")]
        if script:
            command.append("shell")
        command += ["-d", self.database, f"--addons-path={addons_path}", "--no-http", "--log-level=warn"]
        result = subprocess.run(
            [*command, *self.odoo_args, *args],
            input=script,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        self.assertNotRegex(result.stderr, r" (ERROR|CRITICAL) ", result.stderr[-3000:])
        return result.stdout

    def test_upgrade_from_the_previous_version(self):
        self.drop_database()
        with tempfile.TemporaryDirectory() as previous:
            archive = subprocess.run(
                ["git", "-C", str(PROJECT_DIR), "archive", PREVIOUS_VERSION_COMMIT, "conseil_associations"],
                capture_output=True,
                check=False,
            )
            self.assertEqual(
                archive.returncode,
                0,
                f"The project's git history must hold {PREVIOUS_VERSION_COMMIT}: {archive.stderr.decode()[-500:]}",
            )
            subprocess.run(["tar", "-x", "-C", previous], input=archive.stdout, check=True)
            self.odoo(previous, "-i", "conseil_associations", "--stop-after-init")
            before = self.odoo(previous, script=BEFORE).split("BEFORE ")[1].split()
        meeting_id, event_id = before[0], before[1]
        self.assertNotEqual(event_id, "0", "The previous version gave the session its event")

        self.odoo(str(PROJECT_DIR), "-u", "conseil_associations", "--stop-after-init")
        after = self.odoo(str(PROJECT_DIR), script=AFTER)
        self.assertIn(f"AFTER {meeting_id} {event_id} conseil.meeting {meeting_id}", after)
        self.assertIn("VERSION 19.0.2.1.0", after)
        self.assertIn(
            "HELD_UNTIL True 0",
            after,
            "A room of the previous version has no buffer, its loans end as before",
        )
        self.assertIn(
            "NOT_LENT ['Downgraded']", after, "An upgraded commune does not lend a downgraded vehicle"
        )
        self.assertIn("OLD_COLUMN 0", after)
        self.assertIn("OLD_DASHBOARD None", after, "The form dashboard's table goes with its model")
        self.assertIn("NEW_DASHBOARD True", after, "The spreadsheet dashboard replaces it")
        self.assertIn("FOLLOWS 2027-03-11 17:00:00", after, "The migrated session still owns its event")
