"""Prepare a city database for the load test (scripts/loadtest.sh).

Gives the simulated people their logins (password = login; a scratch database on loopback only):
officers, managers, fleet managers, HR officers, and the presidents of the first associations with
portal access. Each association of a portal user gets a driver (its president) so that its vehicle
requests can be approved.
"""

import json
import os
import sys

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry


def prepare(env):
    count = int(os.environ.get("CONSEIL_LOAD_ACCOUNTS", "20"))
    # a town has many officers and associations, and a handful of approvers: each request asks every
    # approver of its kind (an activity each), as it does in the town
    approvers = int(os.environ.get("CONSEIL_LOAD_APPROVERS", "3"))
    Users = env["res.users"].with_context(
        no_reset_password=True, mail_create_nolog=True, tracking_disable=True
    )
    roles = {
        "officer": ["base.group_user", "conseil_associations.group_conseil_officer"],
        "manager": ["base.group_user", "conseil_associations.group_conseil_manager"],
        "fleet": [
            "base.group_user",
            "fleet.fleet_group_manager",
            "conseil_associations.group_conseil_officer",
        ],
        "hr": ["base.group_user", "hr.group_hr_user", "conseil_associations.group_conseil_officer"],
    }
    for role, groups in roles.items():
        group_ids = [env.ref(xmlid).id for xmlid in groups]
        for n in range(count if role == "officer" else approvers):
            login = f"load_{role}_{n}"
            if not Users.search_count([("login", "=", login)]):
                Users.create(
                    {
                        "name": f"{role} {n}",
                        "login": login,
                        "password": login,
                        "group_ids": [(6, 0, group_ids)],
                    }
                )
    portal = env.ref("base.group_portal")
    associations = env["conseil.association"].search([], order="id", limit=count)
    for n, association in enumerate(associations):
        login = f"load_portal_{n}"
        if Users.search_count([("login", "=", login)]):
            continue
        person = env["res.partner"].create(
            {
                "name": f"Président {n}",
                "parent_id": association.partner_id.id,
                "email": f"{login}@example.org",
            }
        )
        Users.create(
            {"login": login, "password": login, "partner_id": person.id, "group_ids": [(6, 0, [portal.id])]}
        )
    # Odoo creates a user's settings at their first sign-in, and two first sign-ins of one account at once
    # race on it (« One user should only have one user settings »): the people have signed in before
    for user in Users.search([("login", "=like", "load_%")]):
        env["res.users.settings"]._find_or_create_for_user(user)
    drivers = {
        association.id: env["res.partner"].search([("parent_id", "=", association.partner_id.id)], limit=1).id
        for association in associations
    }
    # a busy part of the town: the vans and rooms everybody asks for, so that requests collide as they do
    vehicles = env["fleet.vehicle"].search(
        [], order="id", limit=int(os.environ.get("CONSEIL_LOAD_VEHICLES", "30"))
    )
    rooms = env["conseil.room"].search([], order="id", limit=int(os.environ.get("CONSEIL_LOAD_ROOMS", "10")))
    with open(os.environ["CONSEIL_LOAD_PLAN"], "w", encoding="utf-8") as plan:
        json.dump(
            {
                "associations": list(drivers.items()),
                "vehicles": vehicles.ids,
                "rooms": rooms.ids,
                "accounts": {
                    role: count if role in ("officer", "portal") else approvers
                    for role in ("officer", "portal", "manager", "fleet", "hr")
                },
            },
            plan,
        )
    print(
        f"load accounts ready: {count} officers and association people, {approvers} approvers per kind, "
        f"associations {associations.ids[0]}..{associations.ids[-1]}"
    )


if __name__ == "__main__":
    database, *odoo_args = sys.argv[1:]
    odoo.tools.config.parse_config(["-d", database, *odoo_args])
    with Registry(database).cursor() as cr:
        prepare(api.Environment(cr, SUPERUSER_ID, {}))
