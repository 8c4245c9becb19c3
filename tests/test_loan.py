from datetime import datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from conseil_testing import LoanCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestLoanTransitions(LoanCase):
    def test_full_vehicle_journey(self):
        loan = self.make_loan(
            driver_id=self.food_bank.partner_id.id, licence_checked_on="2027-02-01", odometer_start=12000
        )
        self.assertEqual(loan.state, "draft")
        self.assertTrue(loan.name.startswith("MAD/"))
        loan.with_user(self.officer).action_request()
        self.assertEqual(loan.state, "requested")
        self.assertIn(
            self.fleet_manager, loan.activity_ids.user_id, "The fleet managers are asked to approve"
        )
        self.assertNotIn(self.officer, loan.activity_ids.user_id)
        loan.with_user(self.fleet_manager).action_approve()
        self.assertEqual(loan.state, "approved")
        self.assertEqual(loan.approved_by_id, self.fleet_manager)
        self.assertFalse(loan.activity_ids, "The approval activity is done")
        loan.with_user(self.officer).action_start()
        self.assertEqual(loan.state, "in_progress")
        self.assertTrue(loan.key_handover_time)
        self.assertEqual(loan.odometer_start_id.value, 12000)
        self.assertEqual(loan.odometer_start_id.vehicle_id, self.van)
        wizard = (
            self.env["conseil.loan.return.wizard"]
            .with_user(self.officer)
            .create(
                {
                    "loan_id": loan.id,
                    "odometer_end": 12250,
                    "fuel_notes": "Plein fait",
                    "return_time": "2027-03-03 17:00:00",
                }
            )
        )
        with freeze_time("2027-03-03 17:30:00"):
            wizard.action_confirm()
        self.assertEqual(loan.state, "returned")
        self.assertEqual(loan.odometer_end_id.value, 12250)
        self.assertEqual(self.van.odometer, 12250, "The vehicle's own odometer follows")
        self.assertEqual(loan.key_return_time, datetime(2027, 3, 3, 17, 0))

    def test_refuse_cancel_and_reset(self):
        loan = self.requested()
        self.cr.flush()  # requested in an earlier transaction: the chatter tracks the refusal
        refuse = (
            self.env(context={})["conseil.loan.refuse.wizard"]  # chatter tracking on, as in the browser
            .with_user(self.fleet_manager)
            .create({"loan_id": loan.id, "reason": "Véhicule en révision"})
        )
        refuse.action_refuse()
        self.assertEqual(loan.state, "refused")
        self.assertEqual(loan.refusal_reason, "Véhicule en révision")
        message = loan.sudo().message_ids[:1]
        self.assertEqual(message.body, f"<p>Refused by {self.fleet_manager.name}.</p>")
        self.assertEqual(
            {
                (
                    value.field_id.name,
                    value.old_value_char or value.old_value_text or "",
                    value.new_value_char or value.new_value_text,
                )
                for value in message.tracking_value_ids
            },
            {("state", "Requested", "Refused"), ("refusal_reason", "", "Véhicule en révision")},
        )
        loan.with_user(self.fleet_manager).action_reset_to_requested()
        self.assertEqual(loan.state, "requested")
        loan.with_user(self.officer).action_cancel()
        self.assertEqual(loan.state, "cancelled")
        loan.with_user(self.officer).action_reset_to_draft()
        self.assertEqual(loan.state, "draft")
        loan.with_user(self.manager).unlink()
        self.assertFalse(loan.exists())

    def test_wrong_transitions_refused(self):
        loan = self.make_loan()
        with self.assertRaises(UserError):
            loan.with_user(self.fleet_manager).action_approve()  # still a draft
        with self.assertRaises(UserError):
            loan.action_start()
        loan.action_request()
        with self.assertRaises(UserError):
            loan.action_request()
        loan.with_user(self.fleet_manager).action_approve()
        with self.assertRaises(UserError):
            loan.with_user(self.manager).unlink()

    def test_request_needs_a_resource(self):
        loan = self.make_loan(vehicle_id=False)
        with self.assertRaises(UserError):
            loan.action_request()
        self.assertEqual(loan.state, "draft")

    def test_approved_loan_is_frozen(self):
        loan = self.requested()
        loan.with_user(self.fleet_manager).action_approve()
        with self.assertRaises(UserError):
            loan.with_user(self.officer).write({"date_end": "2027-03-10 18:00:00"})
        with self.assertRaises(AccessError):
            loan.with_user(self.officer).action_reset_to_requested()
        with self.assertRaises(AccessError):
            loan.with_user(self.hr_officer).action_reset_to_requested()
        loan.with_user(self.fleet_manager).action_reset_to_requested()
        loan.with_user(self.officer).write({"date_end": "2027-03-10 18:00:00"})
        self.assertEqual(loan.date_end, datetime(2027, 3, 10, 18, 0))


@tagged("post_install", "-at_install")
class TestApprovalRights(LoanCase):
    def test_each_kind_has_its_approver(self):
        for kind in ("vehicle", "agent", "room"):
            with self.subTest(kind=kind):
                loan = self.requested(kind)
                others = (self.officer | self.fleet_manager | self.hr_officer | self.manager) - self.approver(
                    kind
                )
                for user in others:
                    with self.assertRaises(AccessError, msg=f"{user.login} must not approve a {kind} loan"):
                        loan.with_user(user).action_approve()
                    with self.assertRaises(AccessError):
                        loan.with_user(user).action_refuse()
                for user in (self.officer | self.manager) - self.approver(kind):
                    self.assertFalse(loan.with_user(user).can_approve, "No approve button for them")
                self.assertTrue(loan.with_user(self.approver(kind)).can_approve)
                loan.with_user(self.approver(kind)).action_approve()
                self.assertEqual(loan.state, "approved")

    def test_fleet_and_hr_see_only_their_loans(self):
        vehicle_loan = self.requested("vehicle")
        agent_loan = self.requested("agent")
        room_loan = self.requested("room")
        Loan = self.env["conseil.loan"]
        self.assertEqual(Loan.with_user(self.fleet_manager).search([]), vehicle_loan)
        self.assertEqual(Loan.with_user(self.hr_officer).search([]), agent_loan)
        self.assertEqual(Loan.with_user(self.officer).search([]), vehicle_loan | agent_loan | room_loan)
        with self.assertRaises(AccessError):
            Loan.with_user(self.internal_user).search([])

    def test_officer_cannot_write_state_directly_to_bypass(self):
        loan = self.requested()
        with self.assertRaises(AccessError):
            loan.with_user(self.officer).action_approve()
        for values in ({"state": "approved"}, {"approved_by_id": self.officer.id}, {"is_late": True}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                loan.with_user(self.officer).write(values)
        self.assertEqual(loan.state, "requested")
        self.assertFalse(loan.approved_by_id)


@tagged("post_install", "-at_install")
class TestOneApprovalActivity(LoanCase):
    def test_each_request_asks_one_approver_the_least_busy(self):
        second = new_test_user(
            self.env, login="conseil_fleet_2", groups="base.group_user,fleet.fleet_group_manager"
        )
        fleet = self.env.ref("fleet.fleet_group_manager").all_user_ids
        (fleet - self.fleet_manager - second - self.env.ref("base.group_system").all_user_ids).active = False
        loans = [
            self.requested(start=f"2027-03-0{day} 08:00:00", end=f"2027-03-0{day} 18:00:00")
            for day in (1, 2, 3, 4)
        ]
        for loan in loans:
            self.assertEqual(len(loan.activity_ids), 1, "one approver is asked, not every fleet manager")
        asked = [loan.activity_ids.user_id for loan in loans]
        self.assertEqual(
            sorted(
                len([user for user in asked if user == approver]) for approver in (self.fleet_manager, second)
            ),
            [2, 2],
            "the requests are shared between the fleet managers",
        )
        # the other fleet manager still approves it, and the activity is done
        other = (self.fleet_manager | second) - loans[0].activity_ids.user_id
        loans[0].with_user(other).action_approve()
        self.assertFalse(loans[0].activity_ids)


@tagged("post_install", "-at_install")
class TestNoDoubleBooking(LoanCase):
    def test_constraints_present_after_install(self):
        self.env.cr.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'conseil_loan'::regclass AND contype = 'x'"
        )
        self.assertEqual(
            {row[0] for row in self.env.cr.fetchall()},
            {"conseil_loan_vehicle_no_overlap", "conseil_loan_room_no_overlap"},
        )

    def test_overlap_refused_naming_the_blocking_loan(self):
        first = self.requested()
        first.with_user(self.fleet_manager).action_approve()
        second = self.requested(
            start="2027-03-02 08:00:00", end="2027-03-05 18:00:00", association_id=self.grocery.id
        )
        with mute_logger("odoo.sql_db"), self.assertRaises(ValidationError) as caught:
            second.with_user(self.fleet_manager).action_approve()
        message = str(caught.exception)
        self.assertIn("Banque alimentaire", message)
        self.assertIn(first.name, message)
        self.assertEqual(second.state, "requested", "A failed approval leaves the loan requested")

    def test_database_refuses_overlap_whatever_the_path(self):
        first = self.requested()
        first.with_user(self.fleet_manager).action_approve()
        second = self.requested(start="2027-03-02 08:00:00", end="2027-03-05 18:00:00")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError) as caught:
            self.env.cr.execute("UPDATE conseil_loan SET state = 'approved' WHERE id = %s", (second.id,))
        message = self.Loan._sql_error_to_message(caught.exception)
        self.assertIn(first.name, message, "The RPC error names the blocking loan")

    def test_room_overlap_refused(self):
        self.requested("room").with_user(self.manager).action_approve()
        other = self.requested("room", start="2027-03-01 10:00:00", end="2027-03-01 12:00:00")
        with mute_logger("odoo.sql_db"), self.assertRaises(ValidationError):
            other.with_user(self.manager).action_approve()

    def test_back_to_back_and_requested_loans_block_nobody(self):
        self.requested(start="2027-03-01 08:00:00", end="2027-03-05 08:00:00")  # requested only
        first = self.requested(start="2027-03-01 08:00:00", end="2027-03-02 08:00:00")
        first.with_user(self.fleet_manager).action_approve()
        following = self.requested(start="2027-03-02 08:00:00", end="2027-03-03 08:00:00")
        following.with_user(self.fleet_manager).action_approve()
        self.assertEqual((first | following).mapped("state"), ["approved", "approved"])

    def test_other_vehicle_is_free(self):
        self.requested().with_user(self.fleet_manager).action_approve()
        other = self.requested(vehicle_id=self.minibus.id)
        other.with_user(self.fleet_manager).action_approve()
        self.assertEqual(other.state, "approved")

    def test_batch_approval_with_internal_overlap(self):
        first = self.requested()
        second = self.requested(start="2027-03-02 08:00:00", end="2027-03-04 18:00:00")
        with mute_logger("odoo.sql_db"), self.assertRaises(ValidationError):
            (first | second).with_user(self.fleet_manager).action_approve()
        self.assertEqual((first | second).mapped("state"), ["requested", "requested"])

    def test_batch_approval_costs_what_one_costs(self):
        """Approving twenty loans from the list: as many queries as one, and each loan keeps its chatter line."""
        vehicles = self.env["fleet.vehicle"].create(
            [{"model_id": self.van.model_id.id, "license_plate": f"BA-{index:03d}"} for index in range(22)]
        )
        loans = self.Loan.union(*(self.requested(vehicle_id=vehicle.id) for vehicle in vehicles))
        self.cr.flush()  # requested in an earlier transaction: the chatter tracks the approvals
        # as the fleet manager acts in the browser: chatter tracking on, committed at the end
        as_fleet_manager = self.env(user=self.fleet_manager, context={})

        self.assert_batch_costs_as_one(
            lambda records: records.with_env(as_fleet_manager).action_approve(),
            loans,
            "A batch of approvals costs no more queries than one approval",
        )
        for loan in loans[2:]:
            message = loan.sudo().message_ids[:1]
            self.assertEqual(message.body, f"<p>Approved by {self.fleet_manager.name}.</p>")
            self.assertEqual(
                {
                    (value.field_id.name, value.old_value_char, value.new_value_char)
                    for value in message.tracking_value_ids
                },
                {("state", "Requested", "Approved"), ("approved_by_id", "", self.fleet_manager.name)},
            )
            self.assertEqual(loan.calendar_event_id.start, loan.date_start)


@tagged("post_install", "-at_install")
class TestAgentLoans(LoanCase):
    def test_part_time_up_to_working_time(self):
        first = self.requested("agent", weekly_hours=20)
        first.with_user(self.hr_officer).action_approve()
        second = self.requested("agent", weekly_hours=15, association_id=self.grocery.id)
        second.with_user(self.hr_officer).action_approve()  # 20 + 15 = 35 = working time
        third = self.requested(
            "agent", weekly_hours=1, start="2027-03-02 08:00:00", end="2027-03-02 18:00:00"
        )
        with self.assertRaises(ValidationError) as caught:
            third.with_user(self.hr_officer).action_approve()
        self.assertIn("35 h a week", str(caught.exception))
        self.assertIn("36 h", str(caught.exception))
        self.assertEqual(third.state, "requested")
        later = self.requested(
            "agent", weekly_hours=30, start="2027-03-03 18:00:00", end="2027-04-01 18:00:00"
        )
        later.with_user(self.hr_officer).action_approve()  # starts when the others end
        self.assertEqual(later.state, "approved")

    def test_the_database_holds_the_working_week(self):
        """On any path, even a raw SQL write, an agent's approved hours stay within the working week."""
        self.env.cr.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'conseil_loan'::regclass AND tgname = 'conseil_loan_agent_week'"
        )
        self.assertTrue(self.env.cr.fetchall(), "The constraint trigger exists after a fresh install")
        self.requested("agent", weekly_hours=30).with_user(self.hr_officer).action_approve()
        disjoint = self.requested(
            "agent", weekly_hours=30, start="2027-04-01 08:00:00", end="2027-04-30 18:00:00"
        )
        overlapping = self.requested("agent", weekly_hours=10, association_id=self.grocery.id)
        self.env.flush_all()
        self.env.cr.execute("UPDATE conseil_loan SET state = 'approved' WHERE id = %s", (disjoint.id,))
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError) as caught, self.env.cr.savepoint():
            self.env.cr.execute("UPDATE conseil_loan SET state = 'approved' WHERE id = %s", (overlapping.id,))
        self.assertIn("more hours a week than they work", self.Loan._sql_error_to_message(caught.exception))
        with self.assertRaisesRegex(ValidationError, "35 h a week"):
            overlapping.with_user(self.hr_officer).action_approve()
        self.env.invalidate_all()
        self.assertEqual(overlapping.state, "requested")

    def test_a_request_asks_no_more_hours_than_the_week(self):
        with self.assertRaisesRegex(ValidationError, "works 35 h a week"):
            self.make_loan("agent", weekly_hours=36)

    def test_peak_not_sum_of_disjoint_loans(self):
        self.requested(
            "agent", weekly_hours=20, start="2027-01-04 08:00:00", end="2027-02-01 08:00:00"
        ).with_user(self.hr_officer).action_approve()
        self.requested(
            "agent", weekly_hours=20, start="2027-03-01 08:00:00", end="2027-04-01 08:00:00"
        ).with_user(self.hr_officer).action_approve()
        spanning = self.requested(
            "agent", weekly_hours=15, start="2027-01-10 08:00:00", end="2027-03-20 08:00:00"
        )
        spanning.with_user(self.hr_officer).action_approve()  # peaks at 35, never 55
        self.assertEqual(spanning.state, "approved")

    def test_legal_conditions(self):
        cases = {
            "agent_consent_date": "consent",
            "convention_ref": "convention",
            "council_informed_date": "municipal council",
            "reimbursement": "reimburses",
        }
        for field_name, expected in cases.items():
            with self.subTest(missing=field_name):
                loan = self.requested("agent", **{field_name: False})
                with self.assertRaises(ValidationError) as caught:
                    loan.with_user(self.hr_officer).action_approve()
                self.assertIn(expected, str(caught.exception))
                self.assertEqual(loan.state, "requested")
        waived = self.requested("agent", waiver_reason=False)
        with self.assertRaises(ValidationError) as caught:
            waived.with_user(self.hr_officer).action_approve()
        self.assertIn("reason the reimbursement is waived", str(caught.exception))
        reimbursed = self.requested("agent", reimbursement="reimbursed", waiver_reason=False)
        reimbursed.with_user(self.hr_officer).action_approve()
        self.assertEqual(reimbursed.state, "approved")

    def test_council_informed_before_the_loan(self):
        loan = self.requested("agent", council_informed_date="2027-03-05")
        with self.assertRaises(ValidationError) as caught:
            loan.with_user(self.hr_officer).action_approve()
        self.assertIn("informed before", str(caught.exception))

    def test_three_years_at_most(self):
        self.make_loan("agent", start="2027-01-01 08:00:00", end="2030-01-01 08:00:00")  # exactly 3 years
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError) as caught:
            self.make_loan("agent", start="2027-01-01 08:00:00", end="2030-01-02 08:00:00")
        self.assertIn("three years", self.Loan._sql_error_to_message(caught.exception))

    def test_only_titulaires_unless_setting(self):
        loan = self.requested("agent", employee_id=self.contract_agent.id)
        with self.assertRaises(ValidationError) as caught:
            loan.with_user(self.hr_officer).action_approve()
        self.assertIn("titulaire", str(caught.exception))
        self.company.conseil_allow_contract_agents = True
        loan.with_user(self.hr_officer).action_approve()
        self.assertEqual(loan.state, "approved")

    def test_agent_without_schedule(self):
        agent = self.env["hr.employee"].create({"name": "Sans horaire", "conseil_is_titulaire": True})
        agent.resource_calendar_id = False
        loan = self.requested("agent", employee_id=agent.id)
        with self.assertRaises(ValidationError) as caught:
            loan.with_user(self.hr_officer).action_approve()
        self.assertIn("no working schedule", str(caught.exception))

    def test_calendar_event_on_the_agents_calendar(self):
        user = self.env["res.users"].create({"name": "Marc", "login": "marc.agent"})
        self.agent.user_id = user
        loan = self.requested("agent")
        loan.with_user(self.hr_officer).action_approve()
        event = loan.calendar_event_id
        self.assertTrue(event)
        self.assertIn(user.partner_id, event.partner_ids)
        self.assertEqual((event.start, event.stop), (loan.date_start, loan.date_end))
        self.assertIn("10 h/week", event.name)
        self.assertEqual(event.res_model, "conseil.loan")
        loan.with_user(self.hr_officer).action_reset_to_requested()
        self.assertFalse(event.exists(), "A loan no longer approved leaves the calendar")
        loan.with_user(self.hr_officer).action_approve()
        new_event = loan.calendar_event_id
        loan.with_user(self.hr_officer).action_cancel()
        self.assertFalse(new_event.exists())


@tagged("post_install", "-at_install")
class TestRoomsAndVehicles(LoanCase):
    def test_room_capacity(self):
        with self.assertRaises(ValidationError) as caught:
            self.make_loan("room", expected_attendance=150)
        self.assertIn("holds 120 people", str(caught.exception))

    def test_room_opening_hours(self):
        # 23:30 in Paris is after closing time.
        with self.assertRaises(ValidationError) as caught:
            self.make_loan("room", start="2027-03-01 20:00:00", end="2027-03-01 22:30:00")
        self.assertIn("not open", str(caught.exception))
        self.make_loan("room", start="2027-03-01 08:00:00", end="2027-03-01 20:00:00")

    def test_vehicle_form_shows_borrower_and_next_loan(self):
        with freeze_time("2027-03-02 10:00:00"):
            current = self.requested(start="2027-03-01 08:00:00", end="2027-03-03 18:00:00")
            current.with_user(self.fleet_manager).action_approve()
            upcoming = self.requested(
                start="2027-03-10 08:00:00", end="2027-03-11 18:00:00", association_id=self.grocery.id
            )
            upcoming.with_user(self.fleet_manager).action_approve()
            self.van.invalidate_recordset()
            self.assertFalse(self.van.conseil_current_borrower_id, "Approved, the van is still at the garage")
            current.with_user(self.officer).action_start()
            self.van.invalidate_recordset()
            self.assertEqual(self.van.conseil_loan_count, 2)
            self.assertEqual(self.van.conseil_current_borrower_id, self.food_bank)
            self.assertEqual(self.van.conseil_next_loan_id, upcoming)
            self.assertEqual(self.minibus.conseil_loan_count, 0)
            action = self.van.action_view_conseil_loans()
            self.assertEqual(self.Loan.search(action["domain"]), current | upcoming)
        with freeze_time("2027-03-05 10:00:00"):
            self.van.invalidate_recordset()
            self.assertEqual(
                self.van.conseil_current_borrower_id, self.food_bank, "Late, the van is still out"
            )

    def test_vehicle_loans_in_the_calendar(self):
        loan = self.requested()
        loan.with_user(self.fleet_manager).action_approve()
        self.assertIn("AB-123-CD", loan.calendar_event_id.name)

    def test_form_onchange_clears_other_resources(self):
        form = Form(self.Loan.with_user(self.officer))
        form.loan_type = "vehicle"
        form.vehicle_id = self.van
        self.assertEqual(form.odometer_start, self.van.odometer)
        form.loan_type = "room"
        self.assertFalse(form.vehicle_id)


@tagged("post_install", "-at_install")
class TestLateLoans(LoanCase):
    def test_cron_flags_late_loans(self):
        loan = self.requested(start="2027-03-01 08:00:00", end="2027-03-03 18:00:00")
        loan.with_user(self.fleet_manager).action_approve()
        loan.action_start()
        with freeze_time("2027-03-03 17:00:00"):
            self.assertFalse(self.Loan._cron_flag_late_loans())
        with freeze_time("2027-03-04 09:00:00"):
            late = self.Loan._cron_flag_late_loans()
        self.assertEqual(late, loan)
        self.assertTrue(loan.is_late)
        activity = loan.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("conseil_associations.mail_activity_type_loan_late")
        )
        self.assertEqual(activity.user_id, self.officer)
        with freeze_time("2027-03-04 11:00:00"):
            self.env["conseil.loan.return.wizard"].create(
                {"loan_id": loan.id, "return_time": "2027-03-04 10:00:00"}
            ).action_confirm()
        self.assertFalse(loan.is_late)
        self.assertFalse(loan.activity_ids)


@tagged("post_install", "-at_install")
class TestAvailability(LoanCase):
    def test_free_vehicles_agents_rooms(self):
        self.requested().with_user(self.fleet_manager).action_approve()  # van busy 1-3 March
        self.requested("agent", weekly_hours=30).with_user(self.hr_officer).action_approve()
        self.requested("room").with_user(self.manager).action_approve()
        vehicle_request = self.make_loan(
            vehicle_id=False, start="2027-03-02 08:00:00", end="2027-03-02 18:00:00"
        )
        wizard = (
            self.env["conseil.loan.availability.wizard"]
            .with_user(self.officer)
            .create({"loan_id": vehicle_request.id})
        )
        self.assertNotIn(self.van, wizard.free_vehicle_ids)
        self.assertIn(self.minibus, wizard.free_vehicle_ids)
        # what the officer reads and clicks: one line per free vehicle, with its plate
        self.assertEqual(wizard.line_ids.vehicle_id, wizard.free_vehicle_ids)
        line = wizard.line_ids.filtered(lambda line: line.vehicle_id == self.minibus)
        self.assertIn("EF-456-GH", line.detail)
        line.action_choose()
        self.assertEqual(vehicle_request.vehicle_id, self.minibus)
        with self.assertRaises(
            AccessError
        ):  # the lines are the server's snapshot, not the officer's to write
            self.env["conseil.loan.availability.line"].with_user(self.officer).create(
                {"wizard_id": wizard.id, "vehicle_id": self.van.id}
            )
        # Agent: 30 h of 35 lent, so 10 more hours do not fit, 5 do.
        ids = self.Loan._free_resource_ids(
            "agent", datetime(2027, 3, 2), datetime(2027, 3, 3), self.company, weekly_hours=10
        )
        self.assertNotIn(self.agent.id, ids)
        ids = self.Loan._free_resource_ids(
            "agent", datetime(2027, 3, 2), datetime(2027, 3, 3), self.company, weekly_hours=5
        )
        self.assertIn(self.agent.id, ids)
        self.assertNotIn(self.contract_agent.id, ids, "Contract staff are not lent by default")
        ids = self.Loan._free_resource_ids(
            "room", datetime(2027, 3, 1, 10), datetime(2027, 3, 1, 12), self.company
        )
        self.assertNotIn(self.room.id, ids)
        ids = self.Loan._free_resource_ids(
            "room", datetime(2027, 3, 4, 10), datetime(2027, 3, 4, 12), self.company
        )
        self.assertIn(self.room.id, ids)
        # A requested loan blocks nobody.
        ids = self.Loan._free_resource_ids(
            "vehicle", datetime(2027, 3, 2), datetime(2027, 3, 3), self.company
        )
        self.assertIn(self.minibus.id, ids)


@tagged("post_install", "-at_install")
class TestLoansOnTheAgenda(LoanCase):
    def test_loans_ending_before_next_session(self):
        Meeting = self.env["conseil.meeting"]
        council = Meeting.create(
            {"name": "Conseil", "date_start": "2027-03-01 17:00:00", "date_end": "2027-03-01 19:00:00"}
        )
        Meeting.create(
            {"name": "Suivant", "date_start": "2027-03-15 17:00:00", "date_end": "2027-03-15 19:00:00"}
        )
        ending = self.requested(start="2027-02-20 08:00:00", end="2027-03-10 18:00:00")
        ending.with_user(self.fleet_manager).action_approve()
        later = self.requested(
            start="2027-03-20 08:00:00", end="2027-03-25 18:00:00", vehicle_id=self.minibus.id
        )
        later.with_user(self.fleet_manager).action_approve()
        council.action_build_agenda()
        items = council.agenda_item_ids.filtered(lambda item: item.section == "Loans")
        self.assertEqual(items.mapped("res_id"), [ending.id])
        self.assertIn("Ends on", items.name)
