# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from .common import TslCallCommon

WEEK1 = date(2026, 4, 6)  # Monday, week 1 of the April cycle
WEEK2 = date(2026, 4, 13)
WEEK3 = date(2026, 4, 20)
WEEK4 = date(2026, 4, 27)


@tagged("post_install", "-at_install")
class TestCallLists(TslCallCommon):
    @classmethod
    def past_call(cls, partner, week_start, outcome, done_at):
        """A call of an earlier week with its outcome, as the associates
        logged it."""
        CallList = cls.env["tsl.call.list"]
        lst = CallList.search(
            [
                ("store_id", "=", partner.tsl_store_id.id),
                ("week_start", "=", week_start),
            ]
        ) or CallList.create(
            {"store_id": partner.tsl_store_id.id, "week_start": week_start}
        )
        return cls.env["tsl.call"].create(
            {
                "list_id": lst.id,
                "store_id": partner.tsl_store_id.id,
                "partner_id": partner.id,
                "week_start": week_start,
                "week_end": lst.week_end,
                "state": "done",
                "outcome": outcome,
                "date_done": done_at,
            }
        )

    @freeze_time("2026-04-06 01:00:00")
    def test_lunar_birthday_and_renewal_make_one_call(self):
        """李娜's lunar birthday (2/21 → 8 April 2026) and her Select tier's
        renewal (since 8 April 2025) fall in the same week: ONE call carrying
        both reasons, class A from the birthday. 张伟 only renews: class B.
        刘洋 refused calls and 陈静's number is wrong: no call for them, and
        周杰's birthday is the week after."""
        li = self.member(
            "李娜",
            tsl_birthday_calendar="lunar",
            tsl_birth_month=2,
            tsl_birth_day=21,
            tsl_tier_id=self.tier_select.id,
            tsl_tier_date="2025-04-08",
            tsl_associate_id=self.assoc_sh1.id,
        )
        self.assertEqual(li.tsl_birthday_next, date(2026, 4, 8))
        zhang = self.member(
            "张伟", tsl_tier_id=self.tier_select.id, tsl_tier_date="2024-04-10"
        )
        liu = self.member("刘洋", tsl_birth_month=4, tsl_birth_day=9)
        self.env["tsl.member.consent"].create(
            {"partner_id": liu.id, "channel": "phone", "consent": False}
        )
        chen = self.member("陈静", tsl_birth_month=4, tsl_birth_day=10)
        chen.tsl_set_phone_state("wrong_number")
        zhou = self.member("周杰", tsl_birth_month=4, tsl_birth_day=20)

        self.build(WEEK1)
        call = self.call_of(li, WEEK1)
        self.assertEqual(len(call), 1)
        self.assertEqual(self.codes(call), {"birthday", "renewal"})
        self.assertEqual(call.call_class, "a")
        self.assertEqual(call.priority, self.rt["birthday"].sequence)
        self.assertEqual(call.user_id, self.assoc_sh1, "her associate takes it")
        self.assertEqual(call.list_id.store_id, self.store_sh1)
        self.assertEqual(call.list_id.name, "T-SH1 2026-W15")
        self.assertEqual(call.list_id.state, "open")
        self.assertEqual(call.list_id.cycle_week, 1)
        birthday = call.reason_ids.filtered(lambda r: r.code == "birthday")
        self.assertEqual(birthday.date, date(2026, 4, 8))
        self.assertIn("cake", birthday.note, "grade B: cake, visit, SMS")
        renewal = self.call_of(zhang, WEEK1)
        self.assertEqual(self.codes(renewal), {"renewal"})
        self.assertEqual(renewal.call_class, "b")
        self.assertFalse(self.call_of(liu, WEEK1), "refused calls")
        self.assertFalse(self.call_of(chen, WEEK1), "wrong number")
        self.assertFalse(self.call_of(zhou, WEEK1), "next week's birthday")
        # every store of the build has its list, even without calls
        lists = self.CallList.search(
            [("week_start", "=", WEEK1), ("store_id", "in", self.stores.ids)]
        )
        self.assertEqual(lists.store_id, self.stores)
        self.assertEqual(lists.mapped("week_end"), [date(2026, 4, 12)] * 3)
        # building again adds nothing
        self.build(WEEK1)
        self.assertEqual(len(self.call_of(li, WEEK1).reason_ids), 2)
        self.assertEqual(
            self.Call.search_count([("list_id", "=", call.list_id.id)]),
            call.list_id.call_count,
        )

    @freeze_time("2026-04-06 01:00:00")
    def test_other_reasons(self):
        """A deposit to pick up, a wedding anniversary, a year without
        purchase, a brand event next week (a week ahead, A and B only) and
        the Xujiahui store's anniversary each bring their member a call."""
        deposit_member = self.member("孙丽", tsl_grade="C")
        deposit = self.env["tsl.deposit"].create(
            {
                "partner_id": deposit_member.id,
                "store_id": self.store_sh1.id,
                "description": "Ring resized",
                "deposit_date": "2026-03-30",
                "pickup_date": "2026-04-09",
            }
        )
        wedding = self.member("吴芳", tsl_grade="C")
        self.env["tsl.special.date"].create(
            {
                "partner_id": wedding.id,
                "date_type": "wedding",
                "calendar": "solar",
                "month": 4,
                "day": 10,
            }
        )
        lapsed = self.member("郑强", tsl_grade="C", tsl_last_purchase_date="2025-04-08")
        vip = self.member("王芳", tsl_grade="A")
        grade_c = self.member("冯雪", tsl_grade="C")
        self.env["tsl.store.event"].create(
            {
                "name": "XVT Jewelry Fashion Show",
                "event_type": "brand_event",
                "date": "2026-04-15",
                "store_ids": [(6, 0, self.store_sh1.ids)],
            }
        )
        self.store_sh2.opening_date = "2019-04-16"
        sh2_member = self.member("何静", self.store_sh2, tsl_grade="A")

        self.build(WEEK1)
        call = self.call_of(deposit_member, WEEK1)
        self.assertEqual(self.codes(call), {"deposit_pickup"})
        reason = call.reason_ids
        self.assertEqual((reason.res_model, reason.res_id), ("tsl.deposit", deposit.id))
        self.assertEqual(reason.note, "Ring resized")
        self.assertEqual(self.codes(self.call_of(wedding, WEEK1)), {"special_day"})
        self.assertEqual(self.codes(self.call_of(lapsed, WEEK1)), {"reactivation"})
        self.assertEqual(self.codes(self.call_of(vip, WEEK1)), {"brand_event"})
        self.assertEqual(self.call_of(vip, WEEK1).call_class, "c")
        self.assertFalse(self.call_of(grade_c, WEEK1), "the event invites A and B")
        self.assertEqual(self.codes(self.call_of(sh2_member, WEEK1)), {"special_event"})

    def test_retries_and_cycle(self):
        """Week 1: 李娜 does not answer; week 2 retries her (attempt 2, same
        reasons, same associate); she answers, so week 3 has nothing for
        her; week 4 reports the lists of the cycle."""
        with freeze_time("2026-04-06 01:00:00"):
            li = self.member(
                "李娜",
                tsl_birth_month=4,
                tsl_birth_day=8,
                tsl_associate_id=self.assoc_sh1.id,
            )
            self.build(WEEK1)
        first = self.call_of(li, WEEK1)
        with freeze_time("2026-04-07 03:00:00"):  # Tuesday 11:00 in Shanghai
            first.action_log_outcome("no_answer", note="voicemail")
        with freeze_time("2026-04-13 01:00:00"):
            self.build(WEEK2)
        retry = self.call_of(li, WEEK2)
        self.assertEqual(retry.attempt_count, 2)
        self.assertEqual(retry.previous_call_id, first)
        self.assertEqual(self.codes(retry), {"birthday"})
        self.assertEqual(retry.user_id, self.assoc_sh1)
        self.assertEqual(retry.list_id.cycle_week, 2)
        with freeze_time("2026-04-14 07:00:00"):  # Tuesday 15:00
            retry.action_log_outcome("reached")
        with freeze_time("2026-04-20 01:00:00"):
            self.build(WEEK3)
        self.assertFalse(self.call_of(li, WEEK3))
        lists = self.CallList.search([("store_id", "=", self.store_sh1.id)])
        self.assertEqual(set(lists.mapped("state")), {"open"})
        with freeze_time("2026-04-27 01:00:00"):
            self.build(WEEK4)
        week4 = lists.filtered(lambda x: x.week_start < WEEK4)
        self.assertEqual(set(week4.mapped("state")), {"reported"})
        self.assertEqual(
            self.CallList.search(
                [("store_id", "=", self.store_sh1.id), ("week_start", "=", WEEK4)]
            ).state,
            "open",
        )
        first_list = first.list_id
        self.assertEqual((first_list.call_count, first_list.unreached_count), (1, 1))

    def test_retry_stops_after_three_attempts(self):
        with freeze_time("2026-04-06 01:00:00"):
            li = self.member("李娜", tsl_birth_month=4, tsl_birth_day=8)
            self.build(WEEK1)
        self.call_of(li, WEEK1).write(
            {"attempt_count": 3, "outcome": "no_answer", "state": "done"}
        )
        with freeze_time("2026-04-13 01:00:00"):
            self.build(WEEK2)
        self.assertFalse(self.call_of(li, WEEK2))

    @freeze_time("2026-04-06 01:00:00")
    def test_contact_cap(self):
        """王强 was reached three times this quarter and earned no points:
        his renewal waits (quarterly cadence), his deposit pickup does not.
        Once he earns points again, he is called for the renewal too."""
        wang = self.member(
            "王强", tsl_tier_id=self.tier_select.id, tsl_tier_date="2025-04-09"
        )
        for week, done in (
            (date(2026, 1, 12), datetime(2026, 1, 13, 3)),
            (date(2026, 2, 9), datetime(2026, 2, 10, 3)),
            (date(2026, 3, 9), datetime(2026, 3, 10, 3)),
        ):
            self.past_call(wang, week, "reached", done)
        self.build(WEEK1)
        self.assertFalse(self.call_of(wang, WEEK1), "capped")
        self.env["tsl.deposit"].create(
            {
                "partner_id": wang.id,
                "store_id": self.store_sh1.id,
                "description": "Necklace repaired",
                "deposit_date": "2026-03-30",
                "pickup_date": "2026-04-08",
            }
        )
        self.build(WEEK1)
        self.assertEqual(self.codes(self.call_of(wang, WEEK1)), {"deposit_pickup"})
        # points earned since the first of those calls lift the cap
        with freeze_time("2026-03-20 06:00:00"):
            self.env["tsl.points.move"]._tsl_earn(
                wang, 800.0, date(2026, 3, 20), self.env.company, False
            )
        self.build(WEEK1)
        self.assertEqual(
            self.codes(self.call_of(wang, WEEK1)), {"deposit_pickup", "renewal"}
        )

    def test_contact_cap_quarterly_cadence(self):
        """王强 was reached in January, February and March without earning
        points: capped. His renewal in mid-June (a quarter after the last
        reached call) is the quarterly call; reached again, he is held the
        next week (a sliding 90-day count would call him again at once).
        Points earned before his calls do not lift the cap."""
        wang = self.member("王强", tsl_tier_id=self.tier_select.id)
        for week, done in (
            (date(2026, 1, 12), datetime(2026, 1, 13, 3)),
            (date(2026, 2, 9), datetime(2026, 2, 10, 3)),
            (date(2026, 3, 9), datetime(2026, 3, 10, 3)),
        ):
            self.past_call(wang, week, "reached", done)

        def build_renewal_week(week_start):
            # his tier anniversary falls on the Wednesday of the week
            wang.tsl_tier_date = week_start + timedelta(days=2) - relativedelta(years=1)
            with freeze_time(datetime.combine(week_start, time(1))):
                self.build(week_start)
            return self.call_of(wang, week_start)

        # 8 June: the last reached call (10 March) is not a quarter old yet
        self.assertFalse(build_renewal_week(date(2026, 6, 8)), "capped")
        # 15 June: a quarter later, the quarterly call
        call = build_renewal_week(date(2026, 6, 15))
        self.assertEqual(self.codes(call), {"renewal"})
        call.write(
            {
                "state": "done",
                "outcome": "reached",
                "date_done": datetime(2026, 6, 16, 3),
            }
        )
        # 22 June: still capped, four reached calls and no points
        self.assertFalse(build_renewal_week(date(2026, 6, 22)), "quarterly")
        # points earned before the first of those calls do not lift the cap
        with freeze_time("2026-01-05 06:00:00"):
            self.env["tsl.points.move"]._tsl_earn(
                wang, 800.0, date(2026, 1, 5), self.env.company, False
            )
        self.assertTrue(wang.tsl_points_balance)
        self.assertFalse(build_renewal_week(date(2026, 6, 29)), "still capped")

    def test_contact_cap_lifted_by_points(self):
        """Capped 王强 earns points on 23 June: the next week he is called
        for his renewal again, and so are members reached fewer times."""
        wang = self.member("王强", tsl_tier_id=self.tier_select.id)
        li = self.member("李娜", tsl_tier_id=self.tier_select.id)
        for week, done in (
            (date(2026, 4, 6), datetime(2026, 4, 7, 3)),
            (date(2026, 5, 4), datetime(2026, 5, 5, 3)),
            (date(2026, 6, 1), datetime(2026, 6, 2, 3)),
        ):
            self.past_call(wang, week, "reached", done)
        for week, done in (
            (date(2026, 5, 4), datetime(2026, 5, 5, 3)),
            (date(2026, 6, 1), datetime(2026, 6, 2, 3)),
        ):
            self.past_call(li, week, "reached", done)
        (wang | li).write({"tsl_tier_date": date(2025, 6, 24)})
        with freeze_time("2026-06-22 01:00:00"):
            self.build(date(2026, 6, 22))
        self.assertFalse(self.call_of(wang, date(2026, 6, 22)), "capped")
        self.assertEqual(self.codes(self.call_of(li, date(2026, 6, 22))), {"renewal"})
        with freeze_time("2026-06-23 06:00:00"):
            self.env["tsl.points.move"]._tsl_earn(
                wang, 800.0, date(2026, 6, 23), self.env.company, False
            )
        (wang | li).write({"tsl_tier_date": date(2025, 7, 1)})
        with freeze_time("2026-06-29 01:00:00"):
            self.build(date(2026, 6, 29))
        self.assertEqual(self.codes(self.call_of(wang, date(2026, 6, 29))), {"renewal"})

    def test_heartbeat(self):
        """No answer in September, October and November: 赵敏 is flagged
        unreachable. Her December birthday brings no call; Christmas does,
        with the heartbeat reason. Two months only, or a reached call in
        between, flag nobody."""
        zhao = self.member("赵敏", tsl_grade="C", tsl_birth_month=12, tsl_birth_day=2)
        two_months = self.member("钱进", tsl_grade="C")
        reached = self.member("孙悦", tsl_grade="C")
        for week, done in (
            (date(2026, 9, 7), datetime(2026, 9, 8, 3)),
            (date(2026, 10, 5), datetime(2026, 10, 6, 3)),
            (date(2026, 11, 2), datetime(2026, 11, 3, 3)),
        ):
            self.past_call(zhao, week, "no_answer", done)
            self.past_call(reached, week, "no_answer", done)
            if week.month > 9:
                self.past_call(two_months, week, "no_answer", done)
        self.past_call(
            reached, date(2026, 10, 12), "reached", datetime(2026, 10, 13, 3)
        )
        flagged = self.env["tsl.followup.plan"]._update_heartbeat(date(2026, 11, 20))
        self.assertEqual(flagged & (zhao | two_months | reached), zhao)
        self.assertTrue(zhao.tsl_unreachable)
        self.assertEqual(zhao.tsl_unreachable_date, date(2026, 11, 20))
        with freeze_time("2026-11-30 01:00:00"):
            zhao._compute_tsl_birthday()
            self.build(date(2026, 11, 30))
        self.assertFalse(self.call_of(zhao, date(2026, 11, 30)), "birthday: no call")
        with freeze_time("2026-12-21 01:00:00"):
            self.build(date(2026, 12, 21))
        call = self.call_of(zhao, date(2026, 12, 21))
        self.assertEqual(self.codes(call), {"festival", "heartbeat"})
        self.assertIn(
            "Christmas", call.reason_ids.filtered(lambda r: r.code == "festival").note
        )
        self.assertFalse(
            self.call_of(two_months, date(2026, 12, 21)), "grade C, not flagged"
        )
        with freeze_time("2026-12-22 03:00:00"):
            call.action_log_outcome("reached")
        self.assertFalse(zhao.tsl_unreachable)

    @freeze_time("2026-04-06 01:00:00")
    def test_build_completes_a_call_made_earlier_in_the_week(self):
        """The follow-up plans stage their reasons without the member's store
        and call before the weekly build: 王芳's festival call of Monday then
        gets her birthday from the build. Still one call, now class A with
        the birthday's priority; 赵磊 keeps his festival call as it was."""
        wang = self.member(
            "王芳",
            tsl_birth_month=4,
            tsl_birth_day=9,
            tsl_associate_id=self.assoc_sh1.id,
        )
        zhao = self.member("赵磊")
        CallList, cr = self.CallList, self.env.cr
        CallList._stage_create()
        cr.execute(
            """
            INSERT INTO tsl_call_stage (partner_id, reason_type_id, rdate, note,
                                        res_model, res_id, phone_ok)
            SELECT pid, %s, %s, 'Qingming greeting', NULL, NULL, FALSE
              FROM unnest(%s) AS pid
            """,
            (self.rt["festival"].id, WEEK1, [wang.id, zhao.id]),
        )
        CallList._stage_apply(WEEK1)
        call = self.call_of(wang, WEEK1)
        self.assertEqual(self.codes(call), {"festival"})
        self.assertEqual((call.call_class, call.priority), ("c", 100))
        self.assertEqual(call.store_id, self.store_sh1, "the member's store")
        self.assertEqual(call.user_id, self.assoc_sh1, "her associate")
        # area and company come from the store, and the area is searchable
        self.assertEqual(call.area_id, self.store_sh1.area_id)
        self.assertEqual(call.company_id, self.store_sh1.company_id)
        self.assertIn(
            call, self.Call.search([("area_id", "=", self.store_sh1.area_id.id)])
        )
        self.assertNotIn(
            call, self.Call.search([("area_id", "!=", self.store_sh1.area_id.id)])
        )
        # the supervisors' rules go through the store's area
        self.assertTrue(call.with_user(self.supervisor_east).read(["outcome"]))
        self.assertTrue(call.reason_ids.with_user(self.supervisor_east).read(["note"]))
        north = new_test_user(
            self.env,
            login="t_supervisor_north_cl",
            groups="tsl_crm.group_tsl_area_supervisor",
            tsl_area_ids=[(6, 0, self.area_north.ids)],
        )
        with mute_logger("odoo.addons.base.models.ir_rule"):
            with self.assertRaises(AccessError):
                call.with_user(north).read(["outcome"])
            with self.assertRaises(AccessError):
                call.reason_ids.with_user(north).read(["note"])

        self.build(WEEK1)
        self.assertEqual(self.call_of(wang, WEEK1), call, "the same call")
        self.assertEqual(self.codes(call), {"festival", "birthday"})
        self.assertEqual((call.call_class, call.priority), ("a", 10))
        festival = call.reason_ids.filtered(lambda r: r.code == "festival")
        self.assertEqual(festival.note, "Qingming greeting")
        other = self.call_of(zhao, WEEK1)
        self.assertEqual(self.codes(other), {"festival"})
        self.assertEqual((other.call_class, other.priority), ("c", 100))

    def test_bad_week(self):
        with self.assertRaises(UserError):
            self.build(date(2026, 4, 7))
        with self.assertRaises(UserError):
            self.CallList.create(
                {"store_id": self.store_sh1.id, "week_start": "2026-04-08"}
            )
