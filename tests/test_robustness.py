"""Bad input, wrong people and foreign companies: a clear error, and nothing written."""

from test_rpc import RpcCase, RpcError

from odoo.tests import new_test_user, tagged

VALID_LOAN = {
    "loan_type": "vehicle",
    "purpose": "Collecte",
    "date_start": "2027-03-01 08:00:00",
    "date_end": "2027-03-02 08:00:00",
}


@tagged("post_install", "-at_install")
class TestBadInputThroughRpc(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.association = cls.env["conseil.association"].create({"name": "Club robuste", "rna": "W595000777"})

    def assert_refused(self, model, values, expected, method="create"):
        before = self.env[model].search_count([])
        with self.assertRaises(RpcError) as caught:
            if method == "create":
                self.call_kw(model, "create", [values])
            else:
                self.call_kw(model, "write", [[self.association.id], values])
        self.assertIn(expected, caught.exception.message)
        self.assertEqual(self.env[model].search_count([]), before, "Nothing is written")
        return caught.exception

    def test_bad_values(self):
        self.authenticate("rpc_officer", "rpc_officer_pwd")
        self.assert_refused("conseil.association", {"name": "X", "volunteer_count": "beaucoup"}, "beaucoup")
        self.assert_refused("conseil.association", {"volunteer_count": 3}, "name")  # missing required field
        self.assert_refused("conseil.association", {"name": "X", "volunteer_count": -4}, "cannot be negative")
        self.assert_refused(
            "conseil.association", {"name": "X", "rna": "W" + "9" * 300}, "limited to 32 characters"
        )
        self.assert_refused(
            "conseil.loan", {**VALID_LOAN, "association_id": self.association.id, "date_end": "2027-02-01 08:00:00"},
            "must end after it starts",
        )  # fmt: skip
        self.assert_refused(
            "conseil.loan", {**VALID_LOAN, "association_id": 987654321}, "there is no such record"
        )
        self.assert_refused("conseil.loan", {**VALID_LOAN}, "association")
        self.assert_refused(
            "conseil.need",
            {"name": "X", "association_id": self.association.id, "need_type": "vehicle", "quantity": -2},
            "cannot be negative",
        )
        self.assert_refused(
            "conseil.need",
            {"name": "X", "association_id": self.association.id, "need_type": "spaceship"},
            "spaceship is not one of its choices",
        )
        self.assertEqual(self.association.volunteer_count, 0)

    def test_officer_cannot_decide_by_writing_the_state(self):
        need = self.env["conseil.need"].create(
            {"name": "Camion", "association_id": self.association.id, "need_type": "vehicle"}
        )
        self.authenticate("rpc_officer", "rpc_officer_pwd")
        with self.assertRaises(RpcError) as caught:
            self.call_kw("conseil.need", "write", [[need.id], {"state": "approved"}])
        self.assertEqual(caught.exception.name, "odoo.exceptions.AccessError")
        with self.assertRaises(RpcError):
            self.call_kw(
                "conseil.need",
                "create",
                [
                    {
                        "name": "X",
                        "association_id": self.association.id,
                        "need_type": "vehicle",
                        "state": "approved",
                    }
                ],
            )
        self.assertEqual(need.state, "draft")

    def test_write_refused_leaves_record_unchanged(self):
        self.authenticate("rpc_officer", "rpc_officer_pwd")
        self.assert_refused(
            "conseil.association", {"senior_volunteer_count": 5}, "Senior volunteers", method="write"
        )
        self.assertEqual(self.association.rna, "W595000777")

    def test_html_and_script_are_harmless(self):
        self.authenticate("rpc_officer", "rpc_officer_pwd")
        need_id = self.call_kw(
            "conseil.need",
            "create",
            [
                {
                    "name": "<script>alert('x')</script>Camion",
                    "association_id": self.association.id,
                    "need_type": "vehicle",
                    "description": "<p>Bonjour</p><script>alert('x')</script><img src=x onerror=alert(1)>",
                }
            ],
        )
        need = self.env["conseil.need"].browse(need_id)
        self.assertNotIn("<script", need.description)
        self.assertNotIn("onerror", need.description)
        self.assertIn("Bonjour", need.description)
        # A plain text field keeps the text as typed; the web client escapes it when it shows it.
        self.assertEqual(need.name, "<script>alert('x')</script>Camion")

    def test_officer_cannot_approve_through_rpc(self):
        brand = self.env["fleet.vehicle.model.brand"].create({"name": "Renault"})
        vehicle = self.env["fleet.vehicle"].create(
            {"model_id": self.env["fleet.vehicle.model"].create({"name": "Master", "brand_id": brand.id}).id}
        )
        loan = self.env["conseil.loan"].create(
            {**VALID_LOAN, "association_id": self.association.id, "vehicle_id": vehicle.id}
        )
        loan.action_request()
        self.authenticate("rpc_officer", "rpc_officer_pwd")
        with self.assertRaises(RpcError) as caught:
            self.call_button("conseil.loan", "action_approve", loan.id)
        self.assertEqual(caught.exception.name, "odoo.exceptions.AccessError")
        self.assertIn("fleet managers", caught.exception.message)
        self.assertEqual(loan.state, "requested")
        with self.assertRaises(RpcError) as caught:
            self.call_kw("conseil.loan", "write", [[loan.id], {"state": "approved", "purpose": "Autre"}])
        self.assertIn("only through its buttons", caught.exception.message)
        self.assertEqual(loan.state, "requested")
        self.assertEqual(loan.purpose, "Collecte")


@tagged("post_install", "-at_install")
class TestRecordRulesEveryModel(RpcCase):
    """An officer of commune A sees no record of commune B, whatever the model."""

    def test_no_leak_across_companies(self):
        env = self.env
        company_b = env["res.company"].create({"name": "Commune B"})
        officer_a = new_test_user(
            env, login="officer_a", groups="conseil_associations.group_conseil_officer",
            company_id=env.company.id, company_ids=[env.company.id],
        )  # fmt: skip
        B = {"company_id": company_b.id}
        association = env["conseil.association"].create({"name": "Association B", **B})
        calendar = env["resource.calendar"].create({"name": "B", **B})
        meeting = env["conseil.meeting"].create(
            {"name": "Conseil B", "date_start": "2027-01-07 17:00:00", "date_end": "2027-01-07 19:00:00", **B}
        )
        meeting._invite(association)
        room = env["conseil.room"].create(
            {"name": "Salle B", "capacity": 10, "resource_calendar_id": calendar.id, **B}
        )
        need = env["conseil.need"].create(
            {"name": "Besoin B", "association_id": association.id, "need_type": "room", **B}
        )
        records = {
            "conseil.association": association,
            "conseil.meeting": meeting,
            "conseil.meeting.attendance": meeting.attendance_ids,
            "conseil.progress.report": env["conseil.progress.report"].create(
                {"meeting_id": meeting.id, "association_id": association.id}
            ),
            "conseil.agenda.item": env["conseil.agenda.item"].create({"meeting_id": meeting.id, "name": "Point", "section": "Divers"}),
            "conseil.room": room,
            "conseil.loan": env["conseil.loan"].create(
                {"loan_type": "room", "room_id": room.id, "association_id": association.id, "purpose": "B",
                 "date_start": "2027-01-04 09:00:00", "date_end": "2027-01-04 10:00:00", **B}
            ),
            "conseil.need": need,
            "conseil.subsidy": env["conseil.subsidy"].create(
                {"name": "Sub B", "association_id": association.id, "year": 2027, "amount": 10, **B}
            ),
            "conseil.offer": env["conseil.offer"].create(
                {"name": "Offre B", "association_id": association.id, "offer_type": "other"}
            ),
            "conseil.challenge": env["conseil.challenge"].create({"name": "Défi B", **B}),
            "conseil.partnership": env["conseil.partnership"].create(
                {"helper_id": association.id,
                 "helped_id": env["conseil.association"].create({"name": "Autre B", **B}).id, **B}
            ),
            "conseil.theme": env["conseil.theme"].create({"name": "Thème B", **B}),
            "conseil.equipment": env["conseil.equipment"].create({"name": "Chaises B", "quantity": 10, **B}),
        }  # fmt: skip
        records["conseil.loan.line"] = env["conseil.loan"].create(
            {"loan_type": "equipment", "association_id": association.id, "purpose": "B",
             "date_start": "2027-01-04 09:00:00", "date_end": "2027-01-04 10:00:00",
             "line_ids": [(0, 0, {"equipment_id": records["conseil.equipment"].id, "quantity": 2})], **B}
        ).line_ids  # fmt: skip
        env.flush_all()
        for model, record in records.items():
            with self.subTest(model=model):
                self.assertTrue(record)
                visible = env[model].with_user(officer_a).search([("id", "in", record.ids)])
                self.assertFalse(visible, f"{model} of commune B leaks to commune A")
        aid = env["conseil.aid"].with_user(officer_a).search([("association_id", "=", association.id)])
        self.assertFalse(aid)


@tagged("post_install", "-at_install")
class TestImportAssociations(RpcCase):
    def test_csv_import_with_bad_rows_imports_nothing(self):
        self.env["conseil.association"].create({"name": "Déjà là", "rna": "W595000100"})
        rows = [
            ["Club A", "W595000101", "73282932000074", "12"],
            ["Club B", "W595000100", "", "5"],  # RNA already used
            ["Club C", "", "73282932000075", "3"],  # SIRET check digit wrong
            ["Club D", "W12", "", "4"],  # RNA malformed
            ["Club E", "", "", "-1"],  # negative volunteers
        ]
        before = self.env["conseil.association"].search_count([])
        result = (
            self.env["conseil.association"]
            .with_user(self.officer)
            .load(["name", "rna", "siret", "volunteer_count"], rows)
        )
        self.assertFalse(result["ids"], "A file with bad rows imports nothing")
        self.assertEqual(self.env["conseil.association"].search_count([]), before)
        errors = [message for message in result["messages"] if message["type"] == "error"]
        by_row = {}
        for message in errors:
            by_row.setdefault(message["rows"]["from"], []).append(message["message"])
        self.assertLessEqual({1, 2, 3, 4}, set(by_row), errors)
        self.assertIn("Déjà là", " ".join(by_row[1]))
        self.assertIn("check digit", " ".join(by_row[2]))
        self.assertIn("W followed by 9 digits", " ".join(by_row[3]))
        self.assertIn("cannot be negative", " ".join(by_row[4]))
