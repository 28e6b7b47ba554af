# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from ..utils.special_dates import last_and_next
from .common import TslCrmCommon


@tagged("post_install", "-at_install")
class TestSpecialDates(TslCrmCommon):
    def test_lunar_leap_month(self):
        """Born on the 10th of the leap 6th month (闰六月): 2025 has a leap 6th
        month, so her birthday is on 3 Aug 2025; 2026 has none, so it falls on
        the ordinary 6th month's 10th, 23 Jul 2026."""
        self.assertEqual(
            last_and_next("lunar", 6, 10, date(2025, 7, 20), leap=True),
            (date(2024, 7, 15), date(2025, 8, 3)),
        )
        self.assertEqual(
            last_and_next("lunar", 6, 10, date(2025, 8, 4), leap=True),
            (date(2025, 8, 3), date(2026, 7, 23)),
        )
        # without the leap flag the ordinary 6th month of 2025 is used
        self.assertEqual(
            last_and_next("lunar", 6, 10, date(2025, 7, 1))[1], date(2025, 7, 4)
        )

    def test_lunar_year_end(self):
        """Lunar 12th month, 30th day: lunar 2025's last month has 29 days, so
        it is celebrated on New Year's Eve, 16 Feb 2026, crossing the solar
        year end from December 2025."""
        self.assertEqual(
            last_and_next("lunar", 12, 30, date(2025, 12, 20)),
            (date(2025, 1, 28), date(2026, 2, 16)),
        )
        # the Spring Festival (1/1) seen from late December
        self.assertEqual(
            last_and_next("lunar", 1, 1, date(2026, 12, 31)),
            (date(2026, 2, 17), date(2027, 2, 6)),
        )

    def test_solar_feb_29(self):
        self.assertEqual(
            last_and_next("solar", 2, 29, date(2026, 3, 1)),
            (date(2026, 2, 28), date(2027, 2, 28)),
        )
        self.assertEqual(
            last_and_next("solar", 2, 29, date(2027, 12, 1))[1], date(2028, 2, 29)
        )

    @freeze_time("2026-11-24")
    def test_member_birthday_fields_and_filters(self):
        """Mid-Autumn-born member (lunar 8/15) and one born on lunar 10/5:
        lunar 10/5 of 2026 is 13 Nov 2026 — her birthday is this month though
        it has passed; a wedding anniversary on 28 Nov is within 7 days."""
        lunar_nov = self.make_member(
            "陈静",
            self.store_sh1,
            tsl_birthday_calendar="lunar",
            tsl_birth_month=10,
            tsl_birth_day=5,
        )
        mid_autumn = self.make_member(
            "王丽",
            self.store_sh1,
            tsl_birthday_calendar="lunar",
            tsl_birth_month=8,
            tsl_birth_day=15,
        )
        self.assertEqual(lunar_nov.tsl_birthday_last, date(2026, 11, 13))
        self.assertEqual(lunar_nov.tsl_birthday_next, date(2027, 11, 2))
        self.assertTrue(lunar_nov.tsl_birthday_this_month)
        self.assertEqual(mid_autumn.tsl_birthday_next, date(2027, 9, 15))
        self.assertFalse(mid_autumn.tsl_birthday_this_month)

        self.env["tsl.special.date"].create(
            {
                "partner_id": mid_autumn.id,
                "date_type": "wedding",
                "calendar": "solar",
                "month": 11,
                "day": 28,
                "year": 2016,
            }
        )
        self.assertEqual(mid_autumn.tsl_next_special_date, date(2026, 11, 28))
        Partner = self.env["res.partner"]
        this_month = Partner.search([("tsl_birthday_this_month", "=", True)])
        self.assertIn(lunar_nov, this_month)
        self.assertNotIn(mid_autumn, this_month)
        soon = Partner.search([("tsl_special_date_soon", "=", True)])
        self.assertIn(mid_autumn, soon)
        self.assertNotIn(lunar_nov, soon)
        self.assertIn(
            mid_autumn, Partner.search([("tsl_birthday_this_month", "!=", True)])
        )

    def test_nightly_rolls_passed_dates(self):
        with freeze_time("2026-11-10"):
            member = self.make_member(
                "刘洋", self.store_bj1, tsl_birth_month=11, tsl_birth_day=20
            )
            child = self.env["tsl.special.date"].create(
                {
                    "partner_id": member.id,
                    "date_type": "child_birthday",
                    "person_name": "小宝",
                    "calendar": "lunar",
                    "month": 10,
                    "day": 10,
                }
            )
            self.assertEqual(member.tsl_birthday_next, date(2026, 11, 20))
            self.assertEqual(child.next_date, date(2026, 11, 18))
            self.assertEqual(member.tsl_next_special_date, date(2026, 11, 18))
        with freeze_time("2026-11-24"):
            self.env["res.partner"]._cron_tsl_member_nightly()
            self.assertEqual(member.tsl_birthday_last, date(2026, 11, 20))
            self.assertEqual(member.tsl_birthday_next, date(2027, 11, 20))
            self.assertEqual(child.last_date, date(2026, 11, 18))
            self.assertEqual(child.next_date, date(2027, 11, 7))
            self.assertEqual(member.tsl_next_special_date, date(2027, 11, 7))

    def test_invalid_dates_refused(self):
        member = self.make_member("赵敏", self.store_bj1)
        with self.assertRaises(ValidationError):
            self.env["tsl.special.date"].create(
                {"partner_id": member.id, "calendar": "lunar", "month": 13, "day": 1}
            )
        with self.assertRaises(ValidationError):
            self.env["tsl.special.date"].create(
                {
                    "partner_id": member.id,
                    "calendar": "solar",
                    "month": 5,
                    "day": 1,
                    "is_leap_month": True,
                }
            )
        with self.assertRaises(ValidationError):
            member.write({"tsl_birthday_calendar": "lunar", "tsl_birth_day": 31})
