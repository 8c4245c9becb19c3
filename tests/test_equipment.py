"""Equipment loans (issue 18): a stock the approved loans never exceed, lines frozen with the terms, one return."""

import psycopg2
from freezegun import freeze_time
from test_aid import AidCase
from test_portal_loans import LoanPortalCase
from test_rpc import RpcCase, RpcError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

TECHNICAL = "conseil_associations.group_conseil_technical"


class EquipmentCase(AidCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician = new_test_user(cls.env, login="conseil_technician", groups=TECHNICAL)
        cls.Equipment = cls.env["conseil.equipment"]
        furniture = cls.env["conseil.equipment.category"].create({"name": "Mobilier"})
        cls.chairs = cls.Equipment.create(
            {"name": "Chaises", "category_id": furniture.id, "quantity": 100, "unit_value": 0.5,
             "storage_place": "Dépôt des services techniques"}
        )  # fmt: skip
        cls.tables = cls.Equipment.create(
            {"name": "Tables", "category_id": furniture.id, "quantity": 20, "unit_value": 4}
        )
        cls.barriers = cls.Equipment.create({"name": "Barrières", "quantity": 10, "unit_value": 2})

    @classmethod
    def equipment_loan(cls, lines, start="2027-06-20 08:00:00", end="2027-06-21 20:00:00", **values):
        """An equipment loan of ``lines`` (``{equipment: quantity}``), written by the officer."""
        return cls.Loan.with_user(cls.officer).create(
            {
                "loan_type": "equipment",
                "association_id": cls.food_bank.id,
                "purpose": "Fête de l'été",
                "date_start": start,
                "date_end": end,
                "line_ids": [
                    Command.create({"equipment_id": equipment.id, "quantity": quantity})
                    for equipment, quantity in lines.items()
                ],
                **values,
            }
        )

    def approved_equipment(self, lines, **values):
        loan = self.equipment_loan(lines, **values)
        loan.with_user(self.officer).action_request()
        loan.with_user(self.manager).action_approve()
        return loan


@tagged("post_install", "-at_install")
class TestEquipmentLoan(EquipmentCase):
    def test_one_request_one_approval_one_event_one_return(self):
        loan = self.equipment_loan({self.chairs: 30, self.tables: 6, self.barriers: 2})
        self.assertIn("30 × Chaises", loan.display_name)
        loan.with_user(self.officer).action_request()
        self.assertEqual(loan.activity_ids.user_id, self.manager, "The council managers approve equipment")
        loan.with_user(self.manager).action_approve()
        self.assertEqual(loan.state, "approved")
        self.assertEqual(set(loan.line_ids.mapped("state")), {"approved"}, "The lines follow their loan")
        self.assertEqual(len(loan.calendar_event_id), 1)
        self.assertIn("30 × Chaises, 6 × Tables, 2 × Barrières", loan.calendar_event_id.name)
        loan.with_user(self.officer).action_start()
        wizard = (
            self.env["conseil.loan.return.wizard"]
            .with_user(self.officer)
            .with_context(default_loan_id=loan.id)
            .create({"return_time": "2027-06-21 19:00:00"})
        )
        self.assertEqual(wizard.line_ids.loan_line_id, loan.line_ids, "One line to fill per line lent")
        chairs = wizard.line_ids.filtered(lambda line: line.equipment_id == self.chairs)
        chairs.write({"missing_quantity": 2, "damaged_quantity": 1})
        with freeze_time("2027-06-21 19:30:00"):
            wizard.action_confirm()
        self.assertEqual(loan.state, "returned")
        line = loan.line_ids.filtered(lambda line: line.equipment_id == self.chairs)
        self.assertEqual((line.missing_quantity, line.damaged_quantity), (2, 1))
        bodies = " ".join(loan.message_ids.mapped("body"))
        self.assertIn("Chaises: 2 missing, 1 damaged (of 30)", bodies, "The chatter tells what is missing")

    def test_value_is_days_times_items_and_frozen_at_return(self):
        loan = self.approved_equipment({self.chairs: 30, self.tables: 6})
        # two days begun, (30 × 0.5 + 6 × 4) a day
        self.assertEqual((loan.valuation_quantity, loan.valuation_unit, loan.unit_value), (2, "day", 39.0))
        self.assertEqual(loan.value, 78.0)
        self.assertEqual(loan.value_by_year, {"2027": {"quantity": 2.0, "value": 78.0}})
        self.assertEqual((loan.year_first, loan.year_last), (2027, 2027))
        self.tables.write({"unit_value": 5})
        self.assertEqual(loan.value, 90.0, "A new value per day revalues the loans not yet returned")
        loan.with_user(self.officer).action_start()
        with freeze_time("2027-06-21 20:00:00"):
            loan.with_user(self.officer).action_return(return_time="2027-06-21 19:00:00")
        self.tables.write({"unit_value": 50})
        self.assertEqual(loan.value, 90.0, "Frozen at return")

    def test_counted_in_every_aid_figure(self):
        loan = self.approved_equipment({self.chairs: 30, self.tables: 6})
        aid = self.env["conseil.aid"].search([("loan_id", "=", loan.id)])
        self.assertEqual((aid.kind, aid.value, aid.year), ("equipment", 78.0, 2027))
        with freeze_time("2027-12-01"):
            statement = self.food_bank._statement_lines(2027)
        self.assertIn(loan, statement["loans"])
        self.assertEqual(statement["total"], 78.0)
        annex = self.env["conseil.aid.annex.wizard"].with_user(self.officer).create({"year": 2027})._annex()
        self.assertEqual(annex["lines"][0]["equipment"], 78.0)
        self.assertEqual(annex["totals"]["in_kind"], 78.0)


@tagged("post_install", "-at_install")
class TestEquipmentStock(EquipmentCase):
    def test_approval_names_the_loans_that_hold_the_stock(self):
        first = self.approved_equipment({self.chairs: 80})
        second = self.equipment_loan({self.chairs: 30}, association_id=self.grocery.id)
        second.with_user(self.officer).action_request()
        with self.assertRaises(ValidationError) as refusal:
            second.with_user(self.manager).action_approve()
        message = str(refusal.exception)
        for expected in ("Chaises", "owns 100", "80 are already lent", first.name, "Banque alimentaire"):
            self.assertIn(expected, message)
        self.assertEqual(second.state, "requested")
        second.with_user(self.officer).write(
            {"line_ids": [Command.update(second.line_ids.id, {"quantity": 20})]}
        )
        second.with_user(self.manager).action_approve()
        self.assertEqual(second.state, "approved", "100 of 100 fit")

    def test_the_peak_counts_only_what_is_lent_at_once(self):
        self.approved_equipment({self.chairs: 60}, start="2027-03-01 08:00:00", end="2027-03-03 18:00:00")
        self.approved_equipment({self.chairs: 40}, start="2027-03-02 08:00:00", end="2027-03-04 18:00:00")
        late = self.approved_equipment(
            {self.chairs: 60}, start="2027-03-03 18:00:00", end="2027-03-05 18:00:00"
        )
        self.assertEqual(late.state, "approved", "60 return as 60 leave: 40 + 60 at once")
        overlap = self.equipment_loan(
            {self.chairs: 1}, start="2027-03-02 12:00:00", end="2027-03-02 14:00:00"
        )
        overlap.with_user(self.officer).action_request()
        with self.assertRaises(ValidationError):
            overlap.with_user(self.manager).action_approve()

    def test_batch_approval_costs_what_one_costs(self):
        """Approving a dozen equipment loans from the list: as many queries as one."""
        loans = self.Loan.union(
            *(
                self.equipment_loan({self.chairs: 5, self.tables: 1}, start=f"2027-07-{day:02d} 08:00:00",
                                    end=f"2027-07-{day:02d} 18:00:00")
                for day in range(1, 13)
            )
        )  # fmt: skip
        loans.with_user(self.officer).action_request()
        self.cr.flush()
        as_manager = self.env(user=self.manager, context={})
        self.assert_batch_costs_as_one(
            lambda records: records.with_env(as_manager).action_approve(),
            loans,
            "A batch of equipment approvals costs no more queries than one approval",
        )
        self.assertEqual(set(loans.mapped("state")), {"approved"})

    def test_the_database_holds_the_stock_whatever_the_path(self):
        self.approved_equipment({self.chairs: 80})
        other = self.equipment_loan({self.chairs: 30})
        other.with_user(self.officer).action_request()
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.CheckViolation) as error:
            other.sudo().write({"state": "approved"})
            self.env.flush_all()
        self.assertEqual(error.exception.diag.constraint_name, "conseil_loan_line_equipment_stock")

    def test_owning_fewer_than_the_loans_hold_is_refused(self):
        loan = self.approved_equipment({self.chairs: 80})
        with self.assertRaises(ValidationError) as refusal:
            self.chairs.with_user(self.manager).write({"quantity": 50})
        self.assertIn(loan.name, str(refusal.exception))
        self.chairs.with_user(self.manager).write({"quantity": 80})
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.CheckViolation):
            self.env.cr.execute("UPDATE conseil_equipment SET quantity = 10 WHERE id = %s", [self.chairs.id])
        self.env.invalidate_all()

    def test_free_equipment_by_quantity_in_one_query(self):
        self.approved_equipment({self.chairs: 80, self.tables: 20})
        Equipment = self.Equipment.with_user(self.officer)
        args = ("2027-06-21 08:00:00", "2027-06-21 12:00:00", self.company)
        self.assertEqual(
            Equipment._conseil_free_for_loan(*args, quantity=10), [self.barriers.id, self.chairs.id]
        )
        self.assertEqual(Equipment._conseil_free_for_loan(*args, quantity=21), [])
        self.assertEqual(Equipment._conseil_free_for_loan("2027-07-01", "2027-07-02", self.company, quantity=20),
                         [self.chairs.id, self.tables.id])  # fmt: skip

        def queries():
            self.env.flush_all()
            before = self.cr.sql_log_count
            Equipment._conseil_free_for_loan(*args, quantity=5)
            return self.cr.sql_log_count - before

        few = queries()
        self.Equipment.create([{"name": f"Stand {n}", "quantity": 3} for n in range(30)])
        self.approved_equipment(
            {self.Equipment.search([("name", "=", "Stand 7")]): 2}, start="2027-06-21 09:00:00"
        )
        self.assertEqual(queries(), few, "One query, whatever the stock and the loans")

    def test_the_form_warns_and_the_dialog_lists_what_is_free(self):
        self.approved_equipment({self.chairs: 80})
        loan = self.equipment_loan({self.chairs: 30})
        self.assertIn("30 asked, 20 free", loan.availability_warning)
        with Form(loan.with_user(self.officer)) as form:
            with form.line_ids.edit(0) as line:
                line.quantity = 20
            self.assertFalse(form.availability_warning)
        action = loan.with_user(self.officer).action_open_availability()
        wizard = self.env[action["res_model"]].with_user(self.officer).browse(action["res_id"])
        self.assertEqual(wizard.line_ids.equipment_id, self.barriers | self.chairs | self.tables)
        wizard.quantity = 15
        wizard.action_search()
        self.assertEqual(
            wizard.line_ids.equipment_id, self.chairs | self.tables, "20 chairs and 20 tables free"
        )
        self.assertIn(
            "20 free of 100", wizard.line_ids.filtered(lambda line: line.equipment_id == self.chairs).detail
        )
        wizard.line_ids.filtered(lambda line: line.equipment_id == self.tables).action_choose()
        self.assertEqual(loan.line_ids.filtered(lambda line: line.equipment_id == self.tables).quantity, 15)


@tagged("post_install", "-at_install")
class TestEquipmentRules(EquipmentCase):
    def test_lines_are_frozen_with_the_terms(self):
        loan = self.approved_equipment({self.chairs: 30})
        line = loan.line_ids.with_user(self.officer)
        for attempt in (
            lambda: line.write({"quantity": 10}),
            lambda: line.unlink(),
            lambda: self.env["conseil.loan.line"]
            .with_user(self.officer)
            .create({"loan_id": loan.id, "equipment_id": self.tables.id, "quantity": 1}),
            lambda: loan.with_user(self.officer).write(
                {"line_ids": [Command.create({"equipment_id": self.tables.id})]}
            ),
        ):
            with self.subTest(attempt=attempt), self.assertRaises(UserError) as refusal:
                attempt()
            self.assertIn("terms are frozen", str(refusal.exception))
        loan.with_user(self.manager).action_reset_to_requested()
        line.write({"quantity": 10})
        self.assertEqual(loan.line_ids.quantity, 10, "Reset to requested, the lines open again")

    def test_quantities_are_plausible(self):
        loan = self.equipment_loan({self.chairs: 30})
        Line = self.env["conseil.loan.line"].with_user(self.officer)
        for quantity in (0, -3, 10**9, "douze"):
            with self.subTest(quantity=quantity), self.assertRaises(ValidationError):
                Line.create({"loan_id": loan.id, "equipment_id": self.tables.id, "quantity": quantity})
        with self.assertRaises(ValidationError) as refusal:
            Line.create({"loan_id": loan.id, "equipment_id": self.tables.id, "quantity": 21})
        self.assertIn("owns 20 of Tables", str(refusal.exception))
        with self.assertRaises(AccessError):
            loan.line_ids.with_user(self.officer).write({"missing_quantity": 3})
        with self.assertRaises(ValidationError):
            self.env["conseil.loan.line"].with_user(self.officer).create(
                {"loan_id": self.make_loan("room").id, "equipment_id": self.tables.id}
            )

    def test_another_communes_equipment_is_refused(self):
        other = self.env["res.company"].create({"name": "Ville voisine"})
        foreign = self.Equipment.create({"name": "Podium", "quantity": 1, "company_id": other.id})
        self.officer.write({"company_ids": [Command.link(other.id)]})
        loan = self.equipment_loan({self.chairs: 1})
        with self.assertRaises(UserError) as refusal:
            self.env["conseil.loan.line"].with_user(self.officer).create(
                {"loan_id": loan.id, "equipment_id": foreign.id, "quantity": 1}
            )
        self.assertIn("must belong to", str(refusal.exception))

    def test_missing_and_damaged_are_at_most_what_was_lent(self):
        loan = self.approved_equipment({self.chairs: 30})
        loan.with_user(self.officer).action_start()
        with self.assertRaises(ValidationError):
            loan.with_user(self.officer)._record_equipment_returns({loan.line_ids.id: (20, 15)})
        with self.assertRaises(ValidationError):
            loan.with_user(self.officer)._record_equipment_returns({loan.line_ids.id: (-1, 0)})
        with self.assertRaises(UserError):
            loan.with_user(self.officer)._record_equipment_returns({loan.line_ids.id + 1000: (1, 0)})

    def test_technical_services_approve_where_the_town_says_so(self):
        loan = self.equipment_loan({self.chairs: 30})
        loan.with_user(self.officer).action_request()
        self.assertFalse(loan.with_user(self.technician).can_approve)
        with self.assertRaises(AccessError):
            loan.with_user(self.technician).action_approve()
        self.company.conseil_equipment_approver = "technical"
        self.assertFalse(loan.with_user(self.manager).can_approve)
        with self.assertRaises(AccessError) as refusal:
            loan.with_user(self.manager).action_approve()
        self.assertIn("technical services", str(refusal.exception))
        loan.with_user(self.technician).action_approve()
        self.assertEqual(loan.approved_by_id, self.technician)
        other = self.equipment_loan({self.tables: 2})
        other.with_user(self.officer).action_request()
        self.assertEqual(other.activity_ids.user_id, self.technician, "The technical services are asked")
        room = self.requested("room")
        room.with_user(self.manager).action_approve()
        self.assertEqual(room.state, "approved", "Rooms stay the managers'")

    def test_an_equipment_once_lent_is_archived_not_deleted(self):
        self.approved_equipment({self.barriers: 2})
        with self.assertRaises(UserError):
            self.barriers.with_user(self.manager).unlink()
        self.assertEqual(self.barriers.conseil_loan_count, 1)
        self.assertEqual(self.barriers.with_user(self.officer).action_view_conseil_loans()["domain"],
                         [("line_ids.equipment_id", "in", self.barriers.ids)])  # fmt: skip

    def test_officers_see_equipment_managers_and_technicians_keep_it(self):
        with self.assertRaises(AccessError):
            self.Equipment.with_user(self.officer).create({"name": "Podium", "quantity": 1})
        self.Equipment.with_user(self.technician).create({"name": "Podium", "quantity": 1})
        self.assertTrue(self.Equipment.with_user(self.officer).search([("name", "=", "Podium")]))
        with self.assertRaises(AccessError):
            self.Equipment.with_user(self.internal_user).search([])


@tagged("post_install", "-at_install")
class TestEquipmentThroughRpc(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="rpc_eq_manager", password="rpc_eq_manager_pwd",
            groups="conseil_associations.group_conseil_manager",
        )  # fmt: skip
        cls.hr = new_test_user(
            cls.env, login="rpc_eq_hr", password="rpc_eq_hr_pwd", groups="base.group_user,hr.group_hr_user"
        )
        cls.fleet = new_test_user(
            cls.env,
            login="rpc_eq_fleet",
            password="rpc_eq_fleet_pwd",
            groups="base.group_user,fleet.fleet_group_manager",
        )
        cls.chairs = cls.env["conseil.equipment"].create({"name": "Chaises", "quantity": 50})
        cls.tables = cls.env["conseil.equipment"].create({"name": "Tables", "quantity": 10})
        association = cls.env["conseil.association"].create({"name": "Comité des fêtes"})
        cls.loan = (
            cls.env["conseil.loan"]
            .with_user(cls.officer)
            .create(
                {
                    "loan_type": "equipment",
                    "association_id": association.id,
                    "purpose": "Fête",
                    "date_start": "2027-06-20 08:00:00",
                    "date_end": "2027-06-21 20:00:00",
                    "line_ids": [Command.create({"equipment_id": cls.chairs.id, "quantity": 30})],
                }
            )
        )

    def refused(self, model, method, args, expected="odoo.exceptions"):
        with self.assertRaises(RpcError) as error:
            self.call_kw(model, method, args)
        self.assertTrue(error.exception.name.startswith(expected), error.exception.name)
        self.assertNotIn("psycopg2", error.exception.name)
        return error.exception

    def test_the_officer_cannot_forge_lines(self):
        self.authenticate("rpc_officer", "rpc_officer_pwd")
        line_id = self.loan.line_ids.id
        self.refused("conseil.loan.line", "write", [[line_id], {"missing_quantity": 5}])
        self.refused("conseil.loan.line", "write", [[line_id], {"state": "approved"}])
        self.refused(
            "conseil.loan.line",
            "create",
            [{"loan_id": self.loan.id, "equipment_id": self.tables.id, "quantity": 0}],
        )
        self.refused(
            "conseil.loan.line",
            "create",
            [{"loan_id": self.loan.id, "equipment_id": self.chairs.id, "quantity": 1}],
        )
        self.refused(
            "conseil.loan.line",
            "create",
            [{"loan_id": self.loan.id, "equipment_id": self.tables.id, "quantity": 11}],
        )
        self.refused(
            "conseil.loan.line",
            "create",
            [{"loan_id": self.loan.id, "equipment_id": self.tables.id, "quantity": 2**40}],
        )
        self.refused("conseil.equipment", "write", [[self.chairs.id], {"quantity": 500}])
        self.call_button("conseil.loan", "action_request", self.loan.id)
        error = self.refused("conseil.loan", "action_approve", [[self.loan.id]])
        self.assertIn("council managers", error.message)
        self.authenticate("rpc_eq_manager", "rpc_eq_manager_pwd")
        self.call_button("conseil.loan", "action_approve", self.loan.id)
        self.authenticate("rpc_officer", "rpc_officer_pwd")
        for args in (
            [[line_id], {"quantity": 10}],
            [[line_id], {"equipment_id": self.tables.id}],
        ):
            error = self.refused("conseil.loan.line", "write", args)
            self.assertIn("frozen", error.message)
        self.refused("conseil.loan.line", "unlink", [[line_id]])
        self.refused(
            "conseil.loan.line",
            "create",
            [{"loan_id": self.loan.id, "equipment_id": self.tables.id, "quantity": 1}],
        )
        self.refused("conseil.loan", "_record_equipment_returns", [[self.loan.id], {line_id: [1, 1]}])
        self.assertEqual(self.loan.line_ids.quantity, 30)

    def test_hr_and_fleet_neither_lend_nor_approve_equipment(self):
        self.authenticate("rpc_eq_hr", "rpc_eq_hr_pwd")
        self.refused(
            "conseil.loan.line",
            "create",
            [{"loan_id": self.loan.id, "equipment_id": self.tables.id, "quantity": 1}],
        )
        self.refused("conseil.equipment", "write", [[self.chairs.id], {"quantity": 5}])
        self.authenticate("rpc_eq_fleet", "rpc_eq_fleet_pwd")
        self.refused("conseil.loan", "action_approve", [[self.loan.id]])
        self.refused("conseil.loan.line", "write", [[self.loan.line_ids.id], {"quantity": 1}])

    def test_lowering_the_stock_below_the_approved_loans_is_refused(self):
        self.loan.with_user(self.officer).action_request()
        self.loan.with_user(self.manager).action_approve()
        self.authenticate("rpc_eq_manager", "rpc_eq_manager_pwd")
        error = self.refused("conseil.equipment", "write", [[self.chairs.id], {"quantity": 20}])
        self.assertIn(self.loan.name, error.message)
        self.call_kw("conseil.equipment", "write", [[self.chairs.id], {"quantity": 30}])

    def test_a_stock_lowered_under_a_request_gets_a_message(self):
        self.loan.with_user(self.officer).action_request()
        self.chairs.quantity = 20  # nothing is approved then: lowering it is allowed
        self.authenticate("rpc_eq_manager", "rpc_eq_manager_pwd")
        error = self.refused(
            "conseil.loan", "action_approve", [[self.loan.id]], "odoo.exceptions.ValidationError"
        )
        self.assertIn("the town owns 20, 30 are asked", error.message)

    def test_another_communes_loan_is_not_read_through_its_dialogs(self):
        other = self.env["res.company"].create({"name": "Ville voisine"})
        theirs = self.env["conseil.loan"].create(
            {"loan_type": "equipment", "company_id": other.id, "purpose": "Secret",
             "association_id": self.env["conseil.association"].create({"name": "Leur asso", "company_id": other.id}).id,
             "date_start": "2027-06-20 08:00:00", "date_end": "2027-06-21 20:00:00",
             "line_ids": [Command.create({"equipment_id": self.env["conseil.equipment"].create(
                 {"name": "Leurs chaises", "quantity": 10, "company_id": other.id}).id, "quantity": 3})]}
        )  # fmt: skip
        self.authenticate("rpc_officer", "rpc_officer_pwd")
        for wizard in ("conseil.loan.availability.wizard", "conseil.loan.return.wizard"):
            self.refused(wizard, "create", [{"loan_id": theirs.id}], "odoo.exceptions.AccessError")
        # nor a line of their loan through the return of ours
        self.refused(
            "conseil.loan.return.wizard",
            "create",
            [{"loan_id": self.loan.id, "line_ids": [[0, 0, {"loan_line_id": theirs.line_ids.id}]]}],
        )
        # a malformed loan is a message, not a database error
        self.refused(
            "conseil.loan.line", "create", [{"loan_id": "x", "equipment_id": self.chairs.id, "quantity": 1}]
        )
        self.refused(
            "conseil.loan.line", "create", [{"loan_id": [1], "equipment_id": self.chairs.id, "quantity": 1}]
        )

    def test_a_dialog_stays_on_the_loan_it_was_opened_on(self):
        """Re-aiming an open dialog at another commune's loan would list that commune's free resources."""
        other = self.env["res.company"].create({"name": "Ville voisine"})
        theirs = self.env["conseil.loan"].create(
            {"loan_type": "equipment", "company_id": other.id, "purpose": "Secret",
             "association_id": self.env["conseil.association"].create({"name": "Leur asso", "company_id": other.id}).id,
             "date_start": "2027-06-20 08:00:00", "date_end": "2027-06-21 20:00:00"}
        )  # fmt: skip
        self.env["conseil.equipment"].create(
            {"name": "Leurs barrières", "quantity": 10, "company_id": other.id}
        )
        self.authenticate("rpc_officer", "rpc_officer_pwd")
        wizard_id = self.call_kw("conseil.loan.availability.wizard", "create", [{"loan_id": self.loan.id}])
        self.refused("conseil.loan.availability.wizard", "write", [[wizard_id], {"loan_id": theirs.id}])
        self.call_button("conseil.loan.availability.wizard", "action_search", wizard_id)
        names = self.call_kw("conseil.loan.availability.line", "search_read", [[("wizard_id", "=", wizard_id)]],
                             {"fields": ["name"]})  # fmt: skip
        self.assertNotIn("Leurs barrières", [line["name"] for line in names])
        self.assertIn("Chaises", [line["name"] for line in names])
        # nor are its lines the officer's to remove, nor a resource it did not list the officer's to choose
        self.refused(
            "conseil.loan.availability.line", "unlink", [[names[0]["id"]]], "odoo.exceptions.AccessError"
        )
        self.refused("conseil.loan.availability.wizard", "write", [[wizard_id], {"line_ids": [[5, 0, 0]]}])

    def test_fleet_and_hr_read_no_equipment_line(self):
        for login in ("rpc_eq_fleet", "rpc_eq_hr"):
            self.authenticate(login, f"{login}_pwd")
            self.assertEqual(self.call_kw("conseil.loan.line", "search_read", [[], ["loan_id"]]), [])

    def test_a_lent_resource_stays_in_its_commune(self):
        other = self.env["res.company"].create({"name": "Ville voisine"})
        self.loan.with_user(self.officer).action_request()
        self.loan.with_user(self.manager).action_approve()
        category = self.env["conseil.equipment.category"].create({"name": "Mobilier", "company_id": False})
        self.chairs.category_id = category
        self.manager.write({"company_ids": [Command.link(other.id)]})
        self.authenticate("rpc_eq_manager", "rpc_eq_manager_pwd")
        for model, record, company in (
            ("conseil.equipment", self.chairs, other),
            ("conseil.equipment.category", category, other),
        ):
            error = self.refused(
                model, "write", [[record.id], {"company_id": company.id}], "odoo.exceptions.UserError"
            )
            self.assertIn("stay", error.message)
        self.assertEqual(self.chairs.company_id, self.env.company)
        # equipment never lent may move
        self.call_kw("conseil.equipment", "write", [[self.tables.id], {"company_id": other.id}])


@tagged("post_install", "-at_install")
class TestEquipmentOnThePortal(LoanPortalCase):
    def test_the_association_reads_what_it_borrows_and_where_to_collect_it(self):
        chairs = self.env["conseil.equipment"].create(
            {"name": "Chaises pliantes", "quantity": 50, "storage_place": "Centre technique, hangar B"}
        )
        loan = self.make_loan(
            "equipment", 3, 4, line_ids=[Command.create({"equipment_id": chairs.id, "quantity": 30})]
        )
        loan.with_user(self.manager).action_approve()
        self.login_a()
        self.assertIn("30 × Chaises pliantes", self.page("/my/loans"))
        page = self.page(f"/my/loans/{loan.id}")
        self.assertIn("o_conseil_loan_equipment_line", page)
        self.assertIn("Centre technique, hangar B", page)
