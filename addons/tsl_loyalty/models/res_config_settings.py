# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    tsl_points_rate = fields.Float(related="company_id.tsl_points_rate", readonly=False)
    tsl_points_excluded_categ_ids = fields.Many2many(
        related="company_id.tsl_points_excluded_categ_ids", readonly=False
    )
    tsl_points_year_start_month = fields.Integer(
        related="company_id.tsl_points_year_start_month", readonly=False
    )
    tsl_points_expiry_months = fields.Integer(
        related="company_id.tsl_points_expiry_months", readonly=False
    )
    tsl_birthday_extra_discount = fields.Float(
        related="company_id.tsl_birthday_extra_discount", readonly=False
    )
    tsl_birthday_points_factor = fields.Float(
        related="company_id.tsl_birthday_points_factor", readonly=False
    )
