# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL


class TslKycWeek(models.Model):
    """A store's know-your-customers week (C11): the assignments of the
    week, the store manager's Friday check (score and note) and the week's
    best advisor (着装顾问) named from the follow-up results: calls reached,
    customers learned and complaints resolved, weighted as configured."""

    _name = "tsl.kyc.week"
    _description = "Know Your Customers Week"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "week_start desc, store_id"
    _rec_names_search = ["store_id"]

    store_id = fields.Many2one("tsl.store", required=True, index=True, readonly=True)
    area_id = fields.Many2one(related="store_id.area_id", store=True, index=True)
    week_start = fields.Date(required=True, readonly=True, index=True)
    week_end = fields.Date(required=True, readonly=True)
    assignment_ids = fields.One2many("tsl.kyc.assignment", "week_id")
    assigned_count = fields.Integer(compute="_compute_counts")
    done_count = fields.Integer(string="Learned", compute="_compute_counts")
    state = fields.Selection(
        [("open", "Open"), ("checked", "Checked")],
        required=True,
        default="open",
        tracking=True,
    )
    check_date = fields.Date(string="Checked On", readonly=True, tracking=True)
    checker_id = fields.Many2one(
        "res.users", string="Checked By", readonly=True, tracking=True
    )
    check_score = fields.Integer(
        tracking=True,
        help="The store manager's mark of the week's customer knowledge (0-100).",
    )
    check_note = fields.Text(string="Check Notes")
    score_ids = fields.One2many("tsl.kyc.advisor.score", "week_id", readonly=True)
    best_advisor_id = fields.Many2one(
        "res.users", string="Best Advisor", readonly=True, tracking=True
    )

    _sql_constraints = [
        (
            "store_week_uniq",
            "unique(store_id, week_start)",
            "A store has one know-your-customers week per week.",
        ),
        (
            "check_score_range",
            "CHECK(check_score IS NULL OR (check_score >= 0 AND check_score <= 100))",
            "The check score goes from 0 to 100.",
        ),
    ]

    @api.depends("store_id", "week_start")
    def _compute_display_name(self):
        for rec in self:
            rec.display_name = f"{rec.store_id.display_name} {rec.week_start or ''}"

    def _compute_counts(self):
        groups = self.env["tsl.kyc.assignment"]._read_group(
            [("week_id", "in", self.ids)], ["week_id", "state"], ["__count"]
        )
        counts = {}
        for week, state, count in groups:
            counts.setdefault(week, {})[state] = count
        for rec in self:
            by_state = counts.get(rec, {})
            rec.assigned_count = sum(by_state.values())
            rec.done_count = by_state.get("done", 0)

    # ------------------------------------------------------------------------
    # the Friday check
    # ------------------------------------------------------------------------
    def action_check(self):
        """The store manager's Friday check: from the week's Friday on, by a
        manager of the store; names the best advisor."""
        user = self.env.user
        today = fields.Date.context_today(self)
        for rec in self:
            if not user.has_group("tsl_crm.group_tsl_store_manager"):
                raise AccessError(_("Only a store manager records the Friday check."))
            if rec.state != "open":
                raise UserError(_("This week is already checked."))
            friday = rec.week_start + timedelta(days=4)
            if today < friday:
                raise UserError(
                    _(
                        "The week's check is done on Friday %(friday)s or later.",
                        friday=friday,
                    )
                )
            if not rec.check_score and rec.check_score != 0:
                raise ValidationError(_("Give the week a check score (0-100)."))
        self._tsl_compute_advisor_scores()
        self.write({"state": "checked", "check_date": today, "checker_id": user.id})
        return True

    def action_compute_scores(self):
        self._tsl_compute_advisor_scores()
        return True

    def _tsl_compute_advisor_scores(self):
        """One row per associate of the store with their week's results
        (calls reached, customers learned, complaints resolved) and the
        weighted score; the best score names the week's best advisor. Set-based
        for any number of weeks: one DELETE, one INSERT … SELECT, one UPDATE.
        The check is authorised by the write on the week: the results are
        written by the system."""
        if not self:
            return
        company = self.env.company
        for model in (
            "tsl.call",
            "tsl.kyc.assignment",
            "tsl.complaint",
            "tsl.kyc.advisor.score",
            "tsl.kyc.week",
            "res.users",
        ):
            self.env[model].flush_model()
        cr = self.env.cr
        ids = tuple(self.ids)
        first = min(self.mapped("week_start"))
        last = max(self.mapped("week_start")) + timedelta(days=7)
        cr.execute(SQL("DELETE FROM tsl_kyc_advisor_score WHERE week_id IN %s", ids))
        cr.execute(
            SQL(
                """
            WITH results AS (
                SELECT store_id, user_id, date_done AS at,
                       1 AS calls, 0 AS kyc, 0 AS complaints
                  FROM tsl_call
                 WHERE outcome = 'reached' AND user_id IS NOT NULL
                   AND date_done >= %(first)s AND date_done < %(last)s
                UNION ALL
                SELECT store_id, user_id, date::timestamp, 0, 1, 0
                  FROM tsl_kyc_assignment
                 WHERE state = 'done' AND date >= %(first)s AND date < %(last)s
                UNION ALL
                SELECT store_id, resolved_by_id, date_resolved, 0, 0, 1
                  FROM tsl_complaint
                 WHERE resolved_by_id IS NOT NULL
                   AND date_resolved >= %(first)s AND date_resolved < %(last)s
                UNION ALL
                -- the store's associates appear even without results
                SELECT u.tsl_store_id, u.id, NULL, 0, 0, 0
                  FROM res_users u
                  JOIN res_groups_users_rel g ON g.uid = u.id AND g.gid = %(group)s
                 WHERE u.active AND u.tsl_store_id IS NOT NULL
            )
            INSERT INTO tsl_kyc_advisor_score (week_id, store_id, user_id,
                                               calls_reached, kyc_done,
                                               complaints_resolved, score,
                                               create_uid, create_date,
                                               write_uid, write_date)
            SELECT w.id, w.store_id, r.user_id,
                   SUM(r.calls), SUM(r.kyc), SUM(r.complaints),
                   SUM(r.calls) * %(wc)s + SUM(r.kyc) * %(wk)s
                       + SUM(r.complaints) * %(wm)s,
                   %(uid)s, NOW() AT TIME ZONE 'UTC',
                   %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM tsl_kyc_week w
              JOIN results r
                ON r.store_id = w.store_id
               AND (r.at IS NULL
                    OR (r.at >= w.week_start AND r.at < w.week_start + 7))
             WHERE w.id IN %(ids)s
             GROUP BY w.id, w.store_id, r.user_id
            """,
                first=first,
                last=last,
                group=self.env.ref("tsl_crm.group_tsl_associate").id,
                wc=company.tsl_kyc_weight_call,
                wk=company.tsl_kyc_weight_kyc,
                wm=company.tsl_kyc_weight_complaint,
                uid=self.env.uid,
                ids=ids,
            )
        )
        cr.execute(
            SQL(
                """
            UPDATE tsl_kyc_week w
               SET best_advisor_id = CASE WHEN b.score > 0 THEN b.user_id END
              FROM tsl_kyc_week w2
              LEFT JOIN (SELECT DISTINCT ON (week_id) week_id, user_id, score
                           FROM tsl_kyc_advisor_score
                          WHERE week_id IN %(ids)s
                          ORDER BY week_id, score DESC, user_id) b
                ON b.week_id = w2.id
             WHERE w.id = w2.id AND w.id IN %(ids)s
            """,
                ids=ids,
            )
        )
        self.invalidate_model(["best_advisor_id", "score_ids"])
        self.env["tsl.kyc.advisor.score"].invalidate_model()

    @api.model
    def _cron_name_best_advisors(self):
        """Daily: the weeks over and still open get their results and best
        advisor (the manager's check may come later)."""
        today = fields.Date.context_today(self)
        weeks = self.search([("state", "=", "open"), ("week_end", "<", today)])
        weeks._tsl_compute_advisor_scores()
        return len(weeks)
