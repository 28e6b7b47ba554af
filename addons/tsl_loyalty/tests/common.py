# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.addons.point_of_sale.tests.common import TestPoSCommon


class TslLoyaltyPosCommon(TestPoSCommon):
    """A Shanghai store with its till, a Star Diamond member, rings and gold
    bars (no points), the seeds' 1 point per ¥1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("tsl_crm.group_tsl_hq_crm")
        company = cls.env.company
        Categ = cls.env["product.category"]
        cls.categ_jewel = Categ.create({"name": "P12 Diamonds 90pt-1ct"})
        cls.categ_gold = Categ.create({"name": "P26 Gold Bars"})
        cls.categ_gold_small = Categ.create(
            {"name": "P26 Gold Bars 10g", "parent_id": cls.categ_gold.id}
        )
        company.write(
            {
                "tsl_points_rate": 1.0,
                "tsl_points_excluded_categ_ids": [(6, 0, cls.categ_gold.ids)],
                "tsl_points_year_start_month": 1,
                "tsl_points_expiry_months": 12,
                "tsl_birthday_points_factor": 2.0,
                "tsl_birthday_extra_discount": 10.0,
                "tsl_formal_points_threshold": 1000,
            }
        )
        cls.area = cls.env["tsl.area"].create({"name": "East", "code": "L-EAST"})
        cls.store_a = cls.env["tsl.store"].create(
            {"name": "Nanjing Road", "code": "L-SH1", "area_id": cls.area.id}
        )
        cls.store_b = cls.env["tsl.store"].create(
            {"name": "Xujiahui", "code": "L-SH2", "area_id": cls.area.id}
        )
        cls.config = cls.basic_config
        cls.config.tsl_store_id = cls.store_a
        cls.tier_star = cls.env.ref("tsl_crm.tsl_member_tier_star_diamond")
        cls.tier_star.points_multiplier = 1.5
        cls.ring = cls.create_product("Diamond Ring", cls.categ_jewel, 1000.0)
        cls.bar = cls.create_product("Gold Bar 10g", cls.categ_gold_small, 5000.0)
        cls.member = cls.env["res.partner"].create(
            {
                "name": "王丽",
                "tsl_member_state": "formal",
                "tsl_member_number": "M90000001",
                "tsl_tier_id": cls.tier_star.id,
                "tsl_store_id": cls.store_a.id,
                "mobile": "13800138000",
            }
        )

    def sync(self, *orders):
        result = self.env["pos.order"].sync_from_ui(list(orders))
        return self.env["pos.order"].browse([o["id"] for o in result["pos.order"]])

    def earn_lines(self, partner=None):
        return self.env["tsl.points.move"].search(
            [
                ("partner_id", "=", (partner or self.member).id),
                ("move_type", "=", "earn"),
            ]
        )

    def assert_ledger_consistent(self, partner=None):
        """The stored figures equal the ledger sums, per year and in total."""
        partner = partner or self.member
        partner.invalidate_recordset()
        moves = self.env["tsl.points.move"].search([("partner_id", "=", partner.id)])
        self.assertEqual(partner.tsl_points_balance, sum(moves.mapped("points")))
        self.assertEqual(partner.tsl_points_locked, sum(moves.mapped("locked")))
        for balance in partner.tsl_points_balance_ids:
            year_moves = moves.filtered(lambda m, b=balance: m.year_id == b.year_id)
            self.assertEqual(balance.balance, sum(year_moves.mapped("points")))
            self.assertEqual(balance.locked, sum(year_moves.mapped("locked")))
        self.assertGreaterEqual(partner.tsl_points_balance, 0)
