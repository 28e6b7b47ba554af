# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TslCrmCommon


@tagged("post_install", "-at_install")
class TestAccess(TslCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls.make_member(
            "王丽", cls.store_sh1, cls.assoc_sh1, mobile="13800138000"
        )
        cls.colleague = cls.make_member("李娜", cls.store_sh1, cls.assoc_sh1b)
        cls.other_store = cls.make_member("张伟", cls.store_sh2)
        cls.other_area = cls.make_member("刘洋", cls.store_bj1)
        cls.ours = cls.mine | cls.colleague | cls.other_store | cls.other_area
        cls.supplier = cls.env["res.partner"].create({"name": "Gold Supplier Ltd"})

    def visible(self, user):
        return (
            self.env["res.partner"]
            .with_user(user)
            .search([("id", "in", self.ours.ids)])
        )

    def test_associate_sees_own_customers_only(self):
        self.assertEqual(self.visible(self.assoc_sh1), self.mine)
        with (
            self.assertRaises(AccessError),
            mute_logger("odoo.addons.base.models.ir_rule"),
        ):
            self.colleague.with_user(self.assoc_sh1).read(["name"])
        # contacts that are not members are not restricted
        self.assertTrue(self.supplier.with_user(self.assoc_sh1).read(["name"]))

    def test_store_manager_sees_the_store(self):
        self.assertEqual(self.visible(self.manager_sh1), self.mine | self.colleague)
        with (
            self.assertRaises(AccessError),
            mute_logger("odoo.addons.base.models.ir_rule"),
        ):
            self.other_store.with_user(self.manager_sh1).read(["mobile"])

    def test_supervisor_sees_the_area(self):
        self.assertEqual(
            self.visible(self.supervisor_east),
            self.mine | self.colleague | self.other_store,
        )
        # a second area assigned later is visible at once (rule cache cleared)
        self.supervisor_east.tsl_area_ids = [(4, self.area_north.id)]
        self.assertEqual(self.visible(self.supervisor_east), self.ours)

    def test_hq_crm_sees_everyone(self):
        self.assertEqual(self.visible(self.hq_crm), self.ours)

    def test_analyst_gets_aggregates_not_people(self):
        analyst_partner = self.env["res.partner"].with_user(self.analyst)
        self.assertFalse(analyst_partner.search([("id", "in", self.ours.ids)]))
        for field in ("name", "mobile", "street", "tsl_birth_month"):
            with (
                self.assertRaises(AccessError),
                mute_logger("odoo.addons.base.models.ir_rule"),
            ):
                self.mine.with_user(self.analyst).read([field])
        self.env["tsl.member.report"].invalidate_model()
        groups = (
            self.env["tsl.member.report"]
            .with_user(self.analyst)
            ._read_group(
                [("store_id", "=", self.store_sh1.id)],
                ["store_id"],
                ["member_count:sum"],
            )
        )
        self.assertEqual(groups[0][1], 2)
        self.assertNotIn("name", self.env["tsl.member.report"]._fields)
        self.assertNotIn("partner_id", self.env["tsl.member.report"]._fields)

    def test_supervisor_analysis_limited_to_the_area(self):
        self.env["tsl.member.report"].invalidate_model()
        stores = (
            self.env["tsl.member.report"]
            .with_user(self.supervisor_east)
            .search([("store_id", "in", (self.store_sh1 | self.store_bj1).ids)])
            .store_id
        )
        self.assertEqual(stores, self.store_sh1)

    def test_grade_history_follows_member_visibility(self):
        self.env["res.partner"]._cron_tsl_member_nightly()
        history = (
            self.env["tsl.grade.change"]
            .with_user(self.assoc_sh1)
            .search([("partner_id", "in", self.ours.ids)])
        )
        self.assertEqual(history.partner_id, self.mine)

    def test_store_roles_cannot_export_or_print(self):
        for user in (self.assoc_sh1, self.manager_sh1):
            members = (
                self.env["res.partner"]
                .with_user(user)
                .search([("id", "in", self.ours.ids)])
            )
            with self.assertRaises(AccessError):
                members.export_data(["name", "mobile"])
            with self.assertRaises(AccessError):
                self.env["ir.actions.report"].with_user(user)._render(
                    self._partner_report(),
                    members.ids,
                )
        self.assertFalse(self.env["tsl.export.log"].search([]))

    def _partner_report(self):
        report = self.env["ir.actions.report"].search(
            [("model", "=", "res.partner")], limit=1
        )
        if not report:
            report = self.env["ir.actions.report"].create(
                {
                    "name": "Member list",
                    "model": "res.partner",
                    "report_type": "qweb-html",
                    "report_name": "base.contact_name",
                }
            )
        return report.report_name

    def test_exports_are_logged(self):
        members = (
            self.env["res.partner"]
            .with_user(self.supervisor_east)
            .search([("id", "in", self.ours.ids)])
        )
        data = members.export_data(["name", "mobile"])["datas"]
        self.assertEqual(len(data), 3)
        log = self.env["tsl.export.log"].search([])
        self.assertEqual(len(log), 1)
        self.assertEqual(
            (log.user_id, log.kind, log.model, log.field_names, log.row_count),
            (self.supervisor_east, "export", "res.partner", "name, mobile", 3),
        )
        # exporting contacts that are not members is not logged
        self.supplier.export_data(["name"])
        self.assertEqual(self.env["tsl.export.log"].search_count([]), 1)
        # the log is for HQ eyes only
        with self.assertRaises(AccessError):
            self.env["tsl.export.log"].with_user(self.supervisor_east).search([])
        self.assertEqual(
            self.env["tsl.export.log"].with_user(self.hq_crm).search([]), log
        )

    def test_consent_per_channel(self):
        member = self.env["res.partner"].tsl_enrol(
            self.enrol_values(mobile="13911112222")
        )
        sms = member.tsl_consent_ids.filtered(lambda c: c.channel == "sms")
        sms.write({"consent": False, "source": "hotline"})
        self.assertIn("Opted out of SMS", " ".join(member.message_ids.mapped("body")))
        self.assertTrue(sms.date)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env["tsl.member.consent"].create(
                    {"partner_id": member.id, "channel": "sms", "consent": True}
                )
