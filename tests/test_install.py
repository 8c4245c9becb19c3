from conseil_testing import ConseilCase
from odoo.models import MAGIC_COLUMNS
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


@tagged("post_install", "-at_install")
class TestEveryModelDeclaresItsGuard(ConseilCase):
    """What the guard relies on is declared by every model, so a model or a field added later cannot slip by."""

    # Links to Odoo's own records that carry a company but belong to no commune of the addon.
    NOT_COMMUNE_BOUND = ("res.company", "mail.message", "mail.followers", "mail.activity", "ir.attachment")
    # Links a constraint holds instead: a theme shared between the communes files the associations of all.
    CHECKED_OTHERWISE = ("conseil.theme.association_ids",)
    # Numbers the town never types: ordering and colours.
    # not typed by the town: ids, colours, orders, and the lock counters the database bumps
    NOT_TYPED = ("id", "color", "sequence", "message_main_attachment_id", "conseil_loan_lock")

    def conseil_models(self, stored=False):
        models = [self.env[name] for name in self.env.registry if name.startswith("conseil.")]
        models = [model for model in models if not model._abstract]
        if stored:  # tables the town keeps: neither SQL views nor wizards
            models = [model for model in models if model._auto and not model._transient]
        return models

    def guarded_models(self):
        names, todo = set(), ["conseil.guarded.mixin"]
        while todo:
            children = self.env.registry[todo.pop()]._inherit_children
            names |= set(children)
            todo.extend(children)
        return names

    def test_every_model_checks_companies_and_is_guarded(self):
        guarded = self.guarded_models()
        for model in self.conseil_models():
            with self.subTest(model=model._name):
                self.assertTrue(model._check_company_auto, "_check_company_auto")
                if model._auto:  # SQL views are read-only reports
                    self.assertIn(model._name, guarded, "the guard of create and write")

    def test_every_link_to_a_commune_is_company_checked(self):
        unchecked = []
        for model in self.conseil_models(stored=True):
            if "company_id" not in model._fields:
                continue
            server_owned = model._user_protected_fields()  # the server links them, consistently
            for name, field in model._fields.items():
                if not field.relational or field.comodel_name in self.NOT_COMMUNE_BOUND:
                    continue
                if (
                    field.type == "one2many"
                    or not field.store
                    or name in server_owned
                    or name in MAGIC_COLUMNS
                ):
                    continue
                if f"{model._name}.{name}" in self.CHECKED_OTHERWISE:
                    continue
                if "company_id" in self.env[field.comodel_name]._fields and not field.check_company:
                    unchecked.append(f"{model._name}.{name}")
        self.assertFalse(unchecked, "Links to company-bound records without check_company")

    def test_server_owned_fields_are_not_copied(self):
        for model in self.conseil_models(stored=True):
            for name in getattr(model, "_server_fields", ()):
                field = model._fields[name]
                with self.subTest(field=f"{model._name}.{name}"):
                    self.assertFalse(field.copy and not field.compute, "a copy would forge it")

    def test_every_number_and_date_is_bounded_in_the_database(self):
        """Each number and date the town types is held by a CHECK constraint of its table."""
        unbounded = []
        for model in self.conseil_models(stored=True):
            self.env.cr.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'c'",
                (model._table,),
            )
            checks = " ".join(row[0] for row in self.env.cr.fetchall())
            for name, field in model._fields.items():
                typed = (
                    field.store
                    and not field.compute
                    and name not in self.NOT_TYPED
                    and name not in MAGIC_COLUMNS
                )
                bounded = f"{name} " in checks or f"({name}" in checks
                if (
                    typed
                    and field.type in ("integer", "float", "monetary", "date", "datetime")
                    and not bounded
                ):
                    unbounded.append(f"{model._name}.{name}")
        self.assertFalse(
            unbounded, "Numbers and dates without a CHECK constraint (declare them in _plausible)"
        )
