# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The member counter of the POS (L12, M2), driven in headless Chromium on
the Shanghai Nanjing Road till (demo data) by its associate 林小雨."""

from datetime import timedelta

from odoo import fields, http
from odoo.tests import HttpCase, tagged

TOUR_TIMEOUT = 240


@tagged("post_install", "-at_install")
class TestPosTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.config = env.ref("tsl_crm.pos_config_sh01_demo")
        cls.store = env.ref("tsl_crm.store_sh01_demo")
        cls.associate = env.ref("tsl_crm.user_assoc_sh01a_demo")
        company = cls.config.company_id
        Categ = env["product.category"]
        cls.categ_jewel = Categ.create({"name": "POS Test Jewelry"})
        cls.categ_gold = Categ.create({"name": "POS Test Gold Bars"})
        # the seeds' figures: ¥1 = 1 point, double points with the birthday
        # benefit, an extra 10 % off, gold bars earn nothing, ¥100 welcome coupon
        company.write(
            {
                "tsl_points_rate": 1.0,
                "tsl_points_excluded_categ_ids": [(6, 0, cls.categ_gold.ids)],
                "tsl_birthday_points_factor": 2.0,
                "tsl_birthday_extra_discount": 10.0,
                "tsl_welcome_voucher_amount": 100.0,
                "tsl_formal_points_threshold": 100000,
            }
        )
        cls.tier_star = env.ref("tsl_crm.tsl_member_tier_star_diamond")
        cls.tier_senior = env.ref("tsl_crm.tsl_member_tier_senior_premier")
        cls.tier_star.points_multiplier = 1.5
        cls.tier_senior.points_multiplier = 1.2
        env["tsl.discount.rule"].create(
            [
                {
                    "tier_id": cls.tier_star.id,
                    "categ_id": cls.categ_jewel.id,
                    "discount": 20.0,
                },
                {
                    "tier_id": cls.tier_senior.id,
                    "categ_id": cls.categ_jewel.id,
                    "discount": 10.0,
                },
            ]
        )
        product_vals = {
            "type": "consu",
            "available_in_pos": True,
            "sale_ok": True,
            "taxes_id": [(5, 0, 0)],
        }
        cls.ring = env["product.product"].create(
            {
                **product_vals,
                "name": "POS Test Ring",
                "list_price": 1000.0,
                "categ_id": cls.categ_jewel.id,
            }
        )
        cls.bar = env["product.product"].create(
            {
                **product_vals,
                "name": "POS Test Gold Bar",
                "list_price": 500.0,
                "categ_id": cls.categ_gold.id,
            }
        )
        # 王丽 of the demo story: Star Diamond, grade A, her mobile stored
        # with spaces
        env.ref("tsl_crm.member_wang_li_demo").write(
            {
                "mobile": "139 1700 8866",
                "tsl_tier_id": cls.tier_star.id,
                "tsl_grade": "A",
            }
        )
        today = fields.Date.context_today(cls.associate)
        member_vals = {
            "tsl_member_state": "formal",
            "tsl_store_id": cls.store.id,
            "tsl_associate_id": cls.associate.id,
            "tsl_gender": "female",
            "tsl_birthday_calendar": "solar",
            "street": "南京东路 100 号",
            "zip": "200001",
            "tsl_consent_paper": True,
        }
        # 林美玲: Star Diamond, grade A, her birthday is today
        cls.meiling = env["res.partner"].create(
            {
                **member_vals,
                "name": "林美玲",
                "mobile": "18621000001",
                "tsl_member_number": "M88000001",
                "tsl_tier_id": cls.tier_star.id,
                "tsl_grade": "A",
                "tsl_birth_month": today.month,
                "tsl_birth_day": today.day,
            }
        )
        # 林芳: Senior Premier, grade B, birthday in another month
        cls.linfang = env["res.partner"].create(
            {
                **member_vals,
                "name": "林芳",
                "mobile": "18621000002",
                "tsl_member_number": "M88000002",
                "tsl_tier_id": cls.tier_senior.id,
                "tsl_grade": "B",
                "tsl_birth_month": (today.month + 5) % 12 + 1,
                "tsl_birth_day": 1,
            }
        )
        Voucher = env["tsl.voucher"]
        voucher_vals = {
            "date_from": today,
            "date_to": today + timedelta(days=30),
        }
        # the welcome coupon and an exchange voucher of the annual reward (L8)
        cls.voucher_welcome = Voucher.create(
            {
                **voucher_vals,
                "name": "VTSLPOS0001",
                "partner_id": cls.meiling.id,
                "voucher_type": "welcome",
                "amount": 100.0,
            }
        )
        cls.voucher_reward = Voucher.create(
            {
                **voucher_vals,
                "name": "VTSLPOS0002",
                "partner_id": cls.meiling.id,
                "voucher_type": "reward",
                "amount": 200.0,
            }
        )
        cls.voucher_linfang = Voucher.create(
            {
                **voucher_vals,
                "name": "VTSLPOS0003",
                "partner_id": cls.linfang.id,
                "voucher_type": "cashback",
                "amount": 50.0,
            }
        )
        # a ring left for resizing, waiting for pickup
        env["tsl.deposit"].create(
            {
                "partner_id": cls.meiling.id,
                "store_id": cls.store.id,
                "reason": "resizing",
                "description": "Diamond ring, size 12",
                "pickup_date": today + timedelta(days=7),
                "user_id": cls.associate.id,
            }
        )
        cls.config.with_user(cls.associate).open_ui()
        cls.pos_session = cls.config.current_session_id
        # Read the addons' manifests for the static files now, in this thread:
        # CPython 3.11.7 can fail ("AST constructor recursion depth mismatch",
        # gh-106905) when the first requests of the browser parse them at the
        # same time in the server's threads.
        cls.static_modules = http.root.statics

    def start_pos_tour(self, tour_name):
        self.start_tour(
            f"/pos/ui?config_id={self.config.id}",
            tour_name,
            login=self.associate.login,
            timeout=TOUR_TIMEOUT,
        )

    def session_orders(self):
        self.env.invalidate_all()
        return self.env["pos.order"].search(
            [("session_id", "=", self.pos_session.id)], order="id"
        )

    def earn(self, order):
        return self.env["tsl.points.move"].search(
            [("pos_order_id", "=", order.id), ("move_type", "=", "earn")]
        )

    def test_member_counter(self):
        """林小雨 finds 王丽 by her mobile typed the international way, 林芳 by
        her card number, both 林 by the name prefix; sees 林美玲's badge; then
        enrols 李娜: refused first with every missing field named, then
        enrolled with a temporary card, and sells her a ring."""
        self.start_pos_tour("tsl_pos_member_counter")
        member = self.env["res.partner"].search([("name", "=", "李娜")])
        self.assertEqual(len(member), 1)
        self.assertEqual(
            (
                member.tsl_member_state,
                member.tsl_phone_normalized,
                member.tsl_store_id,
                member.tsl_associate_id,
                member.tsl_gender,
                member.tsl_birth_month,
                member.zip,
                member.tsl_consent_paper,
            ),
            (
                "temporary",
                "+8615000007788",
                self.store,
                self.associate,
                "female",
                5,
                "200003",
                True,
            ),
        )
        self.assertTrue(member.tsl_member_number.startswith("M"))
        self.assertEqual(set(member.tsl_consent_ids.mapped("source")), {"pos"})
        welcome = member.tsl_voucher_ids
        self.assertEqual(
            (welcome.voucher_type, welcome.amount, welcome.state),
            ("welcome", 100.0, "open"),
        )
        order = self.session_orders()
        self.assertEqual(len(order), 1)
        self.assertEqual((order.partner_id, order.amount_total), (member, 1000.0))
        self.assertEqual(order.tsl_points_earned, 1000)
        earn = self.earn(order)
        self.assertEqual((earn.partner_id, earn.points), (member, 1000))
        self.assertEqual(member.tsl_points_balance, 1000)

    def test_member_benefits(self):
        """林美玲 (Star Diamond, 20 % off, ×1.5) buys a ¥1,000 ring in her
        birthday month: ¥800, then ¥720 with the birthday benefit, minus her
        ¥100 welcome coupon = ¥620, earning 620 × 1.5 × 2 = 1,860 points.
        林芳 (Senior Premier, 10 % off, ×1.2) pays ¥900 - ¥50 with her
        cash-back voucher typed at the till, after two refused codes:
        850 × 1.2 = 1,020 points."""
        self.start_pos_tour("tsl_pos_member_benefits")
        first, second = self.session_orders()
        # the birthday order
        self.assertEqual(first.partner_id, self.meiling)
        self.assertTrue(first.tsl_birthday_benefit)
        self.assertEqual(first.pricelist_id, self.tier_star.birthday_pricelist_id)
        self.assertEqual(first.amount_total, 620.0)
        self.assertEqual(first.tsl_benefit_use_id.state, "valid")
        self.assertEqual(first.tsl_points_earned, 1860)
        earn = self.earn(first)
        self.assertEqual(
            (earn.points, earn.base_amount, earn.factor), (1860, 620.0, 3.0)
        )
        self.assertFalse(self.meiling.tsl_benefit_available)
        self.assertEqual(self.voucher_welcome.state, "used")
        self.assertEqual(self.voucher_welcome.use_ids.state, "valid")
        self.assertEqual(self.voucher_welcome.use_ids.pos_order_id, first)
        self.assertEqual(self.voucher_reward.state, "open")
        # the voucher typed at the till
        self.assertEqual(second.partner_id, self.linfang)
        self.assertEqual(second.pricelist_id, self.tier_senior.pricelist_id)
        self.assertFalse(second.tsl_birthday_benefit)
        self.assertEqual(second.amount_total, 850.0)
        self.assertEqual(self.voucher_linfang.state, "used")
        self.assertEqual(self.voucher_linfang.use_ids.pos_order_id, second)
        self.assertEqual(second.tsl_points_earned, 1020)
        self.assertEqual(self.linfang.tsl_points_balance, 1020)
        self.assertEqual(self.meiling.tsl_points_balance, 1860)

    def test_member_offline(self):
        """The till loses the network: 林芳's order with her ¥50 voucher, then
        陈小红 enrolled twice
        (the second time with her phone typed another way) are paid offline;
        back online the next order syncs them all: each order earns once, one
        member is created with the till's temporary card, the second enrolment
        is merged into her and flagged."""
        self.start_pos_tour("tsl_pos_member_offline")
        orders = self.session_orders()
        self.assertEqual(len(orders), 4)
        self.assertEqual(set(orders.mapped("state")), {"paid"})
        by_linfang = orders.filtered(lambda o: o.partner_id == self.linfang)
        self.assertEqual(len(by_linfang), 2)
        self.assertEqual(sorted(by_linfang.mapped("tsl_points_earned")), [1020, 1080])
        moves = self.env["tsl.points.move"].search(
            [("partner_id", "=", self.linfang.id)]
        )
        self.assertEqual(sorted(moves.mapped("points")), [1020, 1080])
        self.assertEqual(self.linfang.tsl_points_balance, 2100)
        # the voucher used offline: used once, by the offline order
        offline = by_linfang.filtered(lambda o: o.amount_total == 850.0)
        self.assertEqual(self.voucher_linfang.state, "used")
        self.assertEqual(self.voucher_linfang.use_ids.pos_order_id, offline)
        self.assertEqual(self.voucher_linfang.use_ids.state, "valid")
        new = self.env["res.partner"].search(
            [("tsl_phone_normalized", "=", "+8613700007766")]
        )
        self.assertEqual(len(new), 1, "the same phone enrolled twice: one member")
        self.assertEqual(new.name, "陈小红")
        self.assertEqual(new.tsl_member_state, "temporary")
        self.assertRegex(new.tsl_member_number, r"^T\d{3}\d{6}01$")
        by_new = orders.filtered(lambda o: o.partner_id == new)
        self.assertEqual(len(by_new), 2)
        self.assertTrue(all(by_new.mapped("tsl_enrolment_data")))
        self.assertEqual(sum(by_new.mapped("tsl_points_earned")), 2000)
        self.assertEqual(new.tsl_points_balance, 2000)
        self.assertEqual(len(new.tsl_voucher_ids), 1, "one welcome coupon")
        self.assertIn(
            "Member enrolled twice offline", new.activity_ids.mapped("summary")
        )
