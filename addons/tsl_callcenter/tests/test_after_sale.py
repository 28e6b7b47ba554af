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
