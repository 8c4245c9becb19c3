from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    conseil_currency_id = fields.Many2one(related="company_id.currency_id")
    conseil_allow_contract_agents = fields.Boolean(
        related="company_id.conseil_allow_contract_agents", readonly=False
    )
    conseil_siret = fields.Char(related="company_id.conseil_siret", readonly=False)
    conseil_default_hourly_cost = fields.Monetary(
        related="company_id.conseil_default_hourly_cost", readonly=False, currency_field="conseil_currency_id"
    )
    conseil_default_vehicle_daily_rate = fields.Monetary(
        related="company_id.conseil_default_vehicle_daily_rate",
        readonly=False,
        currency_field="conseil_currency_id",
    )
    conseil_km_rate = fields.Monetary(
        related="company_id.conseil_km_rate", readonly=False, currency_field="conseil_currency_id"
    )
    conseil_convention_threshold = fields.Monetary(
        related="company_id.conseil_convention_threshold",
        readonly=False,
        currency_field="conseil_currency_id",
    )
    conseil_document_reminder_days = fields.Integer(
        related="company_id.conseil_document_reminder_days", readonly=False
    )
    conseil_lead_days_room = fields.Integer(related="company_id.conseil_lead_days_room", readonly=False)
    conseil_room_buffer_minutes = fields.Integer(
        related="company_id.conseil_room_buffer_minutes", readonly=False
    )
    conseil_lead_days_vehicle = fields.Integer(related="company_id.conseil_lead_days_vehicle", readonly=False)
    conseil_lead_days_agent = fields.Integer(related="company_id.conseil_lead_days_agent", readonly=False)
    conseil_lead_days_equipment = fields.Integer(
        related="company_id.conseil_lead_days_equipment", readonly=False
    )
    conseil_convocation_days = fields.Integer(related="company_id.conseil_convocation_days", readonly=False)
    conseil_progress_report_reminder_days = fields.Integer(
        related="company_id.conseil_progress_report_reminder_days", readonly=False
    )
    conseil_agent_evaluation = fields.Text(related="company_id.conseil_agent_evaluation", readonly=False)
    conseil_objectives_payment_terms = fields.Text(
        related="company_id.conseil_objectives_payment_terms", readonly=False
    )
    conseil_objectives_conditions = fields.Text(
        related="company_id.conseil_objectives_conditions", readonly=False
    )
    conseil_objectives_expiry_days = fields.Integer(
        related="company_id.conseil_objectives_expiry_days", readonly=False
    )
    conseil_equipment_approver = fields.Selection(
        related="company_id.conseil_equipment_approver", readonly=False, required=True
    )
    conseil_unavailable_vehicle_state_ids = fields.Many2many(
        related="company_id.conseil_unavailable_vehicle_state_ids", readonly=False
    )
