# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    tsl_formal_points_threshold = fields.Integer(
        related="company_id.tsl_formal_points_threshold", readonly=False
    )
    tsl_card_pickup_days = fields.Integer(
        related="company_id.tsl_card_pickup_days", readonly=False
    )
    tsl_card_delivery = fields.Selection(
        related="company_id.tsl_card_delivery", readonly=False
    )
    tsl_grade_method = fields.Selection(
        related="company_id.tsl_grade_method", readonly=False
    )
    tsl_grade_a_points = fields.Integer(
        related="company_id.tsl_grade_a_points", readonly=False
    )
    tsl_grade_b_points = fields.Integer(
        related="company_id.tsl_grade_b_points", readonly=False
    )
    tsl_grade_a_ratio = fields.Float(
        related="company_id.tsl_grade_a_ratio", readonly=False
    )
    tsl_grade_b_ratio = fields.Float(
        related="company_id.tsl_grade_b_ratio", readonly=False
    )
    tsl_downgrade_months = fields.Integer(
        related="company_id.tsl_downgrade_months", readonly=False
    )
    tsl_frequency_drop_percent = fields.Integer(
        related="company_id.tsl_frequency_drop_percent", readonly=False
    )
    tsl_lapse_months = fields.Integer(
        related="company_id.tsl_lapse_months", readonly=False
    )
    tsl_grade_override_months = fields.Integer(
        related="company_id.tsl_grade_override_months", readonly=False
    )
    tsl_phone_region = fields.Char(
        related="company_id.tsl_phone_region", readonly=False
    )
    tsl_deposit_reminder_days = fields.Integer(
        related="company_id.tsl_deposit_reminder_days", readonly=False
    )
