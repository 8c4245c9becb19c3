"""Every report printed the way the web client prints it: the button's action, the URL it builds, the PDF it gets."""

import io
import json
from urllib.parse import quote

from PyPDF2 import PdfReader
from test_rpc import RpcCase

from odoo.tests import new_test_user, tagged

PASSWORD = "reports-pwd-2027"


@tagged("post_install", "-at_install")
class TestReportsAsTheWebClientPrintsThem(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        new_test_user(
            env, login="r_officer", password=PASSWORD, groups="conseil_associations.group_conseil_officer"
        )
        cls.association = env["conseil.association"].create({"name": "Banque alimentaire des Lys"})
        env.company.conseil_default_vehicle_daily_rate = 60.0
        model = env["fleet.vehicle.model"].create(
            {"name": "Master", "brand_id": env["fleet.vehicle.model.brand"].create({"name": "Renault"}).id}
        )
        vehicle = env["fleet.vehicle"].create({"model_id": model.id, "license_plate": "RP-001-RT"})
        cls.loan = env["conseil.loan"].create(
            {
                "loan_type": "vehicle",
                "association_id": cls.association.id,
                "vehicle_id": vehicle.id,
                "purpose": "Collecte de printemps",
                "date_start": "2026-03-02 08:00:00",
                "date_end": "2026-03-04 17:00:00",
            }
        )
        cls.loan.action_request()
        cls.loan.action_approve()

    def report_url(self, action):
        """The URL the web client builds for a report action (web/static/src/webclient/actions/reports)."""
        url = f"/report/pdf/{action['report_name']}"
        if action.get("data"):
            options = quote(json.dumps(action["data"]))
            context = quote(json.dumps(action.get("context") or {}))
            return f"{url}?options={options}&context={context}"
        return f"{url}/{','.join(map(str, action['context']['active_ids']))}"

    def download(self, action, lang="en_US"):
        """What the browser downloads: the PDF's text."""
        response = self.opener.post(
            f"{self.base_url()}/report/download",
            data={
                "data": json.dumps([self.report_url(action), action["report_type"]]),
                "context": json.dumps({"lang": lang, "force_report_rendering": True}),
                "csrf_token": self.csrf_token(),
            },
            timeout=120,
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        self.assertTrue(response.content.startswith(b"%PDF"), "A PDF, not a blank page")
        reader = PdfReader(io.BytesIO(response.content))
        return " ".join(" ".join(page.extract_text() for page in reader.pages).split())

    def csrf_token(self):
        return self.url_open("/web").text.split('csrf_token: "')[1].split('"')[0]

    def assert_statement(self, text):
        self.assertIn("Banque alimentaire des Lys", text)
        self.assertIn("2026", text)
        self.assertIn(self.loan.name, text)
        self.assertIn("180.00", text, "3 days at 60 € a day")

    def test_statement_from_the_association_form(self):
        self.authenticate("r_officer", PASSWORD)
        action = self.call_kw(
            "conseil.association",
            "action_print_statement",
            [self.association.ids],
            {"context": {"conseil_aid_year": 2026}},
        )
        self.assert_statement(self.download(action))

    def test_statement_from_the_yearly_wizard(self):
        self.authenticate("r_officer", PASSWORD)
        wizard = self.call_kw("conseil.statement.wizard", "create", [{"year": 2026}])
        action = self.call_button("conseil.statement.wizard", "action_print", wizard)
        self.assert_statement(self.download(action))

    def test_statement_in_french(self):
        """A French town reads its statement in French, with its amounts as French readers write them."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search([("name", "=", "conseil_associations")])._update_translations(
            filter_lang="fr_FR", overwrite=True
        )
        self.authenticate("r_officer", PASSWORD)
        wizard = self.call_kw("conseil.statement.wizard", "create", [{"year": 2026}])
        action = self.call_button("conseil.statement.wizard", "action_print", wizard)
        text = self.download(action, lang="fr_FR")
        self.assertIn("Attestation de valorisation des mises à disposition 2026", text)
        self.assertIn("Banque alimentaire des Lys", text)
        self.assertIn("180,00", text)
        self.assertNotIn("2 026", text)

    def test_minutes_from_the_print_menu(self):
        """The session's Print menu: the report's own action, on the selected session."""
        start = "2026-03-05 17:00:00"
        meeting = self.env["conseil.meeting"].create(
            {"name": "Conseil de mars", "date_start": start, "date_end": "2026-03-05 19:00:00"}
        )
        meeting._invite(self.association)
        meeting.attendance_ids.action_mark_present()
        meeting.minutes = "<p>Le conseil a examiné la collecte de printemps.</p>"
        self.authenticate("r_officer", PASSWORD)
        action = self.env.ref("conseil_associations.action_report_meeting_minutes").report_action(
            meeting, config=False
        )
        text = self.download(action)
        self.assertIn("Conseil de mars", text)
        self.assertIn("Banque alimentaire des Lys", text)
        self.assertIn("Present", text)
        self.assertIn("collecte de printemps", text)

    def test_statements_of_every_association_of_a_year(self):
        """One PDF for all, whatever wkhtmltopdf the town has (the distributions' one renders one document a run)."""
        other = self.env["conseil.association"].create({"name": "Épicerie solidaire du Pont"})
        self.env["conseil.loan"].create(
            {
                "loan_type": "vehicle",
                "association_id": other.id,
                "vehicle_id": self.loan.vehicle_id.id,
                "purpose": "Brocante",
                "date_start": "2026-05-04 08:00:00",
                "date_end": "2026-05-04 17:00:00",
            }
        ).action_request()
        self.env["conseil.loan"].search([("association_id", "=", other.id)]).action_approve()
        self.authenticate("r_officer", PASSWORD)
        wizard = self.call_kw("conseil.statement.wizard", "create", [{"year": 2026}])
        action = self.call_button("conseil.statement.wizard", "action_print", wizard)
        self.assertEqual(len(action["data"]["association_ids"]), 2)
        text = self.download(action)
        self.assertIn("Banque alimentaire des Lys", text)
        self.assertIn("Épicerie solidaire du Pont", text)
        self.assertLess(text.index("Banque alimentaire des Lys"), text.index("Épicerie solidaire du Pont"))
