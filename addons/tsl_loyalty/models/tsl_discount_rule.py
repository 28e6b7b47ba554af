# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class TslDiscountRule(models.Model):
    """One cell of the tier × product-category discount matrix (会员折扣):
    e.g. Star Diamond × P11 (取消款) = 20 % off, × P26 (gold bars) = none."""

    _name = "tsl.discount.rule"
    _description = "Member Discount Rule"
    _order = "tier_id, sequence, id"

    sequence = fields.Integer(default=10)
    tier_id = fields.Many2one(
        "tsl.member.tier", required=True, ondelete="cascade", index=True
    )
    categ_id = fields.Many2one(
        "product.category", string="Product Category", required=True, ondelete="cascade"
    )
    discount = fields.Float(string="Discount (%)", digits=(5, 2))
    no_birthday_extra = fields.Boolean(
        help="The birthday extra discount does not apply (gold bars, sale items).",
    )

    _sql_constraints = [
        (
            "tier_categ_uniq",
            "unique(tier_id, categ_id)",
            "A tier has one discount per product category.",
        )
    ]

    @api.constrains("discount")
    def _check_discount(self):
        for rule in self:
            if not 0.0 <= rule.discount < 100.0:
                raise ValidationError(
                    _("A member discount is from 0% up to, but not including, 100%.")
                )

    def _tsl_pricelist_item_vals(self, percent):
        self.ensure_one()
        return {
            "applied_on": "2_product_category",
            "categ_id": self.categ_id.id,
            "compute_price": "percentage",
            "percent_price": percent,
        }

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules.tier_id._tsl_sync_pricelists()
        return rules

    def write(self, vals):
        tiers = self.tier_id
        res = super().write(vals)
        (tiers | self.tier_id)._tsl_sync_pricelists()
        return res

    def unlink(self):
        tiers = self.tier_id
        res = super().unlink()
        tiers.exists()._tsl_sync_pricelists()
        return res
