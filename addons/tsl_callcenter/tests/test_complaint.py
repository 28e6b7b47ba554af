# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged
from odoo.tools import mute_logger

from .common import TslCallcenterCommon


@tagged("post_install", "-at_install")
class TestComplaint(TslCallcenterCommon):
    def complaint(self, **vals):
        return self.env["tsl.complaint"].create(
            {
                "source": "store",
                "partner_id": self.wang.id,
                "store_id": self.store_sh1.id,
                "category": "product",
                "description": "The clasp of the pearl necklace broke.",
                **vals,
            }
        )

    @freeze_time("2026-03-02 10:00:00")
    def test_deadline_three_days_configurable(self):
        """王丽 complains on Monday 2 March at 10:00: answer by Thursday 10:00;
        with a 5-day SLA, by Saturday."""
        complaint = self.complaint(user_id=self.assoc_sh1.id)
        self.assertEqual(complaint.deadline, datetime(2026, 3, 5, 10, 0))
        self.assertEqual(complaint.state, "assigned")
        self.assertTrue(complaint.name.startswith("CMP"))
        activity = complaint.activity_ids
        self.assertEqual(activity.user_id, self.assoc_sh1)
        self.assertEqual(str(activity.date_deadline), "2026-03-05")
        self.env.company.tsl_complaint_sla_days = 5
        later = self.complaint()
        self.assertEqual(later.deadline, datetime(2026, 3, 7, 10, 0))
        self.assertEqual(later.state, "new")
        self.assertEqual(later.escalation_level, "0")

    def test_customer_required(self):
        with self.assertRaises(ValidationError):
            self.complaint(partner_id=False)
        anonymous = self.complaint(partner_id=False, contact_name="李女士")
        self.assertFalse(anonymous.is_member)
        self.assertTrue(self.complaint().is_member)

    @freeze_time("2026-03-02 10:00:00")
    def test_resolution_required(self):
        complaint = self.complaint(user_id=self.assoc_sh1.id)
        complaint.action_start()
        self.assertEqual(complaint.state, "in_progress")
        with self.assertRaises(ValidationError):
            complaint.action_resolve()
        complaint.resolution = "   "
        with self.assertRaises(ValidationError):
            complaint.action_resolve()
        complaint.resolution = "Clasp replaced free of charge, necklace returned."
        complaint.with_user(self.assoc_sh1).action_resolve()
        self.assertEqual(complaint.state, "resolved")
        self.assertEqual(complaint.resolved_by_id, self.assoc_sh1)
        self.assertTrue(complaint.answered_in_time)
        self.assertFalse(complaint.activity_ids)
        complaint.action_close()
        self.assertEqual(complaint.state, "closed")
        with self.assertRaises(UserError):
            complaint.action_resolve()

    def test_escalation_manager_then_supervisor(self):
        """Received Monday 10:00, due Thursday 10:00. Thursday 09:00 nothing
        happens; Thursday 11:00 the store manager is alerted; Friday 11:00
        (one day overdue) the area supervisor. A resolved one never is."""
        with freeze_time("2026-03-02 10:00:00"):
            complaint = self.complaint(user_id=self.assoc_sh1.id)
            answered = self.complaint(user_id=self.assoc_sh1.id)
            answered.resolution = "Called back the same day."
            answered.action_resolve()
        Complaint = self.env["tsl.complaint"]
        escalation = self.env.ref(
            "tsl_callcenter.mail_activity_type_complaint_escalation"
        )
        with freeze_time("2026-03-05 09:00:00"):
            Complaint._cron_escalate()
            self.assertFalse(complaint.escalated)
            self.assertFalse(complaint.is_overdue)
        with freeze_time("2026-03-05 11:00:00"):
            complaint.invalidate_recordset(["is_overdue"])
            self.assertTrue(complaint.is_overdue)
            self.assertIn(complaint, Complaint.search([("is_overdue", "=", True)]))
            Complaint._cron_escalate()
            self.assertTrue(complaint.escalated)
            self.assertEqual(complaint.escalation_level, "1")
            alerts = complaint.activity_ids.filtered(
                lambda a: a.activity_type_id == escalation
            )
            self.assertEqual(alerts.user_id, self.manager_sh1)
            # a second run the same day adds nothing
            Complaint._cron_escalate()
            self.assertEqual(
                len(
                    complaint.activity_ids.filtered(
                        lambda a: a.activity_type_id == escalation
                    )
                ),
                1,
            )
        with freeze_time("2026-03-06 11:00:00"):
            Complaint._cron_escalate()
            self.assertEqual(complaint.escalation_level, "2")
            alerts = complaint.activity_ids.filtered(
                lambda a: a.activity_type_id == escalation
            )
            self.assertEqual(alerts.user_id, self.manager_sh1 | self.supervisor_east)
        self.assertFalse(answered.escalated)
        complaint.resolution = "Necklace replaced."
        complaint.action_resolve()
        self.assertFalse(complaint.answered_in_time)
        self.assertFalse(complaint.activity_ids)

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_access_by_store_and_area(self):
        sh1 = self.complaint()
        bj1 = self.complaint(partner_id=self.liu.id, store_id=self.store_bj1.id)
        Complaint = self.env["tsl.complaint"]
        self.assertEqual(
            Complaint.with_user(self.assoc_sh1b).search(
                [("id", "in", (sh1 | bj1).ids)]
            ),
            sh1,
        )
        self.assertEqual(
            Complaint.with_user(self.supervisor_east).search(
                [("id", "in", (sh1 | bj1).ids)]
            ),
            sh1,
        )
        with self.assertRaises(AccessError):
            bj1.with_user(self.assoc_sh1).read(["description"])
        with self.assertRaises(AccessError):
            sh1.with_user(self.manager_bj1).read(["description"])
        with self.assertRaises(AccessError):
            sh1.with_user(self.analyst).read(["description"])
        # a website complaint without store is not for an associate without one
        website = self.complaint(
            partner_id=False, contact_name="李女士", store_id=False, source="website"
        )
        roaming = self.env["res.users"].create(
            {
                "name": "t_roaming",
                "login": "t_roaming",
                "groups_id": [(6, 0, self.env.ref("tsl_crm.group_tsl_associate").ids)],
            }
        )
        with self.assertRaises(AccessError):
            website.with_user(roaming).read(["description"])
        # an associate can take and answer a complaint of the store
        sh1.with_user(self.assoc_sh1).action_assign()
        self.assertEqual(sh1.user_id, self.assoc_sh1)

    @freeze_time("2026-03-02 10:00:00")
    def test_form_by_associate(self):
        with Form(self.env["tsl.complaint"].with_user(self.assoc_sh1)) as form:
            form.partner_id = self.wang
            form.category = "service"
            form.description = "No gift box offered."
            form.user_id = self.assoc_sh1
        complaint = form.record
        self.assertEqual(complaint.store_id, self.store_sh1)
        self.assertEqual(complaint.state, "assigned")
        self.assertEqual(complaint.deadline, datetime(2026, 3, 5, 10, 0))
