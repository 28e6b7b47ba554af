# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import TslLoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestVouchers(TslLoyaltyPosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "tsl_cashback_points": 1000,
                "tsl_cashback_amount": 50.0,
                "tsl_voucher_validity_days": 180,
                "tsl_welcome_voucher_amount": 100.0,
                "tsl_voucher_product_id": cls.env.ref(
                    "tsl_loyalty.product_member_voucher"
                ).id,
            }
        )
        cls.other = cls.env["res.partner"].create(
            {
                "name": "李娜",
                "tsl_member_state": "formal",
                "tsl_member_number": "M90000002",
            }
        )

    def earn(self, points):
        year = self.env["tsl.points.year"]._tsl_for_date(date.today())
        self.env["tsl.points.move"]._tsl_post(
            [
                {
                    "partner_id": self.member.id,
                    "year_id": year.id,
                    "move_type": "earn",
                    "points": points,
                }
            ]
        )

    def test_cashback_every_1000_points_gives_50(self):
        self.earn(2600)
        voucher = self.member.tsl_points_cashback()
        self.assertEqual((voucher.amount, voucher.points_cost), (100.0, 2000))
        self.assertEqual(voucher.voucher_type, "cashback")
        self.assertEqual(self.member.tsl_points_balance, 600)
        with self.assertRaises(UserError) as err:
            self.member.tsl_points_cashback()
        self.assertIn("at least 1000 points", str(err.exception))
        self.assert_ledger_consistent()

    def test_welcome_coupon_on_enrolment(self):
        member = self.env["res.partner"].tsl_enrol(
            {
                "name": "赵敏",
                "tsl_gender": "female",
                "tsl_birth_month": 5,
                "mobile": "13912340000",
                "street": "淮海中路 1 号",
                "zip": "200020",
                "tsl_consent_paper": True,
            }
        )
        welcome = member.tsl_voucher_ids
        self.assertEqual((welcome.voucher_type, welcome.amount), ("welcome", 100.0))
        self.assertIn(
            "welcome kit", " ".join(member.activity_ids.mapped("summary")).lower()
        )

    def voucher(self, **vals):
        return self.env["tsl.voucher"]._tsl_issue(
            self.member, vals.pop("voucher_type", "cashback"), 50.0, 30, "test", **vals
        )

    def test_clear_refusals(self):
        voucher = self.voucher()
        Voucher = self.env["tsl.voucher"]
        self.assertEqual(
            Voucher.tsl_check_code(voucher.name.lower(), self.member.id)["amount"], 50.0
        )
        with self.assertRaises(UserError) as err:
            Voucher.tsl_check_code(voucher.name, self.other.id)
        self.assertIn("belongs to another member", str(err.exception))
        with self.assertRaises(UserError) as err:
            Voucher.tsl_check_code("VNOPE", self.member.id)
        self.assertIn("no voucher", str(err.exception))
        with freeze_time(date.today().replace(year=date.today().year + 1)):
            with self.assertRaises(UserError) as err:
                Voucher.tsl_check_code(voucher.name, self.member.id)
            self.assertIn("expired", str(err.exception))
            self.assertEqual(Voucher._cron_tsl_expire_vouchers(), 1)
        minimum = self.voucher(min_amount=2000.0)
        with self.assertRaises(UserError) as err:
            Voucher.tsl_check_code(minimum.name, self.member.id, amount=1000.0)
        self.assertIn("at least", str(err.exception))

    def voucher_order(self, voucher):
        data = self.create_ui_order_data(
            [(self.ring, 1), (self.env.ref("tsl_loyalty.product_member_voucher"), 1)],
            customer=self.member,
        )
        line = data["lines"][1][2]
        line.update(
            price_unit=-voucher.amount,
            price_subtotal=-voucher.amount,
            price_subtotal_incl=-voucher.amount,
            tsl_voucher_id=voucher.id,
        )
        data["amount_total"] -= voucher.amount
        data["amount_paid"] -= voucher.amount
        data["payment_ids"][0][2]["amount"] -= voucher.amount
        return data

    def test_pos_voucher_used_once_second_offline_use_flagged(self):
        """A ¥50 voucher pays part of a ¥1,000 ring at Nanjing Road; the same
        voucher was also accepted offline at Xujiahui: that second use is kept
        and flagged for review, the order is not lost."""
        voucher = self.voucher()
        self.open_new_session()
        first = self.sync(self.voucher_order(voucher))
        self.assertEqual(voucher.state, "used")
        self.assertEqual(voucher.use_ids.pos_order_id, first)
        self.assertEqual(first.tsl_points_earned, 1425)  # (1,000 - 50) × 1.5
        self.config.tsl_store_id = self.store_b
        second = self.sync(self.voucher_order(voucher))
        self.assertTrue(second, "the offline order is saved")
        uses = voucher.use_ids.sorted("id")
        self.assertEqual(uses.mapped("state"), ["valid", "review"])
        self.assertEqual(uses[1].pos_order_id, second)
        self.assertEqual(uses[1].store_id, self.store_b)
        self.assertIn("already used", uses[1].note)
        self.assertTrue(uses[1].activity_ids)

    def test_sale_order_voucher(self):
        voucher = self.voucher(voucher_type="welcome")
        order = self.env["sale.order"].create(
            {
                "partner_id": self.member.id,
                "order_line": [
                    (0, 0, {"product_id": self.ring.id, "price_unit": 1000.0})
                ],
            }
        )
        order.action_tsl_apply_voucher(voucher.name)
        self.assertEqual(order.amount_total, 950.0)
        with self.assertRaises(UserError):
            order.action_tsl_apply_voucher(voucher.name)
        order.action_confirm()
        self.assertEqual(voucher.state, "used")
        # a voucher of another member, or used, is refused on a quotation
        other_order = self.env["sale.order"].create(
            {
                "partner_id": self.other.id,
                "order_line": [
                    (0, 0, {"product_id": self.ring.id, "price_unit": 1000.0})
                ],
            }
        )
        with self.assertRaises(UserError) as err:
            other_order.action_tsl_apply_voucher(voucher.name)
        self.assertIn("already used", str(err.exception))
        # cancelling gives the voucher back
        order._action_cancel()
        self.assertEqual(voucher.state, "open")

    @freeze_time("2026-11-24")
    def test_renewal_coupons_paper_or_mms(self):
        Partner = self.env["res.partner"]
        Partner.search([("tsl_member_state", "!=", False)]).write(
            {"tsl_enrol_date": "2026-01-01"}
        )
        self.member.write(
            {"tsl_enrol_date": "2023-11-05", "tsl_renewal_qualified": True}
        )
        self.other.write(
            {"tsl_enrol_date": "2024-11-20", "tsl_renewal_qualified": False}
        )
        self.assertEqual(Partner._cron_tsl_renewal_vouchers(), 2)
        self.assertEqual(Partner._cron_tsl_renewal_vouchers(), 0, "once a year")
        paper = self.member.tsl_voucher_ids
        mms = self.other.tsl_voucher_ids
        self.assertEqual((paper.medium, paper.amount), ("paper", 200.0))
        self.assertEqual((mms.medium, mms.amount), ("mms", 100.0))
        self.assertEqual(paper.voucher_type, "renewal")
