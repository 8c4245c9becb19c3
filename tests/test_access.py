from conseil_testing import ConseilCase
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAccessRights(ConseilCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.association = cls.create_association("Harmonie municipale")

    def test_internal_user_cannot_read_nor_write(self):
        Association = self.Association.with_user(self.internal_user)
        with self.assertRaises(AccessError):
            Association.search([])
        with self.assertRaises(AccessError):
            self.association.with_user(self.internal_user).read(["name"])
        with self.assertRaises(AccessError):
            self.association.with_user(self.internal_user).write({"volunteer_count": 3})
        with self.assertRaises(AccessError):
            Association.create({"name": "Intrus"})

    def test_officer_reads_creates_and_writes(self):
        Association = self.Association.with_user(self.officer)
        self.assertIn(self.association, Association.search([]))
        created = Association.create({"name": "Club de judo", "volunteer_count": 4})
        created.write({"volunteer_count": 6})
        self.assertEqual(created.volunteer_count, 6)
        self.association.with_user(self.officer).write({"beneficiary_count": 120})
        self.assertEqual(self.association.beneficiary_count, 120)

    def test_officer_archives_but_does_not_delete(self):
        association = self.association.with_user(self.officer)
        with self.assertRaises(AccessError):
            association.unlink()
        association.action_archive()
        self.assertFalse(self.association.active)

    def test_only_manager_edits_themes(self):
        Theme = self.env["conseil.theme"]
        self.assertIn(self.theme_food, Theme.with_user(self.officer).search([]))
        with self.assertRaises(AccessError):
            self.theme_food.with_user(self.officer).write({"name": "Aide"})
        with self.assertRaises(AccessError):
            Theme.with_user(self.officer).create({"name": "Numérique"})
        theme = Theme.with_user(self.manager).create({"name": "Numérique"})
        theme.write({"description": "Inclusion numérique"})
        self.assertEqual(theme.description, "Inclusion numérique")
        with self.assertRaises(AccessError):
            Theme.with_user(self.internal_user).search([])

    def test_officer_can_tag_association_with_theme(self):
        self.association.with_user(self.officer).theme_ids = self.theme_food
        self.assertEqual(self.association.theme_ids, self.theme_food)
        self.assertEqual(self.theme_food.association_count, 1)


@tagged("post_install", "-at_install")
class TestMultiCompany(ConseilCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        cls.company_b = cls.env["res.company"].create({"name": "Commune B"})
        cls.officer_a = new_test_user(
            cls.env,
            login="officer_a",
            groups="conseil_associations.group_conseil_officer",
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id],
        )
        cls.association_a = cls.create_association("Association A")
        cls.association_b = cls.create_association("Association B", company_id=cls.company_b.id)
        cls.theme_b = cls.env["conseil.theme"].create({"name": "Thème B", "company_id": cls.company_b.id})

    def test_officer_sees_only_own_company(self):
        visible = self.Association.with_user(self.officer_a).search([("name", "like", "Association")])
        self.assertEqual(visible, self.association_a)
        with self.assertRaises(AccessError):
            self.association_b.with_user(self.officer_a).read(["name"])

    def test_contact_of_other_company_hidden_too(self):
        partners = self.env["res.partner"].with_user(self.officer_a).search([("name", "=", "Association B")])
        self.assertFalse(
            partners,
            "The contact behind an association of company B must not leak to company A",
        )

    def test_company_specific_themes(self):
        themes = self.env["conseil.theme"].with_user(self.officer_a).search([])
        self.assertNotIn(self.theme_b, themes)
        self.assertIn(self.theme_food, themes, "Shared themes are visible everywhere")

    def test_moving_association_moves_its_contact(self):
        self.association_a.company_id = self.company_b
        self.assertEqual(self.association_a.partner_id.company_id, self.company_b)
