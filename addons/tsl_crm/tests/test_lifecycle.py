# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo.tests import freeze_time, tagged

from .common import TslCrmCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24")
class TestLifecycle(TslCrmCommon):
    def test_temporary_member_becomes_formal_at_threshold(self):
        """A temporary member buys ¥600 then ¥500: at 1,100 points (spend,
        without the loyalty addon) she passes the 1,000 threshold, becomes
        formal, and her associate gets the card-pickup activity for day 5."""
        member = self.env["res.partner"].tsl_enrol(self.enrol_values())
        member.tsl_associate_id = self.assoc_sh1
        self.buy(member, 600, "2026-11-01")
        self.env["res.partner"]._cron_tsl_member_nightly()
        self.assertEqual(member.tsl_member_state, "temporary")
        self.assertEqual(member.tsl_spend_12m, 600)

        self.buy(member, 500, "2026-11-23")
        self.env["res.partner"]._cron_tsl_member_nightly()
        self.assertEqual(member.tsl_member_state, "formal")
        self.assertEqual(member.tsl_formal_date, date(2026, 11, 24))
        self.assertEqual(member.tsl_card_state, "preparing")
        self.assertEqual(member.tsl_card_ready_date, date(2026, 11, 29))
        activity = member.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("tsl_crm.mail_activity_type_card_pickup")
        )
        self.assertEqual(activity.date_deadline, date(2026, 11, 29))
        self.assertEqual(activity.user_id, self.assoc_sh1)
        self.assertIn("formal member", " ".join(member.message_ids.mapped("body")))

        member.action_tsl_card_collected()
        self.assertEqual(member.tsl_card_state, "collected")
        self.assertFalse(member.activity_ids.filtered(lambda a: a == activity))

    def test_mail_delivery_activity(self):
        member = self.env["res.partner"].tsl_enrol(self.enrol_values())
        member.tsl_card_delivery = "mail"
        self.buy(member, 1200, "2026-11-20")
        self.env["res.partner"]._cron_tsl_member_nightly()
        pickup = self.env.ref("tsl_crm.mail_activity_type_card_pickup")
        self.assertEqual(
            member.activity_ids.filtered(
                lambda a: a.activity_type_id == pickup
            ).summary,
            "Mail the member card",
        )
        member.action_tsl_card_mailed()
        self.assertEqual(member.tsl_card_state, "mailed")

    def test_threshold_is_configurable(self):
        self.env.company.tsl_formal_points_threshold = 2000
        member = self.env["res.partner"].tsl_enrol(self.enrol_values())
        self.buy(member, 1500, "2026-11-20")
        self.env["res.partner"]._cron_tsl_member_nightly()
        self.assertEqual(member.tsl_member_state, "temporary")

    def test_lapse_and_reactivation(self):
        """No purchase for 24 months: the member lapses (logged in the chatter);
        a new purchase makes her formal again."""
        member = self.make_member("孙悦", self.store_sh1, tsl_enrol_date="2022-03-01")
        self.buy(member, 3000, "2024-10-01")
        self.env["res.partner"]._cron_tsl_member_nightly()
        self.assertEqual(member.tsl_member_state, "lapsed")
        self.assertEqual(member.tsl_lapsed_date, date(2026, 11, 24))
        self.assertIn("Lapsed", " ".join(member.message_ids.mapped("body")))

        self.buy(member, 800, "2026-11-20")
        self.env["res.partner"]._cron_tsl_member_nightly()
        self.assertEqual(member.tsl_member_state, "formal")
        self.assertFalse(member.tsl_lapsed_date)
        self.assertIn("Reactivated", " ".join(member.message_ids.mapped("body")))

    def test_recent_member_without_purchase_does_not_lapse(self):
        member = self.make_member("钱多多", self.store_sh1, tsl_enrol_date="2026-01-05")
        self.env["res.partner"]._cron_tsl_member_nightly()
        self.assertEqual(member.tsl_member_state, "formal")

    def test_status_changes_tracked(self):
        member = self.env["res.partner"].tsl_enrol(self.enrol_values())
        # tracking values are written at commit, and not in the creating one
        self.env.flush_all()
        self.env.cr.precommit.run()
        member.write({"tsl_store_id": self.store_sh2.id, "tsl_member_state": "formal"})
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = member.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("tsl_store_id", tracked)
        self.assertIn("tsl_member_state", tracked)

    def test_renewal_qualification(self):
        """Star Diamond renews from ¥50,000 a year: ¥60,000 qualifies."""
        rich = self.make_member("周芷若", self.store_bj1, tsl_tier_id=self.tier_star.id)
        poor = self.make_member("吴用", self.store_bj1, tsl_tier_id=self.tier_star.id)
        self.buy(rich, 60000, "2026-06-01")
        self.buy(poor, 20000, "2026-06-01")
        self.env["res.partner"]._cron_tsl_member_nightly()
        self.assertTrue(rich.tsl_renewal_qualified)
        self.assertFalse(poor.tsl_renewal_qualified)

    def test_tier_for_first_purchase(self):
        Tier = self.env["tsl.member.tier"]
        self.assertEqual(Tier._tsl_tier_for_amount(900), self.tier_select)
        self.assertEqual(Tier._tsl_tier_for_amount(100000), self.tier_star)
        self.assertFalse(Tier._tsl_tier_for_amount(100))
        self.assertEqual(
            Tier._tsl_tier_for_amount(6000, brand=True),
            self.env.ref("tsl_crm.tsl_member_tier_saxx"),
        )
