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
    tsl_cashback_points = fields.Integer(
        related="company_id.tsl_cashback_points", readonly=False
    )
    tsl_cashback_amount = fields.Monetary(
        related="company_id.tsl_cashback_amount", readonly=False
    )
    tsl_voucher_validity_days = fields.Integer(
        related="company_id.tsl_voucher_validity_days", readonly=False
    )
    tsl_welcome_voucher_amount = fields.Monetary(
        related="company_id.tsl_welcome_voucher_amount", readonly=False
    )
    tsl_renewal_paper_amount = fields.Monetary(
        related="company_id.tsl_renewal_paper_amount", readonly=False
    )
    tsl_renewal_mms_amount = fields.Monetary(
        related="company_id.tsl_renewal_mms_amount", readonly=False
    )
    tsl_voucher_product_id = fields.Many2one(
        related="company_id.tsl_voucher_product_id", readonly=False
    )
    tsl_materials_warehouse_id = fields.Many2one(
        related="company_id.tsl_materials_warehouse_id", readonly=False
    )
    tsl_sms_inbound_token = fields.Char(
        string="Inbound SMS Token",
        config_parameter="tsl_loyalty.sms_inbound_token",
        help="Shared secret the SMS gateway sends with each message it posts "
        "to /tsl/sms/inbound (redemption applications by SMS keyword).",
    )
