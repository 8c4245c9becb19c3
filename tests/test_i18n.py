import io
import os

import polib
from psycopg2 import IntegrityError

from conseil_testing import ConseilCase
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.translate import trans_export

FR_PO = os.path.join(os.path.dirname(__file__), os.pardir, "conseil_associations", "i18n", "fr.po")


@tagged("post_install", "-at_install")
class TestFrenchTranslation(ConseilCase):
    def test_every_string_has_a_french_translation(self):
        """Every term Odoo would export for the addon is translated in fr.po."""
        buffer = io.BytesIO()
        trans_export(None, ["conseil_associations"], buffer, "po", self.env)
        template = polib.pofile(buffer.getvalue().decode())
        french = polib.pofile(FR_PO)
        translated = {
            entry.msgid
            for entry in french
            if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags
        }
        missing = sorted({entry.msgid for entry in template} - translated)
        self.assertFalse(missing, f"Untranslated in fr.po (run `make i18n`, then translate): {missing}")
        self.assertGreater(len(template), 50)

    def test_french_po_is_valid(self):
        french = polib.pofile(FR_PO)
        for entry in french.translated_entries():
            for placeholder in ("%(label)s", "%(value)s", "%(association)s", "%(siret)s"):
                if placeholder in entry.msgid:
                    self.assertIn(placeholder, entry.msgstr, entry.msgid)

    def test_french_user_reads_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search([("name", "=", "conseil_associations")])._update_translations(
            filter_lang="fr_FR", overwrite=True
        )
        Association = self.Association.with_user(self.officer).with_context(lang="fr_FR")
        label = Association._fields["volunteer_count"]._description_string(Association.env)
        self.assertEqual(label, "Bénévoles")
        self.assertEqual(self.theme_food.with_context(lang="fr_FR").name, "Aide alimentaire")
        with self.assertRaises(ValidationError) as caught:
            Association.create({"name": "Club", "siret": "73282932000075"})
        self.assertIn("clé de contrôle", str(caught.exception))
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError) as caught_db:
            Association.create({"name": "Club", "rna": "W12"})
        self.assertIn("suivie de 9 chiffres", Association._sql_error_to_message(caught_db.exception))

    def test_no_two_fields_of_a_model_read_alike_in_french(self):
        """The class of bug behind « Département / région » on every status: one label, two meanings."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search([("name", "=", "conseil_associations")])._update_translations(
            filter_lang="fr_FR", overwrite=True
        )
        french = self.env(context={"lang": "fr_FR"})
        clashes = []
        for name in self.env.registry:
            if not name.startswith("conseil.") or french[name]._abstract:
                continue
            model = french[name]
            labels = {}
            for field_name, field in model._fields.items():
                if field_name in ("id", "display_name") or not field.string:
                    continue
                if not getattr(field, "export_string_translation", True):
                    continue
                labels.setdefault(field._description_string(french), []).append(field_name)
            clashes += [
                f"{name}: « {label} » = {fields}" for label, fields in labels.items() if len(fields) > 1
            ]
        self.assertFalse(clashes, "Fields of one model with the same French label")
