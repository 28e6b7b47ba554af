# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import TslCrmCommon


@tagged("post_install", "-at_install")
class TestEnrolment(TslCrmCommon):
    def test_missing_fields_are_all_named_at_once(self):
        """An associate at Nanjing Road leaves gender, birthday month, postal
        code and the signature empty: one error names all four."""
        Partner = self.env["res.partner"].with_user(self.assoc_sh1)
        before = self.env["res.partner"].search_count([])
        values = self.enrol_values(
            tsl_gender=False, tsl_birth_month=False, zip="", tsl_consent_paper=False
        )
        with self.assertRaises(ValidationError) as err:
            Partner.tsl_enrol(values)
        message = str(err.exception)
        for label in ("Gender", "Birthday month", "Postal code", "Consent signature"):
            self.assertIn(label, message)
        for label in ("Name", "Phone", "Address line"):
            self.assertNotIn(label, message)
        self.assertEqual(
            self.env["res.partner"].search_count([]),
            before,
            "nothing is created when the enrolment is refused",
        )

    def test_every_field_missing(self):
        with self.assertRaises(ValidationError) as err:
            self.env["res.partner"].tsl_enrol({})
        self.assertIn(
            "Name, Gender, Birthday month, Phone, Address line, Postal code, "
            "Consent signature",
            str(err.exception),
        )

    def test_enrolment_creates_temporary_member(self):
        """Enrolled by the associate at her store: temporary member with a
        member number, her store, herself as associate, four consents."""
        member = (
            self.env["res.partner"]
            .with_user(self.assoc_sh1)
            .tsl_enrol(self.enrol_values(tsl_opt_out_channels=["sms"]), source="pos")
        )
        self.assertEqual(member.tsl_member_state, "temporary")
        self.assertRegex(member.tsl_member_number, r"^M\d{8}$")
        self.assertEqual(member.tsl_store_id, self.store_sh1)
        self.assertEqual(member.tsl_enrol_store_id, self.store_sh1)
        self.assertEqual(member.tsl_associate_id, self.assoc_sh1)
        self.assertEqual(member.tsl_card_state, "temporary")
        self.assertEqual(member.tsl_phone_normalized, "+8613800138000")
        self.assertEqual(member.tsl_phone_state, "valid")
        consents = {c.channel: c.consent for c in member.tsl_consent_ids}
        self.assertEqual(
            consents, {"sms": False, "phone": True, "email": True, "mail": True}
        )
        self.assertTrue(all(c.source == "pos" for c in member.tsl_consent_ids))
        self.assertIn(
            member.tsl_member_number,
            " ".join(member.message_ids.mapped("body")),
            "the enrolment is logged in the chatter",
        )

    def test_duplicate_phone_refused(self):
        first = self.env["res.partner"].tsl_enrol(self.enrol_values())
        with self.assertRaises(ValidationError) as err:
            self.env["res.partner"].tsl_enrol(
                self.enrol_values(name="李娜", mobile="+86 138-0013-8000")
            )
        self.assertIn(first.tsl_member_number, str(err.exception))

    def test_invalid_phone_refused(self):
        with self.assertRaises(ValidationError) as err:
            self.env["res.partner"].tsl_enrol(self.enrol_values(mobile="12345"))
        self.assertIn("12345", str(err.exception))

    def test_back_office_enrols_existing_contact(self):
        """A walk-in customer already in contacts is enrolled from the form;
        the same all-missing-fields rule applies."""
        contact = self.env["res.partner"].create(
            {"name": "赵敏", "mobile": "13912345678", "tsl_store_id": self.store_sh2.id}
        )
        with self.assertRaises(ValidationError) as err:
            contact.action_tsl_enrol()
        self.assertIn(
            "Gender, Birthday month, Address line, Postal code", str(err.exception)
        )
        contact.write(
            {
                "tsl_gender": "female",
                "tsl_birth_month": 3,
                "street": "虹桥路 1 号",
                "zip": "200030",
                "tsl_consent_paper": True,
            }
        )
        contact.action_tsl_enrol()
        self.assertEqual(contact.tsl_member_state, "temporary")
        self.assertEqual(contact.tsl_store_id, self.store_sh2)
        self.assertTrue(contact.tsl_member_number)
        with self.assertRaises(ValidationError):
            contact.action_tsl_enrol()
