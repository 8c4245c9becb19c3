from odoo import api, fields, models

# The rates the loans are valued with: changing one revalues the loans not yet frozen.
CONSEIL_RATES = ("conseil_default_hourly_cost", "conseil_default_vehicle_daily_rate", "conseil_km_rate")
# Fleet's states in which a vehicle is not lent, unless the commune's settings say otherwise: out of service.
# (Not New Request: Fleet gives it to every vehicle created, and many towns never move their vehicles on.)
FLEET_STATES_NOT_LENT = ("fleet.fleet_vehicle_state_downgraded",)
# The settings of the addon, held to its plausible values.
CONSEIL_SETTINGS = (
    "conseil_default_hourly_cost",
    "conseil_default_vehicle_daily_rate",
    "conseil_km_rate",
    "conseil_convention_threshold",
    "conseil_siret",
    "conseil_document_reminder_days",
    "conseil_agent_evaluation",
    "conseil_objectives_payment_terms",
    "conseil_objectives_conditions",
    "conseil_objectives_expiry_days",
    "conseil_equipment_approver",
    "conseil_room_buffer_minutes",
    "conseil_unavailable_vehicle_state_ids",
)
# Their bounds, as the database constraints below hold them.
CONSEIL_BOUNDS = {
    "conseil_default_hourly_cost": (0, 1000),
    "conseil_default_vehicle_daily_rate": (0, 10_000),
    "conseil_km_rate": (0, 100),
    "conseil_convention_threshold": (0, 100_000_000),
    "conseil_document_reminder_days": (0, 365),
    "conseil_objectives_expiry_days": (0, 365),
    "conseil_room_buffer_minutes": (0, 480),
}


class ResCompany(models.Model):
    _inherit = "res.company"

    conseil_siret = fields.Char(
        string="SIRET of the Commune",
        help="Identifies the town as the grantor (idAttribuant) in the open-data publication of subsidies.",
    )
    conseil_default_hourly_cost = fields.Monetary(
        string="Default Hourly Cost of an Agent",
        currency_field="currency_id",
        default=25.0,
        help="Values an agent loan when the employee has no hourly cost.",
    )
    conseil_default_vehicle_daily_rate = fields.Monetary(
        string="Default Daily Rate of a Vehicle",
        currency_field="currency_id",
        default=60.0,
        help="Values a vehicle loan when the vehicle has no daily rate.",
    )
    conseil_km_rate = fields.Monetary(
        string="Rate per Kilometre",
        currency_field="currency_id",
        help="Added to a vehicle loan's value for each kilometre driven (from the odometer). Zero to ignore.",
    )
    conseil_convention_threshold = fields.Monetary(
        string="Convention Threshold",
        currency_field="currency_id",
        default=23000.0,
        help="Above this yearly aid (cash and in kind) from the town, a convention is required "
        "(loi 2000-321 art. 10, décret 2001-495).",
    )
    conseil_allow_contract_agents = fields.Boolean(
        string="Lend Contract Staff",
        help="Allow lending agents who are not established civil servants (titulaires) to associations.",
    )
    conseil_document_reminder_days = fields.Integer(
        string="Document Reminder (days)",
        default=30,
        help="How many days before an association's document expires its referent officer is reminded.",
    )
    conseil_agent_evaluation = fields.Text(
        string="Control and Evaluation of a Lent Agent",
        help="What a convention de mise à disposition says of the control and the evaluation of the agent's "
        "activities, unless the loan says otherwise. Empty: the addon's wording.",
    )
    conseil_objectives_payment_terms = fields.Text(
        string="Payment Terms of an Objectives Convention",
        help="How the town pays the subsidies an objectives convention states, unless the convention says "
        "otherwise. Empty: the addon's wording.",
    )
    conseil_objectives_conditions = fields.Text(
        string="Conditions of Use of an Objectives Convention",
        help="How the association may use the aid an objectives convention states, unless the convention says "
        "otherwise. Empty: the addon's wording.",
    )
    conseil_objectives_expiry_days = fields.Integer(
        string="Objectives Convention Expiry Reminder (days)",
        default=60,
        help="How many days before an objectives convention expires the council managers are reminded.",
    )

    conseil_lead_days_room = fields.Integer(
        string="Lead Time for a Room (days)",
        default=15,
        help="How many days before the wanted date an association asks for a room.",
    )
    conseil_lead_days_vehicle = fields.Integer(
        string="Lead Time for a Vehicle (days)",
        default=15,
        help="How many days before the wanted date an association asks for a vehicle.",
    )
    conseil_lead_days_agent = fields.Integer(
        string="Lead Time for an Agent (days)",
        default=60,
        help="How many days before the wanted date an association asks for a communal agent.",
    )
    conseil_lead_days_equipment = fields.Integer(
        string="Lead Time for Equipment (days)",
        default=15,
        help="How many days before the wanted date an association asks for equipment.",
    )
    conseil_convocation_days = fields.Integer(
        string="Convocation (days before)",
        default=7,
        help="How many days before a council its invited associations receive the convocation and the agenda.",
    )
    conseil_progress_report_reminder_days = fields.Integer(
        string="Progress Report Reminder (days before)",
        default=10,
        help="How many days before a council the invited associations are reminded to send their progress report.",
    )
    conseil_equipment_approver = fields.Selection(
        [("manager", "Council managers"), ("technical", "Technical services")],
        string="Equipment Loans Approved By",
        default="manager",
        required=True,
        help="Who approves the loans of equipment to associations: the council managers, or the technical "
        "services that keep the stock (the Technical Services group).",
    )
    conseil_room_buffer_minutes = fields.Integer(
        string="Room Buffer (minutes)",
        default=0,
        help="Minutes a new room keeps free after each booking, to clean up and set up for the next one.",
    )
    conseil_unavailable_vehicle_state_ids = fields.Many2many(
        "fleet.vehicle.state",
        "conseil_company_unavailable_vehicle_state_rel",
        "company_id",
        "state_id",
        string="Vehicle States Not Lent",
        default=lambda self: self._conseil_default_unavailable_vehicle_states(),
        help="A vehicle in one of these Fleet states is not lent to associations: it is not shown as free, and "
        "its loans are refused at approval.",
    )

    _conseil_lead_days_plausible = models.Constraint(
        "CHECK ((conseil_lead_days_room IS NULL OR conseil_lead_days_room BETWEEN 0 AND 365)"
        " AND (conseil_lead_days_vehicle IS NULL OR conseil_lead_days_vehicle BETWEEN 0 AND 365)"
        " AND (conseil_lead_days_agent IS NULL OR conseil_lead_days_agent BETWEEN 0 AND 365)"
        " AND (conseil_lead_days_equipment IS NULL OR conseil_lead_days_equipment BETWEEN 0 AND 365))",
        "A lead time is between 0 and 365 days.",
    )
    _conseil_mail_days_plausible = models.Constraint(
        "CHECK ((conseil_convocation_days IS NULL OR conseil_convocation_days BETWEEN 0 AND 60)"
        " AND (conseil_progress_report_reminder_days IS NULL"
        " OR conseil_progress_report_reminder_days BETWEEN 0 AND 60))",
        "The convocation and the progress report reminder go out between 0 and 60 days before a council.",
    )
    _conseil_document_reminder_plausible = models.Constraint(
        "CHECK (conseil_document_reminder_days IS NULL OR conseil_document_reminder_days BETWEEN 0 AND 365)",
        "The document reminder is between 0 and 365 days before expiry.",
    )
    _conseil_objectives_expiry_plausible = models.Constraint(
        "CHECK (conseil_objectives_expiry_days IS NULL OR conseil_objectives_expiry_days BETWEEN 0 AND 365)",
        "The objectives convention reminder is between 0 and 365 days before it expires.",
    )
    _conseil_room_buffer_plausible = models.Constraint(
        "CHECK (conseil_room_buffer_minutes IS NULL OR conseil_room_buffer_minutes BETWEEN 0 AND 480)",
        "A room's set-up / clean-up buffer is between 0 and 480 minutes.",
    )
    _conseil_rates_plausible = models.Constraint(
        "CHECK ((conseil_default_hourly_cost IS NULL OR conseil_default_hourly_cost BETWEEN 0 AND 1000)"
        " AND (conseil_default_vehicle_daily_rate IS NULL OR conseil_default_vehicle_daily_rate BETWEEN 0 AND 10000)"
        " AND (conseil_km_rate IS NULL OR conseil_km_rate BETWEEN 0 AND 100)"
        " AND (conseil_convention_threshold IS NULL OR conseil_convention_threshold BETWEEN 0 AND 100000000))",
        "Check the valuation rates of the associations settings: an hourly cost is between 0 and 1 000, a daily "
        "rate of a vehicle between 0 and 10 000, a rate per kilometre between 0 and 100, the convention "
        "threshold between 0 and 100 000 000.",
    )

    @api.model
    def _conseil_default_unavailable_vehicle_states(self):
        """Fleet's state of a vehicle out of service: Downgraded."""
        states = self.env["fleet.vehicle.state"]
        for xmlid in FLEET_STATES_NOT_LENT:
            states |= self.env.ref(xmlid, raise_if_not_found=False) or states
        return states

    @api.model
    def _conseil_set_default_unavailable_vehicle_states(self):
        """At install, the communes that exist already get the default states too."""
        self.sudo().search([("conseil_unavailable_vehicle_state_ids", "=", False)]).write(
            {"conseil_unavailable_vehicle_state_ids": self._conseil_default_unavailable_vehicle_states().ids}
        )

    def _conseil_lang(self):
        """The language of the town, in which the server writes what it generates (names, agenda, activities).

        The language of the commune's own contact, else the user's: a session is
        named for the town, whoever created it.
        """
        self.ensure_one()
        lang = self.partner_id.lang
        if lang and (lang == "en_US" or self.env["res.lang"]._get_data(code=lang)):
            return lang
        return self.env.lang or "en_US"  # a language since deactivated: the user's

    def _conseil_agent_evaluation(self):
        """What a new agent loan's convention says of control and evaluation: the town's wording, or the addon's."""
        self.ensure_one()
        return self.conseil_agent_evaluation or self._conseil_town_env()._(
            "The association directs the agent's work and checks it day to day. It tells the town of any "
            "difficulty at once. At the end of each year, and at the end of the loan, the association writes a "
            "report on the agent's activities, sent to the mayor; the town's line manager evaluates the agent "
            "with it."
        )

    def _conseil_objectives_payment_terms(self):
        self.ensure_one()
        return self.conseil_objectives_payment_terms or self._conseil_town_env()._(
            "The town pays each subsidy by bank transfer to the association's account, after the vote of the "
            "municipal council, in one payment unless the subsidy states instalments. The aid in kind is "
            "given as the loans to the association are approved."
        )

    def _conseil_objectives_conditions(self):
        self.ensure_one()
        return self.conseil_objectives_conditions or self._conseil_town_env()._(
            "The association uses the aid only for the object of this convention. It may not pay it to another "
            "body (décret-loi of 2 May 1938). It keeps separate accounts of it, mentions the town's support in "
            "its communication, and lets the town check the use of the aid on its documents and on site."
        )

    def _conseil_town_env(self):
        """An environment in the town's language, for the wording the server writes for it."""
        return self.with_context(lang=self._conseil_lang()).env

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.env["conseil.guarded.mixin"]._check_values_of(self, vals, CONSEIL_SETTINGS, CONSEIL_BOUNDS)
        return super().create(vals_list)

    def write(self, vals):
        self.env["conseil.guarded.mixin"]._check_values_of(self, vals, CONSEIL_SETTINGS, CONSEIL_BOUNDS)
        result = super().write(vals)
        if vals.keys() & set(CONSEIL_RATES):
            # equipment is valued from its items' own value per day, never from these rates
            self.env["conseil.loan"]._revalue(
                [("company_id", "in", self.ids), ("loan_type", "!=", "equipment")]
            )
        return result
