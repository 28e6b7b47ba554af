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
