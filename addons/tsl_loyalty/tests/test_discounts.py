# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDiscountMatrix(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Categ = cls.env["product.category"]
        cls.p11 = Categ.create({"name": "P11 Discontinued"})
        cls.p12 = Categ.create({"name": "P12 Diamonds"})
        cls.p26 = Categ.create({"name": "P26 Gold Bars"})
        cls.env.company.tsl_birthday_extra_discount = 10.0
        cls.tier = cls.env["tsl.member.tier"].create(
            {"name": "VIP Test", "code": "VIPT"}
        )
        Rule = cls.env["tsl.discount.rule"]
        Rule.create(
            [
                {"tier_id": cls.tier.id, "categ_id": cls.p11.id, "discount": 20.0},
                {"tier_id": cls.tier.id, "categ_id": cls.p12.id, "discount": 10.0},
                {
                    "tier_id": cls.tier.id,
                    "categ_id": cls.p26.id,
                    "discount": 0.0,
                    "no_birthday_extra": True,
                },
            ]
        )

        def product(name, categ):
            return cls.env["product.product"].create(
                {"name": name, "categ_id": categ.id, "list_price": 1000.0}
            )

        cls.discontinued = product("Discontinued ring", cls.p11)
        cls.diamond = product("Diamond", cls.p12)
        cls.bar = product("Gold bar", cls.p26)

    def price(self, pricelist, product):
        return pricelist._get_product_price(product, 1.0)

    def test_member_prices(self):
        pricelist = self.tier.pricelist_id
        self.assertEqual(self.price(pricelist, self.discontinued), 800.0)
        self.assertEqual(self.price(pricelist, self.diamond), 900.0)
        self.assertEqual(self.price(pricelist, self.bar), 1000.0)

    def test_birthday_prices_as_low_as_81_percent(self):
        """折上9折: 10 % off then 10 % more = 81 % (低至8.1折); 20 % off then 10 %
        = 72 %; gold bars: never."""
        birthday = self.tier.birthday_pricelist_id
        self.assertAlmostEqual(self.price(birthday, self.diamond), 810.0)
        self.assertAlmostEqual(self.price(birthday, self.discontinued), 720.0)
        self.assertAlmostEqual(self.price(birthday, self.bar), 1000.0)

    def test_matrix_changes_follow(self):
        rule = self.tier.discount_rule_ids.filtered(lambda r: r.categ_id == self.p12)
        rule.discount = 5.0
        self.assertEqual(self.price(self.tier.pricelist_id, self.diamond), 950.0)
        rule.unlink()
        self.assertEqual(self.price(self.tier.pricelist_id, self.diamond), 1000.0)
        with self.assertRaises(ValidationError):
            self.env["tsl.discount.rule"].create(
                {"tier_id": self.tier.id, "categ_id": self.p12.id, "discount": 120.0}
            )

    def test_members_get_their_tier_pricelist(self):
        member = self.env["res.partner"].create(
            {"name": "李娜", "tsl_member_state": "formal", "tsl_tier_id": self.tier.id}
        )
        self.assertEqual(member.property_product_pricelist, self.tier.pricelist_id)
        other = self.env["tsl.member.tier"].create({"name": "Other", "code": "OTH"})
        member.tsl_tier_id = other
        self.assertEqual(member.property_product_pricelist, other.pricelist_id)
        # set-based assignment after a matrix rebuild
        member.with_context(skip=True).write(
            {"specific_property_product_pricelist": False}
        )
        self.env["res.partner"]._tsl_assign_tier_pricelists(other)
        self.assertEqual(member.property_product_pricelist, other.pricelist_id)


@tagged("post_install", "-at_install")
class TestStoreTillPricelists(TransactionCase):
    def test_store_tills_offer_the_tier_pricelists(self):
        """A till of a store offers every tier's member and birthday
        pricelists, so the POS applies the member's pricelist offline too."""
        area = self.env["tsl.area"].create({"name": "East", "code": "PL-E"})
        store = self.env["tsl.store"].create(
            {"name": "Nanjing Road", "code": "PL-S1", "area_id": area.id}
        )
        config = self.env["pos.config"].create({"name": "Till 1"})
        config.tsl_store_id = store
        star = self.env.ref("tsl_crm.tsl_member_tier_star_diamond")
        self.assertTrue(config.use_pricelist)
        self.assertIn(star.pricelist_id, config.available_pricelist_ids)
        self.assertIn(star.birthday_pricelist_id, config.available_pricelist_ids)
        # a new tier's pricelists reach the store tills
        tier = self.env["tsl.member.tier"].create({"name": "VIP New", "code": "VIPN"})
        self.assertIn(tier.pricelist_id, config.available_pricelist_ids)
