# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged

from .common_reward import TslRewardCommon


@tagged("post_install", "-at_install")
class TestRedemptionSms(TslRewardCommon):
    """陈静 (Star Diamond, 60,050 points in the year: the Second Prize band)
    applies for the reward by texting the campaign's keyword."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign.sms_keyword = "DH"
        cls.chen = cls.member(
            "陈静", "M93000001", cls.tier_star, mobile="139 0139 0001"
        )
        cls.earn(cls.chen, 60050)

    def sms_to(self, number):
        return self.env["sms.sms"].search([("number", "=", number)])

    def test_keyword_and_choice_apply(self):
        Request = self.env["tsl.redemption.request"]
        request, reply = Request.tsl_apply_sms("+86 139-0139-0001", " dh 2 ")
        second = self.bands["Second Prize"].option_ids[1]
        self.assertEqual(
            (request.partner_id, request.option_id, request.channel, request.state),
            (self.chen, second, "sms", "applied"),
        )
        self.assertEqual(request.store_id, self.store)
        self.assertEqual(request.points, 50000, "the band's points are locked")
        self.assertIn(request.name, reply)
        sms = self.sms_to("+8613901390001")
        self.assertEqual(sms.body, reply)
        self.assertIn("dh 2", self.chen.message_ids[0].body)
        # the same message again: refused, nothing applied twice
        again, reply = Request.tsl_apply_sms("13901390001", "DH 2")
        self.assertFalse(again)
        self.assertIn("already applied", reply)
        self.assertEqual(Request.search_count([("partner_id", "=", self.chen.id)]), 1)
        self.assertEqual(len(self.sms_to("+8613901390001")), 2)

    def test_bad_messages_get_a_reply_saying_why(self):
        Request = self.env["tsl.redemption.request"]
        cases = [
            ("13901390001", "hello", "could not read your message"),
            ("13901390001", "XY 1", "could not read your message"),
            ("13901390001", "DH 7", "Your choices in"),
            ("13800009999", "DH 1", "not the number of an active member"),
        ]
        for number, text, expected in cases:
            with self.subTest(text=text):
                request, reply = Request.tsl_apply_sms(number, text)
                self.assertFalse(request)
                self.assertIn(expected, reply)
        self.assertIn("1 Gift 1; 2 ", Request.tsl_apply_sms("13901390001", "DH 7")[1])
        poor = self.member("周平", "M93000002", self.tier_star, mobile="13901390002")
        self.earn(poor, 800)
        request, reply = Request.tsl_apply_sms("13901390002", "DH 1")
        self.assertFalse(request)
        self.assertIn("You earned 800 points", reply)
        self.assertFalse(Request.search([("partner_id", "in", (self.chen | poor).ids)]))
        self.assertEqual(len(self.sms_to("+8613800009999")), 1)

    def test_keyword_rules(self):
        with self.assertRaises(ValidationError):
            self.campaign.sms_keyword = "DH2"
        other = self.campaign.copy({"sms_keyword": False})
        with self.assertRaises(ValidationError):
            other.write({"sms_keyword": "dh", "state": "open"})


@tagged("post_install", "-at_install")
class TestRedemptionSmsGateway(HttpCase):
    def test_gateway_needs_the_token(self):
        url = "/tsl/sms/inbound"
        response = self.url_open(url, data={"from": "13800009999", "text": "DH 1"})
        self.assertEqual(response.status_code, 403)
        self.env["ir.config_parameter"].sudo().set_param(
            "tsl_loyalty.sms_inbound_token", "s3cret"
        )
        response = self.url_open(
            url, data={"from": "13800009999", "text": "DH 1", "token": "wrong"}
        )
        self.assertEqual(response.status_code, 403)
        response = self.url_open(
            url, data={"from": "13800009999", "text": "DH 1", "token": "s3cret"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("not the number of an active member", response.text)
        self.assertTrue(self.env["sms.sms"].search([("number", "=", "+8613800009999")]))
