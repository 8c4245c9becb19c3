"""SCDL: a subsidy split between several beneficiaries publishes its total and each one's share."""

from datetime import date

import test_aid
from psycopg2 import IntegrityError
from test_rpc import RpcCase, RpcError

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

GRANT = {
    "name": "Fête de la musique",
    "year": 2027,
    "decision_ref": "DEL-2027-031",
    "convention_date": date(2027, 4, 2),
}


@tagged("post_install", "-at_install")
class TestSeveralBeneficiaries(test_aid.AidCase):
    # the export helpers of the SCDL tests (imported as is, their tests would run twice)
    export = test_aid.TestScdlExport.export
    rows = test_aid.TestScdlExport.rows
    assert_valid_scdl = test_aid.TestScdlExport.assert_valid_scdl

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.choir = cls.create_association("Chorale", siret="44200000600001")

    def split(self, total, amounts, associations=None):
        """One subsidy of ``total``, its ``amounts`` to the grocery, the food bank and the choir in turn."""
        Subsidy = self.env["conseil.subsidy"].with_user(self.manager)
        associations = associations or (self.grocery, self.food_bank, self.choir)
        return Subsidy.union(
            *(
                Subsidy.create(
                    {
                        **GRANT,
                        "association_id": association.id,
                        "amount": amount,
                        "total_amount": total,
                        "payment_date": date(2027, 6, 1),
                    }
                )
                for association, amount in zip(associations, amounts, strict=False)
            )
        )

    def test_split_subsidy_publishes_total_and_shares_that_add_up(self):
        subsidies = self.split(10000, (4500, 3500, 2000))
        self.assertEqual(subsidies.mapped("share"), [0.45, 0.35, 0.2])
        content, rows = self.rows(self.export())
        cash = [row for row in rows if row["objet"] == GRANT["name"]]
        self.assertEqual(
            {row["montant"] for row in cash}, {"10000.00"}, "the total before split, on each row"
        )
        self.assertEqual(sorted(row["pourcentageSubvention"] for row in cash), ["0.2", "0.35", "0.45"])
        self.assertEqual(sum(int(float(row["pourcentageSubvention"]) * 10_000) for row in cash), 10_000)
        self.assertEqual(sum(subsidies.mapped("amount")), 10000)
        self.assert_valid_scdl(content)

    def test_thirds_are_rounded_so_that_they_add_up(self):
        self.split(10000, (3333.33, 3333.33, 3333.34))
        content, rows = self.rows(self.export())
        shares = [row["pourcentageSubvention"] for row in rows if row["objet"] == GRANT["name"]]
        self.assertEqual(sorted(shares), ["0.3333", "0.3333", "0.3334"])
        self.assert_valid_scdl(content)

    def test_parts_never_exceed_the_total(self):
        self.split(10000, (6000,))
        with self.assertRaisesRegex(ValidationError, "split between 2 beneficiaries"):
            self.split(10000, (4500,), [self.food_bank])
        with self.assertRaisesRegex(ValidationError, "the same total"):
            self.split(12000, (1000,), [self.choir])

    def test_total_below_the_amount_is_refused(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError) as caught:
            self.split(1000, (1500,))
        self.assertEqual(caught.exception.diag.constraint_name, "conseil_subsidy_total_covers_amount")

    def test_single_beneficiary_keeps_its_amount_as_total(self):
        subsidy = self.env["conseil.subsidy"].create(
            {**GRANT, "association_id": self.grocery.id, "amount": 800, "payment_date": date(2027, 6, 1)}
        )
        self.assertEqual(subsidy.share, 1.0)
        __, rows = self.rows(self.export())
        self.assertEqual((rows[0]["montant"], rows[0]["pourcentageSubvention"]), ("800.00", "1"))

    def test_a_share_recorded_before_the_total_gets_its_total_back(self):
        """A database upgraded from a version that kept only the share: the total is amount over share."""
        subsidy = self.env["conseil.subsidy"].create(
            {**GRANT, "association_id": self.grocery.id, "amount": 450}
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE conseil_subsidy SET share = 0.45, total_amount = NULL WHERE id = %s", [subsidy.id]
        )
        self.env["conseil.subsidy"].init()
        subsidy.invalidate_recordset()
        self.assertEqual((subsidy.total_amount, subsidy.share), (1000.0, 0.45))

    def test_instalments_need_and_export_their_period(self):
        values = {
            **GRANT,
            "association_id": self.grocery.id,
            "amount": 900,
            "payment_conditions": "echelonne",
        }
        Subsidy = self.env["conseil.subsidy"].with_user(self.manager)
        with self.assertRaisesRegex(ValidationError, "in instalments"):
            Subsidy.create({**values, "payment_date": date(2027, 3, 1)})
        Subsidy.create(
            {
                **values,
                "name": "Saison",
                "payment_date": date(2027, 3, 1),
                "payment_date_end": date(2027, 11, 30),
            }
        )
        content, rows = self.rows(self.export())
        [row] = [row for row in rows if row["objet"] == "Saison"]
        self.assertEqual(row["conditionsVersement"], "échelonné")
        self.assertEqual(row["datesPeriodeVersement"], "2027-03-01/2027-11-30")
        self.assert_valid_scdl(content)


@tagged("post_install", "-at_install")
class TestComputedFiguresThroughRpc(RpcCase):
    """The share and the yearly split follow from the figures: no role writes them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(
            cls.env,
            login="rpc_manager",
            password="rpc_manager_pwd",
            groups="conseil_associations.group_conseil_manager",
        )
        association = cls.env["conseil.association"].create({"name": "Chorale"})
        cls.subsidy = cls.env["conseil.subsidy"].create(
            {"name": "Concert", "association_id": association.id, "amount": 400, "total_amount": 1000}
        )
        brand = cls.env["fleet.vehicle.model.brand"].create({"name": "Renault"})
        model = cls.env["fleet.vehicle.model"].create({"name": "Kangoo", "brand_id": brand.id})
        vehicle = cls.env["fleet.vehicle"].create({"model_id": model.id, "license_plate": "RP-001-CC"})
        cls.loan = cls.env["conseil.loan"].create(
            {
                "loan_type": "vehicle",
                "association_id": association.id,
                "purpose": "Concert",
                "vehicle_id": vehicle.id,
                "date_start": "2027-03-01 08:00:00",
                "date_end": "2027-03-02 08:00:00",
            }
        )

    def test_share_is_not_written(self):
        self.authenticate("rpc_manager", "rpc_manager_pwd")
        with self.assertRaises(RpcError):
            self.call_kw("conseil.subsidy", "write", [[self.subsidy.id], {"share": 1.0}])
        with self.assertRaises(RpcError):
            self.call_kw(
                "conseil.subsidy",
                "create",
                [
                    {
                        "name": "Forgé",
                        "association_id": self.subsidy.association_id.id,
                        "amount": 10,
                        "share": 0.5,
                    }
                ],
            )
        self.assertEqual(self.subsidy.share, 0.4)

    def test_yearly_split_is_not_written(self):
        self.authenticate("rpc_officer", "rpc_officer_pwd")
        for values in (
            {"value_by_year": {"2027": {"quantity": 1, "value": 1}}},
            {"year_first": 2020},
            {"year_last": 2030},
        ):
            with self.assertRaises(RpcError, msg=values):
                self.call_kw("conseil.loan", "write", [[self.loan.id], values])
        self.assertEqual((self.loan.year_first, self.loan.year_last), (2027, 2027))
