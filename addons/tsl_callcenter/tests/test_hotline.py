# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.tsl_loyalty.tests.common_reward import TslRewardCommon

from .common import TslCallcenterCommon


@tagged("post_install", "-at_install")
class TestHotline(TslCallcenterCommon):
    def call(self, number, **vals):
        return (
            self.env["tsl.hotline.call"]
            .with_user(self.hq_crm)
            .create({"caller_number": number, **vals})
        )

    def test_number_opens_member_card(self):
        """王丽 calls from +86 138-0013-8000 (her card says 138 0013 8000)."""
        call = self.call("+86 138-0013-8000")
        self.assertEqual(call.number_normalized, "+8613800138000")
        self.assertEqual(call.partner_id, self.wang)
        self.assertEqual(call.match_count, 1)
        self.assertEqual(call.store_id, self.store_sh1)
        action = call.action_open_member()
        self.assertEqual(action["res_model"], "res.partner")
        self.assertEqual(action["res_id"], self.wang.id)
        unknown = self.call("0086 186 0000 0000")
        self.assertFalse(unknown.partner_id)
        action = unknown.action_open_member()
        self.assertFalse(action.get("res_id"))
        self.assertEqual(action["context"]["default_mobile"], "0086 186 0000 0000")

    def test_enquiry_and_complaint(self):
        enquiry = self.call("13800138000", call_type="enquiry")
        with self.assertRaises(ValidationError):
            enquiry.action_log()
        enquiry.note = "Opening hours of the Xujiahui store"
        enquiry.action_log()
        self.assertEqual(enquiry.state, "logged")
        self.assertIn("Opening hours", self.wang.message_ids[0].body)
        with self.assertRaises(UserError):
            enquiry.action_log()

        complaint_call = self.call(
            "138 0013 8000",
            call_type="complaint",
            complaint_category="points",
            note="Points of the 12 March purchase are missing.",
        )
        complaint_call.action_log()
        complaint = complaint_call.complaint_id
        self.assertEqual(complaint.source, "hotline")
        self.assertEqual(complaint.partner_id, self.wang)
        self.assertEqual(complaint.store_id, self.store_sh1)
        self.assertEqual(complaint.category, "points")
        # a caller who is not a member must give a name
        stranger = self.call("186 0000 0000", call_type="complaint", note="Rude staff")
        with self.assertRaises(ValidationError):
            stranger.action_log()
        stranger.contact_name = "李女士"
        stranger.action_log()
        self.assertEqual(stranger.complaint_id.contact_name, "李女士")
        self.assertFalse(stranger.complaint_id.partner_id)

    def test_contact_update(self):
        call = self.call("13800138000", call_type="contact_update")
        with self.assertRaises(ValidationError):
            call.action_log()
        call.new_mobile = "12345"
        with self.assertRaises(ValidationError):
            call.action_log()
        call.write({"new_mobile": "139 1111 2222", "new_street": "淮海中路 1 号"})
        call.action_log()
        self.assertEqual(self.wang.mobile, "139 1111 2222")
        self.assertEqual(self.wang.tsl_phone_normalized, "+8613911112222")
        self.assertEqual(self.wang.street, "淮海中路 1 号")
        bodies = " ".join(self.wang.message_ids.mapped("body"))
        self.assertIn("138 0013 8000", bodies)
        self.assertIn("139 1111 2222", bodies)
        nobody = self.call("186 0000 0000", call_type="contact_update", new_zip="1")
        with self.assertRaises(ValidationError):
            nobody.action_log()

    def test_sms_opt_out_by_phone(self):
        """陈静 calls: no more SMS. Her SMS consent becomes 'no' (source
        hotline) and a service request ready later sends her none."""
        call = self.call("139 0139 0139", call_type="contact_update", sms_opt_out=True)
        call.action_log()
        consent = self.chen.tsl_consent_ids.filtered(lambda c: c.channel == "sms")
        self.assertFalse(consent.consent)
        self.assertEqual(consent.source, "hotline")
        request = self.env["tsl.service.request"].create(
            {
                "kind": "cleaning",
                "partner_id": self.chen.id,
                "store_id": self.store_sh1.id,
                "description": "Pearl necklace",
            }
        )
        request.action_ready()
        self.assertFalse(request.sms_sent)

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_hotline_is_head_office(self):
        with self.assertRaises(AccessError):
            self.env["tsl.hotline.call"].with_user(self.manager_sh1).create(
                {"caller_number": "13800138000"}
            )


@tagged("post_install", "-at_install")
class TestHotlineRedemption(TslRewardCommon):
    def test_redemption_application(self):
        """A Star Diamond member with 12,000 points of the year calls the
        hotline for the Fourth Prize ¥300 voucher: the request is applied
        through the hotline channel and the points are locked."""
        tier_star = self.tier_star
        member = self.member("周婷", "TS900001", tier_star, mobile="13600136000")
        self.earn(member, 12000)
        Call = self.env["tsl.hotline.call"]
        call = Call.create(
            {"caller_number": "136 0013 6000", "call_type": "redemption"}
        )
        self.assertEqual(call.partner_id, member)
        with self.assertRaises(ValidationError):
            call.action_log()
        call.option_id = self.option("Fourth Prize")
        call.action_log()
        request = call.redemption_id
        self.assertEqual(request.state, "applied")
        self.assertEqual(request.channel, "hotline")
        self.assertEqual(request.partner_id, member)
        # a band the member does not reach is refused by tsl_apply
        again = Call.create(
            {
                "caller_number": "136 0013 6000",
                "call_type": "redemption",
                "option_id": self.option("First Prize").id,
            }
        )
        with self.assertRaises(UserError):
            again.action_log()
        self.assertEqual(again.state, "draft")
