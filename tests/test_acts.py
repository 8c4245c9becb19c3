"""Issued acts: once the town issues an act, the file is the act, whatever the record and the users do next."""

import base64
from datetime import timedelta

from test_rpc import RpcCase, RpcError

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

LETTER = "conseil_associations.action_report_decision_letter"


@tagged("post_install", "-at_install")
class TestIssuedActs(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="act_manager",
            password="act_manager_pwd",
            groups="conseil_associations.group_conseil_manager",
        )
        association = cls.env["conseil.association"].create({"name": "Les Jardins partagés"})
        need = cls.env["conseil.need"].create(
            {
                "name": "Un véhicule pour les récoltes",
                "association_id": association.id,
                "need_type": "vehicle",
                "date_from": fields.Date.today() + timedelta(days=60),
            }
        )
        need.action_submit()
        start = fields.Datetime.now() + timedelta(days=1)
        review = cls.env["conseil.meeting"].create(
            {"meeting_type": "review", "date_start": start, "date_end": start + timedelta(hours=2)}
        )
        review.action_gather_submitted_needs()
        need._decide({"outcome": "partial", "granted": "Le véhicule deux samedis par mois"})
        cls.association = association
        cls.decision = need.decision_ids[:1]
        cls.act_name = f"Decision {cls.decision.reference.replace('/', '-')}.pdf"

    def print_letter(self):
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        content, kind = report._render_qweb_pdf(LETTER, self.decision.ids)
        self.assertEqual(kind, "pdf")
        return content

    def issue(self):
        return self.decision.with_context(force_report_rendering=True)._conseil_issue_act(LETTER)

    def test_an_issued_act_prints_as_it_was_issued(self):
        act = self.issue()
        self.assertTrue(act.conseil_act)
        self.assertTrue(act.raw.startswith(b"%PDF"))
        self.association.name = "Jardins partagés de la Lys"  # the record changes after the act
        self.assertEqual(self.print_letter(), act.raw)
        self.assertEqual(self.issue(), act, "an act is issued once")

    def test_an_act_not_issued_prints_the_record_as_it_is_and_files_nothing(self):
        self.print_letter()
        self.assertFalse(self.decision._conseil_act(LETTER))

    def test_nobody_forges_changes_or_deletes_an_act_through_json_rpc(self):
        act = self.issue()
        self.authenticate("act_manager", "act_manager_pwd")
        forged = {
            "name": self.act_name,
            "res_model": "conseil.decision",
            "res_id": self.decision.id,
            "datas": base64.b64encode(b"%PDF-1.4 forged").decode(),
        }
        with self.assertRaises(RpcError) as refused:
            self.call_kw("ir.attachment", "create", [{**forged, "conseil_act": True}])
        self.assertIn("Only the server issues an act", refused.exception.message)
        # a file of the same name is an ordinary attachment: printing still gives the act
        forged_id = self.call_kw("ir.attachment", "create", [forged])
        self.assertEqual(self.print_letter(), act.raw)
        with self.assertRaises(RpcError) as refused:
            self.call_kw("ir.attachment", "write", [[forged_id], {"conseil_act": True}])
        self.assertIn("Only the server issues an act", refused.exception.message)
        for method, args in (
            ("write", [[act.id], {"datas": forged["datas"]}]),
            ("write", [[act.id], {"name": "autre.pdf"}]),
            ("unlink", [[act.id]]),
        ):
            with self.subTest(method=method, args=args[1:]), self.assertRaises(RpcError) as refused:
                self.call_kw("ir.attachment", method, args)
            self.assertIn("is an issued act", refused.exception.message)
        self.assertEqual(self.print_letter(), act.raw)

    def test_the_chatter_routes_neither_delete_nor_rewrite_an_act(self):
        """Odoo's chatter routes act as the server once they checked the user may write the record."""
        act = self.issue()
        message = self.decision.with_user(self.manager).message_post(
            body="La lettre de décision", attachment_ids=act.ids, message_type="comment"
        )
        self.authenticate("act_manager", "act_manager_pwd")
        with self.assertRaises(RpcError) as refused:
            self.rpc("/mail/attachment/delete", {"attachment_id": act.id})
        self.assertIn("is an issued act", refused.exception.message)
        with self.assertRaises(RpcError) as refused:
            self.rpc(
                "/mail/message/update_content",
                {"message_id": message.id, "update_data": {"body": "<p>autre</p>", "attachment_ids": []}},
            )
        self.assertIn("carries an issued act", refused.exception.message)
        self.assertTrue(act.exists())
        self.assertIn("La lettre de décision", message.body)
        self.assertEqual(self.print_letter(), act.raw)

    def test_the_server_itself_changes_no_act(self):
        act = self.issue()
        with self.assertRaisesRegex(UserError, "is an issued act"):
            act.sudo().write({"raw": b"%PDF-1.4 autre"})
        with self.assertRaisesRegex(UserError, "is an issued act"):
            act.sudo().unlink()
        act.sudo().write({"raw": act.raw})  # the same content written again: Odoo moving its filestore
        self.assertEqual(self.print_letter(), act.raw)


@tagged("post_install", "-at_install")
class TestRawErrorsOfTheFigures(RpcCase):
    def test_an_aggregate_a_field_has_none_of_gets_a_message(self):
        self.authenticate("rpc_officer", "rpc_officer_pwd")
        for model, aggregate in (("conseil.loan", "value_by_year:max"), ("conseil.loan", "purpose:sum")):
            with self.subTest(aggregate=aggregate), self.assertRaises(RpcError) as refused:
                self.call_kw(model, "formatted_read_group", [[]], {"groupby": [], "aggregates": [aggregate]})
            self.assertIn("cannot be answered", refused.exception.message)
            self.assertNotIn("psycopg2", refused.exception.name)

    def test_an_hourly_cost_is_bounded_like_the_default_one(self):
        for cost in (1e12, "nan", 1e308):
            with self.subTest(cost=cost), self.assertRaisesRegex(ValidationError, "between 0 and 1"):
                self.env["hr.employee"].create({"name": "Agent trop cher", "hourly_cost": cost})

    def test_a_report_of_a_wizard_that_is_gone_is_not_found(self):
        self.authenticate("rpc_officer", "rpc_officer_pwd")
        for report in ("report_aid_annex", "report_agent_loans"):
            response = self.url_open(f"/report/pdf/conseil_associations.{report}/99999")
            self.assertEqual(response.status_code, 404, report)
