"""What the web client does: JSON-RPC calls, as each role, through the real HTTP server."""

from odoo.tests import HttpCase, new_test_user, tagged


class RpcError(Exception):
    """The error the web client would show: its exception class and its message."""

    def __init__(self, data):
        super().__init__(f"{data['name']}: {data['message']}")
        self.name = data["name"]
        self.message = data["message"]


@tagged("post_install", "-at_install")
class RpcCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(
            cls.env,
            login="rpc_officer",
            password="rpc_officer_pwd",
            groups="conseil_associations.group_conseil_officer",
        )
        cls.internal = new_test_user(
            cls.env, login="rpc_internal", password="rpc_internal_pwd", groups="base.group_user"
        )

    def rpc(self, route, params):
        response = self.opener.post(
            self.base_url() + route,
            json={"id": 0, "jsonrpc": "2.0", "method": "call", "params": params},
            timeout=30,
        )
        response.raise_for_status()
        decoded = response.json()
        if "error" in decoded:
            raise RpcError(decoded["error"]["data"])
        return decoded.get("result")

    def call_kw(self, model, method, args, kwargs=None):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def call_button(self, model, method, record_id):
        return self.rpc(
            f"/web/dataset/call_button/{model}/{method}",
            {"model": model, "method": method, "args": [[record_id]], "kwargs": {}},
        )


@tagged("post_install", "-at_install")
class TestSeasonThroughRpc(RpcCase):
    def test_officer_plans_a_season_through_rpc(self):
        self.env["conseil.association"].create({"name": "Restos de la Lys", "is_council_member": True})
        self.authenticate("rpc_officer", "rpc_officer_pwd")
        wizard_id = self.call_kw(
            "conseil.season.wizard",
            "create",
            [
                {
                    "date_from": "2027-01-01",
                    "date_to": "2027-06-30",
                    "rule": "first_third",
                    "weekday": "3",
                    "start_hour": 18.0,
                    "tz": "Europe/Paris",
                    "skip_line_ids": [[0, 0, {"date": "2027-05-06", "reason": "Ascension"}]],
                }
            ],
        )
        action = self.call_button("conseil.season.wizard", "action_create_sessions", wizard_id)
        meetings = self.env["conseil.meeting"].search(action["domain"], order="date_start")
        self.assertEqual(len(meetings), 11)
        self.assertEqual(meetings.mapped("date_start")[5].hour, 17)  # 18 March: winter time
        self.assertEqual(meetings.mapped("date_start")[6].hour, 16)  # 1 April: summer time
        self.assertTrue(all(m.calendar_event_id.start == m.date_start for m in meetings))

    def test_reversed_period_is_refused_with_a_clear_message(self):
        self.authenticate("rpc_officer", "rpc_officer_pwd")
        with self.assertRaises(RpcError) as caught:
            self.call_kw(
                "conseil.season.wizard",
                "create",
                [{"date_from": "2027-06-01", "date_to": "2027-01-01", "tz": "Europe/Paris"}],
            )
        self.assertIn("The end of the period must come after its start", str(caught.exception))

    def test_internal_user_cannot_plan(self):
        self.authenticate("rpc_internal", "rpc_internal_pwd")
        with self.assertRaises(RpcError) as caught:
            self.call_kw(
                "conseil.season.wizard", "create", [{"date_from": "2027-01-01", "date_to": "2027-06-30"}]
            )
        self.assertEqual(caught.exception.name, "odoo.exceptions.AccessError")


@tagged("post_install", "-at_install")
class TestAssociationThroughRpc(RpcCase):
    def test_invalid_siret_refused_with_clear_message(self):
        self.authenticate("rpc_officer", "rpc_officer_pwd")
        with self.assertRaises(RpcError) as caught:
            self.call_kw("conseil.association", "create", [{"name": "Club", "siret": "73282932000075"}])
        self.assertIn("check digit is wrong", str(caught.exception))
        self.assertFalse(self.env["conseil.association"].search([("name", "=", "Club")]))
