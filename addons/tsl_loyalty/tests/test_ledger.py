# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from psycopg2 import OperationalError

from odoo import api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, freeze_time, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestLedger(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {"tsl_points_year_start_month": 4, "tsl_points_expiry_months": 3}
        )
        cls.member = cls.env["res.partner"].create(
            {
                "name": "陈静",
                "tsl_member_state": "formal",
                "tsl_member_number": "M91000001",
            }
        )
        cls.Move = cls.env["tsl.points.move"]

    def earn(self, points, day):
        year = self.env["tsl.points.year"]._tsl_for_date(day)
        return self.Move._tsl_post(
            [
                {
                    "partner_id": self.member.id,
                    "year_id": year.id,
                    "move_type": "earn",
                    "points": points,
                    "source_key": f"test:{day}:{points}",
                }
            ]
        )

    def balances(self):
        self.member.invalidate_recordset()
        return {
            b.year_id.name: (b.balance, b.locked)
            for b in self.member.tsl_points_balance_ids
        }

    def test_points_years_like_the_12_13_season(self):
        year = self.env["tsl.points.year"]._tsl_for_date(date(2013, 2, 1))
        self.assertEqual(
            (year.name, year.date_from, year.date_to, year.expiry_date),
            ("12/13", date(2012, 4, 1), date(2013, 3, 31), date(2013, 6, 30)),
        )
        self.assertEqual(
            self.env["tsl.points.year"]._tsl_for_date(date(2012, 4, 1)), year
        )

    def test_spend_fifo_lock_unlock_and_redeem(self):
        self.earn(400, date(2025, 5, 1))  # 25/26
        self.earn(500, date(2026, 5, 1))  # 26/27
        with freeze_time("2026-06-01"):
            self.member.tsl_points_spend(600, "¥60 voucher")
            self.assertEqual(self.balances(), {"25/26": (0, 0), "26/27": (300, 0)})
            self.member.tsl_points_lock(200, "REQ/0001")
            self.assertEqual(self.member.tsl_points_balance, 100)
            self.assertEqual(self.member.tsl_points_locked, 200)
            with self.assertRaises(UserError) as err:
                self.member.tsl_points_spend(101, "too much")
            self.assertIn("100 points available", str(err.exception))
            self.member.tsl_points_unlock("REQ/0001")
            self.assertEqual(self.balances(), {"25/26": (0, 0), "26/27": (300, 0)})
            self.member.tsl_points_lock(250, "REQ/0002")
            self.member.tsl_points_spend_locked("REQ/0002")
            self.assertEqual(
                (self.member.tsl_points_balance, self.member.tsl_points_locked), (50, 0)
            )
            with self.assertRaises(UserError):
                self.member.tsl_points_spend_locked("REQ/0002")
        types = self.member.tsl_points_move_ids.mapped("move_type")
        self.assertEqual(
            sorted(types),
            sorted(
                [
                    "earn",
                    "earn",
                    "spend",
                    "spend",
                    "lock",
                    "unlock",
                    "lock",
                    "spend_locked",
                ]
            ),
        )
        moves = self.member.tsl_points_move_ids
        self.assertEqual(self.member.tsl_points_balance, sum(moves.mapped("points")))

    def test_bad_inputs(self):
        self.earn(100, date(2026, 5, 1))
        with freeze_time("2026-06-01"):
            with self.assertRaises(UserError):
                self.member.tsl_points_spend(0, "nothing")
            with self.assertRaises(UserError):
                self.member.tsl_points_spend(-5, "negative")
            with self.assertRaises(UserError):
                self.member.tsl_points_adjust(50, "")
            self.member.tsl_points_adjust(50, "Goodwill after a complaint")
            self.member.tsl_points_adjust(-30, "Duplicate booking")
            self.assertEqual(self.member.tsl_points_balance, 120)
        self.assertFalse(self.earn(100, date(2026, 5, 1)), "same source key: once")

    def test_year_end_expiry(self):
        """25/26 points (April 2025 – March 2026) can be used until 30 June
        2026; on 1 July the rest expires, locked points stay."""
        self.earn(700, date(2025, 5, 1))
        self.earn(300, date(2026, 5, 1))
        with freeze_time("2026-06-15"):
            self.member.tsl_points_lock(200, "REQ/0003")
            self.assertEqual(self.Move._cron_tsl_expire_points(), 0)
        with freeze_time("2026-07-01"):
            self.assertEqual(self.Move._cron_tsl_expire_points(), 1)
            self.assertEqual(self.Move._cron_tsl_expire_points(), 0)
            self.assertEqual(self.balances(), {"25/26": (0, 200), "26/27": (300, 0)})
            expire = self.member.tsl_points_move_ids.filtered(
                lambda m: m.move_type == "expire"
            )
            self.assertEqual(expire.points, -500)
            self.assertEqual(self.member.tsl_points_balance, 300)
            # expired points cannot be spent
            with self.assertRaises(UserError):
                self.member.tsl_points_spend(301, "too much")


@tagged("post_install", "-at_install")
class TestConcurrentSpend(TransactionCase):
    """Two tills spend the same 1,000 points at the same moment: one
    succeeds, the other gets a clear error, the balance never goes below 0.
    Needs committed data, so it works on its own cursors and cleans up."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.env.uid, {})
            member = env["res.partner"].create(
                {
                    "name": "并发测试",
                    "tsl_member_state": "formal",
                    "tsl_member_number": "M99999999",
                }
            )
            year = env["tsl.points.year"]._tsl_for_date(date.today())
            env["tsl.points.move"]._tsl_post(
                [
                    {
                        "partner_id": member.id,
                        "year_id": year.id,
                        "move_type": "earn",
                        "points": 1000,
                    }
                ]
            )
            self.member_id = member.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM tsl_points_move WHERE partner_id = %s", [self.member_id]
            )
            cr.execute(
                "DELETE FROM tsl_points_balance WHERE partner_id = %s", [self.member_id]
            )
            cr.execute(
                "DELETE FROM mail_message WHERE model = 'res.partner' AND res_id = %s",
                [self.member_id],
            )
            cr.execute("DELETE FROM res_partner WHERE id = %s", [self.member_id])

    def test_two_tills_spend_the_same_balance(self):
        till_1 = self.registry.cursor()
        till_2 = self.registry.cursor()
        try:
            env_1 = api.Environment(till_1, self.env.uid, {})
            env_2 = api.Environment(till_2, self.env.uid, {})
            # till 1 spends 600 and has not committed yet
            env_1["res.partner"].browse(self.member_id).tsl_points_spend(600, "Till 1")
            # till 2 spends 600 at the same moment: it waits on the member's
            # row lock (here: gives up after 200 ms instead of waiting)
            till_2.execute("SET LOCAL lock_timeout = '200ms'")
            with self.assertRaises(OperationalError), mute_logger("odoo.sql_db"):
                env_2["res.partner"].browse(self.member_id).tsl_points_spend(
                    600, "Till 2"
                )
            till_2.rollback()
            till_1.commit()
            # till 2 tries again (Odoo retries a request that hit a lock):
            # it now sees 400 points and says so; nothing goes below zero
            member = env_2["res.partner"].browse(self.member_id)
            member.invalidate_recordset()
            with self.assertRaises(UserError) as err:
                member.tsl_points_spend(600, "Till 2")
            self.assertIn("400 points available", str(err.exception))
            till_2.rollback()
            member.invalidate_recordset()
            self.assertEqual(member.tsl_points_balance, 400)
            self.assertEqual(
                sum(
                    env_2["tsl.points.move"]
                    .search([("partner_id", "=", self.member_id)])
                    .mapped("points")
                ),
                400,
            )
        finally:
            till_1.close()
            till_2.close()
