# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class TslRewardBand(models.Model):
    """One band of an annual points reward (尊荣奖, 特等奖, 一等奖 … 五等奖):
    the points earned in the year from ``min_points`` up to, but not
    including, ``max_points`` (0 = no upper limit). Applying for it locks
    ``min_points``."""

    _name = "tsl.reward.band"
    _description = "Points Reward Band"
    _order = "campaign_id, min_points desc, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    campaign_id = fields.Many2one(
        "tsl.reward.campaign", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True)
    min_points = fields.Integer(
        string="From (Points)",
        required=True,
        help="Points earned in the year from this figure; applying locks them.",
    )
    max_points = fields.Integer(
        string="Up To (Points)",
        help="Upper limit, not included (0 = no limit).",
    )
    tier_ids = fields.Many2many(
        "tsl.member.tier",
        string="Only for Tiers",
        help="Only members of these tiers (e.g. the SAXX brand tier) may have "
        "this band; empty = every tier the campaign accepts.",
    )
    option_ids = fields.One2many(
        "tsl.reward.option", "band_id", string="Choices", copy=True
    )
    range_display = fields.Char(string="Points", compute="_compute_range_display")
    best_voucher_amount = fields.Monetary(
        compute="_compute_best_voucher_amount",
        currency_field="currency_id",
        help="The highest cash voucher the band offers.",
    )
    currency_id = fields.Many2one(related="campaign_id.currency_id")

    _sql_constraints = [
        ("min_positive", "CHECK(min_points > 0)", "A band starts above 0 points."),
        (
            "max_above_min",
            "CHECK(max_points = 0 OR max_points > min_points)",
            "A band's upper limit is above its lower limit.",
        ),
    ]

    @api.depends("min_points", "max_points")
    def _compute_range_display(self):
        for band in self:
            if band.max_points:
                band.range_display = f"{band.min_points:,} – {band.max_points:,}"
            else:
                band.range_display = f"≥ {band.min_points:,}"

    @api.depends("option_ids.voucher_amount", "option_ids.option_type")
    def _compute_best_voucher_amount(self):
        for band in self:
            amounts = band.option_ids.filtered(
                lambda o: o.option_type == "voucher"
            ).mapped("voucher_amount")
            band.best_voucher_amount = max(amounts) if amounts else 0.0

    @api.constrains("min_points", "max_points", "tier_ids", "campaign_id")
    def _check_overlap(self):
        """Bands open to the same members never overlap: a member has one
        band."""
        for band in self:
            for other in band.campaign_id.band_ids - band:
                same_public = set(band.tier_ids.ids) == set(other.tier_ids.ids)
                if not same_public:
                    continue
                hi = band.max_points or float("inf")
                other_hi = other.max_points or float("inf")
                if band.min_points < other_hi and other.min_points < hi:
                    raise ValidationError(
                        _(
                            "Bands %(band)s and %(other)s overlap.",
                            band=band.name,
                            other=other.name,
                        )
                    )

    def _tsl_holds(self, points):
        self.ensure_one()
        return points >= self.min_points and (
            not self.max_points or points < self.max_points
        )

    def _tsl_tier_allowed(self, tier):
        self.ensure_one()
        return not self.tier_ids or tier in self.tier_ids
