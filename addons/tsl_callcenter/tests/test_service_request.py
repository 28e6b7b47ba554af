# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged
from odoo.tools import mute_logger

from .common import TslCallcenterCommon


@tagged("post_install", "-at_install")
class TestServiceRequest(TslCallcenterCommon):
    def request(self, kind="resizing", partner=None, **vals):
        return self.env["tsl.service.request"].create(
            {
                "kind": kind,
                "partner_id": (partner or self.wang).id,
                "store_id": self.store_sh1.id,
                "user_id": self.assoc_sh1.id,
                "description": "18K gold ring: size 12 to 13",
                **vals,
            }
        )

    def sms_of(self, partner):
        return self.env["sms.sms"].sudo().search([("partner_id", "=", partner.id)])

    @freeze_time("2026-03-02")
    def test_promised_date_by_kind(self):
        """A resizing handed in on 2 March is promised for 9 March (7 days),
        a repair for 16 March (14 days); HQ sets repairs to 20 days."""
        self.assertEqual(self.request().promised_date, date(2026, 3, 9))
        self.assertEqual(self.request("repair").promised_date, date(2026, 3, 16))
        self.assertEqual(self.request("cleaning").promised_date, date(2026, 3, 5))
        self.assertEqual(self.request("replating").promised_date, date(2026, 3, 12))
        self.env.company.tsl_service_days_repair = 20
        self.assertEqual(self.request("repair").promised_date, date(2026, 3, 22))
        with self.assertRaises(ValidationError):
            self.request(promised_date="2026-03-01")

    @freeze_time("2026-03-02")
    def test_workflow_and_ready_sms(self):
        req = self.request()
        self.assertTrue(req.name.startswith("SRV"))
        with self.assertRaises(UserError):
            req.action_collected()
        req.action_send_workshop()
        self.assertEqual(req.date_workshop, date(2026, 3, 2))
        with self.assertRaises(UserError):
            req.action_send_workshop()
        req.action_ready()
        self.assertEqual(req.state, "ready")
        self.assertTrue(req.sms_sent)
        sms = self.sms_of(self.wang)
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.number, "+8613800138000")
        self.assertIn(req.name, sms.body)
        self.assertIn("Nanjing Road", sms.body)
        req.action_collected()
        self.assertEqual(req.state, "collected")
        with self.assertRaises(UserError):
            req.action_cancel()

    @freeze_time("2026-03-02")
    def test_no_sms_when_opted_out(self):
        """陈静 opted out of SMS (PIPL): the request is ready, no SMS goes out
        and the request says why."""
        self.env["tsl.member.consent"].create(
            {"partner_id": self.chen.id, "channel": "sms", "consent": False}
        )
        req = self.request(partner=self.chen)
        req.action_ready()
        self.assertEqual(req.state, "ready")
        self.assertFalse(req.sms_sent)
        self.assertFalse(self.sms_of(self.chen))
        self.assertIn("opted out", req.message_ids[0].body)
        # a member without a valid mobile gets no SMS either
        nobody = self.make_member("赵雪", self.store_sh1, mobile="12345")
        req2 = self.request(partner=nobody)
        req2.action_ready()
        self.assertFalse(self.sms_of(nobody))
        self.assertIn("no valid mobile", req2.message_ids[0].body)

    def test_overdue_cron(self):
        """A cleaning received 2 March is promised for 5 March: on 6 March the
        daily check flags it and tells the associate, once."""
        with freeze_time("2026-03-02"):
            req = self.request("cleaning")
            done = self.request("cleaning")
            done.action_ready()
        Request = self.env["tsl.service.request"]
        overdue_type = self.env.ref("tsl_callcenter.mail_activity_type_service_overdue")
        with freeze_time("2026-03-05"):
            self.assertEqual(Request._cron_flag_overdue(), 0)
            self.assertFalse(req.is_overdue)
        with freeze_time("2026-03-06"):
            self.assertEqual(Request._cron_flag_overdue(), 1)
            self.assertTrue(req.is_overdue)
            self.assertFalse(done.is_overdue)
            activity = req.activity_ids.filtered(
                lambda a: a.activity_type_id == overdue_type
            )
            self.assertEqual(activity.user_id, self.assoc_sh1)
            self.assertEqual(Request._cron_flag_overdue(), 0)
            self.assertEqual(len(req.activity_ids), 1)
            req.action_ready()
            self.assertFalse(req.is_overdue)
            self.assertFalse(req.activity_ids)

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_access_by_store(self):
        req = self.request()
        beijing = self.request(
            partner=self.liu, store_id=self.store_bj1.id, user_id=self.assoc_bj1.id
        )
        Request = self.env["tsl.service.request"]
        self.assertEqual(
            Request.with_user(self.assoc_sh1b).search(
                [("id", "in", (req | beijing).ids)]
            ),
            req,
        )
        with self.assertRaises(AccessError):
            beijing.with_user(self.manager_sh1).read(["description"])
        with self.assertRaises(AccessError):
            req.with_user(self.analyst).read(["description"])
        self.assertEqual(
            Request.with_user(self.supervisor_north).search(
                [("id", "in", (req | beijing).ids)]
            ),
            beijing,
        )

    @freeze_time("2026-03-02")
    def test_form_sets_promised_date_and_description(self):
        """In the form, the associate picks the kind and the product: the
        promised date and the description follow."""
        with Form(self.env["tsl.service.request"].with_user(self.assoc_sh1)) as form:
            form.partner_id = self.wang
            form.kind = "cleaning"
            self.assertEqual(form.promised_date, date(2026, 3, 5))
            form.kind = "repair"
            self.assertEqual(form.promised_date, date(2026, 3, 16))
            form.product_id = self.product
            self.assertEqual(form.description, "18K Gold Ring")
        req = form.record
        self.assertEqual(req.store_id, self.store_sh1)
        # the care advice of the product's category is shown on the request
        self.product.categ_id.tsl_care_advice = "Keep away from perfume."
        self.assertEqual(req.care_advice, "Keep away from perfume.")
        self.assertEqual(req.user_id, self.assoc_sh1)

    @freeze_time("2026-03-02")
    def test_deposit_to_workshop(self):
        """王芳 leaves her ring at Nanjing Road for resizing (a deposit):
        the associate sends it to the workshop as a service request with the
        resizing SLA; collecting the request hands the deposit back too."""
        Deposit = self.env["tsl.deposit"].with_user(self.assoc_sh1)
        values = {
            "partner_id": self.wang.id,
            "store_id": self.store_sh1.id,
            "description": "18K gold ring: size 12 to 13",
            "pickup_date": "2026-03-12",
        }
        deposit = Deposit.create({**values, "reason": "resizing"})
        action = deposit.action_tsl_service_request()
        req = deposit.service_request_id
        self.assertEqual(action["res_id"], req.id)
        self.assertEqual(
            (req.kind, req.partner_id, req.store_id, req.deposit_id),
            ("resizing", self.wang, self.store_sh1, deposit),
        )
        self.assertEqual(req.promised_date, date(2026, 3, 9))
        self.assertEqual(
            deposit.action_tsl_service_request()["res_id"], req.id, "not twice"
        )
        req.action_send_workshop()
        req.action_ready()
        req.action_collected()
        self.assertEqual(deposit.state, "picked_up")
        self.assertEqual(deposit.picked_up_date, date(2026, 3, 2))
        reserved = Deposit.create({**values, "reason": "reserved"})
        with self.assertRaisesRegex(UserError, "not a repair or a resizing"):
            reserved.action_tsl_service_request()
        repair = Deposit.create({**values, "reason": "repair"})
        repair.action_cancel()
        with self.assertRaisesRegex(UserError, "still at the store"):
            repair.action_tsl_service_request()
