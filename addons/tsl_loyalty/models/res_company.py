# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    tsl_points_rate = fields.Float(
        string="Points per Currency Unit",
        default=1.0,
        help="Points earned for each unit of currency paid (¥1 = 1 point).",
    )
    tsl_points_excluded_categ_ids = fields.Many2many(
        "product.category",
        "tsl_company_points_excluded_categ_rel",
        "company_id",
        "categ_id",
        string="Categories Without Points",
        help="Products of these categories (and their sub-categories) earn no "
        "points, e.g. gold bars.",
    )
    tsl_points_year_start_month = fields.Integer(
        string="Points Year Starts in Month",
        default=1,
        help="1 = the points year is the calendar year; 4 = April to March (a "
        "12/13 season).",
    )
    tsl_points_expiry_months = fields.Integer(
        string="Points Expire (Months After Year End)",
        default=12,
        help="Points of a points year can be used until this many months after "
        "the year's end; 0 = they expire at the year end.",
    )
    tsl_birthday_extra_discount = fields.Float(
        string="Birthday Extra Discount (%)",
        default=10.0,
        help="Extra discount on top of the member discount for one purchase in "
        "the birthday or special-day month (折上9折).",
    )
    tsl_birthday_points_factor = fields.Float(
        string="Birthday Points Factor", default=2.0
    )
    tsl_cashback_points = fields.Integer(
        string="Cash-back: Every (Points)",
        default=1000,
        help="Every this many points give a cash-back voucher (积分返现).",
    )
    tsl_cashback_amount = fields.Monetary(
        string="Cash-back: Voucher Amount", default=50.0, currency_field="currency_id"
    )
    tsl_voucher_validity_days = fields.Integer(
        string="Vouchers Valid (Days)", default=180
    )
    tsl_welcome_voucher_amount = fields.Monetary(
        string="Welcome Coupon Amount",
        default=100.0,
        currency_field="currency_id",
        help="Coupon of the welcome kit (迎新套装), issued on enrolment; 0 = none.",
    )
    tsl_renewal_paper_amount = fields.Monetary(
        string="Renewal Coupon (Paper)",
        default=200.0,
        currency_field="currency_id",
        help="Paper renewal coupon for members who qualify for renewal.",
    )
    tsl_renewal_mms_amount = fields.Monetary(
        string="Renewal e-Coupon (MMS)",
        default=100.0,
        currency_field="currency_id",
        help="MMS e-coupon for the members who do not qualify.",
    )
    tsl_voucher_product_id = fields.Many2one(
        "product.product",
        string="Voucher Product",
        help="The product of the order line that takes a voucher off.",
    )
    tsl_materials_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Materials Warehouse",
        check_company=True,
        help="The HQ warehouse member materials (cards, charters, welcome kits, "
        "birthday cards, gift boxes) ship from; empty = the company's first "
        "warehouse.",
    )

    @api.constrains("tsl_points_year_start_month")
    def _check_tsl_points_year_start_month(self):
        for company in self:
            if not 1 <= company.tsl_points_year_start_month <= 12:
                raise ValidationError(
                    _("The points year starts in a month from 1 to 12.")
                )

    def write(self, vals):
        res = super().write(vals)
        if "tsl_birthday_extra_discount" in vals:
            # the birthday pricelists compound the extra discount
            self.env["tsl.member.tier"].sudo()._tsl_sync_all_pricelists()
        return res

    @api.model
    def _load_pos_data_fields(self, config_id):
        """The till previews the points with the company's figures."""
        fields_list = super()._load_pos_data_fields(config_id)
        return fields_list + [
            "tsl_points_rate",
            "tsl_points_excluded_categ_ids",
            "tsl_birthday_points_factor",
            "tsl_voucher_product_id",
        ]

    def _tsl_points_base(self, lines, amount_field):
        """Amount of ``lines`` that earns points: those whose product is not
        in an excluded category (or one of its sub-categories)."""
        self.ensure_one()
        paths = self.tsl_points_excluded_categ_ids.mapped("parent_path")
        if paths:
            lines = lines.filtered(
                lambda line: not (
                    line.product_id.categ_id.parent_path or ""
                ).startswith(tuple(paths))
            )
        return sum(lines.mapped(amount_field))
