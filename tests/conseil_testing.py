"""Shared set-up for the suite: users of each role, built by the tests themselves."""

from odoo.tests import TransactionCase, new_test_user

OFFICER = "conseil_associations.group_conseil_officer"
MANAGER = "conseil_associations.group_conseil_manager"


class ConseilCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.company = cls.env.company
        cls.officer = new_test_user(cls.env, login="conseil_officer", groups=OFFICER)
        cls.manager = new_test_user(cls.env, login="conseil_manager", groups=MANAGER)
        cls.internal_user = new_test_user(cls.env, login="conseil_internal", groups="base.group_user")
        cls.Association = cls.env["conseil.association"]
        cls.theme_food = cls.env.ref("conseil_associations.theme_food_aid")

    @classmethod
    def create_association(cls, name="Les Amis du Jardin", **values):
        return cls.Association.create({"name": name, **values})
