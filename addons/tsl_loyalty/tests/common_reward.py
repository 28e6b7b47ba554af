# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase

# The seeds' bands (points earned in the year) and their cash vouchers.
SEED_BANDS = [
    ("Honour Prize", 500000, 0, 10000),
    ("Special Prize", 200000, 500000, 5000),
    ("First Prize", 100000, 200000, 2500),
    ("Second Prize", 50000, 100000, 1000),
    ("Third Prize", 30000, 50000, 600),
    ("Fourth Prize", 10000, 30000, 300),
    ("Fifth Prize", 5000, 10000, 200),
]


class TslRewardCommon(TransactionCase):
    """The seeds' annual points reward of the current points year, open for
    the Senior Premier, Star Diamond and SAXX tiers, with its seven bands and
    the SAXX band (3,000–5,000 points); a Shanghai store."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("tsl_crm.group_tsl_hq_crm")
        cls.today = fields.Date.context_today(cls.env.user)
        cls.Campaign = cls.env["tsl.reward.campaign"]
        cls.Request = cls.env["tsl.redemption.request"]
        # demo campaigns would compete with ours for the points statement
        cls.Campaign.search([("state", "=", "open")]).write({"state": "closed"})
        cls.year = cls.env["tsl.points.year"]._tsl_for_date(cls.today)
        cls.tier_select = cls.env.ref("tsl_crm.tsl_member_tier_select")
        cls.tier_premier = cls.env.ref("tsl_crm.tsl_member_tier_premier")
        cls.tier_senior = cls.env.ref("tsl_crm.tsl_member_tier_senior_premier")
        cls.tier_star = cls.env.ref("tsl_crm.tsl_member_tier_star_diamond")
        cls.tier_saxx = cls.env.ref("tsl_crm.tsl_member_tier_saxx")
        cls.area = cls.env["tsl.area"].create({"name": "East", "code": "R-EAST"})
        cls.store = cls.env["tsl.store"].create(
            {"name": "Nanjing Road", "code": "R-SH1", "area_id": cls.area.id}
        )
        cls.store_b = cls.env["tsl.store"].create(
            {"name": "Xujiahui", "code": "R-SH2", "area_id": cls.area.id}
        )
        cls.gift_products = cls.env["product.product"].create(
            [
                {"name": f"Gift {n}", "type": "consu", "is_storable": True}
                for n in range(1, 5)
            ]
        )
        cls.campaign = cls.Campaign.create(
            {
                "points_year_id": cls.year.id,
                "date_from": cls.today - timedelta(days=10),
                "date_to": cls.today + timedelta(days=30),
                "voucher_validity_days": 90,
                "tier_ids": [
                    (6, 0, (cls.tier_senior | cls.tier_star | cls.tier_saxx).ids)
                ],
                "band_ids": [
                    (
                        0,
                        0,
                        {
                            "name": name,
                            "min_points": low,
                            "max_points": high,
                            "option_ids": [
                                (
                                    0,
                                    0,
                                    {
                                        "name": "Gift 1",
                                        "option_type": "gift",
                                        "product_id": cls.gift_products[0].id,
                                    },
                                ),
                                (
                                    0,
                                    0,
                                    {
                                        "option_type": "voucher",
                                        "voucher_amount": voucher,
                                    },
                                ),
                            ],
                        },
                    )
                    for name, low, high, voucher in SEED_BANDS
                ]
                + [
                    (
                        0,
                        0,
                        {
                            "name": "SAXX Prize",
                            "min_points": 3000,
                            "max_points": 5000,
                            "tier_ids": [(6, 0, cls.tier_saxx.ids)],
                            "option_ids": [
                                (
                                    0,
                                    0,
                                    {
                                        "name": "SAXX Gift",
                                        "option_type": "gift",
                                        "product_id": cls.gift_products[1].id,
                                    },
                                ),
                                (
                                    0,
                                    0,
                                    {"option_type": "voucher", "voucher_amount": 150},
                                ),
                            ],
                        },
                    )
                ],
            }
        )
        cls.campaign.action_open()
        cls.bands = {band.name: band for band in cls.campaign.band_ids}

    @classmethod
    def member(cls, name, number, tier, **vals):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "tsl_member_state": "formal",
                "tsl_member_number": number,
                "tsl_tier_id": tier.id,
                "tsl_store_id": cls.store.id,
                **vals,
            }
        )

    @classmethod
    def earn(cls, partner, points, year=None, key=None):
        return cls.env["tsl.points.move"]._tsl_post(
            [
                {
                    "partner_id": partner.id,
                    "year_id": (year or cls.year).id,
                    "move_type": "earn",
                    "points": points,
                    "source_key": key or f"test-reward:{partner.id}:{points}",
                }
            ]
        )

    def option(self, band_name, option_type="voucher"):
        return self.bands[band_name].option_ids.filtered(
            lambda o: o.option_type == option_type
        )
