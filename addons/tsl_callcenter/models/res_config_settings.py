# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    tsl_call_tz = fields.Selection(related="company_id.tsl_call_tz", readonly=False)
    tsl_contact_cap = fields.Integer(
        related="company_id.tsl_contact_cap", readonly=False
    )
    tsl_contact_cap_days = fields.Integer(
        related="company_id.tsl_contact_cap_days", readonly=False
    )
    tsl_unreachable_months = fields.Integer(
        related="company_id.tsl_unreachable_months", readonly=False
    )
    tsl_reactivation_months = fields.Integer(
        related="company_id.tsl_reactivation_months", readonly=False
    )
    tsl_retry_max = fields.Integer(related="company_id.tsl_retry_max", readonly=False)
    tsl_complaint_sla_days = fields.Integer(
        related="company_id.tsl_complaint_sla_days", readonly=False
    )
    tsl_complaint_escalation_days = fields.Integer(
        related="company_id.tsl_complaint_escalation_days", readonly=False
    )
    tsl_service_days_repair = fields.Integer(
        related="company_id.tsl_service_days_repair", readonly=False
    )
    tsl_service_days_resizing = fields.Integer(
        related="company_id.tsl_service_days_resizing", readonly=False
    )
    tsl_service_days_cleaning = fields.Integer(
        related="company_id.tsl_service_days_cleaning", readonly=False
    )
    tsl_service_days_replating = fields.Integer(
        related="company_id.tsl_service_days_replating", readonly=False
    )
    tsl_kyc_daily_count = fields.Integer(
        related="company_id.tsl_kyc_daily_count", readonly=False
    )
    tsl_kyc_weight_call = fields.Integer(
        related="company_id.tsl_kyc_weight_call", readonly=False
    )
    tsl_kyc_weight_kyc = fields.Integer(
        related="company_id.tsl_kyc_weight_kyc", readonly=False
    )
    tsl_kyc_weight_complaint = fields.Integer(
        related="company_id.tsl_kyc_weight_complaint", readonly=False
    )
