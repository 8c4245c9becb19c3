"""A wizard is its user's own: what another user typed there stays theirs (outside attack, issue 15)."""

from conseil_testing import OFFICER, LoanCase
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestWizardsArePrivate(LoanCase):
    def test_every_wizard_of_the_addon_is_its_users_own(self):
        wizards = [
            model
            for model in self.env.registry.values()
            # the addon's own wizards (Odoo's, such as the settings or the portal wizard, have their own rules)
            if model._transient and model._original_module == "conseil_associations"
        ]
        self.assertGreaterEqual(len(wizards), 10)
        for model in wizards:
            rules = self.env["ir.rule"].search([("model_id.model", "=", model._name), ("global", "=", True)])
            self.assertIn(
                "[('create_uid', '=', user.id)]",
                rules.mapped("domain_force"),
                f"{model._name}: another user could read or change what its user typed",
            )

    def test_another_officer_neither_reads_nor_changes_a_return_in_progress(self):
        loan = self.requested()
        loan.with_user(self.fleet_manager).action_approve()
        loan.with_user(self.officer).action_start()
        wizard = (
            self.env["conseil.loan.return.wizard"]
            .with_user(self.officer)
            .create({"loan_id": loan.id, "damage_notes": "Rétroviseur cassé"})
        )
        colleague = new_test_user(self.env, login="conseil_officer_2", groups=OFFICER)
        Wizard = self.env["conseil.loan.return.wizard"].with_user(colleague)
        self.assertFalse(Wizard.search([]), "Another user's wizards are not listed")
        with self.assertRaises(AccessError):
            Wizard.browse(wizard.id).read(["damage_notes"])
        with self.assertRaises(AccessError):
            Wizard.browse(wizard.id).write({"damage_notes": "Réécrit"})
        self.assertEqual(wizard.damage_notes, "Rétroviseur cassé")
