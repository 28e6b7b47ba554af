# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .tsl_call_reason_type import CALL_CLASSES

OUTCOMES = [
    ("reached", "Reached"),
    ("no_answer", "No Answer"),
    ("wrong_number", "Wrong Number"),
    ("empty_number", "Empty Number"),
    ("refused", "Refused"),
]
# outcome → the member's phone state (tsl_crm)
OUTCOME_PHONE_STATE = {
    "wrong_number": "wrong_number",
    "empty_number": "empty_number",
    "refused": "refused",
}


class TslCall(models.Model):
    """One follow-up call of a member in a week, with all its reasons."""

    _name = "tsl.call"
    _description = "Follow-up Call"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "week_start desc, priority, call_class, id"

    list_id = fields.Many2one(
        "tsl.call.list",
        string="Call List",
        required=True,
        ondelete="cascade",
        index=True,
    )
    store_id = fields.Many2one("tsl.store", string="Store", required=True, index=True)
    # not stored: the supervisors' record rule searches them through the
    # store, and a weekly build does not pay two foreign keys and an index
    # per call for them
    area_id = fields.Many2one(related="store_id.area_id")
    company_id = fields.Many2one(related="store_id.company_id")
    partner_id = fields.Many2one(
        "res.partner", string="Member", required=True, ondelete="cascade"
    )  # indexed by the unique (partner_id, week_start)
    member_number = fields.Char(related="partner_id.tsl_member_number")
    phone = fields.Char(related="partner_id.mobile", string="Mobile")
    grade = fields.Selection(related="partner_id.tsl_grade")
    tier_id = fields.Many2one(related="partner_id.tsl_tier_id")
    user_id = fields.Many2one(
        "res.users",
        string="Associate",
        index=True,
        tracking=True,
        group_expand="_read_group_user_id",
    )
    week_start = fields.Date(required=True, index=True)
    week_end = fields.Date(required=True)
    priority = fields.Integer(
        default=100, help="Sequence of the best reason: lower is called first."
    )
    call_class = fields.Selection(CALL_CLASSES, string="Class", default="b")
    reason_ids = fields.One2many("tsl.call.reason", "call_id", string="Reasons")
    reason_summary = fields.Char(compute="_compute_reason_summary")
    care_advice = fields.Text(
        help="Care advice of the categories bought (day-3 satisfaction call)."
    )
    state = fields.Selection(
        [("todo", "To Do"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="todo",
        required=True,
        tracking=True,
    )
    outcome = fields.Selection(OUTCOMES, tracking=True)
    outcome_note = fields.Text(string="Notes")
    attempt_count = fields.Integer(
        string="Attempt", default=1, help="1 for a first call, 2–3 for retries."
    )
    date_done = fields.Datetime(string="Called On", readonly=True, copy=False)
    phone_corrected = fields.Boolean(help="The number was corrected during the call.")
    previous_call_id = fields.Many2one(
        "tsl.call", string="Retry Of", readonly=True, index="btree_not_null"
    )
    window_display = fields.Char(
        string="Call Windows", compute="_compute_window_display"
    )
    in_window = fields.Boolean(
        string="Within Call Window", compute="_compute_window_display"
    )
    color = fields.Integer(compute="_compute_color")

    _sql_constraints = [
        (
            "partner_week_uniq",
            "unique(partner_id, week_start)",
            "A member gets one call per week carrying all the reasons.",
        )
    ]

    @api.depends("reason_ids.reason_type_id", "reason_ids.note")
    def _compute_reason_summary(self):
        for call in self:
            call.reason_summary = ", ".join(
                call.reason_ids.sorted("sequence").mapped("reason_type_id.name")
            )

    def _compute_window_display(self):
        Window = self.env["tsl.call.window"]
        windows = Window.sudo().search([])
        now = fields.Datetime.now()
        for call in self:
            call.window_display = Window._display_for_store(call.store_id, windows)
            call.in_window = Window._is_open(call.store_id, now, windows)

    @api.depends("call_class", "state")
    def _compute_color(self):
        colors = {"a": 1, "b": 3, "c": 0}
        for call in self:
            call.color = 10 if call.state == "done" else colors.get(call.call_class, 0)

    @api.model
    def _read_group_user_id(self, users, domain):
        """Kanban columns: the associates of the stores in view."""
        store_ids = (
            self.env.context.get("tsl_store_ids") or self.env.user.tsl_store_ids.ids
        )
        if not store_ids:
            return users
        return users | self.env["res.users"].search(
            [("tsl_store_id", "in", store_ids), ("share", "=", False)]
        )

    @api.constrains("user_id", "store_id")
    def _check_user_store(self):
        for call in self:
            user = call.user_id
            if (
                user
                and user.tsl_store_id
                and user.tsl_store_id != call.store_id
                and call.store_id not in user.tsl_store_ids
            ):
                raise ValidationError(
                    _(
                        "%(user)s works at %(store)s and cannot take calls of "
                        "%(call_store)s.",
                        user=user.name,
                        store=user.tsl_store_id.display_name,
                        call_store=call.store_id.display_name,
                    )
                )

    # ------------------------------------------------------------------------
    # outcome
    # ------------------------------------------------------------------------
    def action_log_outcome(self, outcome, note=None, phone_corrected=None):
        """Record the outcome of the call and carry it to the member: the
        phone state (wrong / empty number, refused) and, on a refusal, the
        phone consent. Outside the store's call windows it is refused."""
        if outcome not in dict(OUTCOMES):
            raise UserError(_("Unknown call outcome %(outcome)s.", outcome=outcome))
        now = fields.Datetime.now()
        Window = self.env["tsl.call.window"]
        windows = Window.sudo().search([])
        for call in self:
            if call.state == "cancelled":
                raise UserError(
                    _("The call of %(name)s is cancelled.", name=call.partner_id.name)
                )
            if not Window._is_open(call.store_id, now, windows):
                raise UserError(
                    _(
                        "Calls are made within the call windows (%(windows)s): "
                        "log the outcome of %(name)s then.",
                        windows=Window._display_for_store(call.store_id, windows),
                        name=call.partner_id.name,
                    )
                )
        vals = {"outcome": outcome, "state": "done", "date_done": now}
        if note is not None:
            vals["outcome_note"] = note
        if phone_corrected is not None:
            vals["phone_corrected"] = phone_corrected
        self.write(vals)
        self._apply_outcome_to_members()
        return True

    def _apply_outcome_to_members(self):
        by_state = {}
        for call in self:
            state = OUTCOME_PHONE_STATE.get(call.outcome)
            if call.outcome == "reached" and call.phone_corrected:
                state = "valid"
            if state:
                by_state.setdefault(state, self.env["res.partner"])
                by_state[state] |= call.partner_id
        Partner = self.env["res.partner"].sudo()
        for state, partners in by_state.items():
            Partner.browse(partners.ids).tsl_set_phone_state(state)
        refused = self.filtered(lambda c: c.outcome == "refused").partner_id
        if refused:
            refused.sudo()._tsl_callcenter_refuse_phone()
        reached = self.filtered(lambda c: c.outcome == "reached").partner_id
        if reached:
            reached.sudo().write({"tsl_unreachable": False})

    def action_reached(self):
        return self.action_log_outcome("reached")

    def action_no_answer(self):
        return self.action_log_outcome("no_answer")

    def action_wrong_number(self):
        return self.action_log_outcome("wrong_number")

    def action_empty_number(self):
        return self.action_log_outcome("empty_number")

    def action_refused(self):
        return self.action_log_outcome("refused")

    def action_cancel(self):
        self.filtered(lambda c: c.state == "todo").write({"state": "cancelled"})
        return True

    def action_reset(self):
        self.write({"state": "todo", "outcome": False, "date_done": False})
        return True
