from contextlib import nullcontext
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from conseil_testing import LoanCase
from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged


class NeedCase(LoanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.food_bank.referent_user_id = cls.officer
        cls.Need = cls.env["conseil.need"]
        cls.Meeting = cls.env["conseil.meeting"]

    @classmethod
    def make_need(cls, **values):
        return cls.Need.with_user(cls.officer).create(
            {
                "name": "Une camionnette pour la collecte",
                "association_id": cls.food_bank.id,
                "need_type": "vehicle",
                "quantity": 1,
                "unit": "units",
                "date_from": date(2027, 3, 6),
                "date_to": date(2027, 3, 7),
                **values,
            }
        )

    @classmethod
    def make_review(cls, start=datetime(2027, 2, 10, 17, 0), **values):
        return cls.Meeting.with_user(cls.manager).create(
            {
                "name": "Revue municipale",
                "meeting_type": "review",
                "date_start": start,
                "date_end": start + timedelta(hours=2),
                **values,
            }
        )

    def decide(self, need, outcome="approve", user=None, **values):
        """As the deputy mayor does at the review: on its day, or later; a decision is never dated ahead."""
        review_start = need.review_meeting_id.date_start
        moment = max(fields.Datetime.now(), review_start + timedelta(hours=1)) if review_start else None
        with freeze_time(moment) if moment else nullcontext():
            wizard = (
                self.env["conseil.decision.wizard"]
                .with_user(user or self.manager)
                .with_context(default_need_id=need.id)
                .create({"outcome": outcome, **values})
            )
            wizard.action_confirm()
        return need.decision_id


@tagged("post_install", "-at_install")
class TestNeedCycle(NeedCase):
    def test_officer_records_and_submits_managers_get_an_activity(self):
        need = self.make_need()
        self.assertEqual(need.state, "draft")
        self.assertEqual(need.theme_ids, self.food_bank.theme_ids)
        need.with_user(self.officer).action_submit()
        self.assertEqual(need.state, "submitted")
        self.assertTrue(need.submitted_on)
        self.assertIn(self.manager, need.activity_ids.user_id, "The Managers are asked to review it")
        self.assertNotIn(self.officer, need.activity_ids.user_id)

    def test_cancel_only_before_review(self):
        need = self.make_need()
        need.action_cancel()
        self.assertEqual(need.state, "cancelled")
        need.action_reset_to_draft()
        need.action_submit()
        review = self.make_review()
        review.with_user(self.manager).action_gather_submitted_needs()
        with self.assertRaises(UserError):
            need.action_cancel()

    def test_only_a_manager_decides(self):
        need = self.make_need()
        need.action_submit()
        review = self.make_review()
        with self.assertRaises(AccessError):
            review.with_user(self.officer).action_gather_submitted_needs()
        review.with_user(self.manager).action_gather_submitted_needs()
        self.assertEqual(need.state, "in_review")
        self.assertEqual(need.review_meeting_id, review)
        with self.assertRaises(AccessError):
            need.with_user(self.officer).action_open_decision_wizard()
        with self.assertRaises(AccessError):
            self.env["conseil.decision"].with_user(self.officer).create(
                {"need_id": need.id, "outcome": "approve", "decided_by_id": self.officer.id}
            )
        with self.assertRaises(AccessError):
            self.decide(need, user=self.officer)
        self.assertEqual(need.state, "in_review")

    def test_each_outcome(self):
        review = self.make_review()
        needs = [self.make_need(name=f"Besoin {n}") for n in range(4)]
        for need in needs:
            need.action_submit()
        review.with_user(self.manager).action_gather_submitted_needs()
        approve, partial, refuse, redirect = needs
        self.decide(approve, "approve")
        self.assertEqual(approve.state, "approved")
        with self.assertRaises(ValidationError):
            self.decide(partial, "partial")  # says nothing of what is granted
        self.decide(partial, "partial", granted="Le samedi seulement")
        self.assertEqual(partial.state, "partial")
        with self.assertRaises(ValidationError):
            self.decide(refuse, "refuse")
        self.decide(refuse, "refuse", reason="Véhicule réservé aux services")
        self.assertEqual(refuse.state, "refused")
        with self.assertRaises(ValidationError):
            self.decide(redirect, "redirect", redirect_association_id=self.food_bank.id)
        decision = self.decide(redirect, "redirect", redirect_association_id=self.grocery.id)
        self.assertEqual(redirect.state, "redirected")
        self.assertEqual(decision.decided_by_id, self.manager, "The chair of the review decides by default")
        self.assertEqual(decision.decision_date, date(2027, 2, 10))

    def test_decision_notifies_the_referent_officer(self):
        need = self.make_need()
        need.action_submit()
        self.make_review().with_user(self.manager).action_gather_submitted_needs()
        decision = self.decide(need)
        message = need.message_ids.filtered(lambda m: decision.reference in (m.body or ""))
        self.assertEqual(message.partner_ids, self.officer.partner_id)
        self.assertFalse(need.activity_ids, "The review activity is done")

    def test_chosen_set_and_closing_locks(self):
        kept, later = self.make_need(name="Tout de suite"), self.make_need(name="Plus tard")
        (kept | later).action_submit()
        review = self.make_review()
        gather = (
            self.env["conseil.review.gather.wizard"]
            .with_user(self.manager)
            .with_context(default_meeting_id=review.id)
            .create({})
        )
        self.assertEqual(gather.need_ids, kept | later, "Every submitted need is proposed")
        gather.need_ids = kept
        gather.action_confirm()
        self.assertEqual(review.review_need_ids, kept)
        self.assertEqual(later.state, "submitted")
        undecided = self.make_need(name="Sans décision")
        undecided.action_submit()
        review._gather_needs(undecided)
        decision = self.decide(kept)
        with self.assertRaises(UserError):
            review.with_user(self.manager).action_close_review()  # not held yet
        review.action_hold()
        review.with_user(self.manager).action_close_review()
        self.assertTrue(decision.is_locked)
        self.assertEqual(undecided.state, "submitted", "Undecided needs wait for the next review")
        self.assertFalse(undecided.review_meeting_id)
        with self.assertRaises(UserError):
            decision.with_user(self.manager).write({"outcome": "refuse", "reason": "Changement"})
        with self.assertRaises(UserError):
            decision.with_user(self.manager).action_cancel()
        with self.assertRaises(UserError):
            decision.with_user(self.manager).unlink()
        with self.assertRaises(UserError):
            review.with_user(self.manager).action_gather_submitted_needs()

    def test_gathering_many_needs_costs_what_one_costs(self):
        """A review gathers a city's needs at once: as many queries as for one, each need's chatter says so."""
        needs = self.Need.union(*(self.make_need(name=f"Besoin {index}") for index in range(22)))
        needs.action_submit()
        self.cr.flush()  # submitted in an earlier transaction: the chatter tracks the gathering
        review = self.make_review()
        as_manager = self.env(user=self.manager, context={})  # chatter tracking on, as in the browser

        self.assert_batch_costs_as_one(
            lambda records: review.with_env(as_manager)._gather_needs(records.with_env(as_manager)),
            needs,
            "Gathering twenty needs costs no more queries than gathering one",
        )
        for need in needs[2:]:
            self.assertEqual(
                need.sudo().message_ids.mapped("body"),
                [f"<p>Gathered for {review.display_name}.</p>"],
                "One line says it, the status change is not logged a second time",
            )

    def test_decision_never_deleted(self):
        need = self.make_need()
        need.action_submit()
        self.make_review().with_user(self.manager).action_gather_submitted_needs()
        decision = self.decide(need)
        with self.assertRaises(UserError):
            decision.unlink()


@tagged("post_install", "-at_install")
class TestDecisionNumbering(NeedCase):
    def gathered(self, n, review=None, company=None):
        review = review or self.make_review()
        needs = self.Need
        for i in range(n):
            values = {"name": f"Besoin {i}"}
            if company:
                values.update(company_id=company.id)
            needs |= self.make_need(**values)
        needs.action_submit()
        review._gather_needs(needs)
        return needs

    def test_numbered_per_year_never_reused(self):
        needs = self.gathered(3)
        first = self.decide(needs[0])
        second = self.decide(needs[1])
        year = 2027
        self.assertRegex(first.reference, rf"^DEC-{year}-\d{{4}}$")
        self.assertEqual(int(second.reference[-4:]), int(first.reference[-4:]) + 1)
        second.with_user(self.manager).action_cancel()
        self.assertEqual(needs[1].state, "in_review", "A cancelled decision sends the need back to review")
        third = self.decide(needs[1])
        self.assertEqual(
            int(third.reference[-4:]), int(first.reference[-4:]) + 2, "A cancelled number is not reused"
        )
        self.assertNotEqual(third.reference, second.reference)
        next_year = self.gathered(1, review=self.make_review(start=datetime(2028, 1, 12, 17, 0)))
        decision_2028 = self.decide(next_year)
        self.assertEqual(decision_2028.reference, "DEC-2028-0001", "Each year starts again at 1")

    def test_numbered_per_company(self):
        other_company = self.env["res.company"].create({"name": "Commune voisine"})
        self.manager.write({"company_ids": [(4, other_company.id)]})
        local = self.gathered(1)
        self.decide(local)
        other_association = self.create_association("Club voisin", company_id=other_company.id)
        other_review = self.make_review(company_id=other_company.id)
        other_need = self.Need.create(
            {
                "name": "Salle",
                "association_id": other_association.id,
                "need_type": "room",
                "company_id": other_company.id,
            }
        )
        other_need.action_submit()
        other_review._gather_needs(other_need)
        other_decision = self.decide(other_need)
        self.assertEqual(other_decision.reference, "DEC-2027-0001")
        self.assertEqual(other_decision.company_id, other_company)


@tagged("post_install", "-at_install")
class TestNeedToLoans(NeedCase):
    def test_approved_need_becomes_loan_then_fulfilled(self):
        need = self.make_need()
        need.action_submit()
        self.make_review().with_user(self.manager).action_gather_submitted_needs()
        decision = self.decide(need)
        action = need.with_user(self.officer).action_create_loans()
        loan = need.loan_ids
        self.assertEqual(len(loan), 1)
        self.assertEqual(action["res_id"], loan.id)
        self.assertEqual(loan.loan_type, "vehicle")
        self.assertEqual(loan.association_id, self.food_bank)
        self.assertEqual(loan.decision_id, decision)
        self.assertEqual(loan.state, "draft")
        # 08:00 and 18:00 in Paris, in winter.
        self.assertEqual(loan.date_start, datetime(2027, 3, 6, 7, 0))
        self.assertEqual(loan.date_end, datetime(2027, 3, 7, 17, 0))
        loan.write(
            {
                "vehicle_id": self.van.id,
                "driver_id": self.food_bank.partner_id.id,
                "licence_checked_on": "2027-03-01",
            }
        )
        loan.with_user(self.officer).action_request()
        loan.with_user(self.fleet_manager).action_approve()
        loan.action_start()
        self.assertEqual(need.state, "approved")
        with freeze_time("2027-03-08 09:00:00"):
            self.env["conseil.loan.return.wizard"].create(
                {"loan_id": loan.id, "return_time": "2027-03-07 16:00:00"}
            ).action_confirm()
        self.assertEqual(need.state, "fulfilled", "A need whose loans are returned is fulfilled")
        need.action_close()
        self.assertEqual(need.state, "closed")
        # Traceable from the association's form.
        self.assertIn(need, self.food_bank.need_ids)
        self.assertIn(loan, self.food_bank.loan_ids)

    def test_agent_need_carries_weekly_hours(self):
        need = self.make_need(need_type="agent", quantity=6, unit="hours_week")
        need.action_submit()
        self.make_review().with_user(self.manager).action_gather_submitted_needs()
        self.decide(need, "partial", granted="6 h par semaine")
        need.action_create_loans()
        self.assertEqual(need.loan_ids.weekly_hours, 6)
        self.assertEqual(need.loan_ids.loan_type, "agent")

    def test_equipment_need_becomes_one_equipment_loan(self):
        need = self.make_need(need_type="equipment", quantity=30, unit="units")
        need.action_submit()
        self.make_review().with_user(self.manager).action_gather_submitted_needs()
        self.decide(need)
        need.with_user(self.officer).action_create_loans()
        self.assertEqual(len(need.loan_ids), 1, "an event's equipment is one loan of several lines")
        self.assertEqual(need.loan_ids.loan_type, "equipment")
        self.assertEqual(need.loan_ids.state, "draft", "the officer writes its lines, then requests it")

    def test_no_loan_for_other_needs(self):
        need = self.make_need(need_type="funding", unit="euros", quantity=500)
        need.action_submit()
        self.make_review().with_user(self.manager).action_gather_submitted_needs()
        self.decide(need)
        with self.assertRaises(UserError):
            need.action_create_loans()
        need.action_mark_fulfilled()
        self.assertEqual(need.state, "fulfilled")


@tagged("post_install", "-at_install")
class TestNeedsOnTheAgenda(NeedCase):
    def test_council_agenda_needs_section(self):
        with freeze_time("2027-01-07 18:00:00"):
            previous = self.make_meeting_council(datetime(2027, 1, 7, 17, 0))
            urgent = self.make_need(name="Urgent", priority="1")
            urgent.action_submit()
        with freeze_time("2027-01-10 10:00:00"):
            decided = self.make_need(name="Décidé")
            decided.action_submit()
            review = self.make_review(start=datetime(2027, 1, 12, 17, 0))
            review._gather_needs(decided)
            decision = self.decide(decided)
        with freeze_time("2027-01-15 10:00:00"):
            new = self.make_need(name="Nouveau")
            new.action_submit()
            self.make_need(name="Pas encore soumis")  # a draft is the officer's, not the council's yet
        with freeze_time("2027-01-21 12:00:00"):
            council = self.make_meeting_council(datetime(2027, 1, 21, 17, 0))
            council.action_build_agenda()
        items = council.agenda_item_ids.filtered(lambda item: item.section == "Needs")
        names = items.mapped("name")
        new_item = items.filtered(lambda item: "Nouveau" in item.name)
        self.assertIn("New need", new_item.name)
        self.assertEqual(new_item.res_id, new.id)
        self.assertTrue(any(decision.reference in n and "Décidé" in n for n in names), names)
        self.assertFalse([n for n in names if "Pas encore soumis" in n], "Drafts stay off the agenda")
        self.assertFalse(
            [n for n in names if "Décidé" in n and "New need" in n], "A decided need is announced"
        )
        flagged = items.filtered(lambda item: "Urgent" in item.name)
        self.assertTrue(flagged.is_flagged)
        self.assertIn("over 7 days", flagged.name)
        self.assertEqual(flagged.res_id, urgent.id)
        self.assertTrue(previous)

    def make_meeting_council(self, start):
        return self.Meeting.create(
            {"name": "Conseil", "date_start": start, "date_end": start + timedelta(hours=2)}
        )

    @freeze_time("2027-01-20 10:00:00")
    def test_late_flag(self):
        with freeze_time("2027-01-10 10:00:00"):
            old = self.make_need(name="Ancien")
            old.action_submit()
        recent = self.make_need(name="Récent")
        recent.action_submit()
        self.assertTrue(old.is_late)
        self.assertFalse(recent.is_late)
        self.assertEqual(self.Need.search([("is_late", "=", True), ("id", "in", (old | recent).ids)]), old)

    def test_review_agenda_lists_needs_to_decide(self):
        need = self.make_need(priority="2")
        need.action_submit()
        review = self.make_review()
        review._gather_needs(need)
        review.action_build_agenda()
        self.assertEqual(review.agenda_item_ids.res_id, need.id)
        self.assertTrue(review.agenda_item_ids.is_flagged)


@tagged("post_install", "-at_install")
class TestAgendaFollowsGatheredAssociations(NeedCase):
    def test_only_needs_of_invited_associations(self):
        mine = self.make_need(name="Pour le conseil")
        other = self.make_need(name="Ailleurs", association_id=self.grocery.id)
        (mine | other).action_submit()
        council = self.Meeting.create(
            {"name": "Conseil", "date_start": datetime.now() + timedelta(days=1),
             "date_end": datetime.now() + timedelta(days=1, hours=2)}
        )  # fmt: skip
        council._invite(self.food_bank)
        council.action_build_agenda()
        need_ids = council.agenda_item_ids.filtered(lambda i: i.res_model == "conseil.need").mapped("res_id")
        self.assertIn(mine.id, need_ids)
        self.assertNotIn(other.id, need_ids, "A council follows the needs of the associations it gathers")
