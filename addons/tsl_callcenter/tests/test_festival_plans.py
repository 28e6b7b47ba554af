# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

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

    # ------------------------------------------------------------------
    # the contact plan by grade is data, per company
    # ------------------------------------------------------------------
    def grade_plan(self, grade, company=None):
        return self.env["tsl.grade.contact.plan"].search(
            [
                ("company_id", "=", (company or self.env.company).id),
                ("grade", "=", grade),
            ]
        )

    @freeze_time("2026-09-24 01:00:00")
    def test_contact_plan_by_grade_is_configurable(self):
        """HQ adds the e-mail with the points to grade B and a call to grade
        C: B-grade 李娜 gets the SMS, the invitation and the e-mail, C-grade
        张伟 a call in this week's list on top of his SMS, card and e-mail;
        A-grade 王丽 keeps the seeds' call and gift, no e-mail."""
        self.assertEqual(self.grade_plan("B")._channels(), ("sms", "invitation"))
        self.grade_plan("B").email = True
        self.grade_plan("C").call = True
        wang = self.member("王丽", tsl_grade="A", email="wangli@example.com")
        li = self.member("李娜", tsl_grade="B", email="lina@example.com")
        zhang = self.member("张伟", tsl_grade="C", email="zhangwei@example.com")
        self.Plan._cron_festivals(date(2026, 9, 24))
        self.assertEqual(
            set(self.logs(li).mapped("channel")), {"sms", "invitation", "email"}
        )
        mail = self.logs(li).filtered(lambda x: x.channel == "email").mail_id
        self.assertIn("lina@example.com", mail.email_to)
        self.assertEqual(
            set(self.logs(zhang).mapped("channel")), {"call", "sms", "card", "email"}
        )
        self.assertEqual(
            self.codes(self.call_of(zhang, date(2026, 9, 21))), {"festival"}
        )
        self.assertEqual(set(self.logs(wang).mapped("channel")), {"call", "gift"})
        # the weekly build calls the grades of the plan too
        sun = self.member("孙悦", tsl_grade="C")
        zhao = self.member("赵敏", tsl_grade="B")
        self.build(date(2026, 9, 21))
        self.assertEqual(self.codes(self.call_of(sun, date(2026, 9, 21))), {"festival"})
        self.assertFalse(self.call_of(zhao, date(2026, 9, 21)))

    @freeze_time("2026-09-24 01:00:00")
    def test_grade_without_plan_row_gets_the_defaults(self):
        """A company whose plan lacks grade C: C members get the seeds'
        SMS, card and e-mail; a grade B row with no channel contacts B
        members not at all."""
        self.grade_plan("C").unlink()
        self.grade_plan("B").write({"sms": False, "invitation": False})
        li = self.member("李娜", tsl_grade="B")
        zhang = self.member("张伟", tsl_grade="C", email="zhangwei@example.com")
        self.Plan._cron_festivals(date(2026, 9, 24))
        self.assertEqual(
            set(self.logs(zhang).mapped("channel")), {"sms", "card", "email"}
        )
        self.assertFalse(self.logs(li))
        self.assertFalse(self.sms(li))

    def test_new_company_gets_the_seeds_plan(self):
        company = self.env["res.company"].create({"name": "TSL Beijing Ltd."})
        plans = self.env["tsl.grade.contact.plan"].search(
            [("company_id", "=", company.id)]
        )
        self.assertEqual(
            {p.grade: p._channels() for p in plans},
            {
                "A": ("call", "gift"),
                "B": ("sms", "invitation"),
                "C": ("sms", "card", "email"),
            },
        )
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.env["tsl.grade.contact.plan"].create(
                {"company_id": company.id, "grade": "A", "sms": True}
            )

    def test_contact_plan_access(self):
        """Store managers read the plan; only HQ CRM changes it."""
        manager = new_test_user(
            self.env,
            login="t_plan_manager",
            groups="tsl_crm.group_tsl_store_manager",
        )
        hq = new_test_user(
            self.env, login="t_plan_hq", groups="tsl_crm.group_tsl_hq_crm"
        )
        plan_b = self.grade_plan("B")
        self.assertTrue(plan_b.with_user(manager).sms)
        with self.assertRaises(AccessError):
            plan_b.with_user(manager).write({"email": True})
        plan_b.with_user(hq).write({"email": True})
        self.assertTrue(plan_b.email)
