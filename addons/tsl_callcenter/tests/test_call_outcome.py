# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from .common import TslCallCommon

WEEK = date(2026, 4, 6)


@tagged("post_install", "-at_install")
class TestCallOutcome(TslCallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-04-06 01:00:00"):
            cls.li = cls.member(
                "李娜",
                tsl_birth_month=4,
                tsl_birth_day=8,
                tsl_associate_id=cls.assoc_sh1.id,
            )
            cls.zhang = cls.member("张伟", tsl_birth_month=4, tsl_birth_day=9)
            cls.wang = cls.member(
                "王芳", cls.store_sh2, tsl_birth_month=4, tsl_birth_day=9
            )
            cls.CallList._build_week(WEEK, cls.stores)
        cls.call = cls.Call.search(
            [("partner_id", "=", cls.li.id), ("week_start", "=", WEEK)]
        )
        cls.call_zhang = cls.Call.search(
            [("partner_id", "=", cls.zhang.id), ("week_start", "=", WEEK)]
        )
        cls.call_sh2 = cls.Call.search(
            [("partner_id", "=", cls.wang.id), ("week_start", "=", WEEK)]
        )

    def test_windows_shown(self):
        self.assertEqual(self.call.window_display, "Mon–Thu 10:30–12:30, 14:30–16:30")
        self.assertEqual(self.call.list_id.window_display, self.call.window_display)
        self.env["tsl.call.window"].create(
            {
                "store_id": self.store_sh1.id,
                "weekday": "4",
                "hour_from": 10,
                "hour_to": 12,
            }
        )
        self.call.invalidate_recordset()
        self.assertEqual(self.call.window_display, "Fri 10:00–12:00")
        with self.assertRaises(ValidationError):
            self.env["tsl.call.window"].create(
                {"weekday": "0", "hour_from": 12, "hour_to": 11}
            )

    @freeze_time("2026-04-07 03:00:00")  # Tuesday 11:00 in Shanghai
    def test_wrong_and_empty_numbers_reach_the_member(self):
        self.assertTrue(self.call.in_window)
        self.call.action_log_outcome("wrong_number", note="a restaurant answered")
        self.assertEqual(self.call.state, "done")
        self.assertEqual(self.call.outcome_note, "a restaurant answered")
        self.assertEqual(str(self.call.date_done), "2026-04-07 03:00:00")
        self.assertEqual(self.li.tsl_phone_state, "wrong_number")
        self.call_zhang.action_empty_number()
        self.assertEqual(self.zhang.tsl_phone_state, "empty_number")

    @freeze_time("2026-04-07 07:00:00")  # Tuesday 15:00
    def test_refusal_is_recorded_as_consent(self):
        self.call.action_refused()
        self.assertEqual(self.li.tsl_phone_state, "refused")
        consent = self.li.tsl_consent_ids.filtered(lambda c: c.channel == "phone")
        self.assertEqual((consent.consent, consent.source), (False, "call"))

    @freeze_time("2026-04-07 07:00:00")
    def test_corrected_number(self):
        self.li.tsl_set_phone_state("wrong_number")
        self.li.mobile = "13912345678"
        self.call.action_log_outcome("reached", note="new number", phone_corrected=True)
        self.assertTrue(self.call.phone_corrected)
        self.assertEqual(self.li.tsl_phone_state, "valid")

    def test_outside_the_windows(self):
        with freeze_time("2026-04-10 03:00:00"), self.assertRaises(UserError):  # Friday
            self.call.action_reached()
        with (
            freeze_time("2026-04-06 05:00:00"),
            self.assertRaises(UserError),
        ):  # Mon 13:00
            self.call.action_reached()
        with freeze_time("2026-04-06 03:00:00"), self.assertRaises(UserError):
            self.call.action_log_outcome("busy")
        self.assertEqual(self.call.state, "todo")

    def move_to_week(self, monday):
        calls = self.call | self.call_zhang | self.call_sh2
        calls.list_id.write({"week_start": monday})
        calls.write({"week_start": monday, "week_end": monday + timedelta(days=6)})
        self.env.flush_all()

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_access_by_store_and_week(self):
        """The associate works her own calls this week only; the manager his
        store's; the supervisor and head office read them after the week.
        (Record rules read the real clock: safe_eval's ``time`` is not
        frozen, so the calls are moved to the real current week.)"""
        other = new_test_user(
            self.env,
            login="t_manager_sh2",
            groups="tsl_crm.group_tsl_store_manager",
            tsl_store_id=self.store_sh2.id,
            tsl_store_ids=[(6, 0, self.store_sh2.ids)],
        )
        today = date.today()
        this_week = today - timedelta(days=today.weekday())
        self.move_to_week(this_week)
        Call = self.Call.with_user(self.assoc_sh1)
        self.assertEqual(Call.search([("week_start", "=", this_week)]), self.call)
        with self.assertRaises(AccessError):
            self.call_zhang.with_user(self.assoc_sh1).read(["partner_id"])
        managed = self.Call.with_user(self.manager_sh1).search(
            [("week_start", "=", this_week)]
        )
        self.assertEqual(managed, self.call | self.call_zhang)
        with self.assertRaises(AccessError):
            self.call.with_user(other).read(["partner_id"])
        self.assertTrue(self.call.list_id.with_user(self.assoc_sh1).read(["name"]))
        self.assertTrue(self.call.reason_ids.with_user(self.assoc_sh1).read(["note"]))
        # the associate notes her call, the manager reassigns the other one
        self.call.with_user(self.assoc_sh1).outcome_note = "call back Thursday"
        self.call_zhang.with_user(self.manager_sh1).user_id = self.assoc_sh1b
        self.assertEqual(self.call_zhang.user_id, self.assoc_sh1b)
        # the week is over
        self.move_to_week(this_week - timedelta(days=7))
        for user in (self.assoc_sh1, self.manager_sh1):
            with self.assertRaises(AccessError):
                self.call.with_user(user).read(["partner_id"])
            with self.assertRaises(AccessError):
                self.call.list_id.with_user(user).read(["name"])
        self.assertTrue(self.call.with_user(self.supervisor_east).read(["outcome"]))
        self.assertTrue(self.call.with_user(self.hq_crm).read(["outcome"]))
        with self.assertRaises(AccessError):
            self.call_sh2.with_user(self.analyst).read(["partner_id"])

    def test_assign_only_to_the_store_associates(self):
        assoc_bj = new_test_user(
            self.env,
            login="t_assoc_bj1",
            groups="tsl_crm.group_tsl_associate",
            tsl_store_id=self.store_bj1.id,
        )
        with self.assertRaises(ValidationError):
            self.call.user_id = assoc_bj

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    @freeze_time("2026-04-13 01:00:00")
    def test_build_wizard(self):
        """The manager builds this week for his store; not for another store;
        an associate cannot build."""
        wizard = Form(
            self.env["tsl.call.build.wizard"].with_user(self.manager_sh1)
        ).save()
        self.assertEqual(wizard.week_start, date(2026, 4, 13))
        self.assertEqual(wizard.store_ids, self.store_sh1)
        action = wizard.action_build()
        self.assertIn(("week_start", "=", date(2026, 4, 13)), action["domain"])
        self.assertTrue(
            self.CallList.search(
                [
                    ("store_id", "=", self.store_sh1.id),
                    ("week_start", "=", date(2026, 4, 13)),
                ]
            )
        )
        wizard = (
            self.env["tsl.call.build.wizard"]
            .with_user(self.manager_sh1)
            .create({"store_ids": [(6, 0, self.store_bj1.ids)]})
        )
        with self.assertRaises(AccessError):
            wizard.action_build()
        with self.assertRaises(AccessError):
            self.env["tsl.call.build.wizard"].with_user(self.assoc_sh1).create({})
