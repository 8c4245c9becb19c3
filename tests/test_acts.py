"""Issued acts: once the town issues an act, the file is the act, whatever the record and the users do next."""

import base64
from datetime import timedelta

from test_rpc import RpcCase, RpcError

from odoo import fields
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
