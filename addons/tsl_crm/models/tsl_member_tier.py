# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class TslMemberTier(models.Model):
    _name = "tsl.member.tier"
    _description = "Member Tier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10, help="Higher tiers come later.")
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    is_brand_tier = fields.Boolean(
        string="Brand Tier",
        help="A tier of a sub-brand (SAXX): its members are ranked on their own.",
    )
    entry_amount = fields.Monetary(
        string="Entry: First Purchase From",
        currency_field="currency_id",
        help="Entry rule: the first purchase amount that qualifies for this tier.",
    )
    renewal_amount = fields.Monetary(
        string="Renewal: Yearly Spend From",
        currency_field="currency_id",
        help="Annual renewal qualification: spend within the membership year.",
    )
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id
    )
    benefit_welcome = fields.Boolean(string="Welcome Kit", default=True)
    benefit_birthday = fields.Boolean(string="Birthday Benefit", default=True)
    benefit_special_day = fields.Boolean(string="Special-Day Benefit")
    benefit_renewal = fields.Boolean(string="Renewal Coupon")
    benefit_points_reward = fields.Boolean(string="Annual Points Reward")
    benefit_birthday_gift = fields.Boolean(string="Birthday Gift")
    benefit_handwritten_card = fields.Boolean(string="Hand-written Birthday Card")
    description = fields.Html(translate=True)
    member_count = fields.Integer(compute="_compute_member_count")

    _sql_constraints = [
        ("code_uniq", "unique(code, company_id)", "Tier codes must be unique.")
    ]

    def _compute_member_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("tsl_tier_id", "in", self.ids)], ["tsl_tier_id"], ["__count"]
            )
        )
        for tier in self:
            tier.member_count = counts.get(tier, 0)

    @api.model
    def _tsl_tier_for_amount(self, amount, brand=False):
        """The highest tier whose entry rule the first purchase meets."""
        tiers = self.search(
            [("is_brand_tier", "=", brand), ("entry_amount", "<=", amount or 0.0)],
            order="entry_amount desc, sequence desc",
            limit=1,
        )
        return tiers
