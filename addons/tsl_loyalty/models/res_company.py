# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


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
