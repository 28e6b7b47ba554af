# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import TslLoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestPointsSale(TslLoyaltyPosCommon):
    def sale(self, *lines, **vals):
        return self.env["sale.order"].create(
            {
                "partner_id": self.member.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": p.id,
                            "product_uom_qty": q,
                            "price_unit": p.lst_price,
                        },
                    )
                    for p, q in lines
                ],
                **vals,
            }
        )

    def test_confirmed_order_earns_cancel_takes_back(self):
        order = self.sale((self.ring, 2), (self.bar, 1))
        self.assertFalse(self.earn_lines(), "a quotation earns nothing")
        order.action_confirm()
        self.assertEqual(order.tsl_points_earned, 3000)
        self.assertEqual(self.member.tsl_points_balance, 3000)
        order._action_cancel()
        self.assertEqual(self.member.tsl_points_balance, 0)
        self.assertEqual(order.tsl_points_earned, 0)
        # re-confirmed: earns again, once
        order.action_draft()
        order.action_confirm()
        self.assertEqual(self.member.tsl_points_balance, 3000)
        self.assertEqual(len(self.earn_lines()), 2)
        self.assert_ledger_consistent()

    @freeze_time("2026-11-24 10:00:00")
    def test_birthday_benefit_in_sales(self):
        self.member.write({"tsl_birth_month": 11, "tsl_birth_day": 2})
        order = self.sale((self.ring, 1), tsl_birthday_benefit=True)
        order._onchange_tsl_birthday_benefit()
        self.assertEqual(order.pricelist_id, self.tier_star.birthday_pricelist_id)
        order.action_confirm()
        use = self.env["tsl.benefit.use"].search([("sale_order_id", "=", order.id)])
        self.assertEqual(use.state, "valid")
        second = self.sale((self.ring, 1), tsl_birthday_benefit=True)
        with self.assertRaises(UserError) as err:
            second.action_confirm()
        self.assertIn("already used", str(err.exception))
        # cancelling the first order gives the month's benefit back
        order._action_cancel()
        second.action_confirm()
        self.assertEqual(
            self.env["tsl.benefit.use"]
            .search([("sale_order_id", "=", second.id)])
            .state,
            "valid",
        )

    def test_no_benefit_outside_the_month(self):
        self.member.write({"tsl_birth_month": 1, "tsl_birth_day": 2})
        with freeze_time("2026-06-10"):
            order = self.sale((self.ring, 1), tsl_birthday_benefit=True)
            with self.assertRaises(UserError):
                order.action_confirm()
