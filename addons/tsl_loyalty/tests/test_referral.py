# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_reward import TslRewardCommon


@tagged("post_install", "-at_install")
class TestReferral(TslRewardCommon):
    """王丽 brings new members (新会员推荐计划): 2 Premier members give her the
    "2 referrals" gift, a 4th the "4 referrals" gift, each Star Diamond a
    gift choice, and a referred member whose net spend reaches ¥16,000 one
    more gift — each once, however often the nightly job runs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["tsl.referral.rule"]
        # the demo rules and referrals would give rewards of their own
        cls.Rule.search([]).write({"active": False})
        cls.env["res.partner"].search([("tsl_referrer_id", "!=", False)]).write(
            {"tsl_referrer_id": False}
        )
        gift_1, gift_2, gift_3, gift_4 = cls.gift_products
        premier_up = cls.tier_premier | cls.tier_senior | cls.tier_star

        def rule(name, rule_type, gifts, **vals):
            return cls.Rule.create(
                {
                    "name": name,
                    "rule_type": rule_type,
                    "option_ids": [
                        (0, 0, {"option_type": "gift", "product_id": gift.id})
                        for gift in gifts
                    ],
                    **vals,
                }
            )

        cls.rule_2 = rule(
            "2 referrals",
            "count",
            gift_1 | gift_2,
            referral_count=2,
            tier_ids=[(6, 0, premier_up.ids)],
        )
        cls.rule_4 = rule(
            "4 referrals",
            "count",
            gift_3,
            referral_count=4,
            tier_ids=[(6, 0, premier_up.ids)],
        )
        cls.rule_star = rule(
            "Each Star Diamond",
            "each",
            gift_3 | gift_4,
            tier_ids=[(6, 0, cls.tier_star.ids)],
        )
        cls.rule_spend = rule("Net spend ¥16,000", "spend", gift_4, spend_amount=16000)
        cls.wang = cls.member("王丽", "M94000001", cls.tier_star)
        cls.seq = 0

    def referred(self, tier, days_ago=10, **vals):
        type(self).seq += 1
        return self.member(
            f"新会员{self.seq}",
            f"M9410{self.seq:04d}",
            tier,
            tsl_referrer_id=self.wang.id,
            tsl_enrol_date=self.today - timedelta(days=days_ago),
            **vals,
        )

    def run_job(self):
        return self.Rule._cron_tsl_referral_rewards()

    def rewards(self, rule=None):
        domain = [("referrer_id", "=", self.wang.id)]
        if rule:
            domain.append(("rule_id", "=", rule.id))
        return self.env["tsl.referral.reward"].search(domain)

    def test_2_then_4_premier_referrals(self):
        first = self.referred(self.tier_premier, days_ago=20)
        second = self.referred(self.tier_premier, days_ago=15)
        self.referred(self.tier_select)  # Select does not count
        self.assertEqual(self.run_job(), 1)
        reward = self.rewards(self.rule_2)
        self.assertEqual(reward.state, "earned")
        self.assertEqual(reward.referred_ids, first | second)
        self.assertEqual(reward.threshold, 2)
        self.assertEqual(self.run_job(), 0, "once")
        self.referred(self.tier_premier, days_ago=5)
        self.assertEqual(self.run_job(), 0, "3 referrals: nothing new")
        self.referred(self.tier_senior, days_ago=1)
        self.assertEqual(self.run_job(), 1)
        self.assertEqual(len(self.rewards(self.rule_2)), 1)
        self.assertEqual(len(self.rewards(self.rule_4).referred_ids), 4)
        self.assertEqual(len(self.rewards()), 2)
        self.wang.invalidate_recordset()
        self.assertEqual(self.wang.tsl_referral_count, 5)
        self.assertEqual(
            self.wang.tsl_referral_tier_summary, "1 Senior Premier, 3 Premier, 1 Select"
        )
        self.assertIn(
            "Member-get-member reward earned: 4 referrals",
            " ".join(self.wang.message_ids.mapped("body")),
        )

    def test_each_star_diamond_referral(self):
        """Each Star Diamond gives a gift choice; the second one also makes
        the "2 referrals" (Premier or higher) gift."""
        star_1 = self.referred(self.tier_star)
        self.assertEqual(self.run_job(), 1)
        star_2 = self.referred(self.tier_star)
        self.assertEqual(self.run_job(), 2)
        self.assertEqual(self.run_job(), 0)
        self.assertEqual(
            self.rewards(self.rule_star).mapped("referred_id"), star_2 | star_1
        )
        self.assertEqual(self.rewards(self.rule_2).referred_ids, star_1 | star_2)

    def test_net_spend_reaches_16000(self):
        """The new member buys a ¥15,999 watch: nothing yet. A ring for ¥801
        more: the nightly member job refreshes her net spend to ¥16,800, and
        the referral job gives 王丽 her gift, once."""
        new = self.referred(self.tier_select)
        product = self.env["product.product"].create(
            {"name": "Watch", "type": "consu", "list_price": 15999.0, "taxes_id": []}
        )
        Partner = self.env["res.partner"]

        def buy(price):
            order = self.env["sale.order"].create(
                {
                    "partner_id": new.id,
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": product.id,
                                "price_unit": price,
                                "tax_id": [],
                            },
                        )
                    ],
                }
            )
            order.with_context(skip_procurement=True).action_confirm()
            Partner._tsl_refresh_purchase_stats(self.today)

        buy(15999.0)
        self.assertEqual(new.tsl_total_spend, 15999.0)
        self.run_job()
        self.assertFalse(self.rewards(self.rule_spend))
        buy(801.0)
        self.assertEqual(new.tsl_total_spend, 16800.0)
        self.run_job()
        self.run_job()
        reward = self.rewards(self.rule_spend)
        self.assertEqual(len(reward), 1)
        self.assertEqual(reward.referred_id, new)

    def test_claim_through_a_redemption_request(self):
        self.referred(self.tier_premier)
        self.referred(self.tier_premier)
        self.run_job()
        reward = self.rewards(self.rule_2)
        option = self.rule_2.option_ids[1]
        request = reward.tsl_claim(option, "store", store=self.store_b)
        self.assertEqual(
            (request.request_type, request.state, request.points),
            ("referral", "applied", 0),
        )
        self.assertEqual(request.partner_id, self.wang)
        self.assertEqual(request.product_id, self.gift_products[1])
        self.assertEqual((reward.state, reward.request_id), ("claimed", request))
        with self.assertRaisesRegex(UserError, "cannot be claimed"):
            reward.tsl_claim(option, "sms")
        # cancelling the request makes the reward claimable again
        request.action_cancel()
        self.assertEqual(reward.state, "earned")
        with self.assertRaisesRegex(UserError, "is not a choice"):
            reward.tsl_claim(self.rule_4.option_ids, "sms")
        self.assertEqual(
            reward.tsl_claim(self.rule_2.option_ids[0], "sms").state, "applied"
        )
        self.assertEqual(self.wang.tsl_points_locked, 0)
