from odoo import Command
from odoo.tests import HttpCase, new_test_user

PRESIDENT_LOGIN = "tour_banque"


class FoodBankPortalCase(HttpCase):
    """The demo town's food bank in a test database: a town reading French, its referent officer, and its
    president Martine Lefebvre with portal access granted by Odoo's own wizard (login ``tour_banque``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang("fr_FR")
        env["ir.module.module"].search([("name", "=", "conseil_associations")])._update_translations(
            filter_lang="fr_FR", overwrite=True
        )
        env.company.partner_id.write({"lang": "fr_FR", "tz": "Europe/Paris"})
        cls.officer = new_test_user(
            env, login="tour_banque_officer", groups="conseil_associations.group_conseil_officer"
        )
        cls.food_bank = env["conseil.association"].create(
            {
                "name": "Banque alimentaire des Hauts-de-Lys",
                "is_council_member": True,
                "referent_user_id": cls.officer.id,
                "child_ids": [
                    Command.create(
                        {
                            "name": "Martine Lefebvre",
                            "email": "martine@banque.example",
                            "conseil_role": "president",
                            "lang": "fr_FR",
                        }
                    )
                ],
            }
        )
        cls.president = cls.food_bank.child_ids
        action = cls.food_bank.with_user(cls.officer).action_grant_portal_access()
        wizard = env["portal.wizard"].with_user(cls.officer).browse(action["res_id"])
        wizard.user_ids.filtered(lambda line: line.partner_id == cls.president).action_grant_access()
        cls.president.user_ids.write({"login": PRESIDENT_LOGIN, "password": PRESIDENT_LOGIN, "lang": "fr_FR"})
