# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import os
import tempfile
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

try:
    import xlsxwriter
except ImportError:  # pragma: no cover - declared in external_dependencies
    xlsxwriter = None

# Figures written by the month-end job only (set-based SQL), never by hand.
FIGURE_FIELDS = {
    "calls_total",
    "calls_reached",
    "calls_failed",
    "success_rate",
    "numbers_corrected",
    "complaints_received",
    "complaints_resolved",
    "complaints_in_time",
    "service_received",
    "service_ready",
    "service_overdue",
    "kyc_done",
}
FAILED_BATCH = 5000


def month_start(day):
    return date(day.year, day.month, 1)


class TslStoreReport(models.Model):
    """The monthly store follow-up report (专卖店客户回访情况月报表, C9): the
    month's figures computed set-based from the calls, complaints, service
    requests and know-your-customers assignments; the manager's plan for
    next month (due by month-end) and submission; the supervisor's review;
    an Excel export for one store or all of them."""

    _name = "tsl.store.report"
    _description = "Monthly Store Follow-up Report"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "month desc, area_id, store_id"

    name = fields.Char(compute="_compute_name", store=True)
    store_id = fields.Many2one("tsl.store", required=True, index=True, readonly=True)
    store_code = fields.Char(related="store_id.code")
    area_id = fields.Many2one(
        "tsl.area", required=True, index=True, readonly=True, string="Area"
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda s: s.env.company
    )
    month = fields.Date(required=True, index=True, readonly=True, help="First day.")
    plan_deadline = fields.Date(
        string="Plan Due", compute="_compute_plan_deadline", store=True
    )
    area_report_id = fields.Many2one(
        "tsl.area.report", string="Regional Summary", index=True, readonly=True
    )
    # figures
    calls_total = fields.Integer(string="Calls", readonly=True)
    calls_reached = fields.Integer(string="Reached", readonly=True)
    calls_failed = fields.Integer(string="Not Reached", readonly=True)
    success_rate = fields.Float(
        string="Success Rate (%)",
        digits=(5, 1),
        readonly=True,
        aggregator="avg",
        help="Calls reached / calls made (cancelled calls left out).",
    )
    numbers_corrected = fields.Integer(readonly=True)
    complaints_received = fields.Integer(readonly=True)
    complaints_resolved = fields.Integer(readonly=True)
    complaints_in_time = fields.Integer(
        string="Complaints Answered in Time", readonly=True
    )
    service_received = fields.Integer(string="Service Requests", readonly=True)
    service_ready = fields.Integer(string="Service Requests Ready", readonly=True)
    service_overdue = fields.Integer(string="Service Requests Overdue", readonly=True)
    kyc_done = fields.Integer(string="Customers Learned", readonly=True)
    failed_call_ids = fields.Many2many(
        "tsl.call",
        "tsl_store_report_failed_call_rel",
        "report_id",
        "call_id",
        string="Failed List",
        readonly=True,
        groups="tsl_crm.group_tsl_store_manager",
        help="The month's calls that did not reach the member.",
    )
    # the manager's part
    plan_next_month = fields.Text(string="Next Month's Plan", tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("reviewed", "Reviewed"),
        ],
        required=True,
        default="draft",
        index=True,
        tracking=True,
    )
    submitted_date = fields.Date(readonly=True, copy=False)
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    plan_late = fields.Boolean(
        compute="_compute_plan_late",
        help="Submitted after the month-end deadline, or still not submitted.",
    )
    # the supervisor's part
    reviewer_id = fields.Many2one("res.users", readonly=True, copy=False)
    review_date = fields.Date(readonly=True, copy=False)
    review_comment = fields.Text(tracking=True)

    _sql_constraints = [
        (
            "store_month_uniq",
            "unique(store_id, month)",
            "A store has one report per month.",
        )
    ]

    @api.depends("store_id.code", "month")
    def _compute_name(self):
        for rec in self:
            rec.name = (
                f"{rec.store_id.code or ''} {rec.month:%Y-%m}" if rec.month else ""
            )

    @api.depends("month")
    def _compute_plan_deadline(self):
        for rec in self:
            rec.plan_deadline = (
                rec.month + relativedelta(months=1, days=-1) if rec.month else False
            )

    def _compute_plan_late(self):
        today = fields.Date.context_today(self)
        for rec in self:
            done = rec.submitted_date or today
            rec.plan_late = bool(rec.plan_deadline and done > rec.plan_deadline)

    def write(self, vals):
        if FIGURE_FIELDS & set(vals) and not self.env.su:
            raise UserError(_("The report's figures come from the month's records."))
        return super().write(vals)

    # ------------------------------------------------------------------------
    # workflow
    # ------------------------------------------------------------------------
    def action_submit(self):
        """The store manager submits the summary and next month's plan."""
        if not self.env.user.has_group("tsl_crm.group_tsl_store_manager"):
            raise AccessError(_("Only the store manager submits the monthly report."))
        for rec in self:
            if rec.state != "draft":
                raise UserError(_("%(report)s is already submitted.", report=rec.name))
            if not (rec.plan_next_month or "").strip():
                raise ValidationError(
                    _("Write next month's plan of %(report)s first.", report=rec.name)
                )
        self.write(
            {
                "state": "submitted",
                "submitted_date": fields.Date.context_today(self),
                "submitted_by_id": self.env.uid,
            }
        )
        self.activity_feedback(["tsl_callcenter.mail_activity_type_store_report"])
        for rec in self:
            for supervisor in rec.area_id.supervisor_ids:
                rec.activity_schedule(
                    "tsl_callcenter.mail_activity_type_store_report",
                    summary=_("Review %(report)s", report=rec.name),
                    user_id=supervisor.id,
                )
        return True

    def action_review(self):
        """The area supervisor reviews a submitted report, with a comment."""
        if not self.env.user.has_group("tsl_crm.group_tsl_area_supervisor"):
            raise AccessError(_("Only an area supervisor reviews store reports."))
        for rec in self:
            if rec.state != "submitted":
                raise UserError(
                    _("%(report)s is not submitted for review.", report=rec.name)
                )
            if not (rec.review_comment or "").strip():
                raise ValidationError(
                    _("Write the review comment of %(report)s.", report=rec.name)
                )
        self.write(
            {
                "state": "reviewed",
                "reviewer_id": self.env.uid,
                "review_date": fields.Date.context_today(self),
            }
        )
        self.activity_feedback(["tsl_callcenter.mail_activity_type_store_report"])
        return True

    def action_return(self):
        """The supervisor sends a submitted report back to the manager."""
        if not self.env.user.has_group("tsl_crm.group_tsl_area_supervisor"):
            raise AccessError(_("Only an area supervisor returns store reports."))
        if any(rec.state != "submitted" for rec in self):
            raise UserError(_("Only submitted reports can be returned."))
        self.write({"state": "draft"})
        return True

    def action_refresh(self):
        """Recompute the figures of draft reports."""
        drafts = self.filtered(lambda r: r.state == "draft")
        if drafts:
            self.sudo()._tsl_compute_figures(drafts.ids)
        return True

    # ------------------------------------------------------------------------
    # month-end generation (set-based)
    # ------------------------------------------------------------------------
    @api.model
    def _cron_month_end(self):
        """Daily: on the month's last day, generate the month's reports and
        regional summaries (the plan is due that day, the summary on the 1st)."""
        today = fields.Date.context_today(self)
        if (today + timedelta(days=1)).day != 1:
            return False
        return self._tsl_generate(today)

    @api.model
    def _tsl_generate(self, day, store_ids=None):
        """Create (or refresh, while draft) the reports of the month of
        ``day`` for every active store (or ``store_ids``), their figures and
        failed lists, then the regional summaries: a handful of statements
        whatever the number of stores. Returns the reports."""
        month = month_start(day)
        cr = self.env.cr
        for model in ("tsl.store", "tsl.store.report", "tsl.area.report"):
            self.env[model].flush_model()
        store_filter = SQL("AND s.id IN %s", tuple(store_ids)) if store_ids else SQL("")
        cr.execute(
            SQL(
                """
            INSERT INTO tsl_store_report (store_id, area_id, company_id, month,
                                          plan_deadline, name, state,
                                          create_uid, create_date,
                                          write_uid, write_date)
            SELECT s.id, s.area_id, s.company_id, %(month)s, %(deadline)s,
                   s.code || ' ' || %(label)s, 'draft',
                   %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM tsl_store s
             WHERE s.active %(store_filter)s
            ON CONFLICT (store_id, month) DO NOTHING
            RETURNING id
            """,
                month=month,
                deadline=month + relativedelta(months=1, days=-1),
                label=f"{month:%Y-%m}",
                uid=self.env.uid,
                store_filter=store_filter,
            )
        )
        new_ids = [row[0] for row in cr.fetchall()]
        cr.execute(
            SQL(
                """SELECT r.id FROM tsl_store_report r JOIN tsl_store s
                                ON s.id = r.store_id
                    WHERE r.month = %(month)s %(store_filter)s""",
                month=month,
                store_filter=store_filter,
            )
        )
        report_ids = [row[0] for row in cr.fetchall()]
        self._tsl_compute_figures(report_ids)
        self.env["tsl.area.report"]._tsl_generate(month)
        self.invalidate_model()
        self.browse(new_ids)._tsl_schedule_plan()
        return self.browse(report_ids)

    def _tsl_compute_figures(self, report_ids):
        """The figures and failed lists of the draft reports among
        ``report_ids``: one UPDATE … FROM over aggregates, one DELETE and one
        INSERT … SELECT for the failed lists."""
        if not report_ids:
            return []
        cr = self.env.cr
        for model in (
            "tsl.call",
            "tsl.complaint",
            "tsl.service.request",
            "tsl.kyc.assignment",
            "tsl.store.report",
        ):
            self.env[model].flush_model()
        ids = tuple(report_ids)
        cr.execute(
            SQL(
                """
            WITH r AS (
                SELECT id, store_id, month,
                       (month + INTERVAL '1 month')::date AS month_end
                  FROM tsl_store_report WHERE id IN %(ids)s AND state = 'draft'
            ), calls AS (
                SELECT r.id,
                       COUNT(*) FILTER (WHERE c.state != 'cancelled') AS total,
                       COUNT(*) FILTER (WHERE c.outcome = 'reached') AS reached,
                       COUNT(*) FILTER (WHERE c.phone_corrected) AS corrected
                  FROM r JOIN tsl_call c
                    ON c.store_id = r.store_id
                   AND c.week_start >= r.month AND c.week_start < r.month_end
                 GROUP BY r.id
            ), complaints AS (
                SELECT r.id,
                   COUNT(*) FILTER (WHERE k.date_received >= r.month
                                      AND k.date_received < r.month_end) AS received,
                   COUNT(*) FILTER (WHERE k.date_resolved >= r.month
                                      AND k.date_resolved < r.month_end) AS resolved,
                   COUNT(*) FILTER (WHERE k.date_resolved >= r.month
                                      AND k.date_resolved < r.month_end
                                      AND k.date_resolved <= k.deadline) AS in_time
                  FROM r JOIN tsl_complaint k ON k.store_id = r.store_id
                   AND ((k.date_received >= r.month AND k.date_received < r.month_end)
                        OR (k.date_resolved >= r.month
                            AND k.date_resolved < r.month_end))
                 GROUP BY r.id
            ), service AS (
                SELECT r.id,
                   COUNT(*) FILTER (WHERE v.received_date >= r.month
                                      AND v.received_date < r.month_end) AS received,
                   COUNT(*) FILTER (WHERE v.date_ready >= r.month
                                      AND v.date_ready < r.month_end) AS ready,
                   COUNT(*) FILTER (WHERE v.is_overdue) AS overdue
                  FROM r JOIN tsl_service_request v ON v.store_id = r.store_id
                   AND ((v.received_date >= r.month AND v.received_date < r.month_end)
                        OR (v.date_ready >= r.month AND v.date_ready < r.month_end)
                        OR v.is_overdue)
                 GROUP BY r.id
            ), kyc AS (
                SELECT r.id, COUNT(*) AS done
                  FROM r JOIN tsl_kyc_assignment a ON a.store_id = r.store_id
                   AND a.state = 'done'
                   AND a.date >= r.month AND a.date < r.month_end
                 GROUP BY r.id
            )
            UPDATE tsl_store_report t
               SET calls_total = COALESCE(calls.total, 0),
                   calls_reached = COALESCE(calls.reached, 0),
                   calls_failed = COALESCE(calls.total, 0) - COALESCE(calls.reached, 0),
                   success_rate = CASE WHEN COALESCE(calls.total, 0) = 0 THEN 0
                       ELSE ROUND(100.0 * calls.reached / calls.total, 1) END,
                   numbers_corrected = COALESCE(calls.corrected, 0),
                   complaints_received = COALESCE(complaints.received, 0),
                   complaints_resolved = COALESCE(complaints.resolved, 0),
                   complaints_in_time = COALESCE(complaints.in_time, 0),
                   service_received = COALESCE(service.received, 0),
                   service_ready = COALESCE(service.ready, 0),
                   service_overdue = COALESCE(service.overdue, 0),
                   kyc_done = COALESCE(kyc.done, 0),
                   write_uid = %(uid)s,
                   write_date = NOW() AT TIME ZONE 'UTC'
              FROM r
              LEFT JOIN calls ON calls.id = r.id
              LEFT JOIN complaints ON complaints.id = r.id
              LEFT JOIN service ON service.id = r.id
              LEFT JOIN kyc ON kyc.id = r.id
             WHERE t.id = r.id
            RETURNING t.id
            """,
                ids=ids,
                uid=self.env.uid,
            )
        )
        draft_ids = [row[0] for row in cr.fetchall()]
        if draft_ids:
            drafts = tuple(draft_ids)
            cr.execute(
                SQL(
                    "DELETE FROM tsl_store_report_failed_call_rel "
                    "WHERE report_id IN %s",
                    drafts,
                )
            )
            cr.execute(
                SQL(
                    """
                INSERT INTO tsl_store_report_failed_call_rel (report_id, call_id)
                SELECT r.id, c.id
                  FROM tsl_store_report r
                  JOIN tsl_call c
                    ON c.store_id = r.store_id
                   AND c.week_start >= r.month
                   AND c.week_start < (r.month + INTERVAL '1 month')::date
                 WHERE r.id IN %(ids)s
                   AND c.state != 'cancelled'
                   AND c.outcome IS DISTINCT FROM 'reached'
                """,
                    ids=drafts,
                )
            )
        self.invalidate_model()
        return draft_ids

    def _tsl_schedule_plan(self):
        """Ask the store managers for next month's plan by month-end: the
        activities of all the reports in one create."""
        activity_type = self.env.ref("tsl_callcenter.mail_activity_type_store_report")
        model_id = self.env["ir.model"]._get_id(self._name)
        self.store_id.mapped("manager_ids")  # prefetch the managers at once
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": rec.id,
                "activity_type_id": activity_type.id,
                "automated": True,
                "date_deadline": rec.plan_deadline,
                "summary": self.env._(
                    "Summary and next month's plan of %(report)s", report=rec.name
                ),
                "user_id": manager.id,
            }
            for rec in self
            for manager in rec.store_id.manager_ids
        ]
        if vals_list:
            self.env["mail.activity"].sudo().with_context(
                mail_activity_quick_update=True
            ).create(vals_list)

    # ------------------------------------------------------------------------
    # Excel export
    # ------------------------------------------------------------------------
    def action_export_xlsx(self):
        """Download the selected reports as one workbook."""
        if not self:
            raise UserError(_("Select the reports to export."))
        content = self._tsl_xlsx_content()
        months = sorted(set(self.mapped("month")))
        label = months[0].strftime("%Y-%m") if len(months) == 1 else "reports"
        # read access was checked: the file is attached to the first report,
        # so whoever may read that report may download it (analysts included)
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"store_reports_{label}.xlsx",
                    "datas": base64.b64encode(content),
                    "mimetype": "application/vnd.openxmlformats-officedocument"
                    ".spreadsheetml.sheet",
                    "res_model": self._name,
                    "res_id": self[:1].id,
                }
            )
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _tsl_xlsx_headers(self):
        return [
            _("Month"),
            _("Area"),
            _("Store Code"),
            _("Store"),
            _("Calls"),
            _("Reached"),
            _("Not Reached"),
            _("Success Rate (%)"),
            _("Numbers Corrected"),
            _("Complaints Received"),
            _("Complaints Resolved"),
            _("Answered in Time"),
            _("Service Requests"),
            _("Service Ready"),
            _("Service Overdue"),
            _("Customers Learned"),
            _("Status"),
            _("Next Month's Plan"),
            _("Review"),
        ]

    def _tsl_xlsx_content(self):
        """The workbook as bytes. xlsxwriter in ``constant_memory`` mode
        streams each row to a temporary file, and the rows come from SQL in
        batches: memory stays flat whatever the number of stores or calls.
        Access: only reports the user may read; the failed list (members'
        names) only for store managers and above — never for HQ analysts."""
        self.check_access("read")
        with_failed = self.env.user.has_group("tsl_crm.group_tsl_store_manager")
        if with_failed:
            # the calls of these stores must be readable by the user too
            self.env["tsl.call"].check_access("read")
        for model in ("tsl.store.report", "tsl.call", "res.partner"):
            self.env[model].flush_model()
        states = dict(self._fields["state"]._description_selection(self.env))
        outcomes = dict(
            self.env["tsl.call"]._fields["outcome"]._description_selection(self.env)
        )
        fd, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(fd)
        try:
            workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
            self._tsl_xlsx_write(workbook, states, outcomes, with_failed)
            workbook.close()
            with open(path, "rb") as f:
                return f.read()
        finally:
            os.unlink(path)

    def _tsl_xlsx_write(self, workbook, states, outcomes, with_failed):
        bold = workbook.add_format({"bold": True})
        pct = workbook.add_format({"num_format": "0.0"})
        sheet = workbook.add_worksheet(_("Stores"))
        sheet.freeze_panes(1, 4)
        sheet.set_column(0, 3, 14)
        sheet.set_column(17, 18, 40)
        sheet.write_row(0, 0, self._tsl_xlsx_headers(), bold)
        cr = self.env.cr
        lang = self.env.lang or "en_US"
        cr.execute(
            SQL(
                """
            SELECT to_char(r.month, 'YYYY-MM'),
                   COALESCE(a.name->>%(lang)s, a.name->>'en_US', a.name::text)
                       AS area_name,
                   s.code, COALESCE(s.name->>%(lang)s, s.name->>'en_US'),
                   r.calls_total, r.calls_reached, r.calls_failed, r.success_rate,
                   r.numbers_corrected, r.complaints_received,
                   r.complaints_resolved, r.complaints_in_time,
                   r.service_received, r.service_ready, r.service_overdue,
                   r.kyc_done, r.state, r.plan_next_month, r.review_comment
              FROM tsl_store_report r
              JOIN tsl_store s ON s.id = r.store_id
              JOIN tsl_area a ON a.id = r.area_id
             WHERE r.id IN %(ids)s
             ORDER BY r.month, area_name, s.code
            """,
                lang=lang,
                ids=tuple(self.ids),
            )
        )
        totals = [0] * 12
        row_no = 1
        while True:
            rows = cr.fetchmany(1000)
            if not rows:
                break
            for row in rows:
                row = list(row)
                for i in range(12):
                    totals[i] += row[4 + i] or 0
                row[16] = states.get(row[16], row[16])
                sheet.write_row(row_no, 0, row[:7])
                sheet.write_number(row_no, 7, row[7] or 0.0, pct)
                sheet.write_row(row_no, 8, row[8:])
                row_no += 1
        totals[3] = round(100.0 * totals[1] / totals[0], 1) if totals[0] else 0.0
        sheet.write(row_no, 0, _("Total"), bold)
        sheet.write_row(row_no, 4, totals[:3], bold)
        sheet.write_number(row_no, 7, totals[3], pct)
        sheet.write_row(row_no, 8, totals[4:], bold)
        if with_failed:
            self._tsl_xlsx_write_failed(workbook, bold, outcomes)

    def _tsl_xlsx_write_failed(self, workbook, bold, outcomes):
        sheet = workbook.add_worksheet(_("Failed List"))
        sheet.freeze_panes(1, 0)
        sheet.write_row(
            0,
            0,
            [
                _("Store Code"),
                _("Week"),
                _("Member Number"),
                _("Member"),
                _("Mobile"),
                _("Associate"),
                _("Attempt"),
                _("Outcome"),
                _("Notes"),
            ],
            bold,
        )
        cr = self.env.cr
        ids = tuple(self.ids)
        row_no = 1
        last = (0, 0)
        # keyset pages over the relation's primary key: one page in memory
        while True:
            cr.execute(
                SQL(
                    """
                SELECT f.report_id, f.call_id, s.code, c.week_start,
                       p.tsl_member_number, p.name, p.mobile, up.name,
                       c.attempt_count, c.outcome, c.outcome_note
                  FROM tsl_store_report_failed_call_rel f
                  JOIN tsl_call c ON c.id = f.call_id
                  JOIN tsl_store s ON s.id = c.store_id
                  JOIN res_partner p ON p.id = c.partner_id
                  LEFT JOIN res_users u ON u.id = c.user_id
                  LEFT JOIN res_partner up ON up.id = u.partner_id
                 WHERE f.report_id IN %(ids)s
                   AND (f.report_id, f.call_id) > (%(r)s, %(c)s)
                 ORDER BY f.report_id, f.call_id
                 LIMIT %(limit)s
                """,
                    ids=ids,
                    r=last[0],
                    c=last[1],
                    limit=FAILED_BATCH,
                )
            )
            rows = cr.fetchall()
            if not rows:
                break
            for row in rows:
                sheet.write_row(
                    row_no,
                    0,
                    [
                        row[2],
                        row[3].isoformat() if row[3] else "",
                        row[4] or "",
                        row[5] or "",
                        row[6] or "",
                        row[7] or "",
                        row[8] or 0,
                        outcomes.get(row[9], "") if row[9] else _("Not called"),
                        row[10] or "",
                    ],
                )
                row_no += 1
            last = (rows[-1][0], rows[-1][1])
