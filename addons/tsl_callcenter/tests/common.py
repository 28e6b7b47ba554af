# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

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
