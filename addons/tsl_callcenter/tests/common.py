# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo.tests import new_test_user

from odoo.addons.tsl_crm.tests.common import TslCrmCommon


class TslCallCommon(TslCrmCommon):
    """The tsl_crm test stores and users, with members whose phones work.
    Builds run on the test stores only (the demo stores stay out)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the texts asserted are the English sources, whatever languages load
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.env.company.write(
            {
                "tsl_call_tz": "Asia/Shanghai",
                "tsl_contact_cap": 3,
                "tsl_contact_cap_days": 90,
                "tsl_unreachable_months": 3,
                "tsl_reactivation_months": 12,
                "tsl_retry_max": 3,
            }
        )
        cls.stores = cls.store_sh1 | cls.store_sh2 | cls.store_bj1
        cls.CallList = cls.env["tsl.call.list"]
        cls.Call = cls.env["tsl.call"]
        cls.rt = {t.code: t for t in cls.env["tsl.call.reason.type"].search([])}
        cls._phone = 13900000000

    @classmethod
    def member(cls, name, store=None, **vals):
        cls._phone += 1
        vals.setdefault("mobile", str(cls._phone))
        vals.setdefault("tsl_grade", "B")
        vals.setdefault("lang", "en_US")
        return cls.make_member(name, store or cls.store_sh1, **vals)

    def build(self, week_start, stores=None):
        return self.CallList._build_week(week_start, stores or self.stores)

    def call_of(self, partner, week_start):
        return self.Call.search(
            [("partner_id", "=", partner.id), ("week_start", "=", week_start)]
        )

    def codes(self, call):
        return set(call.reason_ids.mapped("reason_type_id.code"))

    @staticmethod
    def d(text):
        return date.fromisoformat(text)


class TslCallcenterCommon(TslCrmCommon):
    """tsl_crm's stores and roles (Nanjing Road and Xujiahui in East China,
    Wangfujing in North China), a Wangfujing associate and manager, the
    Nanjing Road members 王丽 (mobile 138 0013 8000) and 陈静, and the
    seeds' defaults: complaints answered within 3 days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the texts asserted are the English sources, whatever languages load
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.env.company.write(
            {
                "tsl_complaint_sla_days": 3,
                "tsl_complaint_escalation_days": 1,
                "tsl_service_days_repair": 14,
                "tsl_service_days_resizing": 7,
                "tsl_service_days_cleaning": 3,
                "tsl_service_days_replating": 10,
                "tsl_kyc_daily_count": 2,
                "tsl_kyc_weight_call": 1,
                "tsl_kyc_weight_kyc": 2,
                "tsl_kyc_weight_complaint": 3,
            }
        )
        cls.assoc_bj1 = new_test_user(
            cls.env,
            login="t_assoc_bj1",
            groups="tsl_crm.group_tsl_associate",
            name="t_assoc_bj1",
        )
        cls.assoc_bj1.tsl_store_id = cls.store_bj1
        cls.manager_bj1 = new_test_user(
            cls.env,
            login="t_manager_bj1",
            groups="tsl_crm.group_tsl_store_manager",
            name="t_manager_bj1",
        )
        cls.manager_bj1.write(
            {
                "tsl_store_id": cls.store_bj1.id,
                "tsl_store_ids": [(6, 0, cls.store_bj1.ids)],
            }
        )
        cls.supervisor_north = new_test_user(
            cls.env,
            login="t_supervisor_north",
            groups="tsl_crm.group_tsl_area_supervisor",
            name="t_supervisor_north",
        )
        cls.supervisor_north.tsl_area_ids = cls.area_north
        cls.wang = cls.make_member(
            "王丽", cls.store_sh1, cls.assoc_sh1, mobile="138 0013 8000"
        )
        cls.chen = cls.make_member(
            "陈静", cls.store_sh1, cls.assoc_sh1b, mobile="139 0139 0139"
        )
        cls.liu = cls.make_member(
            "刘洋", cls.store_bj1, cls.assoc_bj1, mobile="137 0137 0137"
        )
