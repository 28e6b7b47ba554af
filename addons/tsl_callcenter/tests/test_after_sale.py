# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo.tests import freeze_time, tagged

from odoo.addons.tsl_loyalty.tests.common import TslLoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestAfterSalePlan(TslLoyaltyPosCommon):
    """The 1-3-5 plan on real POS orders: 王丽 (Star Diamond, formal) buys a
    diamond ring on Monday 11 May 2026, so does 赵新 (temporary, 1,000
    points make her formal) and 刘洋, who opted out of SMS."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.member.lang = "en_US"
        cls.categ_jewel.write(
            {
                "tsl_care_advice": "Take the ring off before sports; "
                "clean it with warm water.",
                "tsl_maintenance_months": 6,
            }
        )
        cls.env.company.tsl_card_pickup_days = 5
        cls.temp = cls.env["res.partner"].create(
            {
                "name": "赵新",
                "tsl_member_state": "temporary",
                "tsl_member_number": "M90000002",
                "tsl_store_id": cls.store_a.id,
                "mobile": "13800138001",
                "tsl_card_delivery": "store",
                "lang": "en_US",
            }
        )
        cls.opted_out = cls.env["res.partner"].create(
            {
                "name": "刘洋",
                "tsl_member_state": "formal",
                "tsl_member_number": "M90000003",
                "tsl_store_id": cls.store_a.id,
                "mobile": "13800138002",
                "lang": "en_US",
            }
        )
        cls.env["tsl.member.consent"].create(
            {"partner_id": cls.opted_out.id, "channel": "sms", "consent": False}
        )
        cls.member.tsl_grade = "A"
        cls.Plan = cls.env["tsl.followup.plan"]

    def sms(self, partner):
        return self.env["sms.sms"].search([("partner_id", "=", partner.id)])

    def test_one_three_five(self):
        with freeze_time("2026-05-11 02:00:00"):
            self.open_new_session()
            self.sync(
                self.create_ui_order_data([(self.ring, 1)], customer=self.member),
                self.create_ui_order_data([(self.ring, 1)], customer=self.temp),
                self.create_ui_order_data([(self.ring, 1)], customer=self.opted_out),
            )
        self.assertEqual(self.member.tsl_points_balance, 1500)
        self.assertEqual(self.temp.tsl_member_state, "formal", "1,000 points: formal")
        # nothing on the day of the sale
        self.Plan._run_after_sale(date(2026, 5, 11))
        self.assertFalse(self.sms(self.member))

        # day 1: the SMS with the points
        self.Plan._run_after_sale(date(2026, 5, 12))
        sms = self.sms(self.member)
        self.assertEqual(len(sms), 1)
        self.assertIn("you now have 1500 points", sms.body)
        self.assertNotIn("formal member", sms.body)
        welcome = self.sms(self.temp)
        self.assertIn("you are now a TSL formal member with 1000 points", welcome.body)
        self.assertFalse(self.sms(self.opted_out), "opted out of SMS")
        self.Plan._run_after_sale(date(2026, 5, 12))
        self.assertEqual(len(self.sms(self.member)), 1, "once")

        # day 3: the satisfaction call, with the care advice of the ring
        self.Plan._run_after_sale(date(2026, 5, 14))
        call = self.env["tsl.call"].search(
            [
                ("partner_id", "=", self.member.id),
                ("week_start", "=", date(2026, 5, 11)),
            ]
        )
        self.assertEqual(call.reason_ids.reason_type_id.code, "after_sale")
        self.assertEqual(call.reason_ids.date, date(2026, 5, 11))
        self.assertIn("Take the ring off before sports", call.care_advice)
        self.assertTrue(
            self.env["tsl.call"].search([("partner_id", "=", self.opted_out.id)]),
            "SMS opt-out does not stop the call",
        )
        log3 = self.env["tsl.followup.log"].search(
            [("partner_id", "=", self.member.id), ("plan", "=", "after_sale_3")]
        )
        self.assertEqual(log3.call_id, call)

        # day 5: the new formal member's card pickup, tsl_crm's activity reused
        self.Plan._run_after_sale(date(2026, 5, 16))
        log5 = self.env["tsl.followup.log"].search(
            [("partner_id", "=", self.temp.id), ("plan", "=", "after_sale_5")]
        )
        self.assertEqual(log5.date, date(2026, 5, 16))
        pickup = self.env.ref("tsl_crm.mail_activity_type_card_pickup")
        self.assertEqual(
            len(
                self.temp.activity_ids.filtered(lambda a: a.activity_type_id == pickup)
            ),
            1,
        )
        self.assertFalse(
            self.env["tsl.followup.log"].search(
                [("partner_id", "=", self.member.id), ("plan", "=", "after_sale_5")]
            )
        )

    def test_maintenance_reminder_six_months_later(self):
        with freeze_time("2026-05-11 02:00:00"):
            self.open_new_session()
            order = self.sync(
                self.create_ui_order_data([(self.ring, 1)], customer=self.member)
            )
        with freeze_time("2026-11-09 01:00:00"):
            self.env["tsl.call.list"]._build_week(date(2026, 11, 9), self.store_a)
        call = self.env["tsl.call"].search(
            [
                ("partner_id", "=", self.member.id),
                ("week_start", "=", date(2026, 11, 9)),
            ]
        )
        reason = call.reason_ids.filtered(lambda r: r.code == "maintenance")
        self.assertEqual((reason.res_model, reason.res_id), ("pos.order", order.id))
        self.assertEqual(reason.date, date(2026, 11, 11))
        self.assertIn("P12 Diamonds", reason.note)

    # ------------------------------------------------------------------
    # sales orders count as sales (point of sale and back office alike)
    # ------------------------------------------------------------------
    def sale_order(self, partner, *lines, section=False):
        order_lines = [
            (
                0,
                0,
                {
                    "product_id": product.id,
                    "product_uom_qty": qty,
                    "price_unit": product.lst_price,
                },
            )
            for product, qty in lines
        ]
        if section:
            order_lines.insert(
                0, (0, 0, {"display_type": "line_section", "name": "Engraving"})
            )
        return self.env["sale.order"].create(
            {"partner_id": partner.id, "order_line": order_lines}
        )

    def test_sale_order_and_pos_same_day(self):
        """王丽 buys a ring at the till and a pearl necklace by sales order on
        11 May: day 1 one SMS (both amounts, all her points), day 3 one call
        with the care advice of both categories. 赵新 (temporary) only buys
        by sales order: her SMS and call come all the same; 刘洋's quotation
        is not a sale."""
        categ_pearl = self.env["product.category"].create(
            {
                "name": "P30 Pearls",
                "tsl_care_advice": "Keep pearls away from perfume.",
            }
        )
        necklace = self.create_product("Pearl Necklace", categ_pearl, 500.0)
        with freeze_time("2026-05-11 02:00:00"):
            self.open_new_session()
            pos_order = self.sync(
                self.create_ui_order_data([(self.ring, 1)], customer=self.member)
            )
            so = self.sale_order(self.member, (necklace, 1), section=True)
            so.action_confirm()
            so_temp = self.sale_order(self.temp, (necklace, 1))
            so_temp.action_confirm()
            self.sale_order(self.opted_out, (necklace, 1))  # quotation only
        self.assertEqual(so.state, "sale")
        self.assertEqual(self.member.tsl_points_balance, 2250, "1,500 + 750")
        self.assertEqual(self.temp.tsl_points_balance, 500)

        self.Plan._run_after_sale(date(2026, 5, 12))
        sms = self.sms(self.member)
        self.assertEqual(len(sms), 1, "one SMS for the sale day")
        spent = pos_order.amount_total + so.amount_total
        self.assertEqual(spent, 1500.0)
        self.assertIn(f"You spent {spent} at Nanjing Road", sms.body)
        self.assertIn("you now have 2250 points", sms.body)
        log1 = self.env["tsl.followup.log"].search(
            [("partner_id", "=", self.member.id), ("plan", "=", "after_sale_1")]
        )
        self.assertEqual(
            (log1.pos_order_id, log1.sale_order_id, log1.sms_id),
            (pos_order, so, sms),
        )
        temp_sms = self.sms(self.temp)
        self.assertEqual(len(temp_sms), 1)
        self.assertIn(
            f"You spent {so_temp.amount_total} at Nanjing Road", temp_sms.body
        )
        self.assertIn("you now have 500 points. With 1000 points", temp_sms.body)
        self.assertEqual(
            self.env["tsl.followup.log"]
            .search([("partner_id", "=", self.temp.id), ("plan", "=", "after_sale_1")])
            .sale_order_id,
            so_temp,
        )
        self.assertFalse(self.sms(self.opted_out))
        self.Plan._run_after_sale(date(2026, 5, 12))
        self.assertEqual(len(self.sms(self.member)), 1, "once")

        self.Plan._run_after_sale(date(2026, 5, 14))
        Call = self.env["tsl.call"]
        call = Call.search([("partner_id", "=", self.member.id)])
        self.assertEqual(len(call), 1)
        self.assertEqual(len(call.reason_ids), 1, "one satisfaction reason")
        self.assertIn("Take the ring off before sports", call.care_advice)
        self.assertIn("Keep pearls away from perfume", call.care_advice)
        self.assertIn(so.name, call.reason_ids.note)
        self.assertIn(pos_order.name, call.reason_ids.note)
        temp_call = Call.search([("partner_id", "=", self.temp.id)])
        self.assertIn("Keep pearls away from perfume", temp_call.care_advice)
        self.assertEqual(
            (temp_call.reason_ids.res_model, temp_call.reason_ids.res_id),
            ("sale.order", so_temp.id),
        )
        log3 = self.env["tsl.followup.log"].search(
            [("partner_id", "=", self.temp.id), ("plan", "=", "after_sale_3")]
        )
        self.assertEqual((log3.sale_order_id, log3.call_id), (so_temp, temp_call))
        self.assertFalse(Call.search([("partner_id", "=", self.opted_out.id)]))

    def test_maintenance_reminder_of_a_sales_order(self):
        """A ring sold by sales order in May is due for care in November;
        a cancelled order is not."""
        with freeze_time("2026-05-11 02:00:00"):
            order = self.sale_order(self.member, (self.ring, 1), section=True)
            order.action_confirm()
            cancelled = self.sale_order(self.temp, (self.ring, 1))
            cancelled.action_confirm()
            cancelled._action_cancel()
        with freeze_time("2026-11-09 01:00:00"):
            self.env["tsl.call.list"]._build_week(date(2026, 11, 9), self.store_a)
        Call = self.env["tsl.call"]
        call = Call.search(
            [
                ("partner_id", "=", self.member.id),
                ("week_start", "=", date(2026, 11, 9)),
            ]
        )
        reason = call.reason_ids.filtered(lambda r: r.code == "maintenance")
        self.assertEqual((reason.res_model, reason.res_id), ("sale.order", order.id))
        self.assertEqual(reason.date, date(2026, 11, 11))
        self.assertIn("P12 Diamonds", reason.note)
        temp_call = Call.search(
            [("partner_id", "=", self.temp.id), ("week_start", "=", date(2026, 11, 9))]
        )
        self.assertFalse(
            temp_call.reason_ids.filtered(lambda r: r.code == "maintenance"),
            "a cancelled order is no sale",
        )

    def test_day1_sms_shows_zero_points(self):
        """A gold bar earns no points: the SMS still says 0 points (an inline
        expression worth 0 would render as nothing)."""
        buyer = self.env["res.partner"].create(
            {
                "name": "孙悦",
                "tsl_member_state": "formal",
                "tsl_member_number": "M90000004",
                "tsl_store_id": self.store_a.id,
                "mobile": "13800138004",
                "lang": "en_US",
            }
        )
        with freeze_time("2026-05-11 02:00:00"):
            self.sale_order(buyer, (self.bar, 1)).action_confirm()
        self.assertEqual(buyer.tsl_points_balance, 0)
        self.Plan._run_after_sale(date(2026, 5, 12))
        self.assertIn("You spent 5000.0 at Nanjing Road", self.sms(buyer).body)
        self.assertIn("you now have 0 points", self.sms(buyer).body)
