"""Uninstalling the addon leaves the associations' contacts in the town's Odoo.

Runs on a copy of the test database (made by `make test`), in a separate Odoo
process, because uninstalling rebuilds the registry.
"""

import os
import shlex
import subprocess
import sys
import unittest

import odoo
from odoo.tests import tagged

SCRIPT = """
association = env["conseil.association"].create({"name": "Partenaire durable", "rna": "W595099999"})
partner_id = association.partner_id.id
env.cr.commit()
env["ir.module.module"].search([("name", "=", "conseil_associations")]).button_immediate_uninstall()
env.cr.commit()
env.cr.execute("SELECT to_regclass('conseil_association')")
print("TABLE", env.cr.fetchone()[0])
env.cr.execute("SELECT name FROM res_partner WHERE id = %s", (partner_id,))
print("PARTNER", env.cr.fetchone()[0])
"""


@tagged("post_install", "-at_install")
class TestUninstall(unittest.TestCase):
    def test_uninstall_keeps_partners(self):
        database = os.environ.get("CONSEIL_UNINSTALL_DB")
        odoo_args = os.environ.get("CONSEIL_ODOO_ARGS")
        self.assertTrue(
            database and odoo_args,
            "Run the suite with `make test`: it prepares the database this test uninstalls from.",
        )
        odoo_bin = os.path.join(os.path.dirname(odoo.__path__[0]), "odoo-bin")
        result = subprocess.run(
            [
                sys.executable,
                odoo_bin,
                "shell",
                "-d",
                database,
                "--no-http",
                "--log-level=warn",
                *shlex.split(odoo_args),
            ],
            input=SCRIPT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        self.assertIn("TABLE None", result.stdout, result.stdout + result.stderr[-3000:])
        self.assertIn(
            "PARTNER Partenaire durable",
            result.stdout,
            result.stdout + result.stderr[-3000:],
        )
