from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPortalTour(HttpCase):
    """The president of an association on the portal, in French, in a real browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"].search([("name", "=", "conseil_associations")])._update_translations(
            filter_lang="fr_FR", overwrite=True
        )
        cls.officer = new_test_user(
            cls.env, login="tour_portal_officer", groups="conseil_associations.group_conseil_officer"
        )
        cls.association = cls.env["conseil.association"].create(
            {
                "name": "Restos de la Lys",
                "rna": "W595000123",
                "volunteer_count": 20,
                "referent_user_id": cls.officer.id,
                "child_ids": [
                    Command.create(
                        {
                            "name": "Anne Présidente",
                            "email": "anne@restos.example",
                            "conseil_role": "president",
                            "lang": "fr_FR",
                        }
                    )
                ],
            }
        )
        cls.president = cls.association.child_ids
        action = cls.association.with_user(cls.officer).action_grant_portal_access()
        wizard = cls.env["portal.wizard"].with_user(cls.officer).browse(action["res_id"])
        wizard.user_ids.filtered(lambda line: line.partner_id == cls.president).action_grant_access()
        cls.user = cls.president.user_ids
        cls.user.write({"password": "tour_president_pwd", "login": "tour_president", "lang": "fr_FR"})

    def test_president_proposes_a_change_and_sends_the_insurance_certificate(self):
        self.start_tour("/my", "conseil_portal_president_tour", login="tour_president")
        self.assertEqual(
            self.association.volunteer_count, 20, "The officer applies the change, not the portal"
        )
        activity = self.association.activity_ids
        self.assertEqual(activity.user_id, self.officer)
        proposal = self.association.message_ids.filtered(lambda m: m.author_id == self.president)[-1].body
        self.assertIn("30", proposal)
        self.assertIn("anne.presidente@restos.example", proposal, "Her contact's change is proposed")
        self.assertEqual(self.president.email, "anne@restos.example", "and applied by the officer")
        document = self.association.document_ids
        self.assertEqual(document.kind, "insurance")
        self.assertEqual(document.validity_state, "valid")
