# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TslKycAdvisorScore(models.Model):
    """An associate's results of a week, from which the best advisor is named."""

    _name = "tsl.kyc.advisor.score"
    _description = "Advisor Week Results"
    _order = "score desc, user_id"

    week_id = fields.Many2one(
        "tsl.kyc.week", required=True, index=True, ondelete="cascade"
    )
    store_id = fields.Many2one(related="week_id.store_id", store=True)
    user_id = fields.Many2one("res.users", string="Associate", required=True)
    calls_reached = fields.Integer()
    kyc_done = fields.Integer(string="Customers Learned")
    complaints_resolved = fields.Integer()
    score = fields.Integer()
