"""City-scale benchmark of conseil_associations.

Builds a dataset in a scratch database (batched SQL inserts, the ORM where the
data needs its business logic), then measures the actions users do: median
time and SQL query count over repeated runs after a warm-up. Each measured
action runs in a savepoint that is rolled back, so every run sees the same data.

Usage (through scripts/bench.sh): run.py DATABASE SCALE RUNS [odoo options]
"""

import json
import os
import statistics
import sys
import time
from datetime import date, datetime, timedelta

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.tools import mute_logger

FULL = {
    "associations": 10_000,
    "vehicles": 2_000,
    "employees": 20_000,
    "rooms": 500,
    "needs": 100_000,
    "loans": 500_000,
    "meetings": 500,
    "equipment": 5_000,
    "equipment_lines": 200_000,
}
# A métropole: the city and 94 smaller communes in one database, each with its own associations, vans and
# loans, the same at every scale (it is the city that grows).
COMMUNES = 95
PER_COMMUNE = {"associations": 50, "vehicles": 20, "loans_per_vehicle": 100}
NOW = datetime(2027, 6, 15, 10, 0)
# Every room keeps half an hour between two bookings, and closes one day a month (its calendar's leaves).
ROOM_BUFFER = 30


def sizes_for(scale):
    return {key: max(int(value * scale), 1) for key, value in FULL.items()}


def build(env, sizes):
    """The city: associations, resources, needs, ten years of loans, sessions."""
    cr = env.cr
    company = env.company
    t0 = time.perf_counter()
    themes = env["conseil.theme"].search([]).ids
    n = sizes["associations"]
    cr.execute(
        """INSERT INTO res_partner (name, complete_name, active, is_company, company_id, type, create_date, write_date)
           SELECT 'Association ' || g, 'Association ' || g, true, true, %s, 'contact', now(), now()
             FROM generate_series(1, %s) g RETURNING id""",
        (company.id, n),
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    # an association's partner is its own commercial entity, as the ORM would store it
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", (partner_ids,))
    cr.execute(
        """INSERT INTO conseil_association (partner_id, company_id, active, rna, is_council_member,
                                            volunteer_count, senior_volunteer_count, beneficiary_count,
                                            create_date, write_date)
           SELECT p, %s, true, 'W' || lpad((500000000 + i)::text, 9, '0'), i %% 5 = 0, 10, 3, 100, now(), now()
             FROM unnest(%s::int[]) WITH ORDINALITY AS t(p, i) RETURNING id""",
        (company.id, partner_ids),
    )
    association_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        """INSERT INTO conseil_association_theme_rel (association_id, theme_id)
           SELECT a, (%s::int[])[1 + a %% %s] FROM unnest(%s::int[]) a""",
        (themes, len(themes), association_ids),
    )
    brand = env["fleet.vehicle.model.brand"].create({"name": "Bench"})
    model = env["fleet.vehicle.model"].create({"name": "Van", "brand_id": brand.id, "seats": 3})
    cr.execute(
        """INSERT INTO fleet_vehicle (name, model_id, company_id, active, license_plate, odometer_unit, range_unit,
                                      co2_emission_unit, power_unit, seats, conseil_daily_rate, create_date, write_date)
           SELECT 'Bench/Van/BE-' || g, %s, %s, true, 'BE-' || g, 'kilometers', 'km', 'g/km', 'power', 3, 60,
                  now(), now()
             FROM generate_series(1, %s) g RETURNING id""",
        (model.id, company.id, sizes["vehicles"]),
    )
    vehicle_ids = [row[0] for row in cr.fetchall()]
    calendar = env.ref("resource.resource_calendar_std")
    rooms = env["conseil.room"].create(
        [
            {
                "name": f"Salle {i}",
                "capacity": 50 + i % 200,
                "resource_calendar_id": calendar.id,
                "hourly_rate": 20,
                "buffer_minutes": ROOM_BUFFER,
            }
            for i in range(sizes["rooms"])
        ]
    )
    env["resource.calendar.leaves"].create(
        [
            {
                "name": f"Fermeture {month}",
                "calendar_id": calendar.id,
                "date_from": NOW - timedelta(days=3650 - 30 * month),
                "date_to": NOW - timedelta(days=3650 - 30 * month) + timedelta(hours=20),
            }
            for month in range(12 * 12)
            if not 380 <= 30 * month - 3650 <= 560  # the slots measured below stay open
        ]
    )
    employees = env["hr.employee"]
    for start in range(0, sizes["employees"], 2000):
        employees |= env["hr.employee"].create(
            [
                {"name": f"Agent {i}", "resource_calendar_id": calendar.id, "conseil_is_titulaire": True}
                for i in range(start, min(start + 2000, sizes["employees"]))
            ]
        )
    env.flush_all()
    built_resources = time.perf_counter()
    # Needs: most decided long ago, some submitted.
    cr.execute(
        """INSERT INTO conseil_need (name, association_id, company_id, need_type, unit, aid_form, request_kind,
                                     raised_on, submitted_on, state, quantity, priority, create_date, write_date)
           SELECT 'Besoin ' || g, (%s::int[])[1 + g %% %s], %s,
                  (ARRAY['vehicle','agent','room','equipment','funding','other'])[1 + g %% 6], 'units', 'in_kind', 'first',
                  %s::timestamp - (g %% 3650) * interval '1 day', %s::timestamp - (g %% 3650) * interval '1 day',
                  CASE WHEN g %% 20 = 0 THEN 'submitted' ELSE 'closed' END, 1, (g %% 3)::text, now(), now()
             FROM generate_series(1, %s) g""",
        (association_ids, len(association_ids), company.id, NOW, NOW, sizes["needs"]),
    )
    # Loans over ten years, never overlapping on one resource: 60 % vehicles, 30 % rooms, 10 % agents.
    loans = sizes["loans"]
    per_vehicle = max(int(loans * 0.6) // len(vehicle_ids), 1)
    per_room = max(int(loans * 0.3) // len(rooms), 1)
    per_agent = max(int(loans * 0.1) // len(employees), 1)
    start_date = NOW - timedelta(days=3650)

    def insert_loans(kind, column, resource_ids, per_resource, spacing_days, duration_hours):
        cr.execute(
            f"""INSERT INTO conseil_loan (name, loan_type, {column}, association_id, company_id, purpose, state,
                                         date_start, date_end, buffered_end, weekly_hours, value, valuation_quantity,
                                         unit_value,
                                         valuation_frozen, value_by_year, year_first, year_last,
                                         expected_attendance, create_date, write_date)
                SELECT 'B/' || r || '/' || k, %s, r, (%s::int[])[1 + (r * 7 + k) %% %s], %s, 'Bench',
                       CASE WHEN s > %s THEN 'approved' ELSE 'returned' END, s, s + %s * interval '1 hour',
                       s + %s * interval '1 hour' + %s * interval '1 minute',
                       CASE WHEN %s = 'agent' THEN 5 ELSE 0 END, 120, 2, 60, s <= %s,
                       jsonb_build_object(EXTRACT(YEAR FROM s)::text, jsonb_build_object('quantity', 2, 'value', 120)),
                       EXTRACT(YEAR FROM s), EXTRACT(YEAR FROM s), 10, now(), now()
                  FROM unnest(%s::int[]) r, generate_series(0, %s - 1) k,
                       LATERAL (SELECT %s::timestamp + (k * %s + r %% 5) * interval '1 day' AS s) t""",
            (kind, association_ids, len(association_ids), company.id, NOW, duration_hours, duration_hours,
             ROOM_BUFFER if kind == "room" else 0, kind, NOW,
             resource_ids, per_resource, start_date, spacing_days),
        )  # fmt: skip

    spacing_vehicle = max(3650 // per_vehicle, 2)
    insert_loans("vehicle", "vehicle_id", vehicle_ids, per_vehicle, spacing_vehicle, 30)
    insert_loans("room", "room_id", rooms.ids, per_room, max(3650 // per_room, 1), 4)
    insert_loans("agent", "employee_id", employees.ids, per_agent, max(3650 // per_agent, 30), 24 * 20)
    equipment_ids = build_equipment(env, sizes, association_ids)
    build_town_records(env, employees, vehicle_ids, calendar)
    cr.execute(
        """INSERT INTO conseil_subsidy (name, association_id, company_id, year, amount, payment_conditions,
                                        convention_date, payment_date, share, create_date, write_date)
           SELECT 'Fonctionnement', a, %s, 2026, 1000 + a %% 20000, 'unique', '2026-02-01', '2026-03-01', 1, now(), now()
             FROM unnest(%s::int[]) a""",
        (company.id, association_ids),
    )
    cr.execute(
        """INSERT INTO conseil_offer (name, association_id, offer_type, capacity, capacity_unit, capacity_period,
                                      active, company_id, create_date, write_date)
           SELECT 'Offre ' || a, a, (ARRAY['vehicle','agent','room','equipment','funding','other'])[1 + a %% 6],
                  10, 'units', 'week', true, %s, now(), now()
             FROM unnest(%s::int[]) a WHERE a %% 4 = 0""",
        (company.id, association_ids),
    )
    cr.execute("ANALYZE")
    env.invalidate_all()
    # Sessions through the ORM: each owns its calendar event.
    meetings = env["conseil.meeting"].create(
        [
            {
                "name": f"Conseil {i}",
                "date_start": NOW - timedelta(days=7 * i) + timedelta(hours=8),
                "date_end": NOW - timedelta(days=7 * i) + timedelta(hours=10),
                "meeting_type": "council" if i % 4 else "review",
            }
            for i in range(sizes["meetings"])
        ]
    )
    members = env["conseil.association"].browse(association_ids[:200])
    meetings.filtered(lambda m: m.meeting_type == "council")[:1]._invite(members)
    env.flush_all()
    cr.commit()
    return {
        "build_seconds": time.perf_counter() - t0,
        "resources_seconds": built_resources - t0,
        "association_ids": association_ids,
        "vehicle_ids": vehicle_ids,
        "room_ids": rooms.ids,
        "employee_ids": employees.ids,
        "equipment_ids": equipment_ids,
    }


def build_communes(env, scale):
    """The 94 other communes of the métropole: companies of their own, and their associations, vans and loans.

    They make every record rule of the city's users filter by company among 95, and give the métropole's
    officer, who works for all of them, a list to read across communes.
    """
    cr = env.cr
    t0 = time.perf_counter()
    companies = env["res.company"].create([{"name": f"Commune {i}"} for i in range(2, COMMUNES + 1)])
    per = {key: max(int(value * scale), 1) for key, value in PER_COMMUNE.items()}
    cr.execute(
        """WITH p AS (
               INSERT INTO res_partner (name, complete_name, active, is_company, company_id, type, create_date,
                                        write_date)
               SELECT 'Association ' || c || '-' || g, 'Association ' || c || '-' || g, true, true, c, 'contact',
                      now(), now()
                 FROM unnest(%s::int[]) c, generate_series(1, %s) g
            RETURNING id, company_id)
           INSERT INTO conseil_association (partner_id, company_id, active, volunteer_count, senior_volunteer_count,
                                            beneficiary_count, create_date, write_date)
           SELECT id, company_id, true, 10, 3, 100, now(), now() FROM p""",
        (companies.ids, per["associations"]),
    )
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL")
    model = env["fleet.vehicle.model"].search([("name", "=", "Van")], limit=1)
    cr.execute(
        """INSERT INTO fleet_vehicle (name, model_id, company_id, active, license_plate, odometer_unit, range_unit,
                                      co2_emission_unit, power_unit, seats, conseil_daily_rate, create_date, write_date)
           SELECT 'Van ' || c || '-' || g, %s, c, true, 'C' || c || '-' || g, 'kilometers', 'km', 'g/km', 'power', 3,
                  60, now(), now()
             FROM unnest(%s::int[]) c, generate_series(1, %s) g""",
        (model.id, companies.ids, per["vehicles"]),
    )
    # each van of a commune lent to the associations of that commune, once a month over the years
    cr.execute(
        """INSERT INTO conseil_loan (name, loan_type, vehicle_id, association_id, company_id, purpose, state,
                                     date_start, date_end, value, valuation_quantity, unit_value, valuation_frozen,
                                     value_by_year, year_first, year_last, create_date, write_date)
           SELECT 'C/' || v.id || '/' || k, 'vehicle', v.id, a.ids[1 + k %% array_length(a.ids, 1)], v.company_id,
                  'Bench', CASE WHEN s > %s THEN 'approved' ELSE 'returned' END, s, s + interval '30 hours', 120, 2,
                  60, s <= %s,
                  jsonb_build_object(EXTRACT(YEAR FROM s)::text, jsonb_build_object('quantity', 2, 'value', 120)),
                  EXTRACT(YEAR FROM s), EXTRACT(YEAR FROM s), now(), now()
             FROM fleet_vehicle v
             JOIN LATERAL (SELECT array_agg(id ORDER BY id) AS ids FROM conseil_association
                            WHERE company_id = v.company_id) a ON true
            CROSS JOIN generate_series(0, %s - 1) k
            CROSS JOIN LATERAL (SELECT %s::timestamp + (k * 30 + v.id %% 7) * interval '1 day' AS s) t
            WHERE v.company_id = ANY(%s)""",
        (
            NOW,
            NOW,
            per["loans_per_vehicle"],
            NOW - timedelta(days=30 * per["loans_per_vehicle"]),
            companies.ids,
        ),
    )
    cr.execute("ANALYZE")
    env.invalidate_all()
    cr.commit()
    return {"communes_seconds": time.perf_counter() - t0, "company_ids": [env.company.id, *companies.ids]}


def bench_users(env, company_ids):
    """The people who act, each with their rights and their commune's record rules; one officer of the métropole
    works for its 95 communes."""
    Users = env["res.users"].with_context(no_reset_password=True, mail_create_nolog=True)
    officer = "conseil_associations.group_conseil_officer"
    roles = {
        "officer": [officer],
        "manager": ["conseil_associations.group_conseil_manager"],
        "fleet": ["fleet.fleet_group_manager", officer],
        "hr": ["hr.group_hr_user", officer],
    }
    users = {
        role: Users.create(
            {
                "name": f"Bench {role}",
                "login": f"bench_{role}",
                "group_ids": [Command.set([env.ref(xmlid).id for xmlid in ["base.group_user", *groups]])],
                "company_id": env.company.id,
                "company_ids": [Command.set(env.company.ids)],
            }
        )
        for role, groups in roles.items()
    }
    users["metropole"] = Users.create(
        {
            "name": "Bench métropole",
            "login": "bench_metropole",
            "group_ids": [Command.set([env.ref("base.group_user").id, env.ref(officer).id])],
            "company_id": env.company.id,
            "company_ids": [Command.set(company_ids)],
        }
    )
    return users


def build_equipment(env, sizes, association_ids):
    """The technical services' stock, and ten years of equipment loans of four lines each (a year to come).

    Each item's lines never overlap, so the stock holds by construction: the stock trigger is set aside while
    they are inserted in bulk, as a restore would do.
    """
    cr = env.cr
    company = env.company
    cr.execute(
        """INSERT INTO conseil_equipment (name, company_id, quantity, unit_value, active, create_date, write_date)
           SELECT 'Matériel ' || i, %s, 10 + i %% 40, 1 + i %% 7, true, now(), now()
             FROM generate_series(1, %s) i RETURNING id""",
        (company.id, sizes["equipment"]),
    )
    equipment_ids = sorted(row[0] for row in cr.fetchall())
    groups = max(len(equipment_ids) // 4, 1)
    per_item = max(sizes["equipment_lines"] // (groups * 4), 1)
    spacing = max(3650 // per_item, 2)
    cr.execute("ALTER TABLE conseil_loan_line DISABLE TRIGGER conseil_loan_line_equipment_stock")
    cr.execute(
        """WITH loans AS (
               INSERT INTO conseil_loan (name, loan_type, association_id, company_id, purpose, state, date_start,
                                         date_end, value, valuation_quantity, unit_value, valuation_frozen,
                                         value_by_year, year_first, year_last, create_date, write_date)
               SELECT 'BE/' || g || '/' || k, 'equipment', (%(associations)s::int[])[1 + (g * 7 + k) %% %(count)s],
                      %(company)s, 'Bench', CASE WHEN s > %(now)s THEN 'approved' ELSE 'returned' END,
                      s, s + interval '30 hours', 40, 2, 20, s <= %(now)s,
                      jsonb_build_object(EXTRACT(YEAR FROM s)::text, jsonb_build_object('quantity', 2, 'value', 40)),
                      EXTRACT(YEAR FROM s), EXTRACT(YEAR FROM s), now(), now()
                 FROM generate_series(0, %(groups)s - 1) g, generate_series(0, %(per_item)s - 1) k,
                      LATERAL (SELECT %(first)s::timestamp + (k * %(spacing)s + g %% 5) * interval '1 day' AS s) t
               RETURNING id, name, association_id, state, date_start, date_end)
           INSERT INTO conseil_loan_line (loan_id, equipment_id, quantity, company_id, association_id, state,
                                          date_start, date_end, create_date, write_date)
           SELECT l.id, (%(equipment)s::int[])[1 + split_part(l.name, '/', 2)::int * 4 + j], 1 + j, %(company)s,
                  l.association_id, l.state, l.date_start, l.date_end, now(), now()
             FROM loans l, generate_series(0, 3) j""",
        {
            "associations": association_ids,
            "count": len(association_ids),
            "company": company.id,
            "now": NOW,
            "groups": groups,
            "per_item": per_item,
            "first": NOW - timedelta(days=3650 - 365),
            "spacing": spacing,
            "equipment": equipment_ids,
        },
    )
    cr.execute("ALTER TABLE conseil_loan_line ENABLE TRIGGER conseil_loan_line_equipment_stock")
    return equipment_ids


def build_town_records(env, employees, vehicle_ids, calendar):
    """What the town's records say over the eleven years: two weeks of time off a year for each agent, eleven
    public holidays a year on their working schedule; a service a year for each vehicle (one in ten at the
    garage now, the next one planned) and an insurance valid until 2030."""
    cr = env.cr
    cr.execute(
        """INSERT INTO resource_calendar_leaves (name, resource_id, calendar_id, company_id, date_from, date_to,
                                                 time_type, create_date, write_date)
           SELECT 'Congés', e.resource_id, %(calendar)s, e.company_id,
                  %(now)s::timestamp + (y * 365 + e.id %% 300) * interval '1 day',
                  %(now)s::timestamp + (y * 365 + e.id %% 300 + 14) * interval '1 day', 'leave', now(), now()
             FROM hr_employee e, generate_series(-10, 1) y WHERE e.id = ANY(%(employees)s)
           UNION ALL
           SELECT 'Jour férié', NULL, %(calendar)s, %(company)s,
                  %(now)s::timestamp + (y * 365 + h * 33) * interval '1 day',
                  %(now)s::timestamp + (y * 365 + h * 33 + 1) * interval '1 day', 'leave', now(), now()
             FROM generate_series(-10, 1) y, generate_series(0, 10) h""",
        {"calendar": calendar.id, "company": env.company.id, "now": NOW, "employees": employees.ids},
    )
    service_type = env["fleet.service.type"].create({"name": "Entretien", "category": "service"})
    insurance = env["fleet.service.type"].create({"name": "Assurance", "category": "contract"})
    # the last tenth of the fleet is at the garage now; each vehicle has a service planned in the coming year,
    # before the slots the actions below lend
    cr.execute(
        """INSERT INTO fleet_vehicle_log_services (vehicle_id, service_type_id, company_id, date, state, active,
                                                   amount, create_date, write_date)
           SELECT v, %(type)s, %(company)s, (%(now)s::timestamp + (y * 365 - 100 + v %% 60) * interval '1 day')::date,
                  CASE WHEN y = 0 AND v = ANY(%(garage)s) THEN 'running' WHEN y > 0 THEN 'new' ELSE 'done' END, true,
                  200, now(), now()
             FROM unnest(%(vehicles)s::int[]) v, generate_series(-10, 1) y""",
        {
            "type": service_type.id,
            "company": env.company.id,
            "now": NOW,
            "vehicles": vehicle_ids,
            "garage": vehicle_ids[-max(len(vehicle_ids) // 10, 1) :],
        },
    )
    cr.execute(
        """INSERT INTO fleet_vehicle_log_contract (vehicle_id, cost_subtype_id, company_id, name, start_date,
                                                   expiration_date, state, active, cost_frequency, create_date,
                                                   write_date)
           SELECT v, %(type)s, %(company)s, 'Assurance', '2017-01-01', '2030-12-31', 'open', true, 'yearly', now(),
                  now()
             FROM unnest(%(vehicles)s::int[]) v""",
        {"type": insurance.id, "company": env.company.id, "vehicles": vehicle_ids},
    )


def measure(env, function, runs, prepare=None):
    """Median seconds and queries of ``function`` (given what ``prepare`` returns), each run rolled back."""
    cr = env.cr
    times, queries = [], []
    for index in range(runs + 1):
        env.invalidate_all()
        savepoint = f"bench_{index}"
        cr.execute(f"SAVEPOINT {savepoint}")
        prepared = prepare() if prepare else None
        cr.flush()  # the chatter tracking of the preparation is posted before measuring
        env.invalidate_all()
        before = cr.sql_log_count
        start = time.perf_counter()
        try:
            function(prepared) if prepare else function()
            cr.flush()  # includes what the commit would do (chatter tracking)
        finally:
            elapsed = time.perf_counter() - start
            count = cr.sql_log_count - before
            env.invalidate_all()
            cr.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
        if index:  # the first run warms the caches
            times.append(elapsed)
            queries.append(count)
    return statistics.median(times), int(statistics.median(queries))


def actions(env, data):
    """What each person does, as that person: their access rights, their commune's record rules, the chatter."""
    users = bench_users(env, data["company_ids"])
    officer, manager, fleet_manager, hr = (users[role] for role in ("officer", "manager", "fleet", "hr"))
    Loan = env["conseil.loan"].with_user(officer)
    association = env["conseil.association"].browse(data["association_ids"][0])
    vehicle = data["vehicle_ids"][0]
    slot_start, slot_end = NOW + timedelta(days=400), NOW + timedelta(days=401)
    busiest = env["conseil.loan"]._read_group(
        [("company_id", "=", env.company.id)], ["association_id"], ["__count"], order="__count desc", limit=1
    )[0][0]
    council = env["conseil.meeting"].search(
        [("meeting_type", "=", "council"), ("attendance_ids", "!=", False)], limit=1
    )
    review = env["conseil.meeting"].search([("meeting_type", "=", "review")], limit=1)
    need = env["conseil.need"].search([("state", "=", "submitted")], limit=1)
    Association = env["conseil.association"].with_user(officer)
    form_fields = [
        name
        for name, description in Association.fields_get(attributes=["type"]).items()
        if not name.startswith(("image_", "avatar_")) and not description["type"].endswith("2many")
    ] + ["theme_ids", "partner_association_ids"]
    metropole = {"allowed_company_ids": data["company_ids"]}
    list_fields = {
        "name": {}, "state": {}, "loan_type": {}, "date_start": {}, "date_end": {},
        "association_id": {"fields": {"display_name": {}}},
    }  # fmt: skip

    def requested(start=slot_start, end=slot_end, vehicle_id=vehicle):
        loan = Loan.create(
            {"loan_type": "vehicle", "vehicle_id": vehicle_id, "association_id": association.id, "purpose": "Bench",
             "date_start": start, "date_end": end}
        )  # fmt: skip
        loan.action_request()
        return loan

    def approve(loan):
        loan.with_user(fleet_manager).action_approve()

    def agent_requested():
        loan = Loan.create(
            {"loan_type": "agent", "employee_id": data["employee_ids"][-1], "weekly_hours": 5,
             "association_id": association.id, "purpose": "Bench", "date_start": slot_start, "date_end": slot_end,
             "agent_consent_date": date.today(), "convention_ref": "BENCH-1", "council_informed_date": date.today(),
             "reimbursement": "waived", "waiver_reason": "Bench"}
        )  # fmt: skip
        loan.action_request()
        return loan

    def approve_agent(loan):
        loan.with_user(hr).action_approve()

    blocker = requested(slot_start + timedelta(days=30), slot_end + timedelta(days=30))
    blocker.with_user(fleet_manager).action_approve()
    env.cr.commit()

    def refuse_overlap(loan):
        try:
            loan.with_user(fleet_manager).action_approve()
        except odoo.exceptions.ValidationError:
            return
        raise AssertionError("the overlapping loan was approved")

    def hundred_requested():
        loans = Loan.browse()
        on_the_road = data["vehicle_ids"][
            : len(data["vehicle_ids"]) * 9 // 10
        ]  # the last tenth is at the garage
        for vehicle_id in on_the_road[:100]:
            loans |= requested(slot_start + timedelta(days=10), slot_end + timedelta(days=10), vehicle_id)
        return loans

    def approve_batch(loans):
        loans.with_user(fleet_manager).action_approve()

    def draft(kind, start, end, **values):
        """A draft loan of ``kind`` without its resource yet, for the availability dialog."""
        return lambda: Loan.create(
            {"loan_type": kind, "association_id": association.id, "purpose": "Bench", "date_start": start,
             "date_end": end, **values}
        )  # fmt: skip

    def dialog(**values):
        """The officer opens « available resources » of a draft loan and reads the free ones listed."""
        return lambda loan: (
            env["conseil.loan.availability.wizard"]
            .with_user(officer)
            .create({"loan_id": loan.id, **values})
            .line_ids.mapped("detail")
        )

    equipment_slot = (NOW + timedelta(days=100), NOW + timedelta(days=102))

    def equipment_requested():
        loan = Loan.create(
            {"loan_type": "equipment", "association_id": association.id, "purpose": "Bench",
             "date_start": equipment_slot[0], "date_end": equipment_slot[1],
             "line_ids": [(0, 0, {"equipment_id": equipment_id, "quantity": 2})
                          for equipment_id in data["equipment_ids"][:3]]}
        )  # fmt: skip
        loan.action_request()
        return loan

    def approve_equipment(loan):
        loan.with_user(manager).action_approve()

    room_start = slot_start.replace(hour=9)  # within the rooms' opening hours (the standard calendar, in UTC)

    def requested_series():
        series = env["conseil.loan.series"].with_user(officer).create(
            {"loan_type": "room", "room_id": data["room_ids"][1], "association_id": association.id,
             "purpose": "Bench", "tuesday": True, "hour_from": 9, "hour_to": 11, "expected_attendance": 10,
             "date_from": room_start.date(), "date_to": room_start.date() + timedelta(weeks=20) - timedelta(days=1)}
        )  # fmt: skip
        series.action_request()
        assert len(series.loan_ids) == 19, len(series.loan_ids)  # 20 Tuesdays, one a public holiday
        return env["conseil.series.approve.wizard"].with_user(manager).create({"series_id": series.id})

    def approve_series(wizard):
        wizard.action_approve_free()

    def association_form():
        association.with_user(officer).read(form_fields)

    def loans_list():
        Loan.web_search_read([], list_fields, limit=80, order="date_start desc", count_limit=10001)

    def metropole_list():
        Loan.with_user(users["metropole"]).with_context(**metropole).web_search_read(
            [], list_fields, limit=80, order="date_start desc", count_limit=10001
        )

    def aid_by_association():
        env["conseil.aid"].with_user(manager).web_read_group(
            [("year", "=", 2026)], ["association_id"], ["value:sum"], limit=80
        )

    def agenda():
        council.with_user(manager).action_build_agenda()

    def gather():
        needs = env["conseil.need"].with_user(manager).search([("state", "=", "submitted")], limit=300)
        review.with_user(manager)._gather_needs(needs)

    def rank():
        need.with_user(officer)._rank_offers()

    def statement():
        report = env.ref("conseil_associations.action_report_in_kind_statement").with_user(manager)
        report._render_qweb_html(report.id, busiest.ids, data={"year": 2026})

    def revalue():  # a setting: the administrator's
        env.company.conseil_default_vehicle_daily_rate += 5

    def scdl():
        wizard = (
            env["conseil.scdl.export.wizard"]
            .with_user(manager)
            .create({"date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)})
        )
        rows, __ = wizard._scdl_rows()
        wizard._csv_bytes(rows)

    return [
        ("approve a loan", approve, 0.150, requested),
        ("approve an agent loan (HR: the agent's week)", approve_agent, 0.150, agent_requested),
        (
            "refuse an overlapping loan",
            refuse_overlap,
            0.150,
            lambda: requested(blocker.date_start, blocker.date_end),
        ),
        ("free vehicles of a slot (the dialog)", dialog(), 0.100, draft("vehicle", slot_start, slot_end)),
        (
            "free rooms of a slot (buffer, closing days)",
            dialog(),
            0.100,
            draft("room", room_start, room_start + timedelta(hours=2), expected_attendance=10),
        ),
        ("equipment with 5 free over a slot", dialog(quantity=5), 0.100, draft("equipment", *equipment_slot)),
        ("approve an equipment loan (3 lines)", approve_equipment, 0.150, equipment_requested),
        ("approve a weekly series (20 weeks, 19 occurrences)", approve_series, 0.300, requested_series),
        (
            "free agents for a day (time off, schedule)",
            dialog(),
            0.150,
            draft("agent", slot_start, slot_end, weekly_hours=5),
        ),
        (
            "free agents for a year (time off)",
            dialog(),
            0.150,
            draft("agent", slot_start, slot_start + timedelta(days=365), weekly_hours=5),
        ),
        (
            "free agents named « agent 12 » for a day",
            dialog(search_name="agent 12"),
            0.150,
            draft("agent", slot_start, slot_end, weekly_hours=5),
        ),
        ("open an association form", association_form, 0.150, None),
        ("the latest loans (a list)", loans_list, 0.150, None),
        ("the latest loans of the 95 communes", metropole_list, 0.150, None),
        ("aid by association of a year", aid_by_association, 0.150, None),
        ("build a council agenda (200 associations)", agenda, 0.150, None),
        ("gather a municipal review (300 needs)", gather, 0.150, None),
        ("rank who could help a need", rank, 0.150, None),
        ("in-kind statement of the busiest association", statement, 0.150, None),
        ("SCDL export of a year", scdl, 10.0, None),
        ("change the default daily rate of vehicles", revalue, 0.500, None),
        ("approve 100 loans in one batch", approve_batch, None, hundred_requested),
    ]


def main(database, scale, runs=7, *odoo_args):
    scale = float(scale)
    runs = int(runs)
    odoo.tools.config.parse_config(["-d", database, *odoo_args])
    registry = Registry(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True,
                                                  "mail_notrack": True, "no_mail_to_attendees": True})  # fmt: skip
        sizes = sizes_for(scale)
        data = build(env, sizes)
        data.update(build_communes(env, scale))
        print(
            f"scale {scale:g}: " + ", ".join(f"{k} {v}" for k, v in sizes.items()) + f", communes {COMMUNES}"
        )
        print(f"dataset built in {data['build_seconds'] + data['communes_seconds']:.0f} s")
        if os.environ.get("CONSEIL_BENCH_BUILD_ONLY"):  # the load test's city: built, not measured
            return
        results = []
        with mute_logger("odoo.sql_db"):  # the refused approvals log their violation
            # measured as a user acts: chatter tracking and calendar on (the build above turns them off)
            for label, function, target, prepare in actions(env(context={}), data):
                seconds, queries = measure(env, function, runs, prepare)
                results.append((label, seconds, queries, target))
        print(f"{'action':<46} {'median ms':>10} {'queries':>8} {'target ms':>10}")
        for label, seconds, queries, target in results:
            target_text = f"{target * 1000:.0f}" if target else "-"
            flag = "" if not target or seconds <= target else "  MISSED"
            print(f"{label:<46} {seconds * 1000:>10.1f} {queries:>8} {target_text:>10}{flag}")
        queries = {label: count for label, __, count, __ in results}
        one, batch = queries["approve a loan"], queries["approve 100 loans in one batch"]
        verdict = "as one" if batch <= one + 2 else "  MISSED: grows with the batch"
        print(f"approving 100 loans costs {batch} queries, one costs {one}: {verdict}")
        cr.rollback()
        results_file = os.environ.get("CONSEIL_BENCH_RESULTS")
        if results_file:  # for bench/growth.py, which sets the sizes side by side
            with open(results_file, "w", encoding="utf-8") as out:
                json.dump(
                    {"scale": scale, "actions": [[label, ms * 1000, q] for label, ms, q, __ in results]}, out
                )


if __name__ == "__main__":
    main(*sys.argv[1:])
