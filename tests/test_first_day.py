"""What a French town hall meets on its first day: its language, its lists, its warnings."""

from datetime import date, datetime

from freezegun import freeze_time
from lxml import etree
from test_need import NeedCase

from odoo import fields
from odoo.addons.conseil_associations.models.conseil_guarded import format_quantity
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged


def activate_french(env):
    env["res.lang"]._activate_lang("fr_FR")
    env["ir.module.module"].search([("name", "=", "conseil_associations")])._update_translations(
        filter_lang="fr_FR", overwrite=True
    )


@tagged("post_install", "-at_install")
class TestTownLanguage(NeedCase):
    """What the server writes for a French town is French, whoever clicks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_french(cls.env)
        cls.company.partner_id.lang = "fr_FR"
        cls.officer.lang = "en_US"
        cls.manager.lang = "en_US"

    def test_sessions_are_named_in_french_with_a_french_date(self):
        session = self.Meeting.with_user(self.officer).create(
            {"date_start": datetime(2027, 3, 4, 17, 0), "date_end": datetime(2027, 3, 4, 19, 0)}
        )
        self.assertEqual(session.name, "Conseil des associations")
        wizard = (
            self.env["conseil.season.wizard"]
            .with_user(self.officer)
            .create(
                {
                    "date_from": date(2027, 3, 1),
                    "date_to": date(2027, 3, 31),
                    "rule": "first_third",
                    "weekday": "3",
                    "start_hour": 18.0,
                    "tz": "Europe/Paris",
                    "plan_over_existing": True,
                }
            )
        )
        planned = self.Meeting.search(wizard.action_create_sessions()["domain"], order="date_start")
        self.assertEqual(
            planned.mapped("name"),
            ["Conseil des associations du 4 mars 2027", "Conseil des associations du 18 mars 2027"],
            "A French reader takes 12/03 for the 12th of March: the month is written out",
        )

    def test_activities_and_agenda_in_french(self):
        need = self.make_need(name="Camionnette")
        need.with_user(self.officer).action_submit()
        self.assertEqual(
            need.activity_ids.filtered(lambda a: a.user_id == self.manager).summary,
            "Besoin à examiner : Banque alimentaire",
        )
        loan = self.requested()
        self.assertEqual(
            loan.activity_ids.filtered(lambda a: a.user_id == self.fleet_manager).summary,
            "Approuver la mise à disposition pour Banque alimentaire",
        )
        loan.with_user(self.fleet_manager).action_approve()
        with freeze_time("2027-02-25 10:00:00"):
            council = self.Meeting.with_user(self.officer).create(
                {"date_start": datetime(2027, 2, 25, 17, 0), "date_end": datetime(2027, 2, 25, 19, 0)}
            )
            council.with_user(self.officer).action_build_agenda()
        names = council.agenda_item_ids.mapped("name")
        self.assertIn("Toujours ouvert : Banque alimentaire — Camionnette", names)
        ends = next(name for name in names if name.startswith("Se termine le"))
        # the local time, without seconds, and what is lent to whom rather than the loan's long name
        self.assertEqual(
            ends, "Se termine le 03/03/2027 19:00 : Renault/Master/AB-123-CD pour Banque alimentaire"
        )
        self.assertEqual(set(council.agenda_item_ids.mapped("section")), {"Besoins", "Mises à disposition"})

    def test_a_town_without_a_language_writes_in_the_users(self):
        self.company.partner_id.lang = False
        french_officer = self.officer
        french_officer.lang = "fr_FR"
        # the web client sends the user's language in the context
        session = (
            self.Meeting.with_user(french_officer)
            .with_context(lang="fr_FR")
            .create({"date_start": datetime(2027, 3, 4, 17, 0), "date_end": datetime(2027, 3, 4, 19, 0)})
        )
        self.assertEqual(session.name, "Conseil des associations")
        french_officer.lang = "en_US"
        session = (
            self.Meeting.with_user(french_officer)
            .with_context(lang="en_US")
            .create({"date_start": datetime(2027, 3, 18, 17, 0), "date_end": datetime(2027, 3, 18, 19, 0)})
        )
        self.assertEqual(session.name, "Associations council")

    def test_who_could_help_names_the_kind_of_help_in_french(self):
        helper = self.create_association("Les Camions du Cœur")
        self.env["conseil.offer"].create(
            {"name": "Un fourgon le week-end", "association_id": helper.id, "offer_type": "vehicle"}
        )
        need = self.make_need().with_context(lang="fr_FR")
        reasons = " ".join(reason for __, __, reasons in need._rank_offers() for reason in reasons)
        self.assertIn("Propose ce qui est demandé (Véhicule)", reasons)
        self.assertNotIn("vehicle", reasons)


@tagged("post_install", "-at_install")
class TestAgendaOrder(NeedCase):
    def test_sections_never_interleave_and_other_business_comes_last(self):
        with freeze_time("2027-02-25 10:00:00"):
            for name in ("Premier", "Deuxième", "Troisième"):
                self.make_need(
                    name=name, date_from=date(2027, 3, 20), date_to=date(2027, 3, 21)
                ).action_submit()
            loans = self.requested() | self.requested(
                vehicle_id=self.minibus.id, association_id=self.grocery.id
            )
            loans.with_user(self.fleet_manager).action_approve()
            council = self.Meeting.create(
                {"date_start": datetime(2027, 2, 25, 17, 0), "date_end": datetime(2027, 2, 25, 19, 0)}
            )
            council.with_user(self.officer).write(
                {"agenda_item_ids": [(0, 0, {"name": "Questions diverses"})]}
            )
            council.with_user(self.officer).action_build_agenda()
        # what the form's list shows: sorted by the handle, the sequence alone
        items = council.agenda_item_ids.sorted(lambda item: (item.sequence, item.id))
        sections = [item.section for item in items]
        runs = [
            section for index, section in enumerate(sections) if index == 0 or sections[index - 1] != section
        ]
        self.assertEqual(runs, ["Needs", "Loans", "Other business"], sections)
        self.assertEqual(items, council.agenda_item_ids, "The model's order is the list's")


@tagged("post_install", "-at_install")
class TestDecisionDate(NeedCase):
    def test_a_need_submitted_after_its_review_is_decided_on_or_after_its_submission(self):
        review = self.make_review(start=datetime(2027, 2, 10, 17, 0))
        with freeze_time("2027-02-15 09:00:00"):
            need = self.make_need()
            need.action_submit()
            review.with_user(self.manager)._gather_needs(need)
            wizard = (
                self.env["conseil.decision.wizard"]
                .with_user(self.manager)
                .with_context(default_need_id=need.id)
                .create({"outcome": "approve"})
            )
            self.assertEqual(wizard.decision_date, date(2027, 2, 15))
            wizard.action_confirm()
        self.assertGreaterEqual(need.decision_id.decision_date, need.submitted_on.date())

    def test_a_need_submitted_before_its_review_is_decided_on_the_review_day(self):
        with freeze_time("2027-02-01 09:00:00"):
            need = self.make_need()
            need.action_submit()
        review = self.make_review(start=datetime(2027, 2, 10, 17, 0))
        review._gather_needs(need)
        with freeze_time("2027-02-11 09:00:00"):
            decision = self.decide(need)
        self.assertEqual(decision.decision_date, date(2027, 2, 10))


@tagged("post_install", "-at_install")
class TestWorkflowColumns(NeedCase):
    def columns(self, model):
        """The columns of the kanban by status, as the web client asks for them."""
        groups = model.with_context(read_group_expand=True).formatted_read_group(
            [("id", "in", model.ids)], ["state"], ["__count"]
        )
        return [group["state"] for group in groups]

    def test_needs_kanban_follows_the_workflow(self):
        needs = self.make_need(name="A") | self.make_need(name="B")
        needs[1].action_submit()
        refused = self.make_need(name="C")
        refused.action_submit()
        review = self.make_review()
        review._gather_needs(refused)
        self.decide(refused, outcome="refuse", reason="Hors compétence")
        self.assertEqual(
            self.columns(needs | refused),
            ["draft", "submitted", "in_review", "approved", "refused"],
            "The main path always, in its order; other states where they hold needs",
        )

    def test_loans_kanban_follows_the_workflow(self):
        loan = self.requested()
        self.assertEqual(self.columns(loan), ["draft", "requested", "approved", "in_progress", "returned"])


@tagged("post_install", "-at_install")
class TestWarnedEarly(NeedCase):
    def test_the_officer_sees_at_request_time_that_the_vehicle_is_lent(self):
        lent = self.requested()
        lent.with_user(self.fleet_manager).action_approve()
        form_values = {
            "loan_type": "vehicle",
            "association_id": self.grocery.id,
            "vehicle_id": self.van.id,
            "date_start": "2027-03-02 08:00:00",
            "date_end": "2027-03-02 18:00:00",
        }
        draft = self.Loan.with_user(self.officer).new(form_values)
        self.assertIn("Banque alimentaire", draft.availability_warning)
        self.assertIn(lent.name, draft.availability_warning)
        saved = self.Loan.with_user(self.officer).create({**form_values, "purpose": "Collecte"})
        self.assertTrue(saved.availability_warning)
        saved.with_user(self.officer).write(
            {"date_start": "2027-03-05 08:00:00", "date_end": "2027-03-05 18:00:00"}
        )
        self.assertFalse(saved.availability_warning)

    def test_the_officer_sees_an_agent_lent_beyond_the_week(self):
        first = self.requested("agent", weekly_hours=30)
        first.with_user(self.hr_officer).action_approve()
        draft = self.Loan.with_user(self.officer).new(
            {
                "loan_type": "agent",
                "association_id": self.grocery.id,
                "employee_id": self.agent.id,
                "weekly_hours": 10,
                "date_start": "2027-03-02 08:00:00",
                "date_end": "2027-03-02 18:00:00",
            }
        )
        self.assertIn("35 h", draft.availability_warning)
        self.assertIn("40 h", draft.availability_warning)


@tagged("post_install", "-at_install")
class TestApprovers(NeedCase):
    def test_the_administrator_is_asked_only_when_nobody_else_approves(self):
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group("fleet.fleet_group_manager"), "The administrator holds the role too")
        loan = self.requested()
        self.assertIn(self.fleet_manager, loan.activity_ids.user_id)
        self.assertNotIn(admin, loan.activity_ids.user_id)
        (self.fleet_manager | self.env.ref("fleet.fleet_group_manager").all_user_ids.filtered(
            lambda user: user != admin and not user.has_group("base.group_system")
        )).active = False  # fmt: skip
        alone = self.requested(vehicle_id=self.minibus.id)
        self.assertIn(admin, alone.activity_ids.user_id)


@tagged("post_install", "-at_install")
class TestPickingAResource(NeedCase):
    """The officer picks a vehicle or an agent from the list the loan form opens."""

    def pick_list(self, model, view_xmlid, user):
        records = self.env[model].with_user(user)
        view = records.get_views([(self.env.ref(view_xmlid).id, "list")])["views"]["list"]
        names = [node.get("name") for node in etree.fromstring(view["arch"]).iter("field")]
        return records.web_search_read([], {name: {} for name in names if name != "company_id"})["records"]

    def test_an_officer_reads_the_pick_lists(self):
        vehicles = self.pick_list(
            "fleet.vehicle", "conseil_associations.fleet_vehicle_view_list_conseil_loan", self.officer
        )
        self.assertIn("AB-123-CD", {vehicle["license_plate"] for vehicle in vehicles})
        agents = self.pick_list(
            "hr.employee", "conseil_associations.hr_employee_view_list_conseil_loan", self.officer
        )
        self.assertIn("Marc Agent", {agent["name"] for agent in agents})

    def test_fleets_own_list_is_not_for_officers(self):
        """Why the loan form names its own list: Fleet's shows fields only Fleet's users read."""
        with self.assertRaises(AccessError):
            self.pick_list("fleet.vehicle", "fleet.fleet_vehicle_view_tree", self.officer)


@tagged("post_install", "-at_install")
class TestWhatTheWalkFound(NeedCase):
    """What a French officer met walking the demo town, held by the server."""

    def test_a_vehicle_not_back_is_not_offered_and_the_officer_is_told(self):
        with freeze_time("2027-03-01 07:00:00"):
            out = self.requested(start="2027-03-01 08:00:00", end="2027-03-02 18:00:00")
            out.with_user(self.fleet_manager).action_approve()
        with freeze_time("2027-03-01 09:00:00"):
            out.with_user(self.fleet_manager).action_start()
        with freeze_time("2027-03-04 10:00:00"):  # the van should have come back two days ago
            free = self.Loan._free_resource_ids(
                "vehicle", datetime(2027, 3, 6, 8), datetime(2027, 3, 6, 18), self.company
            )
            self.assertNotIn(self.van.id, free)
            self.assertIn(self.minibus.id, free)
            draft = self.make_loan(start="2027-03-06 08:00:00", end="2027-03-06 18:00:00")
            self.assertIn(out.name, draft.availability_warning)
        with freeze_time("2027-03-04 11:30:00"):
            self.env["conseil.loan.return.wizard"].with_user(self.fleet_manager).create(
                {"loan_id": out.id, "return_time": "2027-03-04 11:00:00", "odometer_end": 100}
            ).action_confirm()
        with freeze_time("2027-03-04 12:00:00"):
            free = self.Loan._free_resource_ids(
                "vehicle", datetime(2027, 3, 6, 8), datetime(2027, 3, 6, 18), self.company
            )
            self.assertIn(self.van.id, free, "Back: lent again")

    def test_a_decision_is_never_dated_ahead(self):
        need = self.make_need()
        need.action_submit()
        review = self.make_review(start=datetime(2027, 2, 10, 17, 0))  # in the future
        review._gather_needs(need)
        wizard = (
            self.env["conseil.decision.wizard"]
            .with_user(self.manager)
            .with_context(default_need_id=need.id)
            .create({"outcome": "approve"})
        )
        self.assertEqual(wizard.decision_date, fields.Date.today())
        wizard.decision_date = date(2027, 2, 10)
        with self.assertRaises(ValidationError) as caught:
            wizard.action_confirm()
        self.assertIn("between its submission", str(caught.exception))

    def test_the_statement_of_an_association_without_aid_is_refused_from_its_form(self):
        with self.assertRaises(UserError) as caught:
            self.grocery.with_user(self.officer).action_print_statement()
        self.assertIn("nothing to certify", str(caught.exception))

    def test_the_statement_year_follows_the_accounts(self):
        Wizard = self.env["conseil.statement.wizard"]
        with freeze_time("2027-02-15"):
            self.assertEqual(
                Wizard.create({}).year, 2026, "In February, the year whose accounts are drawn up"
            )
        with freeze_time("2027-11-27"):
            self.assertEqual(Wizard.create({}).year, 2027)

    def test_the_first_of_the_month_reads_premier_in_french(self):
        activate_french(self.env)
        self.company.partner_id.lang = "fr_FR"
        self.assertEqual(
            self.Meeting._dated_name("council", date(2027, 4, 1), self.company),
            "Conseil des associations du 1er avril 2027",
        )
        self.assertEqual(
            self.Meeting._dated_name("review", date(2027, 4, 11), self.company),
            "Revue municipale du 11 avril 2027",
        )

    def test_the_preview_still_tells_a_day_planned_twice_on_purpose(self):
        Wizard = self.env["conseil.season.wizard"].with_user(self.officer)
        values = {
            "date_from": date(2027, 3, 1),
            "date_to": date(2027, 3, 31),
            "rule": "first_third",
            "weekday": "3",
            "tz": "Europe/Paris",
        }
        Wizard.create(values).action_create_sessions()  # 4 and 18 March
        again = Wizard.create({**values, "plan_over_existing": True})
        self.assertEqual(again.session_count, 2)
        self.assertEqual(again.preview.count("a session is already planned that day"), 2)
        self.assertNotIn("<s>", again.preview)

    def test_the_open_data_results_belong_to_their_period(self):
        Export = self.env["conseil.scdl.export.wizard"].with_user(self.manager)
        self.env.company.conseil_siret = "21590279200013"
        wizard = Export.create({"date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)})
        action = wizard.action_export()
        self.assertEqual((wizard.exported_from, wizard.exported_to), (date(2026, 1, 1), date(2026, 12, 31)))
        self.assertTrue(action["name"], "The dialog keeps its title")
        with self.assertRaises(AccessError):
            wizard.write({"exported_from": date(2025, 1, 1)})

    def test_the_fleet_manager_cannot_lend_a_vehicle_still_out(self):
        with freeze_time("2027-03-01 07:00:00"):
            out = self.requested(start="2027-03-01 08:00:00", end="2027-03-02 18:00:00")
            out.with_user(self.fleet_manager).action_approve()
        with freeze_time("2027-03-01 09:00:00"):
            out.with_user(self.fleet_manager).action_start()
        with freeze_time("2027-03-04 10:00:00"):
            again = self.requested(start="2027-03-06 08:00:00", end="2027-03-06 18:00:00")
            with self.assertRaises(ValidationError) as caught:
                again.with_user(self.fleet_manager).action_approve()
            self.assertIn(out.name, str(caught.exception))
            self.assertEqual(again.state, "requested")

    def test_the_statement_certifies_what_was_lent_not_what_will_be(self):
        with freeze_time("2027-03-10 12:00:00"):
            past = self.requested(start="2027-03-01 08:00:00", end="2027-03-02 18:00:00")
            coming = self.requested(
                vehicle_id=self.minibus.id, start="2027-04-01 08:00:00", end="2027-04-01 18:00:00"
            )
            (past | coming).with_user(self.fleet_manager).action_approve()
            self.assertEqual(self.food_bank._statement_lines(2027)["loans"], past)

    def test_quantities_are_written_without_trailing_zeros(self):
        activate_french(self.env)
        french = self.env(context={"lang": "fr_FR"})
        self.assertEqual(format_quantity(french, 11.0), "11")
        self.assertEqual(format_quantity(french, 2.5), "2,5")
        self.assertEqual(format_quantity(french, 48200.0), "48\xa0200")
        self.assertEqual(format_quantity(self.env(context={"lang": "en_US"}), 2.25), "2.25")

    def test_capacities_are_compared_within_one_kind_of_help(self):
        helper = self.create_association("Les Minibus du Cœur")
        self.env["conseil.offer"].create(
            {
                "name": "Un minibus le samedi",
                "association_id": helper.id,
                "offer_type": "vehicle",
                "capacity": 1,
                "capacity_unit": "units",
            }
        )
        need = self.make_need(need_type="room", name="Une salle le mercredi")
        reasons = [reason for __, __, reasons in need._rank_offers() for reason in reasons]
        self.assertFalse([reason for reason in reasons if "Can give" in reason], reasons)
