# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo.tests import tagged

from odoo.addons.tsl_loyalty.tests.common_reward import TslRewardCommon


@tagged("post_install", "-at_install")
class TestRewardReasons(TslRewardCommon):
    """The annual points reward opens this week: 陈静 (Star Diamond, 60,050
    points this year) is called to apply; 王强 (Select, a tier the campaign
    does not reward) is not. 李娜 already applied: no call to apply; when her
    gift is ready at the store (state set by the approval workflow of another
    addon, here by SQL) she is called to collect it."""

    def test_application_and_collection(self):
        week = self.today - timedelta(days=self.today.weekday())
        self.campaign.date_from = week
        chen = self.member("陈静", "M70000001", self.tier_star, mobile="13900000101")
        wang = self.member("王强", "M70000002", self.tier_select, mobile="13900000102")
        li = self.member("李娜", "M70000003", self.tier_star, mobile="13900000103")
        for partner in chen | wang | li:
            self.earn(partner, 60050)
        request = self.Request.tsl_apply(li, self.option("Second Prize"), "store")
        CallList = self.env["tsl.call.list"]
        Call = self.env["tsl.call"]

        def codes(partner):
            call = Call.search(
                [("partner_id", "=", partner.id), ("week_start", "=", week)]
            )
            return set(call.reason_ids.mapped("reason_type_id.code"))

        CallList._build_week(week, self.store)
        self.assertEqual(codes(chen), {"reward_application"})
        reason = Call.search([("partner_id", "=", chen.id)]).reason_ids
        self.assertEqual(
            (reason.res_model, reason.res_id), ("tsl.reward.campaign", self.campaign.id)
        )
        self.assertFalse(codes(wang), "tier not rewarded")
        self.assertFalse(codes(li), "already applied")

        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE tsl_redemption_request SET state = 'ready' WHERE id = %s",
            (request.id,),
        )
        self.env.invalidate_all()
        CallList._build_week(week, self.store)
        self.assertEqual(codes(li), {"gift_collection"})
        line = Call.search([("partner_id", "=", li.id)]).reason_ids
        self.assertEqual(line.res_id, request.id)
        self.assertEqual(line.note, request.name)

    def test_referral_reward_earned(self):
        """孙丽 brought a new member: her earned referral reward is a reason
        to call her; once claimed, it is not."""
        week = self.today - timedelta(days=self.today.weekday())
        sun = self.member("孙丽", "M70000004", self.tier_star, mobile="13900000104")
        rule = self.env["tsl.referral.rule"].create(
            {"name": "MGM each", "rule_type": "each"}
        )
        reward = (
            self.env["tsl.referral.reward"]
            .sudo()
            .create({"referrer_id": sun.id, "rule_id": rule.id, "state": "earned"})
        )
        CallList = self.env["tsl.call.list"]
        CallList._build_week(week, self.store)
        call = self.env["tsl.call"].search(
            [("partner_id", "=", sun.id), ("week_start", "=", week)]
        )
        self.assertEqual(call.reason_ids.reason_type_id.code, "referral")
        self.assertEqual(call.reason_ids.res_id, reward.id)
        call.unlink()
        reward.state = "claimed"
        CallList._build_week(week, self.store)
        self.assertFalse(
            self.env["tsl.call"].search(
                [("partner_id", "=", sun.id), ("week_start", "=", week)]
            )
        )
