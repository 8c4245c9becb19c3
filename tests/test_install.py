from conseil_testing import ConseilCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestInstall(ConseilCase):
    def test_btree_gist_is_installed(self):
        """Exclusion constraints on loans depend on btree_gist, created before the tables."""
        self.env.cr.execute("SELECT 1 FROM pg_extension WHERE extname = 'btree_gist'")
        self.assertTrue(self.env.cr.fetchone(), "btree_gist must exist after a fresh install")

    def test_database_constraints_exist(self):
        self.env.cr.execute(
            """SELECT conname FROM pg_constraint WHERE conrelid = 'conseil_association'::regclass"""
        )
        constraints = {row[0] for row in self.env.cr.fetchall()}
        self.assertLessEqual(
            {
                "conseil_association_rna_format",
                "conseil_association_counts_positive",
                "conseil_association_seniors_within_volunteers",
            },
            constraints,
        )
        self.env.cr.execute(
            "SELECT indexname FROM pg_indexes"
            " WHERE tablename = 'conseil_association' AND indexdef LIKE 'CREATE UNIQUE%%'"
        )
        indexes = {row[0] for row in self.env.cr.fetchall()}
        self.assertLessEqual(
            {
                "conseil_association_rna_company_unique",
                "conseil_association_siret_company_unique",
            },
            indexes,
        )

    def test_groups_hierarchy(self):
        officer_group = self.env.ref("conseil_associations.group_conseil_officer")
        manager_group = self.env.ref("conseil_associations.group_conseil_manager")
        self.assertIn(officer_group, manager_group.all_implied_ids)
        self.assertIn(self.env.ref("base.group_user"), officer_group.all_implied_ids)
        self.assertTrue(
            self.env.ref("base.user_admin").has_group("conseil_associations.group_conseil_manager")
        )
        self.assertTrue(self.manager.has_group("conseil_associations.group_conseil_officer"))
        self.assertFalse(self.officer.has_group("conseil_associations.group_conseil_manager"))

    def test_menus_by_role(self):
        root = self.env.ref("conseil_associations.menu_conseil_root")
        configuration = self.env.ref("conseil_associations.menu_conseil_configuration")
        Menu = self.env["ir.ui.menu"]
        officer_menus = Menu.with_user(self.officer)._visible_menu_ids()
        manager_menus = Menu.with_user(self.manager)._visible_menu_ids()
        internal_menus = Menu.with_user(self.internal_user)._visible_menu_ids()
        self.assertIn(root.id, officer_menus)
        self.assertNotIn(configuration.id, officer_menus)
        self.assertIn(configuration.id, manager_menus)
        self.assertNotIn(root.id, internal_menus)

    def test_default_themes_shipped(self):
        themes = self.env["conseil.theme"].search([])
        self.assertGreaterEqual(len(themes), 8)
        self.assertIn(self.theme_food, themes)
