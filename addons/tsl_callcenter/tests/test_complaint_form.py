# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import TslCallcenterCommon


@tagged("post_install", "-at_install")
class TestComplaintWebsite(TslCallcenterCommon):
    """Complaints and suggestions sent from the public web form (C8)."""

    def submit(self, **values):
        return self.env["tsl.complaint"].tsl_submit_website(values)

    def test_member_found_by_phone_and_store(self):
        """王丽 writes from the website with her mobile typed with +86: the
        complaint is hers, for her home store, due in 3 days; the Nanjing
        Road manager sees it, the Wangfujing manager does not."""
        complaint = self.submit(
            contact_name="王女士",
            contact_phone="+86 138-0013-8000",
            category="product",
            description="项链扣坏了",
        )
        self.assertEqual(
            (complaint.source, complaint.partner_id, complaint.store_id),
            ("website", self.wang, self.store_sh1),
        )
        self.assertEqual(complaint.state, "new")
        self.assertEqual(
            (complaint.deadline - complaint.date_received).days, 3, "3-day SLA"
        )
        self.assertTrue(
            self.env["tsl.complaint"]
            .with_user(self.manager_sh1)
            .search([("id", "=", complaint.id)])
        )
        with (
            mute_logger("odoo.addons.base.models.ir_rule"),
            self.assertRaises(AccessError),
        ):
            complaint.with_user(self.manager_bj1).read(["description"])

    def test_non_member_and_chosen_store(self):
        complaint = self.submit(
            contact_name="Mr Smith",
            contact_phone="13911112222",
            store_id=str(self.store_bj1.id),
            kind="suggestion",
            category="nonsense",
            description="Longer opening hours please",
        )
        self.assertFalse(complaint.partner_id)
        self.assertEqual(
            (complaint.kind, complaint.category, complaint.store_id),
            ("suggestion", "other", self.store_bj1),
        )
        self.assertEqual(complaint.contact_phone, "+8613911112222")

    def test_bad_input_names_every_missing_field(self):
        count = self.env["tsl.complaint"].search_count([])
        with self.assertRaises(UserError) as err:
            self.submit(contact_name=" ", description="")
        for label in ("Your name", "Phone", "Your message"):
            self.assertIn(label, str(err.exception))
        with self.assertRaises(UserError) as err:
            self.submit(contact_name="A", contact_phone="12", description="x")
        self.assertIn("not a phone number", str(err.exception))
        self.assertEqual(self.env["tsl.complaint"].search_count([]), count)


@tagged("post_install", "-at_install")
class TestComplaintWebsiteForm(HttpCase):
    def test_form_keeps_what_was_typed_and_records(self):
        page = self.url_open("/tsl/complaint")
        self.assertEqual(page.status_code, 200)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        data = {
            "csrf_token": token,
            "contact_name": "Ms Lee",
            "contact_phone": "",
            "description": "The fitting room was closed",
        }
        page = self.url_open("/tsl/complaint", data=data)
        self.assertIn("Please fill in: Phone", page.text)
        self.assertIn("The fitting room was closed", page.text, "nothing lost")
        data["contact_phone"] = "139 1111 3333"
        page = self.url_open("/tsl/complaint", data=data)
        complaint = self.env["tsl.complaint"].search(
            [("contact_phone", "=", "+8613911113333")]
        )
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.source, "website")
        self.assertIn(complaint.name, page.text)
