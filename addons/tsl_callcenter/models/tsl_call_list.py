# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

LIST_STATES = [("draft", "Draft"), ("open", "Open"), ("reported", "Reported")]


class TslCallList(models.Model):
    """The weekly call list of one store: one call per member carrying all
    the member's reasons of the week (C1, C2). Week 1 of a four-week cycle
    makes the first calls, weeks 2–3 retry the unreached, week 4 reports."""

    _name = "tsl.call.list"
    _description = "Weekly Call List"
    _inherit = ["mail.thread"]
    _order = "week_start desc, store_id"

    name = fields.Char(compute="_compute_name", store=True)
    store_id = fields.Many2one(
        "tsl.store", string="Store", required=True, index=True, ondelete="cascade"
    )
    area_id = fields.Many2one(related="store_id.area_id", store=True, index=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    week_start = fields.Date(required=True, index=True, help="Monday of the week.")
    week_end = fields.Date(compute="_compute_week_end", store=True, index=True)
    cycle_week = fields.Integer(
        compute="_compute_cycle_week",
        store=True,
        help="Week of the monthly cycle: 1 first calls, 2–3 retries, 4 results.",
    )
    state = fields.Selection(LIST_STATES, default="draft", required=True, tracking=True)
    call_ids = fields.One2many("tsl.call", "list_id", string="Calls")
    call_count = fields.Integer(compute="_compute_counts", string="Number of Calls")
    todo_count = fields.Integer(compute="_compute_counts", string="To Do")
    reached_count = fields.Integer(compute="_compute_counts", string="Reached")
    unreached_count = fields.Integer(compute="_compute_counts", string="Not Reached")
    class_a_count = fields.Integer(compute="_compute_counts", string="Class A")
    window_display = fields.Char(
        string="Call Windows", compute="_compute_window_display"
    )

    _sql_constraints = [
        (
            "store_week_uniq",
            "unique(store_id, week_start)",
            "A store has one call list per week.",
        ),
        (
            "week_start_monday",
            "CHECK(extract(isodow from week_start) = 1)",
            "A call list week starts on a Monday.",
        ),
    ]

    @api.depends("store_id.code", "week_start")
    def _compute_name(self):
        for rec in self:
            if rec.week_start:
                year, week, _day = rec.week_start.isocalendar()
                rec.name = f"{rec.store_id.code or ''} {year}-W{week:02d}"
            else:
                rec.name = rec.store_id.code or ""

    @api.depends("week_start")
    def _compute_week_end(self):
        for rec in self:
            rec.week_end = rec.week_start and rec.week_start + timedelta(days=6)

    @api.depends("week_start")
    def _compute_cycle_week(self):
        for rec in self:
            rec.cycle_week = rec.week_start and self._cycle_week(rec.week_start)

    @api.model
    def _cycle_week(self, week_start):
        """Week of the month of the Monday: days 1–7 → 1 … days 22–31 → 4."""
        return min((week_start.day - 1) // 7 + 1, 4)

    def _compute_counts(self):
        data = {}
        for list_, state, outcome, call_class, count in self.env[
            "tsl.call"
        ]._read_group(
            [("list_id", "in", self.ids)],
            ["list_id", "state", "outcome", "call_class"],
            ["__count"],
        ):
            stats = data.setdefault(
                list_.id, dict.fromkeys(("all", "todo", "ok", "ko", "a"), 0)
            )
            stats["all"] += count
            stats["todo"] += count if state == "todo" else 0
            stats["ok"] += count if outcome == "reached" else 0
            stats["ko"] += count if outcome and outcome != "reached" else 0
            stats["a"] += count if call_class == "a" else 0
        for rec in self:
            stats = data.get(rec.id, {})
            rec.call_count = stats.get("all", 0)
            rec.todo_count = stats.get("todo", 0)
            rec.reached_count = stats.get("ok", 0)
            rec.unreached_count = stats.get("ko", 0)
            rec.class_a_count = stats.get("a", 0)

    def _compute_window_display(self):
        Window = self.env["tsl.call.window"]
        for rec in self:
            rec.window_display = Window._display_for_store(rec.store_id)

    @api.constrains("week_start")
    def _check_week_start(self):
        for rec in self:
            if rec.week_start and rec.week_start.weekday() != 0:
                raise ValidationError(
                    _(
                        "A call list week starts on a Monday, not on %(day)s.",
                        day=rec.week_start,
                    )
                )

    # ------------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------------
    def action_open(self):
        self.filtered(lambda r: r.state == "draft").write({"state": "open"})
        return True

    def action_report(self):
        self.write({"state": "reported"})
        return True

    def action_view_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tsl_callcenter.tsl_call_action"
        )
        action["domain"] = [("list_id", "=", self.id)]
        action["context"] = {"search_default_group_user": 1}
        return action

    @api.model
    def _week_start_of(self, day):
        return day - timedelta(days=day.weekday())
