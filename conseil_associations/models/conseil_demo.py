"""The demo town of Hautmont-sur-Lys (about 20 000 inhabitants), loaded with the demo data.

Fictional but realistic: its associations, six months of councils and reviews,
the needs they raised and what the town lent. Dates are relative to the day of
installation, so the demo always looks current.
"""

import base64
import random
from datetime import date, datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import file_open

THEMES = "conseil_associations.theme_"
ASSOCIATIONS = [
    # name, themes, volunteers, seniors, beneficiaries, council member, siret
    ("Banque alimentaire des Hauts-de-Lys", ["food_aid", "social"], 42, 25, 1800, True, None),
    ("Épicerie solidaire Le Panier Partagé", ["food_aid"], 18, 4, 450, True, "73282932000074"),
    ("Les Colis du Cœur", ["food_aid", "social"], 12, 9, 620, True, None),
    ("Secours populaire, comité de Hautmont", ["social", "food_aid"], 30, 14, 900, True, None),
    ("Union sportive de Hautmont football", ["sport", "youth"], 25, 2, 310, True, None),
    ("Hautmont Basket Club", ["sport", "youth"], 14, 1, 180, True, None),
    ("Judo Club Lysois", ["sport"], 8, 2, 95, True, None),
    ("Les Randonneurs de la Lys", ["sport", "seniors", "environment"], 11, 8, 140, True, None),
    ("Harmonie municipale", ["culture"], 35, 12, 2000, True, None),
    ("Théâtre du Moulin", ["culture", "youth"], 16, 3, 1200, True, None),
    ("Cercle historique de Hautmont", ["culture", "remembrance"], 9, 7, 300, False, None),
    ("Ciné-club Lumière", ["culture"], 7, 2, 850, False, None),
    ("Club de l'âge d'or", ["seniors", "leisure"], 20, 19, 260, True, None),
    ("Visites fraternelles aux aînés", ["seniors", "social"], 15, 11, 120, True, None),
    ("Association des donneurs de sang", ["health"], 10, 4, 700, True, None),
    ("France Alzheimer, antenne de Hautmont", ["health", "seniors"], 6, 4, 85, True, None),
    ("Sport Santé Lys", ["health", "sport"], 5, 1, 150, True, None),
    ("Maison des jeunes", ["youth", "leisure"], 12, 0, 400, True, None),
    ("Aide aux devoirs Lys", ["youth", "social"], 22, 10, 160, True, None),
    ("Jardins partagés du Pont-Rouge", ["environment", "leisure"], 17, 9, 90, True, None),
    ("Lys Propre", ["environment"], 13, 3, 5000, False, None),
    ("Comité des fêtes", ["leisure"], 24, 8, 6000, True, None),
    ("Anciens combattants UNC Hautmont", ["remembrance"], 8, 8, 60, False, None),
    ("Restos du Cœur, centre de Hautmont", ["food_aid", "social"], 38, 21, 1100, True, None),
    ("Accueil des réfugiés Lys", ["social"], 9, 3, 45, False, None),
]
USERS = [
    # login (= password), name, groups
    ("officer", "Claire Dumont (vie associative)", ["conseil_associations.group_conseil_officer"]),
    (
        "manager",
        "Bernard Leroy (adjoint à la vie associative)",
        ["conseil_associations.group_conseil_manager"],
    ),
    ("fleet", "Karim Benali (responsable du parc)", ["fleet.fleet_group_manager"]),
    ("hr", "Sophie Martin (ressources humaines)", ["hr.group_hr_user"]),
]
# Where each demo user lands after login: the app of their work, not Discuss.
HOME_ACTIONS = {
    "officer": "conseil_associations.conseil_meeting_action_upcoming",
    "manager": "conseil_associations.conseil_meeting_action_upcoming",
    "fleet": "conseil_associations.conseil_loan_action_to_approve_vehicle",
    "hr": "conseil_associations.conseil_loan_action_to_approve_agent",
}


class ConseilDemo(models.AbstractModel):
    _name = "conseil.demo"
    _description = "Demo Town"

    @api.model
    def _load_demo_town(self):
        env = self.with_context(tracking_disable=True, mail_create_nolog=True, no_mail_to_attendees=True).env
        rng = random.Random(20000)  # the same town at every install
        today = fields.Date.context_today(self)
        company = env.company
        euro = env.ref("base.EUR")
        euro.active = True
        company.write(
            {
                "name": "Ville de Hautmont-sur-Lys",
                "currency_id": euro.id,
                "conseil_siret": "21590279200013",
                "conseil_km_rate": 0.35,
            }
        )
        # a French town: what the server writes for it (session names, agenda, activities) is in French
        env["res.lang"]._activate_lang("fr_FR")
        company.partner_id.write(
            {
                "street": "Place de l'Hôtel de Ville",
                "street2": False,
                "zip": "59250",
                "city": "Hautmont-sur-Lys",
                "state_id": False,
                "country_id": env.ref("base.fr").id,
                "phone": "03 20 00 00 00",
                "email": "mairie@hautmont-sur-lys.example",
                "website": False,
                "tz": "Europe/Paris",
                "lang": "fr_FR",
            }
        )
        with file_open("conseil_associations/static/src/img/demo_town_logo.png", "rb") as logo:
            company.write(
                {
                    "logo": base64.b64encode(logo.read()),
                    "external_report_layout_id": env.ref("web.external_layout_standard").id,
                }
            )
        users = self._demo_users(env)
        associations = self._demo_associations(env, users)
        vehicles, agents, rooms = self._demo_resources(env)
        meetings = self._demo_councils(env, rng, today, associations, users)
        needs = self._demo_needs(env, rng, today, associations, meetings, users)
        self._demo_loans(env, today, associations, vehicles, agents, rooms, needs, users)
        self._demo_subsidies(env, today, associations)
        self._demo_synergies(env, today, associations, needs, meetings)
        env["conseil.loan"]._cron_flag_late_loans()

    # ------------------------------------------------------------

    def _demo_users(self, env):
        users = {}
        for login, name, groups in USERS:
            user = env["res.users"].search([("login", "=", login)])
            if not user:
                user = env["res.users"].create(
                    {
                        "name": name,
                        "login": login,
                        "password": login,
                        "email": f"{login}@hautmont-sur-lys.example",
                        "lang": "fr_FR",
                        "tz": "Europe/Paris",
                        "action_id": env.ref(HOME_ACTIONS[login]).id,
                        "group_ids": [fields.Command.link(env.ref("base.group_user").id)]
                        + [fields.Command.link(env.ref(group).id) for group in groups],
                    }
                )
            users[login] = user
        env.ref("base.user_admin").write({"tz": "Europe/Paris"})
        return users

    def _demo_associations(self, env, users):
        existing = env["conseil.association"].search([("name", "in", [spec[0] for spec in ASSOCIATIONS])])
        associations = {}
        for index, (name, themes, volunteers, seniors, beneficiaries, member, siret) in enumerate(
            ASSOCIATIONS
        ):
            association = existing.filtered(lambda a, name=name: a.name == name)
            values = {
                "name": name,
                "street": f"{3 + index * 2} rue {['des Écoles', 'Jean Jaurès', 'de la Lys', 'Victor Hugo', 'du Moulin'][index % 5]}",
                "zip": "59250",
                "city": "Hautmont-sur-Lys",
                "country_id": env.ref("base.fr").id,
                "email": f"contact@association-{index + 1}.hautmont-sur-lys.example",
                "theme_ids": [fields.Command.set([env.ref(THEMES + theme).id for theme in themes])],
                "volunteer_count": volunteers,
                "senior_volunteer_count": seniors,
                "beneficiary_count": beneficiaries,
                "is_council_member": member,
                "council_member_since": date(2021 + index % 4, 1 + index % 12, 1) if member else False,
                "referent_user_id": users["officer"].id,
            }
            if not association:
                values["rna"] = f"W59500{index + 1:04d}" if index != 22 else False
                if siret:
                    values["siret"] = siret
                association = env["conseil.association"].create(values)
            else:
                association.write({k: v for k, v in values.items() if k not in ("name",)})
            associations[name] = association
        return associations

    def _demo_resources(self, env):
        brand_renault = env["fleet.vehicle.model.brand"].create({"name": "Renault (ville)"})
        brand_citroen = env["fleet.vehicle.model.brand"].create({"name": "Citroën (ville)"})
        models_ = {
            "minibus": env["fleet.vehicle.model"].create(
                {"name": "Trafic 9 places", "brand_id": brand_renault.id, "seats": 9}
            ),
            "van": env["fleet.vehicle.model"].create(
                {"name": "Master fourgon", "brand_id": brand_renault.id, "seats": 3}
            ),
            "utility": env["fleet.vehicle.model"].create(
                {"name": "Jumper frigorifique", "brand_id": brand_citroen.id, "seats": 3}
            ),
        }
        vehicles = {
            "minibus": env["fleet.vehicle"].create(
                {"model_id": models_["minibus"].id, "license_plate": "GH-201-LY", "conseil_daily_rate": 70}
            ),
            "van": env["fleet.vehicle"].create(
                {"model_id": models_["van"].id, "license_plate": "GH-305-LY", "conseil_daily_rate": 90}
            ),
            "fridge": env["fleet.vehicle"].create(
                {"model_id": models_["utility"].id, "license_plate": "GK-118-LY", "conseil_daily_rate": 110}
            ),
        }
        for vehicle, km in zip(vehicles.values(), (48200, 73100, 21900), strict=True):
            vehicle.odometer = km
        calendar = env["resource.calendar"].create(
            {
                "name": "Agents communaux 35 h",
                "tz": "Europe/Paris",
                "attendance_ids": [
                    fields.Command.create(
                        {"name": f"Jour {day}", "dayofweek": str(day), "hour_from": hour_from, "hour_to": hour_to,
                         "day_period": period}
                    )
                    for day in range(5)
                    for hour_from, hour_to, period in ((8.5, 12.0, "morning"), (13.5, 17.0, "afternoon"))
                ],
            }
        )  # fmt: skip
        agents = {}
        for key, name, job, titulaire, cost in (
            ("animator", "Julien Caron", "Animateur socio-culturel", True, 28.0),
            ("driver", "Nadia Haddad", "Agent technique, permis D", True, 26.0),
            ("gardener", "Patrick Lemaire", "Jardinier", True, 24.0),
            ("contract", "Léa Fontaine", "Agent d'accueil (contractuelle)", False, 22.0),
        ):
            agents[key] = env["hr.employee"].create(
                {
                    "name": name,
                    "job_title": job,
                    "resource_calendar_id": calendar.id,
                    "conseil_is_titulaire": titulaire,
                    "hourly_cost": cost,
                }
            )
        opening = env["resource.calendar"].create(
            {
                "name": "Salles communales 8 h - 23 h",
                "tz": "Europe/Paris",
                "attendance_ids": [
                    fields.Command.create(
                        {
                            "name": f"Jour {day}",
                            "dayofweek": str(day),
                            "hour_from": 8,
                            "hour_to": 23,
                            "day_period": "full_day",
                        }
                    )
                    for day in range(7)
                ],
            }
        )
        rooms = {
            "fetes": env["conseil.room"].create(
                {"name": "Salle des fêtes", "capacity": 300, "is_accessible": True, "resource_calendar_id": opening.id,
                 "hourly_rate": 45, "daily_rate": 350, "street": "Place du Général de Gaulle", "zip": "59250",
                 "city": "Hautmont-sur-Lys", "equipment": "Cuisine équipée, sonorisation, 40 tables, 300 chaises"}
            ),
            "maison": env["conseil.room"].create(
                {"name": "Maison des associations, salle 1", "capacity": 40, "is_accessible": True,
                 "resource_calendar_id": opening.id, "hourly_rate": 12, "daily_rate": 80}
            ),
            "gym": env["conseil.room"].create(
                {"name": "Gymnase Pierre de Coubertin, salle annexe", "capacity": 80, "resource_calendar_id": opening.id,
                 "hourly_rate": 20, "daily_rate": 150}
            ),
        }  # fmt: skip
        return vehicles, agents, rooms

    def _demo_councils(self, env, rng, today, associations, users):
        """Six months of councils (1st and 3rd Thursday, 18:00) and monthly reviews, two months ahead."""
        wizard = env["conseil.season.wizard"].create(
            {
                "date_from": today - relativedelta(months=6),
                "date_to": today + relativedelta(months=2),
                "rule": "first_third",
                "weekday": "3",
                "start_hour": 18.0,
                "tz": "Europe/Paris",
                "location": "Hôtel de ville, salle du conseil",
                "chair_id": users["manager"].id,
                "official_ids": [fields.Command.set(users["officer"].ids)],
                "invite_mode": "members",
            }
        )
        councils = env["conseil.meeting"].search(
            wizard.action_create_sessions()["domain"], order="date_start"
        )
        now = fields.Datetime.now()
        practices = [
            "Tournée de collecte mutualisée avec une autre association",
            "Permanence du samedi matin pour les familles qui travaillent",
            "Binômes jeune / senior pour les visites",
            "Fiche d'accueil traduite en trois langues",
        ]
        for council in councils.filtered(lambda m: m.date_end < now):
            for line in council.attendance_ids:
                draw = rng.random()
                line.state = "present" if draw < 0.78 else ("excused" if draw < 0.92 else "absent")
            present = council.attendance_ids.filtered(lambda a: a.state == "present")
            for line in present[: rng.randint(3, 6)]:
                env["conseil.progress.report"].create(
                    {
                        "meeting_id": council.id,
                        "association_id": line.association_id.id,
                        "actions": f"<p>Distributions et animations depuis le dernier conseil ({line.association_id.name}).</p>",
                        "beneficiaries_served": rng.randint(20, 300),
                        "difficulties": rng.choice(
                            [False, "Manque de bénévoles le samedi", "Local trop petit", False]
                        ),
                        "good_practice": rng.choice([False, False, *practices]),
                    }
                )
            council.action_build_agenda()
            council.action_hold()
            council.minutes = "<p>Tour de table des associations, points d'étape, annonce des décisions de la revue municipale.</p>"
            if council.date_start < now - timedelta(days=20):
                # Published without rendering the PDF: no report server while the demo loads.
                council._move("publish", {"minutes_published_on": council.date_end + timedelta(days=2)})
        reviews = env["conseil.meeting"]
        tz = pytz.timezone("Europe/Paris")
        month = (today - relativedelta(months=6)).replace(day=1)
        while month <= today + relativedelta(months=1):
            tuesday = month + timedelta(days=(1 - month.weekday()) % 7 + 7)  # 2nd Tuesday
            start = (
                tz.localize(datetime.combine(tuesday, time(17, 30))).astimezone(pytz.utc).replace(tzinfo=None)
            )
            reviews |= env["conseil.meeting"].create(
                {
                    "name": env["conseil.meeting"]._dated_name("review", tuesday, env.company),
                    "meeting_type": "review",
                    "date_start": start,
                    "date_end": start + timedelta(hours=2),
                    "location": "Hôtel de ville, bureau du maire",
                    "chair_id": users["manager"].id,
                }
            )
            month += relativedelta(months=1)
        return {"councils": councils, "reviews": reviews}

    def _demo_needs(self, env, rng, today, associations, meetings, users):
        a = associations
        now = fields.Datetime.now()
        past_councils = meetings["councils"].filtered(lambda m: m.date_start < now)
        Need = env["conseil.need"]
        specs = [
            # key, association, name, type, qty, unit, urgency, target state
            ("parcels", "Les Colis du Cœur", "Produire les colis alimentaires de l'été", "equipment", 60, "parcels", "2", "submitted"),
            ("van_collect", "Banque alimentaire des Hauts-de-Lys", "Une camionnette pour la collecte nationale", "vehicle", 1, "units", "1", "fulfilled"),
            ("fridge", "Restos du Cœur, centre de Hautmont", "Un véhicule frigorifique pour la ramasse", "vehicle", 1, "units", "1", "approved"),
            ("animator", "Club de l'âge d'or", "Un animateur pour les après-midi des aînés", "agent", 6, "hours_week", "0", "approved"),
            ("room_gala", "Harmonie municipale", "La salle des fêtes pour le concert de printemps", "room", 1, "units", "0", "fulfilled"),
            ("minibus", "Union sportive de Hautmont football", "Le minibus pour les déplacements des U13", "vehicle", 1, "units", "0", "partial"),
            ("subsidy", "Théâtre du Moulin", "Aide au festival jeune public", "funding", 3000, "euros", "0", "refused"),
            ("engineering", "Jardins partagés du Pont-Rouge", "Étude pour un récupérateur d'eau de pluie", "engineering", 2, "days", "0", "in_review"),
            ("network", "Accueil des réfugiés Lys", "Être mis en relation avec des cours de français", "networking", 1, "units", "1", "redirected"),
            ("homework", "Aide aux devoirs Lys", "Une salle le mercredi après-midi", "room", 1, "units", "0", "submitted"),
            ("drivers", "Visites fraternelles aux aînés", "Des chauffeurs pour les visites à domicile", "other", 4, "persons", "1", "draft"),
            ("tables", "Comité des fêtes", "Prêt de barnums et de tables pour la brocante", "equipment", 20, "units", "0", "closed"),
            ("cancel", "Ciné-club Lumière", "Un vidéoprojecteur pour les séances", "equipment", 1, "units", "0", "cancelled"),
            ("blood", "Association des donneurs de sang", "La salle des fêtes pour la collecte de sang", "room", 1, "units", "1", "in_review"),
        ]  # fmt: skip
        reviews = meetings["reviews"]
        past_review = reviews.filtered(lambda r: r.date_start < now)[-2:-1] or reviews[:1]
        current_review = reviews.filtered(lambda r: r.date_start < now)[-1:] or reviews[:1]
        needs = {}
        for index, (key, association, name, kind, quantity, unit, urgency, state) in enumerate(specs):
            # when the association raised it: before its submission, before the review that decides it
            if state == "draft":
                raised_on = now - timedelta(days=2)
            elif state == "submitted":
                raised_on = now - timedelta(days=13 if urgency != "0" else 4)
            elif state == "cancelled":
                raised_on = now - timedelta(days=20)
            else:
                review = current_review if state == "in_review" else past_review
                raised_on = min(now, review.date_start) - timedelta(days=12)
            raised = (
                past_councils.filtered(lambda council, day=raised_on: council.date_start <= day)[-1:]
                if index % 3
                else env["conseil.meeting"]
            )
            start = (
                today + timedelta(days=10 + 7 * index) if key != "van_collect" else today - timedelta(days=40)
            )
            needs[key] = Need.create(
                {
                    "name": name,
                    "association_id": a[association].id,
                    "need_type": kind,
                    "quantity": quantity,
                    "unit": unit,
                    "priority": urgency,
                    "date_from": start,
                    "date_to": start + timedelta(days=2 if kind != "agent" else 90),
                    "meeting_id": raised.id,
                    "raised_on": raised.date_start if raised else raised_on,
                    "beneficiaries_affected": rng.randint(15, 400),
                    "aid_form": "cash" if kind == "funding" else "in_kind",
                    "description": f"<p>{name}.</p>",
                }
            )
        for key, *__, state in specs:
            need = needs[key]
            if state == "draft":
                continue
            need.action_submit()
            if state == "cancelled":
                need.action_cancel()
                continue
            if state == "submitted":
                need.submitted_on = now - timedelta(days=12 if need.priority != "0" else 3)
                continue
            review = current_review if state == "in_review" else past_review
            # submitted before the review that decides it
            need.submitted_on = min(need.submitted_on, review.date_start - timedelta(days=10))
            review._gather_needs(need)
            if state == "in_review":
                continue
            outcome = {
                "approved": "approve", "fulfilled": "approve", "closed": "approve", "partial": "partial",
                "refused": "refuse", "redirected": "redirect",
            }[state]  # fmt: skip
            env["conseil.decision.wizard"].with_context(default_need_id=need.id).create(
                {
                    "outcome": outcome,
                    "granted": "Le minibus deux samedis par mois" if outcome == "partial" else False,
                    "reason": "Budget du festival déjà attribué pour l'année"
                    if outcome == "refuse"
                    else False,
                    "redirect_association_id": associations["Maison des jeunes"].id
                    if outcome == "redirect"
                    else False,
                    "decided_by_id": users["manager"].id,
                }
            ).action_confirm()
            if state == "closed":
                need.action_mark_fulfilled()
                need.action_close()
        for review in reviews.filtered(lambda r: r.date_start < now and r != current_review):
            review.action_hold()
            review.action_close_review()
        return needs

    def _demo_loans(self, env, today, associations, vehicles, agents, rooms, needs, users):
        tz = pytz.timezone("Europe/Paris")

        def at(day, hour):
            return tz.localize(datetime.combine(day, time(hour))).astimezone(pytz.utc).replace(tzinfo=None)

        a = associations
        Loan = env["conseil.loan"]
        legal = {
            "agent_consent_date": today - timedelta(days=60),
            "council_informed_date": today - timedelta(days=45),
            "reimbursement": "waived",
            "waiver_reason": "Aide d'intérêt général à l'animation des aînés isolés",
        }
        specs = [
            # association, kind, resource, start, end, state, extra
            ("Banque alimentaire des Hauts-de-Lys", "vehicle", vehicles["van"], at(today - timedelta(days=40), 8), at(today - timedelta(days=38), 18), "returned", {"need_id": needs["van_collect"].id, "odometer_start": 72800}),
            ("Restos du Cœur, centre de Hautmont", "vehicle", vehicles["fridge"], at(today - timedelta(days=2), 7), at(today + timedelta(days=5), 19), "in_progress", {"need_id": needs["fridge"].id, "odometer_start": 21900}),
            ("Union sportive de Hautmont football", "vehicle", vehicles["minibus"], at(today - timedelta(days=6), 8), at(today - timedelta(days=4), 20), "in_progress", {"need_id": needs["minibus"].id, "odometer_start": 48200}),
            ("Judo Club Lysois", "vehicle", vehicles["minibus"], at(today + timedelta(days=9), 7), at(today + timedelta(days=9), 21), "approved", {}),
            ("Comité des fêtes", "vehicle", vehicles["van"], at(today + timedelta(days=12), 8), at(today + timedelta(days=13), 18), "requested", {}),
            ("Club de l'âge d'or", "agent", agents["animator"], at(today - timedelta(days=30), 9), at(today + timedelta(days=60), 17), "in_progress", {"need_id": needs["animator"].id, "weekly_hours": 6, **legal, "convention_ref": f"CONV-MAD-{today.year}-01"}),
            ("Visites fraternelles aux aînés", "agent", agents["animator"], at(today - timedelta(days=10), 9), at(today + timedelta(days=80), 17), "approved", {"weekly_hours": 4, **legal, "convention_ref": f"CONV-MAD-{today.year}-02"}),
            ("Maison des jeunes", "agent", agents["driver"], at(today + timedelta(days=15), 9), at(today + timedelta(days=120), 17), "requested", {"weekly_hours": 5, **legal, "convention_ref": f"CONV-MAD-{today.year}-03"}),
            ("Harmonie municipale", "room", rooms["fetes"], at(today - timedelta(days=25), 14), at(today - timedelta(days=25), 23), "returned", {"need_id": needs["room_gala"].id, "expected_attendance": 250}),
            ("Association des donneurs de sang", "room", rooms["fetes"], at(today + timedelta(days=20), 8), at(today + timedelta(days=20), 19), "approved", {"expected_attendance": 120}),
            ("Aide aux devoirs Lys", "room", rooms["maison"], at(today + timedelta(days=3), 14), at(today + timedelta(days=3), 18), "draft", {"expected_attendance": 25}),
        ]  # fmt: skip
        approvers = {"vehicle": users["fleet"], "agent": users["hr"], "room": users["manager"]}
        field_of = {"vehicle": "vehicle_id", "agent": "employee_id", "room": "room_id"}
        for association, kind, resource, start, end, state, extra in specs:
            need = env["conseil.need"].browse(extra.pop("need_id", None))
            loan = Loan.with_user(users["officer"]).create(
                {
                    "loan_type": kind,
                    "association_id": a[association].id,
                    "purpose": need.name or f"Mise à disposition pour {association}",
                    field_of[kind]: resource.id,
                    "date_start": start,
                    "date_end": end,
                    "driver_id": a[association].partner_id.id if kind == "vehicle" else False,
                    "licence_checked_on": today - timedelta(days=50) if kind == "vehicle" else False,
                    **extra,
                }
            )
            if need:
                # as « Create the Loans » on the need links them: the server's link
                loan.sudo().write({"need_id": need.id, "decision_id": need.decision_id.id})
            if state == "draft":
                continue
            loan.action_request()
            if state == "requested":
                continue
            loan.with_user(approvers[kind]).action_approve()
            if state in ("in_progress", "returned"):
                loan.key_handover_time = start
                loan.action_start()
            if state == "returned":
                env["conseil.loan.return.wizard"].create(
                    {
                        "loan_id": loan.id,
                        "return_time": end - timedelta(hours=1),
                        "odometer_end": loan.odometer_start + 180 if kind == "vehicle" else 0,
                        "fuel_notes": "Plein refait" if kind == "vehicle" else False,
                    }
                ).action_confirm()

    def _demo_subsidies(self, env, today, associations):
        Subsidy = env["conseil.subsidy"]
        for index, (name, amount) in enumerate(
            [
                ("Banque alimentaire des Hauts-de-Lys", 8500),
                ("Union sportive de Hautmont football", 12000),
                ("Harmonie municipale", 22500),
                ("Théâtre du Moulin", 6000),
                ("Club de l'âge d'or", 2500),
                ("Restos du Cœur, centre de Hautmont", 5000),
                ("Maison des jeunes", 15000),
            ]
        ):
            for year in (today.year - 1, today.year):
                Subsidy.create(
                    {
                        "name": "Subvention de fonctionnement",
                        "association_id": associations[name].id,
                        "year": year,
                        "amount": amount,
                        "decision_ref": f"DEL-{year}-{index + 10:03d}",
                        "convention_date": date(year, 2, 15) if amount >= 5000 else False,
                        "convention_ref": f"CONV-{year}-{index + 1:02d}" if amount >= 5000 else False,
                        "payment_conditions": "echelonne" if amount > 10000 else "unique",
                        "payment_date": date(year, 3, 15),
                        "payment_date_end": date(year, 9, 15) if amount > 10000 else False,
                    }
                )

    def _demo_synergies(self, env, today, associations, needs, meetings):
        a = associations
        Offer = env["conseil.offer"]
        grocery_offer = Offer.create(
            {
                "name": "50 colis alimentaires par semaine",
                "association_id": a["Épicerie solidaire Le Panier Partagé"].id,
                "offer_type": "equipment",
                "capacity": 50,
                "capacity_unit": "parcels",
                "theme_ids": [fields.Command.set(env.ref(THEMES + "food_aid").ids)],
            }
        )
        Offer.create(
            {"name": "Jeunes bénévoles le samedi", "association_id": a["Union sportive de Hautmont football"].id,
             "offer_type": "other", "capacity": 6, "capacity_unit": "persons"}
        )  # fmt: skip
        Offer.create(
            {"name": "Le minibus du club pour les sorties des aînés", "association_id": a["Hautmont Basket Club"].id,
             "offer_type": "vehicle", "capacity": 1, "capacity_unit": "units"}
        )  # fmt: skip
        Offer.create(
            {"name": "Ateliers de marche adaptée", "association_id": a["Sport Santé Lys"].id,
             "offer_type": "other", "capacity": 2, "capacity_unit": "hours_week",
             "theme_ids": [fields.Command.set((env.ref(THEMES + "health") | env.ref(THEMES + "seniors")).ids)]}
        )  # fmt: skip
        challenge = env["conseil.challenge"].create(
            {
                "name": "Personne ne mange seul cet été",
                "description": "<p>Maintenir l'aide alimentaire et le lien social des aînés isolés pendant l'été, "
                "quand les bénévoles partent en vacances.</p>",
                "theme_ids": [
                    fields.Command.set((env.ref(THEMES + "food_aid") | env.ref(THEMES + "seniors")).ids)
                ],
                "association_ids": [
                    fields.Command.set(
                        (
                            a["Épicerie solidaire Le Panier Partagé"]
                            | a["Banque alimentaire des Hauts-de-Lys"]
                            | a["Club de l'âge d'or"]
                            | a["Union sportive de Hautmont football"]
                        ).ids
                    )
                ],
                "meeting_ids": [fields.Command.set(meetings["councils"][-6:-4].ids)],
            }
        )
        challenge.action_start()
        # The solidarity grocery took over the food-aid association's parcels.
        food_aid = a["Banque alimentaire des Hauts-de-Lys"]
        env["conseil.partnership"].create(
            {
                "helper_id": a["Épicerie solidaire Le Panier Partagé"].id,
                "helped_id": food_aid.id,
                "offer_id": grocery_offer.id,
                "challenge_id": challenge.id,
                "exchange": "L'épicerie prépare 50 colis par semaine pour la banque alimentaire",
                "date_start": today - timedelta(days=70),
            }
        )
        env["conseil.partnership"].create(
            {
                "helper_id": a["Union sportive de Hautmont football"].id,
                "helped_id": a["Visites fraternelles aux aînés"].id,
                "challenge_id": challenge.id,
                "exchange": "Les U17 accompagnent les visites du samedi",
                "date_start": today - timedelta(days=30),
            }
        )
        needs["parcels"].challenge_id = challenge
