# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime

from odoo.tests import TransactionCase, new_test_user


class TslCrmCommon(TransactionCase):
    """Two areas, three stores, one user per role and a few members, like the
    seeds: East China (Shanghai Nanjing Road, Xujiahui) and North China
    (Beijing Wangfujing)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        company = cls.env.company
        company.write(
            {
                "tsl_formal_points_threshold": 1000,
                "tsl_card_pickup_days": 5,
                "tsl_grade_method": "points",
                "tsl_grade_a_points": 5000,
                "tsl_grade_b_points": 2000,
                "tsl_downgrade_months": 12,
                "tsl_frequency_drop_percent": 50,
                "tsl_lapse_months": 24,
                "tsl_phone_region": "CN",
            }
        )
        Area = cls.env["tsl.area"]
        Store = cls.env["tsl.store"]
        cls.area_east = Area.create({"name": "East China", "code": "T-EAST"})
        cls.area_north = Area.create({"name": "North China", "code": "T-NORTH"})
        cls.store_sh1 = Store.create(
            {"name": "Nanjing Road", "code": "T-SH1", "area_id": cls.area_east.id}
        )
        cls.store_sh2 = Store.create(
            {"name": "Xujiahui", "code": "T-SH2", "area_id": cls.area_east.id}
        )
        cls.store_bj1 = Store.create(
            {"name": "Wangfujing", "code": "T-BJ1", "area_id": cls.area_north.id}
        )
        cls.tier_select = cls.env.ref("tsl_crm.tsl_member_tier_select")
        cls.tier_star = cls.env.ref("tsl_crm.tsl_member_tier_star_diamond")

        def user(login, groups, **vals):
            new = new_test_user(cls.env, login=login, groups=groups, name=login)
            new.write(vals)
            return new

        cls.assoc_sh1 = user(
            "t_assoc_sh1", "tsl_crm.group_tsl_associate", tsl_store_id=cls.store_sh1.id
        )
        cls.assoc_sh1b = user(
            "t_assoc_sh1b", "tsl_crm.group_tsl_associate", tsl_store_id=cls.store_sh1.id
        )
        cls.manager_sh1 = user(
            "t_manager_sh1",
            "tsl_crm.group_tsl_store_manager",
            tsl_store_id=cls.store_sh1.id,
            tsl_store_ids=[(6, 0, cls.store_sh1.ids)],
        )
        cls.supervisor_east = user(
            "t_supervisor_east",
            "tsl_crm.group_tsl_area_supervisor",
            tsl_area_ids=[(6, 0, cls.area_east.ids)],
        )
        cls.hq_crm = user("t_hq_crm", "tsl_crm.group_tsl_hq_crm")
        cls.analyst = user("t_analyst", "tsl_crm.group_tsl_hq_analyst")

        cls.product = cls.env["product.product"].create(
            {"name": "18K Gold Ring", "list_price": 1000.0, "taxes_id": [(5, 0, 0)]}
        )

    # helpers ----------------------------------------------------------------
    @classmethod
    def enrol_values(cls, **overrides):
        values = {
            "name": "王丽",
            "tsl_gender": "female",
            "tsl_birth_month": 8,
            "tsl_birth_day": 15,
            "mobile": "138 0013 8000",
            "street": "南京东路 100 号",
            "zip": "200001",
            "tsl_consent_paper": True,
        }
        values.update(overrides)
        return values

    @classmethod
    def make_member(cls, name, store, associate=None, **vals):
        """A member created directly (not through enrolment checks)."""
        partner = cls.env["res.partner"].create(
            {
                "name": name,
                "tsl_member_state": "formal",
                "tsl_member_number": cls.env["ir.sequence"].next_by_code("tsl.member"),
                "tsl_store_id": store.id,
                "tsl_associate_id": associate.id if associate else False,
                "tsl_enrol_date": vals.pop("tsl_enrol_date", "2025-01-10"),
                **vals,
            }
        )
        return partner

    def buy(self, partner, amount, when):
        """A confirmed sales order of ``amount`` on ``when`` (a date string)."""
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    (0, 0, {"product_id": self.product.id, "price_unit": amount})
                ],
            }
        )
        order.action_confirm()
        order.date_order = datetime.fromisoformat(f"{when} 10:00:00")
        return order
