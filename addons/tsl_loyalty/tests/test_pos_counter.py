# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The server side of the POS member counter (L12, M2), without a browser."""

import json

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools.translate import TranslationModuleReader, code_translations

from .common import TslLoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestPosCounter(TslLoyaltyPosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        users = {
            login: new_test_user(
                cls.env,
                login=login,
                groups="tsl_crm.group_tsl_associate,point_of_sale.group_pos_user",
                company_id=cls.env.company.id,
                tsl_store_id=cls.store_a.id,
            )
            for login in ("pos_assoc_a", "pos_assoc_b")
        }
        cls.assoc_a, cls.assoc_b = users["pos_assoc_a"], users["pos_assoc_b"]
        cls.member.write(
            {
                "tsl_associate_id": cls.assoc_a.id,
                "street": "愚园路 168 弄",
                "zip": "200040",
            }
        )
        cls.env.company.tsl_welcome_voucher_amount = 100.0
        cls.form = {
            "name": "李娜",
            "tsl_gender": "female",
            "tsl_birth_month": "5",
            "mobile": "150 0000 7788",
            "street": "福州路 88 号",
            "zip": "200003",
            "tsl_consent_paper": True,
        }

    def search(self, user, query):
        return (
            self.env["res.partner"]
            .with_user(user)
            .tsl_pos_search(query, self.config.id)["res.partner"]
        )

    def test_search_by_phone_any_format_member_number_and_name(self):
        """王丽's mobile 13800138000 typed as +86 138-0013-8000, her card
        M90000001 scanned in lower case, or the prefix of her name."""
        for query in ("+86 138-0013-8000", "0086 138 0013 8000", "m90000001", "王"):
            found = self.search(self.assoc_a, query)
            self.assertEqual([p["id"] for p in found], self.member.ids, query)
        record = self.search(self.assoc_a, "13800138000")[0]
        self.assertEqual(record["tsl_member_number"], "M90000001")
        self.assertEqual(record["tsl_tier_id"], self.tier_star.id)
        self.assertEqual(record["street"], "愚园路 168 弄")
        self.assertIn("tsl_benefit_available", record)
        self.assertIn("tsl_deposit_count", record)
        self.assertFalse(self.search(self.assoc_a, "+86 139 0000 0000"))

    def test_search_other_associates_member(self):
        """Another associate serves 王丽 at the counter when she gives her
        phone, but sees neither her address nor her in a name search (M8)."""
        record = self.search(self.assoc_b, "138 0013 8000")[0]
        self.assertEqual(record["name"], "王丽")
        self.assertFalse(record["street"])
        self.assertFalse(record["zip"])
        self.assertFalse(self.search(self.assoc_b, "王"))
        # only the till searches this way
        clerk = new_test_user(self.env, login="pos_clerk", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.search(clerk, "138 0013 8000")

    def test_till_preloads_no_member(self):
        """At start the till loads some walk-in customers, never members: they
        are searched on the server."""
        self.open_new_session()
        data = self.pos_session.with_user(self.assoc_a).load_data([])
        ids = [p["id"] for p in data["res.partner"]["data"]]
        self.assertTrue(ids)
        self.assertFalse(
            self.env["res.partner"].browse(ids).filtered("tsl_member_state")
        )
        self.assertIn("tsl.member.tier", data)
        self.assertIn("tsl_points_rate", data["res.company"]["fields"])

    def test_enrol_names_every_missing_field_then_issues_the_card(self):
        Partner = self.env["res.partner"].with_user(self.assoc_a)
        with self.assertRaises(ValidationError) as refused:
            Partner.tsl_pos_enrol(
                {"name": "李娜", "mobile": "15000007788"}, self.config.id
            )
        for label in ("Gender", "Birthday month", "Address line", "Postal code"):
            self.assertIn(label, str(refused.exception))
        data = Partner.tsl_pos_enrol(self.form, self.config.id)
        record = data["res.partner"][0]
        member = self.env["res.partner"].browse(record["id"])
        self.assertEqual(record["tsl_member_state"], "temporary")
        self.assertTrue(record["tsl_member_number"])
        self.assertEqual(member.tsl_phone_normalized, "+8615000007788")
        self.assertEqual(member.tsl_store_id, self.store_a)
        self.assertEqual(member.tsl_associate_id, self.assoc_a)
        self.assertEqual(set(member.tsl_consent_ids.mapped("source")), {"pos"})
        self.assertEqual(
            [(v["voucher_type"], v["amount"]) for v in data["tsl.voucher"]],
            [("welcome", 100.0)],
        )
        # the same phone, typed another way, is refused: serve the member
        with self.assertRaises(ValidationError):
            Partner.tsl_pos_enrol(
                dict(self.form, mobile="+86 150-0000-7788"), self.config.id
            )

    def enrolment_order(self, form, card):
        data = self.create_ui_order_data([(self.ring, 1)])
        data["tsl_enrolment_data"] = json.dumps({"values": form, "card_number": card})
        return data

    def test_offline_enrolments_of_one_phone_make_one_member(self):
        """Two tills offline enrol 李娜 (the second typed her phone another
        way): one member, with the first till's temporary card; both orders
        are hers and earn once each; the second enrolment is flagged."""
        self.open_new_session()
        first = self.enrolment_order(self.form, "T00125112401")
        second = self.enrolment_order(
            dict(self.form, mobile="+86 150-0000-7788"), "T00225112401"
        )
        result = self.env["pos.order"].sync_from_ui([first, second])
        orders = self.env["pos.order"].browse([o["id"] for o in result["pos.order"]])
        member = self.env["res.partner"].search(
            [("tsl_phone_normalized", "=", "+8615000007788")]
        )
        self.assertEqual(len(member), 1)
        self.assertEqual(member.tsl_member_number, "T00125112401")
        self.assertEqual(orders.partner_id, member)
        self.assertEqual(orders.mapped("tsl_points_earned"), [1000, 1000])
        self.assertEqual(member.tsl_points_balance, 2000)
        self.assertEqual(len(member.tsl_voucher_ids), 1)
        self.assertIn(
            "Member enrolled twice offline", member.activity_ids.mapped("summary")
        )
        # the till gets the new member back with the synced orders
        self.assertEqual([p["id"] for p in result["res.partner"]], member.ids)
        self.assertEqual(result["res.partner"][0]["tsl_points_balance"], 2000)
        # sent again (the till missed the answer): nothing changes
        self.env["pos.order"].sync_from_ui([first, second])
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("tsl_phone_normalized", "=", "+8615000007788")]
            ),
            1,
        )
        self.assertEqual(member.tsl_points_balance, 2000)

    def test_offline_enrolment_incomplete_keeps_the_order(self):
        """A form queued without a postal code: the paid order is recorded
        without member, with the server's reason; nothing is lost."""
        self.open_new_session()
        form = dict(self.form, zip="")
        result = self.env["pos.order"].sync_from_ui(
            [self.enrolment_order(form, "T00125112402")]
        )
        order = self.env["pos.order"].browse(result["pos.order"][0]["id"])
        self.assertEqual(order.state, "paid")
        self.assertFalse(order.partner_id)
        self.assertIn("Postal code", order.tsl_enrolment_error)
        self.assertFalse(
            self.env["res.partner"].search(
                [("tsl_phone_normalized", "=", "+8615000007788")]
            )
        )

    def test_voucher_code_checked_online_and_used_once(self):
        voucher = self.env["tsl.voucher"]._tsl_issue(
            self.member, "reward", 200.0, 30, "Annual reward exchange voucher"
        )
        Voucher = self.env["tsl.voucher"].with_user(self.assoc_b)
        data = Voucher.tsl_pos_check_code(
            voucher.name.lower(), self.member.id, 1000.0, self.config.id
        )
        self.assertEqual(data["tsl.voucher"][0]["id"], voucher.id)
        other = self.env["res.partner"].create({"name": "周婷"})
        with self.assertRaises(UserError):
            Voucher.tsl_pos_check_code(voucher.name, other.id, 1000.0, self.config.id)
        self.open_new_session()
        data = self.create_ui_order_data([(self.ring, 1)], customer=self.member)
        data["lines"].append(self.voucher_line(voucher, -200.0))
        data["amount_total"] = data["amount_paid"] = 800.0
        data["payment_ids"][0][2]["amount"] = 800.0
        result = self.env["pos.order"].sync_from_ui([data])
        self.assertEqual(voucher.state, "used")
        self.assertEqual(
            [v["state"] for v in result["tsl.voucher"] if v["id"] == voucher.id],
            ["used"],
        )
        with self.assertRaises(UserError):
            Voucher.tsl_pos_check_code(
                voucher.name, self.member.id, 1000.0, self.config.id
            )

    def voucher_line(self, voucher, price, qty=1):
        return (
            0,
            0,
            {
                "product_id": self.env.ref("tsl_loyalty.product_member_voucher").id,
                "qty": qty,
                "price_unit": price,
                "price_subtotal": price * qty,
                "price_subtotal_incl": price * qty,
                "tax_ids": [(6, 0, [])],
                "tsl_voucher_id": voucher.id,
            },
        )

    def test_voucher_line_changed_at_the_till_is_reviewed(self):
        """A ¥100 voucher on a line of -¥200 (the cashier changed the price):
        the use is kept, under review for HQ."""
        voucher = self.env["tsl.voucher"]._tsl_issue(
            self.member, "welcome", 100.0, 30, "Welcome kit coupon"
        )
        self.open_new_session()
        data = self.create_ui_order_data([(self.ring, 1)], customer=self.member)
        data["lines"].append(self.voucher_line(voucher, -200.0))
        data["amount_total"] = data["amount_paid"] = 800.0
        data["payment_ids"][0][2]["amount"] = 800.0
        self.env["pos.order"].sync_from_ui([data])
        self.assertEqual(voucher.use_ids.state, "review")
        self.assertIn("worth", voucher.use_ids.note)
        self.assertTrue(voucher.use_ids.activity_ids)

    def test_birthday_pricelist_is_the_benefit(self):
        """The cashier picked the birthday pricelist without the button: the
        server registers the month's benefit all the same."""
        self.member.write(
            {
                "tsl_birth_month": fields.Date.today().month,
                "tsl_birth_day": 1,
            }
        )
        self.open_new_session()
        data = self.create_ui_order_data([(self.ring, 1)], customer=self.member)
        data["pricelist_id"] = self.tier_star.birthday_pricelist_id.id
        result = self.env["pos.order"].sync_from_ui([data])
        order = self.env["pos.order"].browse(result["pos.order"][0]["id"])
        self.assertTrue(order.tsl_birthday_benefit)
        self.assertEqual(order.tsl_benefit_use_id.state, "valid")

    def test_offline_order_resent_counts_once(self):
        """An order paid offline with the birthday benefit and a voucher is
        sent again by the till (it missed the answer): one benefit use, one
        voucher use, one points line."""
        self.member.write(
            {"tsl_birth_month": fields.Date.today().month, "tsl_birth_day": 1}
        )
        voucher = self.env["tsl.voucher"]._tsl_issue(
            self.member, "cashback", 100.0, 30, "Cash-back"
        )
        self.open_new_session()
        data = self.create_ui_order_data([(self.ring, 1)], customer=self.member)
        data["lines"].append(self.voucher_line(voucher, -100.0))
        data["amount_total"] = data["amount_paid"] = 900.0
        data["payment_ids"][0][2]["amount"] = 900.0
        data["tsl_birthday_benefit"] = True
        self.env["pos.order"].sync_from_ui([dict(data)])
        self.env["pos.order"].sync_from_ui([dict(data)])
        order = self.env["pos.order"].search([("uuid", "=", data["uuid"])])
        self.assertEqual(len(order), 1)
        uses = self.env["tsl.benefit.use"].search([("partner_id", "=", self.member.id)])
        self.assertEqual(uses.mapped("state"), ["valid"])
        self.assertEqual(voucher.use_ids.mapped("state"), ["valid"])
        # 900 x 1.5 (Star Diamond) x 2 (birthday)
        self.assertEqual(self.earn_lines().points, 2700)
        self.assertEqual(self.member.tsl_points_balance, 2700)

    def test_till_offers_the_tier_pricelists(self):
        """A store's till gets every tier's pricelist and birthday pricelist;
        customers who are not members pay the standard prices (not the first
        tier pricelist by sequence)."""
        tiers = self.env["tsl.member.tier"].search([])
        standard = self.env.ref("tsl_loyalty.product_pricelist_standard")
        # (the test set-up archives the pricelists it did not create)
        (tiers.pricelist_id | tiers.birthday_pricelist_id | standard).action_unarchive()
        self.config._tsl_add_member_pricelists()
        self.assertTrue(self.config.use_pricelist)
        self.assertLessEqual(
            tiers.pricelist_id | tiers.birthday_pricelist_id,
            self.config.available_pricelist_ids,
        )
        self.assertIn(self.config.pricelist_id, self.config.available_pricelist_ids)
        self.assertEqual(
            self.member.property_product_pricelist, self.tier_star.pricelist_id
        )
        walk_in = self.env["res.partner"].create({"name": "Walk-in"})
        self.assertEqual(walk_in.property_product_pricelist, standard)

    def test_pos_strings_in_chinese(self):
        """Every string of the member counter's screens has its zh_CN text."""
        reader = TranslationModuleReader(self.env.cr, ["tsl_loyalty"])
        terms = {
            source
            for _module, _type, name, _res_id, source, _value, _comments in reader
            if "tsl_loyalty/static/src/" in name
        }
        self.assertIn("Enrol Member", terms)
        web = code_translations.get_web_translations("tsl_loyalty", "zh_CN")
        chinese = {message["id"] for message in web["messages"]}
        # an expression of the customer list's template, not a text
        self.assertFalse(terms - chinese - {"tslSearchPlaceholder"})
