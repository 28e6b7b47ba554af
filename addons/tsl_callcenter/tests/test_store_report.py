# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
from datetime import date, datetime, timedelta

import openpyxl

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import TslCallcenterCommon


@tagged("post_install", "-at_install")
class TestStoreReport(TslCallcenterCommon):
    """March 2026 at Nanjing Road: ten calls in the weeks of 2 and 9 March,
    six reached (one number corrected), three unanswered, one wrong number,
    one more cancelled; one call at Xujiahui; a February call that does not
    count. One complaint answered in time, one resize received."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["tsl.store.report"]
        cls.members = [
            cls.make_member(f"会员{n:02d}", cls.store_sh1, cls.assoc_sh1)
            for n in range(11)
        ]
        outcomes = ["reached"] * 6 + ["no_answer"] * 3 + ["wrong_number"]
        cls.calls = cls.env["tsl.call"]
        for n, outcome in enumerate(outcomes):
            cls.calls |= cls.call(
                cls.store_sh1,
                cls.members[n],
                "2026-03-02" if n < 5 else "2026-03-09",
                outcome=outcome,
                phone_corrected=(n == 0),
                user=cls.assoc_sh1 if n % 2 == 0 else cls.assoc_sh1b,
            )
        cls.call(cls.store_sh1, cls.members[10], "2026-03-09", state="cancelled")
        cls.call(cls.store_sh1, cls.members[0], "2026-02-23", outcome="no_answer")
        cls.call(cls.store_sh2, cls.chen, "2026-03-02", outcome="reached")
        with freeze_time("2026-03-03 10:00:00"):
            complaint = cls.env["tsl.complaint"].create(
                {
                    "partner_id": cls.wang.id,
                    "store_id": cls.store_sh1.id,
                    "description": "Clasp broke",
                    "resolution": "Clasp replaced",
                }
            )
        with freeze_time("2026-03-04 10:00:00"):
            complaint.action_resolve()
        cls.env["tsl.service.request"].create(
            {
                "kind": "resizing",
                "partner_id": cls.wang.id,
                "store_id": cls.store_sh1.id,
                "description": "Ring 12 to 13",
                "received_date": "2026-03-10",
            }
        )

    @classmethod
    def call(cls, store, partner, week, outcome=None, state=None, user=None, **vals):
        List = cls.env["tsl.call.list"]
        call_list = List.search(
            [("store_id", "=", store.id), ("week_start", "=", week)]
        ) or List.create({"store_id": store.id, "week_start": week})
        return cls.env["tsl.call"].create(
            {
                "list_id": call_list.id,
                "store_id": store.id,
                "partner_id": partner.id,
                "user_id": (user or cls.env["res.users"]).id,
                "week_start": week,
                "week_end": date.fromisoformat(week) + timedelta(days=6),
                "state": state or ("done" if outcome else "todo"),
                "outcome": outcome,
                "date_done": f"{week} 11:00:00" if outcome else False,
                **vals,
            }
        )

    def report(self, store=None):
        return self.Report.search(
            [
                ("store_id", "=", (store or self.store_sh1).id),
                ("month", "=", "2026-03-01"),
            ]
        )

    def test_month_end_figures(self):
        with freeze_time("2026-03-30"):
            self.assertFalse(self.Report._cron_month_end())
        with freeze_time("2026-03-31"):
            self.Report._cron_month_end()
        report = self.report()
        self.assertEqual(report.plan_deadline, date(2026, 3, 31))
        self.assertEqual(
            (
                report.calls_total,
                report.calls_reached,
                report.calls_failed,
                report.success_rate,
                report.numbers_corrected,
            ),
            (10, 6, 4, 60.0, 1),
        )
        self.assertEqual(
            (
                report.complaints_received,
                report.complaints_resolved,
                report.complaints_in_time,
            ),
            (1, 1, 1),
        )
        self.assertEqual(report.service_received, 1)
        self.assertEqual(report.failed_call_ids, self.calls[6:])
        self.assertEqual(
            set(report.failed_call_ids.mapped("outcome")), {"no_answer", "wrong_number"}
        )
        xujiahui = self.report(self.store_sh2)
        self.assertEqual((xujiahui.calls_total, xujiahui.success_rate), (1, 100.0))
        self.assertEqual(self.report(self.store_bj1).calls_total, 0)
        # the regional summary of East China, due on 1 April
        area = report.area_report_id
        self.assertEqual(area, xujiahui.area_report_id)
        self.assertEqual(area.due_date, date(2026, 4, 1))
        self.assertEqual(
            (area.store_count, area.calls_total, area.calls_reached), (2, 11, 7)
        )
        self.assertEqual(area.success_rate, 63.6)
        self.assertEqual(area.activity_ids.user_id, self.supervisor_east)
        self.assertEqual(area.activity_ids.date_deadline, date(2026, 4, 1))
        # the managers are asked for next month's plan by month-end
        activity = report.activity_ids
        self.assertEqual(activity.user_id, self.manager_sh1)
        self.assertEqual(activity.date_deadline, date(2026, 3, 31))
        # running again changes nothing, a late call is counted while draft
        self.call(self.store_sh1, self.members[10], "2026-03-16", outcome="reached")
        self.Report._tsl_generate(date(2026, 3, 15))
        self.assertEqual(self.report(), report)
        self.assertEqual((report.calls_total, report.calls_reached), (11, 7))
        self.assertEqual(len(report.activity_ids), 1)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_plan_submit_and_review(self):
        self.Report._tsl_generate(date(2026, 3, 31))
        report = self.report()
        as_manager = report.with_user(self.manager_sh1)
        with self.assertRaises(ValidationError):
            as_manager.action_submit()
        with self.assertRaises(UserError):
            as_manager.write({"calls_reached": 10})
        as_manager.plan_next_month = "Call the 4 unreached first; Qingming promotion."
        with self.assertRaises(AccessError):
            report.with_user(self.assoc_sh1).action_submit()
        with freeze_time("2026-04-02"):
            as_manager.action_submit()
            self.assertTrue(report.plan_late)
        self.assertEqual(report.state, "submitted")
        self.assertEqual(report.submitted_by_id, self.manager_sh1)
        # the manager's plan activity is done, the supervisor's review is due
        self.assertEqual(report.activity_ids.user_id, self.supervisor_east)
        # a submitted report keeps its figures
        self.call(self.store_sh1, self.members[10], "2026-03-16", outcome="reached")
        self.Report._tsl_generate(date(2026, 3, 31))
        self.assertEqual(report.calls_total, 10)
        with self.assertRaises(AccessError):
            report.with_user(self.manager_sh1).action_review()
        with self.assertRaises(AccessError):
            report.with_user(self.supervisor_north).read(["success_rate"])
        as_supervisor = report.with_user(self.supervisor_east)
        with self.assertRaises(ValidationError):
            as_supervisor.action_review()
        as_supervisor.review_comment = "Good rate; correct the wrong number."
        as_supervisor.action_review()
        self.assertEqual(report.state, "reviewed")
        self.assertEqual(report.reviewer_id, self.supervisor_east)
        # regional summary by the supervisor
        area = report.area_report_id.with_user(self.supervisor_east)
        with self.assertRaises(ValidationError):
            area.action_submit()
        area.summary = "East China: 63.6 % reached."
        area.action_submit()
        self.assertFalse(area.activity_ids)
        with self.assertRaises(AccessError):
            area.with_user(self.supervisor_north).read(["summary"])
        with self.assertRaises(AccessError):
            area.with_user(self.manager_sh1).read(["summary"])
        self.assertEqual(area.with_user(self.analyst).calls_total, 11)
        self.assertEqual((area.state, area.stores_reviewed), ("submitted", 1))
        # store roles see their store's reports only
        self.assertEqual(
            self.Report.with_user(self.assoc_sh1).search(
                [("month", "=", "2026-03-01")]
            ),
            report,
        )

    def _open(self, action):
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        return openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(attachment.datas)), read_only=True
        )

    def _rows(self, sheet):
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    def test_excel_export(self):
        self.Report._tsl_generate(date(2026, 3, 31))
        reports = self.Report.search([("month", "=", "2026-03-01")])
        action = reports.with_user(self.hq_crm).action_export_xlsx()
        workbook = self._open(action)
        self.assertEqual(workbook.sheetnames, ["Stores", "Failed List"])
        rows = self._rows(workbook["Stores"])
        self.assertEqual(
            rows[0][:8],
            [
                "Month",
                "Area",
                "Store Code",
                "Store",
                "Calls",
                "Reached",
                "Not Reached",
                "Success Rate (%)",
            ],
        )
        by_code = {row[2]: row for row in rows[1:] if row[2]}
        sh1 = by_code["T-SH1"]
        self.assertEqual(sh1[0], "2026-03")
        self.assertEqual(sh1[1], "East China")
        self.assertEqual(sh1[4:10], [10, 6, 4, 60.0, 1, 1])
        self.assertEqual(sh1[16], "Draft")
        self.assertEqual(by_code["T-SH2"][4:8], [1, 1, 0, 100.0])
        total = rows[-1]
        self.assertEqual(total[0], "Total")
        self.assertEqual(total[4], sum(r[4] for r in rows[1:-1]))
        failed = self._rows(workbook["Failed List"])
        names = {row[3] for row in failed[1:]}
        self.assertEqual(names, set(self.calls[6:].partner_id.mapped("name")))
        self.assertEqual(len(failed), 5)
        # the wizard exports all the stores of the month in one workbook
        wizard = (
            self.env["tsl.store.report.export"]
            .with_user(self.hq_crm)
            .create({"month": "2026-03-15"})
        )
        rows = self._rows(self._open(wizard.action_export())["Stores"])
        self.assertEqual(len(rows) - 2, len(reports))
        empty = self.env["tsl.store.report.export"].create({"month": "2025-01-01"})
        with self.assertRaises(UserError):
            empty.action_export()

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_analyst_sees_figures_never_names(self):
        self.Report._tsl_generate(date(2026, 3, 31))
        report = self.report().with_user(self.analyst)
        self.assertEqual(report.success_rate, 60.0)
        with self.assertRaises(AccessError):
            report.read(["failed_call_ids"])
        workbook = self._open(report.action_export_xlsx())
        self.assertEqual(workbook.sheetnames, ["Stores"])
        content = " ".join(
            str(v) for row in self._rows(workbook["Stores"]) for v in row if v
        )
        self.assertNotIn("会员0", content)
        wizard = self.env["tsl.store.report.export"].with_user(self.analyst)
        with self.assertRaises(AccessError):
            wizard.create({"month": "2026-03-01"}).action_generate()

    def test_complaint_on_call_and_best_advisor(self):
        """On the call of 会员00 the member complains: the complaint is
        the associate's, due in 3 days. In the week of 2 March t_assoc_sh1
        reached 2 members (odd members are t_assoc_sh1b's: 2 as well), and
        t_assoc_sh1b resolves the complaint: t_assoc_sh1b is best advisor."""
        call = self.calls[0]
        action = call.action_raise_complaint()
        self.assertEqual(action["context"]["default_call_id"], call.id)
        with freeze_time("2026-03-03 10:00:00"):
            complaint = call.tsl_raise_complaint("The ring scratches easily.")
        self.assertEqual(complaint.source, "call")
        self.assertEqual(complaint.user_id, self.assoc_sh1)
        self.assertEqual(complaint.deadline, datetime(2026, 3, 6, 10, 0))
        self.assertEqual(call.complaint_ids, complaint)
        self.assertEqual(call.complaint_count, 1)
        complaint.resolution = "Polished, advice given."
        with freeze_time("2026-03-04 10:00:00"):
            complaint.with_user(self.assoc_sh1b).action_resolve()
        week = self.env["tsl.kyc.week"].create(
            {
                "store_id": self.store_sh1.id,
                "week_start": "2026-03-02",
                "week_end": "2026-03-08",
                "check_score": 80,
            }
        )
        with freeze_time("2026-03-06 17:00:00"):
            week.with_user(self.manager_sh1).action_check()
        scores = {s.user_id: s for s in week.score_ids}
        # calls of the week of 2 March: members 0-4, reached 0-4 (n < 6)
        self.assertEqual(scores[self.assoc_sh1].calls_reached, 3)
        self.assertEqual(scores[self.assoc_sh1b].calls_reached, 2)
        # 1 per call reached, 3 per complaint resolved: 3 against 2 + 3
        self.assertEqual(scores[self.assoc_sh1].score, 3)
        self.assertEqual(week.best_advisor_id, self.assoc_sh1b)
