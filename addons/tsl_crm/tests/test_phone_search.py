# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..utils.phone import normalize_phone
from .common import TslCrmCommon


@tagged("post_install", "-at_install")
class TestPhoneAndSearch(TslCrmCommon):
    def test_normalisation_of_common_typings(self):
        for typed in (
            "13800138000",
            "138 0013 8000",
            "138-0013-8000",
            "+86 138 0013 8000",
            "+86-138-0013-8000",
            "0086 13800138000",
            "(+86)13800138000",
        ):
            self.assertEqual(normalize_phone(typed), ("+8613800138000", True), typed)
        self.assertEqual(normalize_phone("010-8785 0840"), ("+861087850840", True))
        self.assertEqual(normalize_phone("12345")[1], False)
        self.assertEqual(normalize_phone("not a phone"), (False, False))
        self.assertEqual(normalize_phone(""), (False, False))

    def test_phone_states(self):
        valid = self.make_member("王丽", self.store_sh1, mobile="13800138000")
        invalid = self.make_member("李娜", self.store_sh1, mobile="1380013")
        empty = self.make_member("张伟", self.store_sh1)
        self.assertEqual(valid.tsl_phone_state, "valid")
        self.assertEqual(invalid.tsl_phone_state, "invalid_format")
        self.assertFalse(empty.tsl_phone_state)
        # a follow-up call finds the number disconnected (空号)
        valid.tsl_set_phone_state("empty_number")
        self.assertEqual(valid.tsl_phone_state, "empty_number")
        with self.assertRaises(ValidationError):
            valid.tsl_set_phone_state("lost")
        # a corrected number is checked again
        valid.mobile = "139 1234 5678"
        self.assertEqual(valid.tsl_phone_state, "valid")
        self.assertEqual(valid.tsl_phone_normalized, "+8613912345678")

    def test_duplicates_by_phone(self):
        """Mother and daughter gave the same mobile, typed differently."""
        mother = self.make_member("陈梅", self.store_sh1, mobile="138 0013 8000")
        daughter = self.make_member("陈静", self.store_sh2, mobile="+86 13800138000")
        other = self.make_member("李凤辉", self.store_sh2, mobile="13912345678")
        self.assertEqual(mother.tsl_duplicate_count, 1)
        self.assertEqual(daughter.tsl_duplicate_count, 1)
        self.assertEqual(other.tsl_duplicate_count, 0)
        action = mother.action_tsl_view_duplicates()
        found = self.env["res.partner"].search(action["domain"])
        self.assertEqual(found, mother | daughter)

    def test_member_search_by_phone_number_and_name(self):
        Partner = self.env["res.partner"]
        wang = self.make_member("慕容丽华", self.store_sh1, mobile="13800138000")
        wang2 = self.make_member("慕容小丽", self.store_bj1, mobile="13700137000")
        self.make_member("Wendolyn Zyxwong", self.store_bj1, mobile="13600136000")
        non_member = Partner.create(
            {"name": "慕容丽华 Supplier", "mobile": "13500135000"}
        )
        for typed in ("138 0013 8000", "+86-138-0013-8000", "0086 13800138000"):
            self.assertEqual(Partner.tsl_search_members(typed), wang, typed)
        self.assertEqual(Partner.tsl_search_members(wang.tsl_member_number), wang)
        self.assertEqual(
            Partner.tsl_search_members(wang.tsl_member_number.lower()), wang
        )
        result = Partner.tsl_search_members("慕容")
        self.assertIn(wang, result)
        self.assertIn(wang2, result)
        self.assertNotIn(non_member, result)
        self.assertEqual(Partner.tsl_search_members("慕容丽"), wang)
        self.assertEqual(
            Partner.tsl_search_members("wendolyn").mapped("name"), ["Wendolyn Zyxwong"]
        )
        self.assertFalse(Partner.tsl_search_members("13500135000"), "not a member")
        self.assertFalse(Partner.tsl_search_members(""))
        self.assertFalse(Partner.tsl_search_members("%"))
        # paging: one at a time
        self.assertEqual(len(Partner.tsl_search_members("慕容", limit=1)), 1)
        self.assertNotEqual(
            Partner.tsl_search_members("慕容", limit=1),
            Partner.tsl_search_members("慕容", limit=1, offset=1),
        )

    def test_search_uses_indexes(self):
        """The three lookups are index scans, not an ilike over five columns."""
        Partner = self.env["res.partner"]
        for query in ("13800138000", "M00001234", "王丽"):
            domain = Partner._tsl_member_search_domain(query)
            leaves = [leaf for leaf in domain if isinstance(leaf, tuple)]
            self.assertFalse([leaf for leaf in leaves if leaf[1] == "ilike"], query)
