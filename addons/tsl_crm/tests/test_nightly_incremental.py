# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
from datetime import date, timedelta

from odoo.tests import freeze_time, tagged
from odoo.tools import SQL

from ..models.res_partner import NIGHTLY_MARKER
from .common import TslCrmCommon

NIGHT_1 = "2026-11-23"
# the tables whose write date brings members into an incremental night (the
# ledger's when tsl_loyalty is installed)
SCOPE_MODELS = (
    "res.partner",
    "pos.order",
    "sale.order",
    "tsl.member.tier",
    "tsl.points.move",
)
NIGHT_2 = "2026-11-24"


@tagged("post_install", "-at_install")
class TestNightlyIncremental(TslCrmCommon):
    """The incremental night reads only the members a full pass could change,
    and changes them exactly as the full pass would.

    Night 1 (2026-11-23) is a full pass. Then the day's changes are written
    and night 2 (2026-11-24) runs incrementally; its result is compared with
    a full pass of the same night, member by member."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"tsl_downgrade_months": 6, "tsl_lapse_months": 24})
        member = cls.make_member
        s = cls.store_sh1
        cls.chen = member("陈静", s)  # buys today: B → proposal A
        cls.zhao = member("赵磊", s)  # an order leaves the 12 months
        cls.sun = member("孙丽", s)  # an order leaves the 24 months
        cls.zhou = member("周杰", s)  # last purchase crosses the downgrade limit
        cls.wu = member("吴芳", s, tsl_enrol_date="2024-11-23")  # lapses tonight
        cls.zheng = member("郑强", s)  # the manual grade expires tonight
        cls.feng = member("冯雪", s, tsl_tier_id=cls.tier_star.id)  # tier edited
        cls.han = member("韩梅", s, tsl_tier_id=cls.tier_star.id)  # member edited
        cls.qian = member("钱坤", s)  # graded again by SQL import: grade NULL
        cls.quiet = member("何静", s)  # nothing happens
        cls.song = member("宋佳", s)  # her order is moved to 陈静 today
        cls.members = (
            cls.chen
            | cls.zhao
            | cls.sun
            | cls.zhou
            | cls.wu
            | cls.zheng
            | cls.feng
            | cls.han
            | cls.qian
            | cls.quiet
            | cls.song
        )

    def setUp(self):
        super().setUp()
        buy = self.buy
        buy(self.chen, 3000, "2026-06-01")
        buy(self.zhao, 2500, "2025-11-23")
        buy(self.zhao, 1000, "2026-03-01")
        buy(self.sun, 800, "2024-11-23")
        buy(self.sun, 700, "2025-06-01")
        buy(self.sun, 600, "2026-06-01")
        buy(self.zhou, 6000, "2026-05-23")
        buy(self.zheng, 6000, "2026-10-01")
        buy(self.feng, 55000, "2026-02-01")
        buy(self.han, 40000, "2026-02-01")
        buy(self.qian, 2500, "2026-04-01")
        buy(self.quiet, 2500, "2026-04-01")
        self.song_order = buy(self.song, 2800, "2026-09-01")
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE res_partner SET tsl_grade = 'A', tsl_grade_date = '2025-01-01'
                WHERE id = %s""",
            [self.zhou.id],
        )
        self.env.cr.execute(
            """UPDATE res_partner SET tsl_grade = 'C', tsl_grade_date = '2026-10-01',
                      tsl_grade_override_until = '2026-11-23'
                WHERE id = %s""",
            [self.zheng.id],
        )
        self.env.invalidate_all()
        Partner = self.env["res.partner"]
        with freeze_time(NIGHT_1):
            stats = Partner.with_context(
                tsl_nightly_full=True
            )._cron_tsl_member_nightly()
        self.assertEqual(stats["scope"], "all")
        # Everything so far happened before night 1, which "started
        # yesterday": the rows written in the last days are aged three days
        # and the marker moved back one; what the test writes from here on
        # (stamped now) is new for night 2.
        self.env.cr.execute("SELECT now() AT TIME ZONE 'UTC'")
        now = self.env.cr.fetchone()[0]
        for model in SCOPE_MODELS:
            if model in self.env:
                self.env.cr.execute(
                    SQL(
                        "UPDATE %s SET write_date = write_date - interval '3 days' "
                        "WHERE write_date > %s",
                        SQL.identifier(self.env[model]._table),
                        now - timedelta(days=3),
                    )
                )
        self.env.invalidate_all()
        marker = json.loads(self.env["ir.config_parameter"].get_param(NIGHTLY_MARKER))
        self.assertEqual(marker["today"], NIGHT_1)
        marker["started"] = str(now - timedelta(days=1))
        self.env["ir.config_parameter"].set_param(NIGHTLY_MARKER, json.dumps(marker))
        self.assertEqual(
            (self.chen.tsl_grade, self.zhou.tsl_grade, self.zheng.tsl_grade),
            ("B", "A", "C"),
        )
        self.assertEqual(self.wu.tsl_member_state, "formal")
        self.assertTrue(self.feng.tsl_renewal_qualified)

    # helpers ----------------------------------------------------------------
    def day_of_business(self):
        """What happens between night 1 and night 2."""
        self.buy(self.chen, 2500, NIGHT_1)
        # HQ raises the Star Diamond renewal amount: 冯雪 no longer qualifies
        self.tier_star.renewal_amount = 60000
        # 韩梅 moves to Select (renewal ¥3,000)
        self.han.tsl_tier_id = self.tier_select
        # the cashier had put 陈静's order on 宋佳: corrected
        self.song_order.partner_id = self.chen
        # 钱坤's grade was cleared by a data import (SQL, no write_date)
        self.env.cr.execute(
            "UPDATE res_partner SET tsl_grade = NULL WHERE id = %s", [self.qian.id]
        )
        self.env.invalidate_all()

    def state(self):
        """Every member's nightly figures, the grade history and the notes."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """SELECT id, tsl_grade, tsl_grade_date, tsl_member_state, tsl_lapsed_date,
                      tsl_spend_12m, tsl_total_spend, tsl_orders_12m,
                      tsl_orders_prev_12m, tsl_first_purchase_date,
                      tsl_last_purchase_date, tsl_grade_points, tsl_renewal_qualified
                 FROM res_partner WHERE tsl_member_state IS NOT NULL ORDER BY id"""
        )
        members = cr.fetchall()
        cr.execute(
            """SELECT partner_id, old_grade, new_grade, change_type, state, points,
                      reason
                 FROM tsl_grade_change ORDER BY partner_id, id"""
        )
        history = cr.fetchall()
        cr.execute(
            """SELECT res_id, body::text FROM mail_message
                WHERE model = 'res.partner' ORDER BY res_id, id"""
        )
        return members, history, cr.fetchall()

    def night(self, **ctx):
        with freeze_time(NIGHT_2):
            return (
                self.env["res.partner"].with_context(**ctx)._cron_tsl_member_nightly()
            )

    def full_pass_rolled_back(self):
        savepoint = self.env.cr.savepoint()
        try:
            self.night(tsl_nightly_full=True)
            result = self.state()
        finally:
            savepoint.close(rollback=True)
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        return result

    # tests ------------------------------------------------------------------
    def test_scope_holds_what_changes_tonight(self):
        self.day_of_business()
        with freeze_time(NIGHT_2):
            count = self.env["res.partner"]._tsl_nightly_scope(date(2026, 11, 24))
        self.env.cr.execute("SELECT id FROM tsl_scope")
        scope = {row[0] for row in self.env.cr.fetchall()}
        self.assertEqual(count, len(scope))
        expected = self.members - self.quiet
        self.assertLessEqual(set(expected.ids), scope)
        self.assertNotIn(self.quiet.id, scope)
        members = self.env["res.partner"].search_count(
            [("tsl_member_state", "!=", False)]
        )
        self.assertLess(len(scope), members / 2, "a quiet night reads few members")

    def test_incremental_night_equals_full_pass(self):
        self.day_of_business()
        full = self.full_pass_rolled_back()
        stats = self.night()
        self.assertIsInstance(stats["scope"], int, "night 2 is incremental")
        self.assertEqual(self.state(), full)
        # and tonight's changes did happen
        chen, zhao, sun = self.chen, self.zhao, self.sun
        self.assertEqual(chen.tsl_spend_12m, 5500 + 2800)
        self.assertEqual(self.song.tsl_spend_12m, 0, "the order left her")
        self.assertEqual(
            chen.tsl_grade_change_ids.filtered(
                lambda c: c.state == "proposed"
            ).new_grade,
            "A",
        )
        self.assertEqual((zhao.tsl_spend_12m, zhao.tsl_orders_12m), (1000, 1))
        self.assertEqual((sun.tsl_orders_12m, sun.tsl_orders_prev_12m), (1, 1))
        self.assertEqual(self.zhou.tsl_grade, "B", "no purchase for 6 months")
        self.assertEqual(self.wu.tsl_member_state, "lapsed")
        self.assertTrue(
            self.zheng.tsl_grade_change_ids.filtered(lambda c: c.state == "proposed"),
            "the manual C expired: the points propose more",
        )
        self.assertFalse(self.feng.tsl_renewal_qualified)
        self.assertTrue(self.han.tsl_renewal_qualified)
        self.assertTrue(self.qian.tsl_grade)

    def test_full_pass_when_settings_change_or_a_week_passed(self):
        Partner = self.env["res.partner"]
        with freeze_time(NIGHT_2):
            self.assertIsInstance(Partner._cron_tsl_member_nightly()["scope"], int)
        self.env.company.tsl_grade_b_points = 2500
        with freeze_time(NIGHT_2):
            self.assertEqual(Partner._cron_tsl_member_nightly()["scope"], "all")
        with freeze_time("2026-11-29"):
            self.assertIsInstance(Partner._cron_tsl_member_nightly()["scope"], int)
        with freeze_time("2026-12-01"):  # last full pass on the 24th
            self.assertEqual(Partner._cron_tsl_member_nightly()["scope"], "all")
        with freeze_time("2026-11-30"):  # the clock moved back
            self.assertEqual(Partner._cron_tsl_member_nightly()["scope"], "all")
        self.env.company.tsl_grade_method = "ranking"
        with freeze_time("2026-11-30"):
            self.assertEqual(Partner._cron_tsl_member_nightly()["scope"], "all")
