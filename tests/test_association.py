from psycopg2 import IntegrityError

from conseil_testing import ConseilCase
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

VALID_SIRET = "73282932000074"
LA_POSTE_SIRET = "35600000049837"  # La Poste establishment: sum of digits rule, no Luhn


@tagged("post_install", "-at_install")
class TestAssociationForm(ConseilCase):
    def test_create_and_edit_through_form(self):
        form = Form(self.Association.with_user(self.officer))
        form.name = "Restos du Cœur de Hautmont"
        form.rna = " w 595 012 345 "
        form.siret = "732 829 320 00074"
        form.street = "4 rue Jean Jaurès"
        form.city = "Hautmont-sur-Lys"
        form.theme_ids.add(self.theme_food)
        form.volunteer_count = 30
        form.senior_volunteer_count = 12
        form.beneficiary_count = 900
        form.is_council_member = True
        self.assertTrue(
            form.council_member_since,
            "Becoming a member proposes today as the start date",
        )
        association = form.save()

        self.assertEqual(association.rna, "W595012345")
        self.assertEqual(association.siret, VALID_SIRET)
        self.assertEqual(association.company_id, self.company)
        partner = association.partner_id
        self.assertEqual(partner.name, "Restos du Cœur de Hautmont")
        self.assertEqual(partner.city, "Hautmont-sur-Lys")
        self.assertTrue(partner.is_company)
        self.assertEqual(
            partner.company_id,
            self.company,
            "The contact stays in the association's commune",
        )

        with Form(association.with_user(self.officer)) as edit:
            edit.volunteer_count = 35
            edit.rna = ""
        self.assertEqual(association.volunteer_count, 35)
        self.assertFalse(
            association.rna,
            "An empty RNA is allowed (Alsace-Moselle associations have none)",
        )

    def test_association_is_a_contact(self):
        association = self.create_association(email="contact@amis-jardin.example")
        self.assertEqual(association.partner_id.email, "contact@amis-jardin.example")
        found = self.env["res.partner"].search([("email", "=", "contact@amis-jardin.example")])
        self.assertEqual(found, association.partner_id)


@tagged("post_install", "-at_install")
class TestAssociationValidation(ConseilCase):
    def assert_db_refuses(self, values, expected_message, association=None):
        """The database refuses the values and the user reads ``expected_message``."""
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError) as caught:
            if association:
                association.write(values)
            else:
                self.create_association(**values)
            self.env.flush_all()
        message = self.Association._sql_error_to_message(caught.exception)
        self.assertIn(expected_message, message)

    def test_rna_valid_and_empty(self):
        self.assertEqual(self.create_association(rna="W595012345").rna, "W595012345")
        self.assertFalse(self.create_association(name="Sans RNA", rna="").rna)
        self.assertFalse(self.create_association(name="Sans RNA bis", rna=False).rna)

    def test_rna_invalid(self):
        for bad in (
            "595012345",
            "W59501234",
            "W5950123456",
            "X595012345",
            "W59501234A",
        ):
            with self.subTest(rna=bad):
                self.assert_db_refuses({"rna": bad}, "W followed by 9 digits")
        association = self.create_association(rna="W595012345")
        self.assert_db_refuses({"rna": "W1"}, "W followed by 9 digits", association)
        self.assertEqual(association.rna, "W595012345")

    def test_siret_valid(self):
        self.assertEqual(self.create_association(siret=VALID_SIRET).siret, VALID_SIRET)
        self.assertEqual(
            self.create_association(name="Poste", siret=LA_POSTE_SIRET).siret,
            LA_POSTE_SIRET,
        )
        self.assertFalse(self.create_association(name="Sans SIRET", siret="").siret)

    def test_siret_invalid(self):
        cases = {
            "73282932000075": "check digit",  # Luhn broken
            "35600000049838": "check digit",  # La Poste, digits sum not a multiple of 5
            "7328293200007": "exactly 14 digits",
            "7328293200007A": "exactly 14 digits",
        }
        for bad, reason in cases.items():
            with self.subTest(siret=bad), self.assertRaises(ValidationError) as caught:
                self.create_association(siret=bad)
            self.assertIn(reason, str(caught.exception))
            self.assertIn(bad, str(caught.exception))
        association = self.create_association(siret=VALID_SIRET)
        with self.assertRaises(ValidationError):
            association.siret = "73282932000075"
        self.assertEqual(association.siret, VALID_SIRET)

    def test_counts_never_negative(self):
        association = self.create_association()
        for field_name in (
            "volunteer_count",
            "senior_volunteer_count",
            "beneficiary_count",
        ):
            with self.subTest(field=field_name):
                with self.assertRaisesRegex(ValidationError, "cannot be negative"):
                    self.create_association(name="Négative", **{field_name: -1})
                # and the database holds it whatever the path
                with (
                    mute_logger("odoo.sql_db"),
                    self.assertRaises(IntegrityError) as caught,
                    self.cr.savepoint(),
                ):
                    self.cr.execute(
                        f"UPDATE conseil_association SET {field_name} = -1 WHERE id = %s", (association.id,)
                    )
                self.assertIn("cannot be negative", self.Association._sql_error_to_message(caught.exception))

    def test_seniors_within_volunteers(self):
        self.create_association(volunteer_count=5, senior_volunteer_count=5)
        self.assert_db_refuses(
            {"volunteer_count": 5, "senior_volunteer_count": 6},
            "Senior volunteers are counted among the volunteers",
        )
        association = self.create_association(name="Club", volunteer_count=10, senior_volunteer_count=8)
        self.assert_db_refuses({"volunteer_count": 7}, "Senior volunteers", association)


@tagged("post_install", "-at_install")
class TestAssociationDuplicates(ConseilCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.holder = cls.create_association("Banque alimentaire", rna="W595000001", siret=VALID_SIRET)

    def test_duplicate_rna_names_the_holder(self):
        with self.assertRaises(ValidationError) as caught:
            self.create_association("Doublon", rna="w595000001")
        self.assertIn("Banque alimentaire", str(caught.exception))
        self.assertIn("W595000001", str(caught.exception))

    def test_duplicate_siret_names_the_holder(self):
        other = self.create_association("Autre")
        with self.assertRaises(ValidationError) as caught:
            other.siret = "732 829 320 00074"
        self.assertIn("Banque alimentaire", str(caught.exception))
        self.assertFalse(other.siret)

    def test_duplicate_of_archived_association(self):
        self.holder.active = False
        with self.assertRaises(ValidationError) as caught:
            self.create_association("Doublon", rna="W595000001")
        self.assertIn("Banque alimentaire", str(caught.exception))

    def test_same_identifiers_in_another_company(self):
        company_b = self.env["res.company"].create({"name": "Commune voisine"})
        twin = self.create_association(
            "Antenne voisine",
            rna="W595000001",
            siret=VALID_SIRET,
            company_id=company_b.id,
        )
        self.assertEqual(twin.rna, self.holder.rna)

    def test_database_also_refuses_duplicates(self):
        """The unique index holds even when the Python check is bypassed (two requests at once)."""
        other = self.create_association("Autre")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError) as caught:
            self.env.cr.execute(
                "UPDATE conseil_association SET rna = %s WHERE id = %s",
                ("W595000001", other.id),
            )
        message = self.Association._sql_error_to_message(caught.exception)
        self.assertIn("Banque alimentaire", message)
