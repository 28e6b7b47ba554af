# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL


class TslKycAssignment(models.Model):
    """Know your customers (C11): each day every associate gets two (the
    configured count) of their own customers to learn — the least recently
    studied first — and records what they learned: special dates, sizes and
    preferences, last purchases, open items."""

    _name = "tsl.kyc.assignment"
    _description = "Customer to Learn"
    _order = "date desc, user_id, id"

    date = fields.Date(required=True, index=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Associate", required=True, index=True, readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
    )
    store_id = fields.Many2one("tsl.store", required=True, index=True, readonly=True)
    area_id = fields.Many2one(related="store_id.area_id", store=True, index=True)
    week_id = fields.Many2one(
        "tsl.kyc.week", index=True, readonly=True, ondelete="cascade"
    )
    state = fields.Selection(
        [("todo", "To Learn"), ("done", "Learned")],
        required=True,
        default="todo",
        index=True,
    )
    learned = fields.Text(
        string="What I Learned",
        help="Sizes, preferences, family, special dates, open items…",
    )
    date_done = fields.Datetime(string="Learned On", readonly=True)
    # the profile card
    member_number = fields.Char(related="partner_id.tsl_member_number")
    tier_id = fields.Many2one(related="partner_id.tsl_tier_id")
    grade = fields.Selection(related="partner_id.tsl_grade")
    mobile = fields.Char(related="partner_id.mobile")
    birthday_next = fields.Date(related="partner_id.tsl_birthday_next")
    next_special_date = fields.Date(related="partner_id.tsl_next_special_date")
    special_date_ids = fields.One2many(related="partner_id.tsl_special_date_ids")
    last_purchase_date = fields.Date(related="partner_id.tsl_last_purchase_date")
    deposit_count = fields.Integer(
        related="partner_id.tsl_deposit_count", string="Open Deposits"
    )
    open_service_count = fields.Integer(compute="_compute_open_service_count")

    _sql_constraints = [
        (
            "date_user_partner_uniq",
            "unique(date, user_id, partner_id)",
            "A customer is assigned once a day to an associate.",
        )
    ]

    def _compute_open_service_count(self):
        counts = dict(
            self.env["tsl.service.request"]._read_group(
                [
                    ("partner_id", "in", self.partner_id.ids),
                    ("state", "in", ("received", "workshop", "ready")),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for rec in self:
            rec.open_service_count = counts.get(rec.partner_id, 0)

    def action_done(self):
        for rec in self:
            if rec.user_id != self.env.user and not self.env.user.has_group(
                "tsl_crm.group_tsl_store_manager"
            ):
                raise UserError(
                    _("Only the assigned associate records what they learned.")
                )
            if not (rec.learned or "").strip():
                raise ValidationError(
                    _(
                        "Write what you learned about %(customer)s first.",
                        customer=rec.partner_id.name,
                    )
                )
        self.write({"state": "done", "date_done": fields.Datetime.now()})
        self._tsl_close_activities()
        return True

    # ------------------------------------------------------------------------
    # daily assignment (cron)
    # ------------------------------------------------------------------------
    @api.model
    def _cron_assign_daily(self, day=None):
        """Give every associate their ``tsl_kyc_daily_count`` customers of the
        day: their own active members, never studied or studied longest ago
        first. Set-based: one INSERT … SELECT with a window per associate;
        associates already served that day are skipped (safe to rerun)."""
        day = day or fields.Date.context_today(self)
        count = self.env.company.tsl_kyc_daily_count
        if count <= 0:
            return 0
        week_start = day - timedelta(days=day.weekday())
        for model in ("res.partner", "res.users", "tsl.kyc.assignment", "tsl.kyc.week"):
            self.env[model].flush_model()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
            WITH last_studied AS (
                SELECT partner_id, MAX(date) AS last_date
                  FROM tsl_kyc_assignment GROUP BY partner_id
            ), ranked AS (
                SELECT p.tsl_associate_id AS user_id, p.id AS partner_id,
                       COALESCE(u.tsl_store_id, p.tsl_store_id) AS store_id,
                       ROW_NUMBER() OVER (
                           PARTITION BY p.tsl_associate_id
                           ORDER BY ls.last_date NULLS FIRST, p.id
                       ) AS rank
                  FROM res_partner p
                  JOIN res_users u ON u.id = p.tsl_associate_id AND u.active
                  LEFT JOIN last_studied ls ON ls.partner_id = p.id
                 WHERE p.active
                   AND p.tsl_member_state IN ('temporary', 'formal')
                   AND COALESCE(u.tsl_store_id, p.tsl_store_id) IS NOT NULL
                   AND NOT EXISTS (
                       SELECT 1 FROM tsl_kyc_assignment a
                        WHERE a.user_id = p.tsl_associate_id AND a.date = %(day)s)
            ), weeks AS (
                INSERT INTO tsl_kyc_week (store_id, week_start, week_end, state,
                                          create_uid, create_date,
                                          write_uid, write_date)
                SELECT DISTINCT store_id, %(week_start)s::date,
                       %(week_start)s::date + 6, 'open',
                       %(uid)s, NOW() AT TIME ZONE 'UTC',
                       %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM ranked WHERE rank <= %(count)s
                ON CONFLICT (store_id, week_start) DO NOTHING
            )
            INSERT INTO tsl_kyc_assignment (date, user_id, partner_id, store_id,
                                            state, create_uid, create_date,
                                            write_uid, write_date)
            SELECT %(day)s, user_id, partner_id, store_id, 'todo',
                   %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM ranked WHERE rank <= %(count)s
            ON CONFLICT (date, user_id, partner_id) DO NOTHING
            """,
                day=day,
                week_start=week_start,
                count=count,
                uid=self.env.uid,
            )
        )
        inserted = cr.rowcount
        # link to the store's week (the week rows exist now)
        cr.execute(
            SQL(
                """
            UPDATE tsl_kyc_assignment a SET week_id = w.id
              FROM tsl_kyc_week w
             WHERE a.week_id IS NULL AND a.date = %(day)s
               AND w.store_id = a.store_id AND w.week_start = %(week_start)s
            RETURNING a.id
            """,
                day=day,
                week_start=week_start,
            )
        )
        new_ids = [row[0] for row in cr.fetchall()]
        self.invalidate_model()
        self.env["tsl.kyc.week"].invalidate_model()
        self.browse(new_ids)._tsl_schedule_activities(day)
        return inserted

    def _tsl_schedule_activities(self, day):
        """C10: one activity a day per associate, on the store's week,
        naming the customers to learn; one batched create."""
        if not self:
            return
        activity_type = self.env.ref("tsl_callcenter.mail_activity_type_kyc")
        model_id = self.env["ir.model"]._get_id("tsl.kyc.week")
        by_user = {}
        for rec in self:
            by_user.setdefault((rec.user_id, rec.week_id), []).append(
                rec.partner_id.name
            )
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": week.id,
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "date_deadline": day,
                    "summary": self.env._(
                        "Customers to learn today: %(names)s", names=", ".join(names)
                    ),
                    "user_id": user.id,
                }
                for (user, week), names in by_user.items()
            ]
        )

    def _tsl_close_activities(self):
        """The day's activity is done once all the day's customers are."""
        pending = self.search(
            [
                ("user_id", "in", self.user_id.ids),
                ("date", "in", list(set(self.mapped("date")))),
                ("state", "=", "todo"),
            ]
        )
        for rec in self:
            if pending.filtered(
                lambda a, rec=rec: a.user_id == rec.user_id and a.date == rec.date
            ):
                continue
            rec.week_id.sudo().activity_feedback(
                ["tsl_callcenter.mail_activity_type_kyc"],
                user_id=rec.user_id.id,
                feedback=_("All the day's customers learned."),
            )
