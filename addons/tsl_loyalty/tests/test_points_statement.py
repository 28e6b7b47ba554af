# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import tagged

from .common_reward import TslRewardCommon


@tagged("post_install", "-at_install")
class TestPointsStatement(TslRewardCommon):
    """The quarterly points statement (季度积分提醒): 陈静 has 60,050 points
    of this year and reads "your … points are 60,050: exchange them for a
    ¥1,000 voucher before …"; 刘洋 opted out of SMS, 吴刚's number is wrong,
    周婷's 2,000 points reach no reward: she reads her balance."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def member(name, number, tier, mobile, points, sms=True):
            partner = cls.member(
                name,
                number,
                tier,
                mobile=mobile,
                tsl_consent_ids=[(0, 0, {"channel": "sms", "consent": sms})],
            )
            cls.earn(partner, points)
            return partner

        cls.chen = member("陈静", "M95000001", cls.tier_senior, "13800138001", 60050)
        cls.liu = member(
            "刘洋", "M95000002", cls.tier_senior, "13800138002", 60050, sms=False
        )
        cls.wu = member("吴刚", "M95000003", cls.tier_senior, "12345", 60050)
        cls.zhou = member("周婷", "M95000004", cls.tier_senior, "13800138004", 2000)
        cls.members = cls.chen | cls.liu | cls.wu | cls.zhou

    def sms(self, partner=None):
        return self.env["sms.sms"].search(
            [("partner_id", "in", (partner or self.members).ids)]
        )

    def test_quarterly_statement(self):
        self.assertEqual(self.wu.tsl_phone_state, "invalid_format")
        Partner = self.env["res.partner"]
        queued = Partner._cron_tsl_points_statement(batch_size=2)
        self.assertGreaterEqual(queued, 2)
        chen_sms = self.sms(self.chen)
        self.assertEqual(len(chen_sms), 1)
        self.assertEqual(chen_sms.state, "outgoing")
        self.assertEqual(chen_sms.number, "+8613800138001")
        body = chen_sms.body
        self.assertIn("Dear 陈静", body)
        self.assertIn(f"your {self.year.name} points are 60,050", body)
        self.assertIn("1,000 voucher before", body)
        self.assertFalse(self.sms(self.liu), "opted out of SMS")
        self.assertFalse(self.sms(self.wu), "invalid phone")
        self.assertIn("you have 2,000 points available", self.sms(self.zhou).body)
        self.assertEqual(self.chen.tsl_statement_last_date, self.today)
        # once a quarter
        Partner._cron_tsl_points_statement()
        self.assertEqual(len(self.sms()), 2)

    def test_locked_points_are_not_within_reach(self):
        """Once 陈静 applied, 10,050 points are left: no reward offered."""
        self.Request.tsl_apply(self.chen, self.option("Second Prize"), "store")
        self.chen.invalidate_recordset()
        self.assertFalse(self.chen.tsl_statement_band_id)
        self.env["res.partner"]._cron_tsl_points_statement()
        self.assertIn("you have 10,050 points available", self.sms(self.chen).body)
