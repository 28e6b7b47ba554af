# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models


class TslMemberTier(models.Model):
    _name = "tsl.member.tier"
    _inherit = ["tsl.member.tier", "pos.load.mixin"]

    points_multiplier = fields.Float(
        default=1.0, help="Points earned are multiplied by this figure."
    )
    discount_rule_ids = fields.One2many(
        "tsl.discount.rule", "tier_id", string="Member Discounts"
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Member Pricelist",
        readonly=True,
        copy=False,
        help="Generated from the discount matrix; members of the tier get it.",
    )
    birthday_pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Birthday Pricelist",
        readonly=True,
        copy=False,
        help="The member discount plus the birthday extra discount, for the one "
        "birthday-month purchase.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        tiers = super().create(vals_list)
        tiers._tsl_sync_pricelists()
        return tiers

    # ---- POS: the badge's tier and its two pricelists ------------------------
    @api.model
    def _load_pos_data_fields(self, config_id):
        return [
            "id",
            "name",
            "code",
            "color",
            "points_multiplier",
            "pricelist_id",
            "birthday_pricelist_id",
        ]

    @api.model
    def _tsl_sync_all_pricelists(self):
        """Install hook: the tiers defined before this addon get pricelists."""
        self.with_context(active_test=False).search([])._tsl_sync_pricelists()

    def _tsl_sync_pricelists(self):
        """(Re)build the tier's two pricelists from the discount matrix: one
        item per product category, the birthday one with the extra discount
        compounded (20 % off then 10 % off = 72 % of the price)."""
        extra = self.env.company.tsl_birthday_extra_discount / 100.0
        Pricelist = self.env["product.pricelist"].sudo()
        for tier in self:
            if not tier.pricelist_id:
                tier.pricelist_id = Pricelist.create(
                    {
                        "name": _("Members: %(tier)s", tier=tier.name),
                        "sequence": 50,
                        "company_id": False,
                    }
                )
            if not tier.birthday_pricelist_id:
                tier.birthday_pricelist_id = Pricelist.create(
                    {
                        "name": _("Birthday: %(tier)s", tier=tier.name),
                        "sequence": 51,
                        "company_id": False,
                    }
                )
            rules = tier.discount_rule_ids.filtered(lambda r: r.categ_id)
            tier.pricelist_id.item_ids = [(5, 0, 0)] + [
                (0, 0, rule._tsl_pricelist_item_vals(rule.discount)) for rule in rules
            ]
            birthday_items = []
            for rule in rules:
                if rule.no_birthday_extra:
                    pct = rule.discount
                else:
                    pct = 100.0 - (100.0 - rule.discount) * (1.0 - extra)
                birthday_items.append((0, 0, rule._tsl_pricelist_item_vals(pct)))
            if extra:
                birthday_items.append(
                    (
                        0,
                        0,
                        {
                            "applied_on": "3_global",
                            "compute_price": "percentage",
                            "percent_price": extra * 100.0,
                        },
                    )
                )
            tier.birthday_pricelist_id.item_ids = [(5, 0, 0)] + birthday_items
        self.env["res.partner"]._tsl_assign_tier_pricelists(self)
        self.env["pos.config"].sudo().search(
            [("tsl_store_id", "!=", False)]
        )._tsl_add_member_pricelists()
