# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged

from .common_reward import TslRewardCommon


@tagged("post_install", "-at_install")
class TestRewardCampaign(TslRewardCommon):
    """陈静, Senior Premier, earned 60,050 points this year: the Second Prize
    (50,000–100,000), a ¥1,000 voucher or a gift. Applying locks the band's
    50,000 points and leaves her 10,050."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chen = cls.member("陈静", "M93000001", cls.tier_senior)
        cls.earn(cls.chen, 60050)

    def test_band_from_the_points_earned_in_the_year(self):
        self.assertEqual(
            self.campaign.tsl_eligible_band(self.chen).name, "Second Prize"
        )
        # last year's points do not count, even unspent
        last_year = self.env["tsl.points.year"]._tsl_for_date(
            self.year.date_from - timedelta(days=1)
        )
        self.earn(self.chen, 600000, year=last_year)
        self.assertEqual(
            self.campaign.tsl_eligible_band(self.chen).name, "Second Prize"
        )
        # the upper limit is not included: 100,000 is the First Prize
        wang = self.member("王丽", "M93000002", self.tier_star)
        self.earn(wang, 100000)
        self.assertEqual(self.campaign.tsl_eligible_band(wang).name, "First Prize")
        # SAXX members have their own band from 3,000 points, and the others
        # above it; 2,999 points give nothing
        saxx = self.member("林菲", "M93000003", self.tier_saxx)
        self.earn(saxx, 4200)
        self.assertEqual(self.campaign.tsl_eligible_band(saxx).name, "SAXX Prize")
        self.earn(saxx, 3800, key="saxx-more")
        self.assertEqual(self.campaign.tsl_eligible_band(saxx).name, "Fifth Prize")
        star = self.member("赵雪", "M93000004", self.tier_star)
        self.earn(star, 4200)
        self.assertFalse(self.campaign.tsl_eligible_band(star), "SAXX band only")
        # Premier is not a tier of this campaign (benefits matrix)
        premier = self.member("黄丽华", "M93000005", self.tier_premier)
        self.earn(premier, 60050)
        self.assertFalse(self.campaign.tsl_eligible_band(premier))

    def test_apply_by_sms_locks_the_band_points(self):
        request = self.Request.tsl_apply(
            self.chen, self.option("Second Prize"), "sms", store=self.store_b
        )
        self.assertEqual(request.state, "applied")
        self.assertTrue(request.name.startswith("RED/"))
        self.assertEqual(request.band_id.name, "Second Prize")
        self.assertEqual((request.points, request.year_points), (50000, 60050))
        self.assertEqual(request.store_id, self.store_b)
        self.chen.invalidate_recordset()
        self.assertEqual(
            (self.chen.tsl_points_balance, self.chen.tsl_points_locked), (10050, 50000)
        )
        locks = self.env["tsl.points.move"].search(
            [("partner_id", "=", self.chen.id), ("origin", "=", request.name)]
        )
        self.assertEqual(locks.mapped("move_type"), ["lock"])
        self.assertEqual(sum(locks.mapped("locked")), 50000)
        self.assertIn(
            "50000 points locked", " ".join(request.message_ids.mapped("body"))
        )

    def test_refusals_name_the_reason(self):
        first_prize = self.option("First Prize")
        with self.assertRaisesRegex(UserError, "the band is Second Prize"):
            self.Request.tsl_apply(self.chen, first_prize, "store")
        request = self.Request.tsl_apply(
            self.chen, self.option("Second Prize"), "store"
        )
        with self.assertRaisesRegex(UserError, f"already applied .*{request.name}"):
            self.Request.tsl_apply(
                self.chen, self.option("Second Prize", "gift"), "sms"
            )
        # outside the application window
        with freeze_time(self.campaign.date_to + timedelta(days=1)):
            other = self.member("王丽", "M93000006", self.tier_star)
            self.earn(other, 12000)
            with self.assertRaisesRegex(UserError, "accepted from"):
                self.Request.tsl_apply(other, self.option("Fourth Prize"), "hotline")
        # a closed campaign
        self.campaign.action_close()
        with self.assertRaisesRegex(UserError, "not open"):
            self.Request.tsl_apply(other, self.option("Fourth Prize"), "hotline")

    def test_not_enough_points_left(self):
        """Earned 60,050 but spent 20,000 on cash-back: 40,050 left, the
        Second Prize needs 50,000."""
        self.chen.tsl_points_spend(20000, "Cash-back")
        with self.assertRaisesRegex(UserError, "needs 50000 points .* 40050 available"):
            self.Request.tsl_apply(self.chen, self.option("Second Prize"), "store")
        self.assertFalse(self.Request.search([("partner_id", "=", self.chen.id)]))

    def test_cancel_gives_back_exactly_what_was_locked(self):
        request = self.Request.tsl_apply(
            self.chen, self.option("Second Prize"), "store"
        )
        request.action_cancel()
        self.chen.invalidate_recordset()
        self.assertEqual(request.state, "cancelled")
        self.assertEqual(
            (self.chen.tsl_points_balance, self.chen.tsl_points_locked), (60050, 0)
        )
        with self.assertRaisesRegex(UserError, "already cancelled"):
            request.action_cancel()
        self.chen.invalidate_recordset()
        self.assertEqual(self.chen.tsl_points_balance, 60050, "not given back twice")
        # she may apply again, for the gift this time
        again = self.Request.tsl_apply(
            self.chen, self.option("Second Prize", "gift"), "store"
        )
        self.assertEqual(again.state, "applied")

    def test_reward_voucher_issued_once(self):
        request = self.Request.tsl_apply(
            self.chen, self.option("Second Prize"), "store"
        )
        voucher = request._tsl_issue_reward_voucher()
        self.assertEqual(
            (voucher.voucher_type, voucher.amount, voucher.points_cost),
            ("reward", 1000.0, 50000),
        )
        self.assertEqual(voucher.partner_id, self.chen)
        self.assertEqual(voucher.date_to, self.today + timedelta(days=90))
        self.assertEqual(request._tsl_issue_reward_voucher(), voucher)
        self.assertEqual(len(self.chen.tsl_voucher_ids.filtered("points_cost")), 1)
        # the approval spends the locked points
        request._tsl_redeem_points()
        self.chen.invalidate_recordset()
        self.assertEqual(
            (self.chen.tsl_points_balance, self.chen.tsl_points_locked), (10050, 0)
        )
        # a gift request gets no voucher
        gift = self.member("王丽", "M93000007", self.tier_star)
        self.earn(gift, 12000)
        gift_request = self.Request.tsl_apply(
            gift, self.option("Fourth Prize", "gift"), "store"
        )
        self.assertFalse(gift_request._tsl_issue_reward_voucher())

    def test_draft_from_the_back_office(self):
        request = self.Request.create(
            {
                "partner_id": self.chen.id,
                "campaign_id": self.campaign.id,
                "channel": "hotline",
            }
        )
        self.assertEqual(
            request.allowed_option_ids, self.bands["Second Prize"].option_ids
        )
        request.option_id = self.option("Second Prize", "gift")
        request.action_apply()
        self.assertEqual((request.state, request.points), ("applied", 50000))
        with self.assertRaises(UserError):
            request.unlink()

    def test_bands_do_not_overlap(self):
        with self.assertRaises(ValidationError):
            self.env["tsl.reward.band"].create(
                {
                    "campaign_id": self.campaign.id,
                    "name": "Overlap",
                    "min_points": 40000,
                    "max_points": 60000,
                }
            )

    def test_store_visibility(self):
        request = self.Request.tsl_apply(
            self.chen, self.option("Second Prize"), "store"
        )
        other_store = self.env["tsl.store"].create(
            {"name": "Hangzhou", "code": "R-HZ1", "area_id": self.area.id}
        )
        manager = new_test_user(
            self.env, "rew_mgr", groups="tsl_crm.group_tsl_store_manager"
        )
        manager.tsl_store_ids = self.store
        outsider = new_test_user(
            self.env, "rew_out", groups="tsl_crm.group_tsl_store_manager"
        )
        outsider.tsl_store_ids = other_store
        self.assertEqual(self.Request.with_user(manager).search([]), request)
        self.assertFalse(self.Request.with_user(outsider).search([]))
        with self.assertRaises(AccessError):
            self.Campaign.with_user(manager).create(
                {
                    "points_year_id": self.year.id,
                    "date_from": self.today,
                    "date_to": self.today,
                }
            )
