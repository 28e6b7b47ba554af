# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import TslCallcenterCommon


@tagged("post_install", "-at_install")
class TestKnowYourCustomers(TslCallcenterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 王丽 and two more customers of t_assoc_sh1; 陈静 is t_assoc_sh1b's
        cls.zhou = cls.make_member("周婷", cls.store_sh1, cls.assoc_sh1)
        cls.sun = cls.make_member("孙悦", cls.store_sh1, cls.assoc_sh1)
        cls.Assignment = cls.env["tsl.kyc.assignment"]

    def assigned(self, user, day):
        return self.Assignment.search(
            [("user_id", "=", user.id), ("date", "=", day)]
        ).partner_id

    def test_two_a_day_least_recently_studied_first(self):
        monday, tuesday, wednesday = (
            date(2026, 3, 2),
            date(2026, 3, 3),
            date(2026, 3, 4),
        )
        self.Assignment._cron_assign_daily(monday)
        self.assertEqual(self.assigned(self.assoc_sh1, monday), self.wang | self.zhou)
        self.assertEqual(self.assigned(self.assoc_sh1b, monday), self.chen)
        # a second run the same day assigns nothing more
        self.assertEqual(self.Assignment._cron_assign_daily(monday), 0)
        self.assertEqual(len(self.assigned(self.assoc_sh1, monday)), 2)
        # Tuesday: 孙悦 (never studied) first, then the oldest studied
        self.Assignment._cron_assign_daily(tuesday)
        self.assertEqual(self.assigned(self.assoc_sh1, tuesday), self.sun | self.wang)
        self.Assignment._cron_assign_daily(wednesday)
        self.assertEqual(
            self.assigned(self.assoc_sh1, wednesday), self.zhou | self.wang
        )
        week = self.Assignment.search(
            [("user_id", "=", self.assoc_sh1.id), ("date", "=", monday)]
        ).week_id
        self.assertEqual(week.store_id, self.store_sh1)
        self.assertEqual(week.week_start, monday)
        self.assertEqual(week.week_end, date(2026, 3, 8))
        self.assertGreaterEqual(week.assigned_count, 7)
        # with three a day, all three of t_assoc_sh1's customers
        self.env.company.tsl_kyc_daily_count = 3
        self.Assignment._cron_assign_daily(date(2026, 3, 5))
        self.assertEqual(
            self.assigned(self.assoc_sh1, date(2026, 3, 5)),
            self.wang | self.zhou | self.sun,
        )

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_record_what_was_learned(self):
        self.Assignment._cron_assign_daily(date(2026, 3, 2))
        mine = self.Assignment.with_user(self.assoc_sh1).search(
            [("date", "=", date(2026, 3, 2))]
        )
        self.assertEqual(mine.partner_id, self.wang | self.zhou)
        first = mine[0]
        with self.assertRaises(ValidationError):
            first.action_done()
        kyc_type = self.env.ref("tsl_callcenter.mail_activity_type_kyc")
        activity = first.week_id.activity_ids.filtered(
            lambda a: a.user_id == self.assoc_sh1 and a.activity_type_id == kyc_type
        )
        self.assertEqual(len(activity), 1)
        self.assertIn("王丽", activity.summary)
        self.assertIn("周婷", activity.summary)
        self.assertEqual(activity.date_deadline, date(2026, 3, 2))
        first.learned = "Ring size 12, prefers white gold, daughter born in May."
        first.action_done()
        self.assertEqual(first.state, "done")
        self.assertTrue(activity.exists())
        mine[1].learned = "Buys for her mother's birthday in October."
        mine[1].action_done()
        self.assertFalse(activity.exists())
        others = self.Assignment.search(
            [("user_id", "=", self.assoc_sh1b.id), ("date", "=", date(2026, 3, 2))]
        )
        with self.assertRaises(AccessError):
            others.with_user(self.assoc_sh1).read(["learned"])

    def test_friday_check_and_best_advisor(self):
        """Week of 2 March at Nanjing Road: t_assoc_sh1 learns two customers
        (2 x 2 points), t_assoc_sh1b resolves a complaint (3 points): the best
        advisor is t_assoc_sh1. The manager checks on Friday 6 March."""
        self.Assignment._cron_assign_daily(date(2026, 3, 2))
        mine = self.Assignment.search(
            [("user_id", "=", self.assoc_sh1.id), ("date", "=", date(2026, 3, 2))]
        )
        mine.write({"learned": "Sizes and preferences noted."})
        with freeze_time("2026-03-03 15:00:00"):
            mine.with_user(self.assoc_sh1).action_done()
            complaint = self.env["tsl.complaint"].create(
                {
                    "partner_id": self.chen.id,
                    "store_id": self.store_sh1.id,
                    "description": "Waited too long",
                    "resolution": "Apologised, booked an appointment.",
                }
            )
            complaint.with_user(self.assoc_sh1b).action_resolve()
        week = mine.week_id
        week_m = week.with_user(self.manager_sh1)
        week_m.check_score = 85
        with freeze_time("2026-03-05 18:00:00"):
            with self.assertRaises(UserError):
                week_m.action_check()
        with freeze_time("2026-03-06 17:00:00"):
            with self.assertRaises(AccessError):
                week.with_user(self.assoc_sh1).action_check()
            week_m.action_check()
        self.assertEqual(week.state, "checked")
        self.assertEqual(week.checker_id, self.manager_sh1)
        self.assertEqual(week.check_date, date(2026, 3, 6))
        self.assertEqual(week.best_advisor_id, self.assoc_sh1)
        scores = {s.user_id: s for s in week.score_ids}
        self.assertEqual(scores[self.assoc_sh1].kyc_done, 2)
        self.assertEqual(scores[self.assoc_sh1].score, 4)
        self.assertEqual(scores[self.assoc_sh1b].complaints_resolved, 1)
        self.assertEqual(scores[self.assoc_sh1b].score, 3)
        with self.assertRaises(UserError):
            week_m.action_check()

    def test_best_advisor_named_when_the_week_is_over(self):
        """Nobody checked the week of 2 March: on Monday 9 March the daily
        job names t_assoc_sh1 (one customer learned) best advisor anyway."""
        self.Assignment._cron_assign_daily(date(2026, 3, 2))
        mine = self.Assignment.search(
            [("user_id", "=", self.assoc_sh1.id), ("date", "=", date(2026, 3, 2))]
        )
        mine[0].write({"learned": "Prefers rose gold."})
        mine[0].action_done()
        week = mine.week_id
        Week = self.env["tsl.kyc.week"]
        with freeze_time("2026-03-08"):
            Week._cron_name_best_advisors()
            self.assertFalse(week.best_advisor_id)
        with freeze_time("2026-03-09"):
            Week._cron_name_best_advisors()
        self.assertEqual(week.best_advisor_id, self.assoc_sh1)
        self.assertEqual(week.state, "open")
        scores = {s.user_id: s.score for s in week.score_ids}
        self.assertEqual(scores[self.assoc_sh1], 2)
        self.assertEqual(scores[self.assoc_sh1b], 0)
