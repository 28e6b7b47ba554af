# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime, time, timedelta

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
    _inherit = ["mail.thread"]
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

    def _tsl_advisor_score_sources(self, start, end):
        """One SQL query per result, each giving rows (user_id, n) for this
        week's store between ``start`` and ``end`` (datetimes)."""
        self.ensure_one()
        store = self.store_id.id
        return {
            "calls_reached": SQL(
                """SELECT user_id, COUNT(*) FROM tsl_call
                    WHERE store_id = %s AND outcome = 'reached'
                      AND user_id IS NOT NULL
                      AND date_done >= %s AND date_done < %s
                    GROUP BY user_id""",
                store,
                start,
                end,
            ),
            "kyc_done": SQL(
                """SELECT user_id, COUNT(*) FROM tsl_kyc_assignment
                    WHERE store_id = %s AND state = 'done'
                      AND date >= %s AND date < %s
                    GROUP BY user_id""",
                store,
                start.date(),
                end.date(),
            ),
            "complaints_resolved": SQL(
                """SELECT resolved_by_id, COUNT(*) FROM tsl_complaint
                    WHERE store_id = %s AND resolved_by_id IS NOT NULL
                      AND date_resolved >= %s AND date_resolved < %s
                    GROUP BY resolved_by_id""",
                store,
                start,
                end,
            ),
        }

    def _tsl_compute_advisor_scores(self):
        """One row per associate of the store with their week's results and
        the weighted score; the best score names the week's best advisor."""
        company = self.env.company
        weights = {
            "calls_reached": company.tsl_kyc_weight_call,
            "kyc_done": company.tsl_kyc_weight_kyc,
            "complaints_resolved": company.tsl_kyc_weight_complaint,
        }
        # the check is authorised by the write on the week: the results are
        # written by the system
        Score = self.env["tsl.kyc.advisor.score"].sudo()
        for model in (
            "tsl.call",
            "tsl.kyc.assignment",
            "tsl.complaint",
            "tsl.kyc.advisor.score",
        ):
            self.env[model].flush_model()
        self.sudo().score_ids.unlink()
        cr = self.env.cr
        vals_list = []
        for rec in self:
            start = datetime.combine(rec.week_start, time.min)
            end = start + timedelta(days=7)
            results = {}
            for key, query in rec._tsl_advisor_score_sources(start, end).items():
                cr.execute(query)
                for user_id, n in cr.fetchall():
                    results.setdefault(user_id, {})[key] = n
            associates = rec.store_id.associate_ids.filtered(
                lambda u: u.has_group("tsl_crm.group_tsl_associate")
            )
            for user_id in set(results) | set(associates.ids):
                row = {key: results.get(user_id, {}).get(key, 0) for key in weights}
                row["score"] = sum(row[key] * weights[key] for key in weights)
                vals_list.append({"week_id": rec.id, "user_id": user_id, **row})
        Score.create(vals_list)
        for rec in self:
            best = rec.score_ids.sorted(lambda s: (-s.score, s.user_id.id))[:1]
            rec.best_advisor_id = best.user_id if best and best.score > 0 else False
