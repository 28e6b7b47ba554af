# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL


class TslAreaReport(models.Model):
    """The regional monthly summary (分管终端月度客户回访情况总结报告, C9): the
    area's stores' figures added up, and the supervisor's summary, due on
    the 1st of the next month."""

    _name = "tsl.area.report"
    _description = "Regional Monthly Follow-up Summary"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "month desc, area_id"

    name = fields.Char(compute="_compute_name", store=True)
    area_id = fields.Many2one("tsl.area", required=True, index=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda s: s.env.company
    )
    month = fields.Date(required=True, index=True, readonly=True)
    due_date = fields.Date(compute="_compute_due_date", store=True)
    store_report_ids = fields.One2many("tsl.store.report", "area_report_id")
    store_count = fields.Integer(readonly=True)
    stores_reviewed = fields.Integer(readonly=True)
    calls_total = fields.Integer(string="Calls", readonly=True)
    calls_reached = fields.Integer(string="Reached", readonly=True)
    success_rate = fields.Float(
        string="Success Rate (%)", digits=(5, 1), readonly=True, aggregator="avg"
    )
    numbers_corrected = fields.Integer(readonly=True)
    complaints_received = fields.Integer(readonly=True)
    complaints_resolved = fields.Integer(readonly=True)
    service_received = fields.Integer(string="Service Requests", readonly=True)
    summary = fields.Text(tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted")],
        required=True,
        default="draft",
        tracking=True,
    )
    supervisor_id = fields.Many2one("res.users", readonly=True, copy=False)
    submitted_date = fields.Date(readonly=True, copy=False)

    _sql_constraints = [
        (
            "area_month_uniq",
            "unique(area_id, month)",
            "An area has one summary per month.",
        )
    ]

    @api.depends("area_id.code", "month")
    def _compute_name(self):
        for rec in self:
            rec.name = (
                f"{rec.area_id.code or ''} {rec.month:%Y-%m}" if rec.month else ""
            )

    @api.depends("month")
    def _compute_due_date(self):
        for rec in self:
            rec.due_date = rec.month + relativedelta(months=1) if rec.month else False

    @api.model
    def _tsl_generate(self, month):
        """Create the month's summaries of the areas with store reports, link
        the store reports and add up their figures (three statements)."""
        cr = self.env.cr
        self.env["tsl.store.report"].flush_model()
        self.flush_model()
        cr.execute(
            SQL(
                """
            INSERT INTO tsl_area_report (area_id, company_id, month, due_date, name,
                                         state, create_uid, create_date,
                                         write_uid, write_date)
            SELECT DISTINCT r.area_id, a.company_id, r.month,
                   (r.month + INTERVAL '1 month')::date,
                   a.code || ' ' || to_char(r.month, 'YYYY-MM'), 'draft',
                   %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM tsl_store_report r JOIN tsl_area a ON a.id = r.area_id
             WHERE r.month = %(month)s
            ON CONFLICT (area_id, month) DO NOTHING
            RETURNING id
            """,
                month=month,
                uid=self.env.uid,
            )
        )
        new_ids = [row[0] for row in cr.fetchall()]
        cr.execute(
            SQL(
                """
            UPDATE tsl_store_report r SET area_report_id = ar.id
              FROM tsl_area_report ar
             WHERE ar.area_id = r.area_id AND ar.month = r.month
               AND r.month = %(month)s
               AND r.area_report_id IS DISTINCT FROM ar.id
            """,
                month=month,
            )
        )
        self._tsl_sum_figures(month)
        self.invalidate_model()
        self.env["tsl.store.report"].invalidate_model(["area_report_id"])
        self.browse(new_ids)._tsl_schedule_summary()

    def _tsl_schedule_summary(self):
        """Ask the area supervisors for the regional summary by the 1st."""
        activity_type = self.env.ref("tsl_callcenter.mail_activity_type_store_report")
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": rec.id,
                "activity_type_id": activity_type.id,
                "automated": True,
                "date_deadline": rec.due_date,
                "summary": self.env._("Regional summary %(report)s", report=rec.name),
                "user_id": supervisor.id,
            }
            for rec in self
            for supervisor in rec.area_id.supervisor_ids
        ]
        if vals_list:
            self.env["mail.activity"].sudo().with_context(
                mail_activity_quick_update=True
            ).create(vals_list)

    def _tsl_sum_figures(self, month):
        self.env.cr.execute(
            SQL(
                """
            UPDATE tsl_area_report ar
               SET store_count = s.n, stores_reviewed = s.reviewed,
                   calls_total = s.calls, calls_reached = s.reached,
                   success_rate = CASE WHEN s.calls = 0 THEN 0
                       ELSE ROUND(100.0 * s.reached / s.calls, 1) END,
                   numbers_corrected = s.corrected,
                   complaints_received = s.c_received,
                   complaints_resolved = s.c_resolved,
                   service_received = s.service
              FROM (SELECT area_report_id, COUNT(*) AS n,
                           COUNT(*) FILTER (WHERE state = 'reviewed') AS reviewed,
                           SUM(calls_total) AS calls, SUM(calls_reached) AS reached,
                           SUM(numbers_corrected) AS corrected,
                           SUM(complaints_received) AS c_received,
                           SUM(complaints_resolved) AS c_resolved,
                           SUM(service_received) AS service
                      FROM tsl_store_report
                     WHERE month = %(month)s AND area_report_id IS NOT NULL
                     GROUP BY area_report_id) s
             WHERE ar.id = s.area_report_id AND ar.state = 'draft'
            """,
                month=month,
            )
        )

    def action_refresh(self):
        self.env["tsl.store.report"].flush_model()
        for month in set(self.mapped("month")):
            self._tsl_sum_figures(month)
        self.invalidate_model()
        return True

    def action_submit(self):
        """The supervisor's regional summary, due on the 1st."""
        if not self.env.user.has_group("tsl_crm.group_tsl_area_supervisor"):
            raise AccessError(_("Only an area supervisor submits the summary."))
        for rec in self:
            if rec.state != "draft":
                raise UserError(_("%(report)s is already submitted.", report=rec.name))
            if not (rec.summary or "").strip():
                raise ValidationError(
                    _("Write the summary of %(report)s first.", report=rec.name)
                )
        self.action_refresh()
        self.activity_feedback(["tsl_callcenter.mail_activity_type_store_report"])
        self.write(
            {
                "state": "submitted",
                "supervisor_id": self.env.uid,
                "submitted_date": fields.Date.context_today(self),
            }
        )
        return True

    def action_export_xlsx(self):
        return self.store_report_ids.action_export_xlsx()
