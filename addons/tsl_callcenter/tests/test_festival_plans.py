# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from .common import TslCallCommon

MID_AUTUMN = date(2026, 9, 25)  # lunar 8/15


@tagged("post_install", "-at_install")
class TestFestivalPlans(TslCallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["tsl.followup.plan"]
        cls.Log = cls.env["tsl.followup.log"]
        cls.mid_autumn = cls.env.ref("tsl_callcenter.tsl_festival_mid_autumn")

    def logs(self, partner, festival=None):
        return self.Log.search(
            [
                ("partner_id", "=", partner.id),
                ("festival_id", "=", (festival or self.mid_autumn).id),
            ]
        )

    def sms(self, partner):
        return self.env["sms.sms"].search([("partner_id", "=", partner.id)])

    def test_festival_dates(self):
        """Lunar festivals move every year; Mother's Day is the second Sunday
        of May."""
        self.assertEqual(self.mid_autumn._next_occurrence(date(2026, 9, 1)), MID_AUTUMN)
        self.assertEqual(
            self.mid_autumn._next_occurrence(date(2026, 9, 26)), date(2027, 9, 15)
        )
        spring = self.env.ref("tsl_callcenter.tsl_festival_spring_festival")
        self.assertEqual(spring._next_occurrence(date(2026, 11, 24)), date(2027, 2, 6))
        mothers = self.env.ref("tsl_callcenter.tsl_festival_mothers_day")
        self.assertEqual(mothers._next_occurrence(date(2026, 1, 1)), date(2026, 5, 10))
        fathers = self.env.ref("tsl_callcenter.tsl_festival_fathers_day")
        self.assertEqual(fathers._next_occurrence(date(2026, 1, 1)), date(2026, 6, 21))
        with self.assertRaises(ValidationError):
            self.env["tsl.festival"].create(
                {"name": "Bad", "code": "bad", "rule": "solar", "month": 13, "day": 1}
            )

    @freeze_time("2026-09-24 01:00:00")
    def test_mid_autumn_by_grade(self):
        """The day before Mid-Autumn: A-grade 王丽 gets a call in this week's
        list and a gift to deliver; B-grade 李娜 an SMS inviting her to
        collect a gift; C-grade 张伟 an SMS, a card and an e-mail with his
        points; C-grade 陈静 opted out of SMS: card and e-mail only; a
        non-member contact of the store gets the non-member SMS."""
        wang = self.member("王丽", tsl_grade="A", email="wangli@example.com")
        li = self.member("李娜", tsl_grade="B")
        zhang = self.member("张伟", tsl_grade="C", email="zhangwei@example.com")
        chen = self.member("陈静", tsl_grade="C", email="chenjing@example.com")
        self.env["tsl.member.consent"].create(
            {"partner_id": chen.id, "channel": "sms", "consent": False}
        )
        guest = self.env["res.partner"].create(
            {
                "name": "游客刘",
                "mobile": "13700000001",
                "tsl_store_id": self.store_sh1.id,
                "lang": "en_US",
            }
        )
        self.Plan._cron_festivals(date(2026, 9, 24))

        self.assertEqual(set(self.logs(wang).mapped("channel")), {"call", "gift"})
        self.assertFalse(self.sms(wang))
        call = self.call_of(wang, date(2026, 9, 21))
        self.assertEqual(self.codes(call), {"festival"})
        self.assertEqual(
            self.logs(wang).filtered(lambda x: x.channel == "call").call_id, call
        )
        self.assertEqual(
            self.logs(wang).filtered(lambda x: x.channel == "gift").state, "todo"
        )

        self.assertEqual(set(self.logs(li).mapped("channel")), {"sms", "invitation"})
        self.assertEqual(len(self.sms(li)), 1)
        self.assertIn("Mid-Autumn", self.sms(li).body)
        self.assertEqual(self.sms(li).number, li.tsl_phone_normalized)
        self.assertEqual(self.sms(li).state, "outgoing")

        self.assertEqual(
            set(self.logs(zhang).mapped("channel")), {"sms", "card", "email"}
        )
        mail = self.logs(zhang).filtered(lambda x: x.channel == "email").mail_id
        self.assertIn("zhangwei@example.com", mail.email_to)
        self.assertIn("Mid-Autumn", mail.subject)

        self.assertEqual(set(self.logs(chen).mapped("channel")), {"card", "email"})
        self.assertFalse(self.sms(chen), "opted out of SMS")

        guest_sms = self.sms(guest)
        self.assertEqual(len(guest_sms), 1)
        self.assertIn("TSL shares the happiness of Mid-Autumn Festival", guest_sms.body)

        # the cron runs again the next day: nobody is contacted twice
        self.Plan._cron_festivals(date(2026, 9, 25))
        self.assertEqual(len(self.sms(li)), 1)
        self.assertEqual(len(self.logs(zhang)), 3)

    @freeze_time("2026-09-09 01:00:00")
    def test_teachers_day_for_teachers(self):
        teachers_day = self.env.ref("tsl_callcenter.tsl_festival_teachers_day")
        teacher = self.member("马老师", tsl_grade="B", tsl_profession="teacher")
        other = self.member("牛先生", tsl_grade="B")
        self.Plan._cron_festivals(date(2026, 9, 9))
        self.assertEqual(
            set(self.logs(teacher, teachers_day).mapped("channel")),
            {"sms", "invitation"},
        )
        self.assertFalse(self.logs(other, teachers_day))
        self.assertFalse(self.sms(other))

    @freeze_time("2026-09-21 01:00:00")
    def test_weekly_list_calls_grade_a_in_festival_week(self):
        wang = self.member("王丽", tsl_grade="A")
        li = self.member("李娜", tsl_grade="B")
        self.build(date(2026, 9, 21))
        self.assertEqual(
            self.codes(self.call_of(wang, date(2026, 9, 21))), {"festival"}
        )
        self.assertFalse(self.call_of(li, date(2026, 9, 21)))
