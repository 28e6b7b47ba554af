# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    tsl_formal_points_threshold = fields.Integer(
        string="Points to Become Formal Member",
        default=1000,
        help="A temporary member becomes a formal member once the cumulative "
        "points reach this figure.",
    )
    tsl_card_pickup_days = fields.Integer(
        string="Card Ready After (Days)",
        default=5,
        help="The member card is ready for pickup this many days after the "
        "member became formal (day 5 of the 1-3-5 plan).",
    )
    tsl_card_delivery = fields.Selection(
        [("store", "Pickup at Store"), ("mail", "Mail Delivery")],
        string="Default Card Delivery",
        default="store",
    )
    tsl_grade_method = fields.Selection(
        [("points", "Points Bands"), ("ranking", "Ranking")],
        string="Grading Method",
        default="points",
    )
    tsl_grade_a_points = fields.Integer(string="Grade A From (Points)", default=5000)
    tsl_grade_b_points = fields.Integer(string="Grade B From (Points)", default=2000)
    tsl_grade_a_ratio = fields.Float(
        string="Grade A: Top (%)", default=20.0, help="Ranking method: the top share."
    )
    tsl_grade_b_ratio = fields.Float(
        string="Grade B: Next (%)",
        default=30.0,
        help="Ranking method: the share after grade A.",
    )
    tsl_downgrade_months = fields.Integer(
        string="Downgrade After Months Without Purchase", default=12
    )
    tsl_frequency_drop_percent = fields.Integer(
        string="Frequency Drop (%)",
        default=50,
        help="Downgrade one grade when the purchases of the last 12 months fall "
        "below this share of the 12 months before.",
    )
    tsl_lapse_months = fields.Integer(
        string="Lapse After Months Without Purchase", default=24
    )
    tsl_grade_override_months = fields.Integer(
        string="Manual Grade Holds (Months)", default=12
    )
    tsl_phone_region = fields.Char(string="Default Phone Region", default="CN", size=2)
    tsl_deposit_reminder_days = fields.Integer(
        string="Deposit Reminder (Days Before Pickup)", default=1
    )
