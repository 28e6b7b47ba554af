# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

OPEN_STATES = ("new", "assigned", "in_progress")


class TslComplaint(models.Model):
    """A complaint or a suggestion (投诉 / 建议) from the hotline, the website,
    the store or a follow-up call: assigned, answered within the SLA (3 days
    by default), escalated to the store manager then the area supervisor
    when overdue, closed with the resolution recorded (C4, C8)."""

    _name = "tsl.complaint"
    _description = "Complaint or Feedback"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "deadline, id"

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, default="/"
    )
    kind = fields.Selection(
        [("complaint", "Complaint"), ("suggestion", "Suggestion")],
        required=True,
        default="complaint",
        tracking=True,
    )
    source = fields.Selection(
        [
            ("hotline", "Hotline"),
            ("website", "Website"),
            ("store", "Store"),
            ("call", "Follow-up Call"),
        ],
        required=True,
        default="store",
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, tracking=True
    )
    call_id = fields.Many2one(
        "tsl.call",
        string="Follow-up Call",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    contact_name = fields.Char(help="Name of a customer who is not a contact yet.")
    contact_phone = fields.Char()
    is_member = fields.Boolean(compute="_compute_is_member")
    store_id = fields.Many2one(
        "tsl.store",
        index=True,
        tracking=True,
        default=lambda self: self.env.user.tsl_store_id,
    )
    area_id = fields.Many2one(related="store_id.area_id", store=True, index=True)
    category = fields.Selection(
        [
            ("product", "Product Quality"),
            ("service", "Service"),
            ("price", "Price and Promotion"),
            ("points", "Points and Rewards"),
            ("after_sale", "Repair and After-Sale"),
            ("other", "Other"),
        ],
        required=True,
        default="service",
        tracking=True,
    )
    description = fields.Text(required=True)
    user_id = fields.Many2one(
        "res.users", string="Assigned To", index=True, tracking=True
    )
    date_received = fields.Datetime(
        string="Received On", required=True, default=fields.Datetime.now
    )
    deadline = fields.Datetime(
        string="Answer By",
        compute="_compute_deadline",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("assigned", "Assigned"),
            ("in_progress", "In Progress"),
            ("resolved", "Resolved"),
            ("closed", "Closed"),
        ],
        required=True,
        default="new",
        index=True,
        tracking=True,
    )
    resolution = fields.Text(tracking=True)
    date_resolved = fields.Datetime(string="Resolved On", readonly=True, copy=False)
    resolved_by_id = fields.Many2one(
        "res.users", string="Resolved By", readonly=True, copy=False
    )
    escalated = fields.Boolean(readonly=True, copy=False, tracking=True)
    escalation_level = fields.Selection(
        [("0", "None"), ("1", "Store Manager"), ("2", "Area Supervisor")],
        default="0",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    answered_in_time = fields.Boolean(
        compute="_compute_answered_in_time", store=True, readonly=True
    )

    @api.constrains("partner_id", "contact_name")
    def _check_customer(self):
        for rec in self:
            if not rec.partner_id and not (rec.contact_name or "").strip():
                raise ValidationError(
                    _("A complaint needs the customer or at least a contact name.")
                )

    @api.depends("partner_id.tsl_member_state")
    def _compute_is_member(self):
        for rec in self:
            rec.is_member = bool(rec.partner_id.tsl_member_state)

    @api.depends("date_received")
    def _compute_deadline(self):
        for rec in self:
            days = rec._tsl_sla_days()
            rec.deadline = (
                rec.date_received + timedelta(days=days) if rec.date_received else False
            )

    def _tsl_sla_days(self):
        company = (self.store_id.company_id or self.env.company)[:1]
        return company.tsl_complaint_sla_days or 3

    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for rec in self:
            rec.is_overdue = bool(
                rec.state in OPEN_STATES and rec.deadline and rec.deadline < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Unsupported search on overdue complaints."))
        domain = [
            ("state", "in", OPEN_STATES),
            ("deadline", "<", fields.Datetime.now()),
        ]
        return domain if (operator == "=") == bool(value) else ["!", *domain]

    @api.depends("date_resolved", "deadline")
    def _compute_answered_in_time(self):
        for rec in self:
            rec.answered_in_time = bool(
                rec.date_resolved and rec.deadline and rec.date_resolved <= rec.deadline
            )

    # ------------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("tsl.complaint") or "/"
                )
            if vals.get("user_id") and vals.get("state", "new") == "new":
                vals["state"] = "assigned"
            if not vals.get("store_id") and vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["store_id"] = partner.tsl_store_id.id
        records = super().create(vals_list)
        records.filtered("user_id")._tsl_schedule_answer()
        return records

    def write(self, vals):
        if vals.get("user_id"):
            for rec in self.filtered(lambda c: c.state == "new"):
                rec.state = "assigned"
        res = super().write(vals)
        if vals.get("user_id"):
            open_ = self.filtered(lambda c: c.state in OPEN_STATES)
            open_.activity_unlink(["tsl_callcenter.mail_activity_type_complaint"])
            open_._tsl_schedule_answer()
        return res

    @api.model
    def tsl_submit_website(self, values):
        """A complaint or suggestion sent from the public web form: the
        customer is matched to a member by phone (any format), the store is
        the one chosen or the member's home store. One UserError names every
        missing field; nothing is created then."""
        values = {k: (v or "").strip() for k, v in (values or {}).items()}
        labels = {
            "contact_name": _("Your name"),
            "contact_phone": _("Phone"),
            "description": _("Your message"),
        }
        missing = [label for key, label in labels.items() if not values.get(key)]
        if missing:
            raise UserError(_("Please fill in: %(fields)s.", fields=", ".join(missing)))
        if len(values["description"]) > 5000:
            raise UserError(_("Your message is too long (5,000 characters at most)."))
        partner, e164, valid = self.env["res.partner"]._tsl_member_by_phone(
            values["contact_phone"]
        )
        if not valid:
            raise UserError(
                _(
                    "%(phone)s is not a phone number we can call back.",
                    phone=values["contact_phone"],
                )
            )
        store = self.env["tsl.store"].sudo().browse()
        if values.get("store_id", "").isdigit():
            store = store.browse(int(values["store_id"])).exists()
        kinds = dict(self._fields["kind"].selection)
        categories = dict(self._fields["category"].selection)
        return self.sudo().create(
            {
                "source": "website",
                "kind": values.get("kind")
                if values.get("kind") in kinds
                else "complaint",
                "category": (
                    values.get("category")
                    if values.get("category") in categories
                    else "other"
                ),
                "partner_id": partner.id,
                "contact_name": values["contact_name"],
                "contact_phone": e164,
                "store_id": (store or partner.tsl_store_id).id,
                "description": values["description"],
            }
        )

    def _tsl_schedule_answer(self):
        for rec in self.filtered(lambda c: c.state in OPEN_STATES):
            rec.activity_schedule(
                "tsl_callcenter.mail_activity_type_complaint",
                date_deadline=fields.Date.to_date(rec.deadline),
                summary=_(
                    "Answer %(ref)s by %(deadline)s",
                    ref=rec.name,
                    deadline=fields.Date.to_date(rec.deadline),
                ),
                user_id=rec.user_id.id,
            )

    # ------------------------------------------------------------------------
    # workflow
    # ------------------------------------------------------------------------
    def action_assign(self, user=None):
        """Assign to ``user`` (default: the current user)."""
        user = user or self.env.user
        if any(rec.state not in OPEN_STATES for rec in self):
            raise UserError(_("Only open complaints can be assigned."))
        self.write({"user_id": user.id})
        return True

    def action_start(self):
        if any(rec.state not in ("new", "assigned") for rec in self):
            raise UserError(_("Only new or assigned complaints can be started."))
        for rec in self.filtered(lambda c: not c.user_id):
            rec.user_id = self.env.user
        self.write({"state": "in_progress"})
        return True

    def action_resolve(self):
        """Record the answer: the resolution text is required."""
        for rec in self:
            if rec.state not in OPEN_STATES:
                raise UserError(
                    _("%(ref)s is not open: it cannot be resolved.", ref=rec.name)
                )
            if not (rec.resolution or "").strip():
                raise ValidationError(
                    _(
                        "Write the resolution of %(ref)s before resolving it.",
                        ref=rec.name,
                    )
                )
        self.write(
            {
                "state": "resolved",
                "date_resolved": fields.Datetime.now(),
                "resolved_by_id": self.env.uid,
            }
        )
        self.activity_feedback(
            [
                "tsl_callcenter.mail_activity_type_complaint",
                "tsl_callcenter.mail_activity_type_complaint_escalation",
            ]
        )
        return True

    def action_close(self):
        if any(rec.state != "resolved" for rec in self):
            raise UserError(_("Only resolved complaints can be closed."))
        self.write({"state": "closed"})
        return True

    def action_reopen(self):
        if any(rec.state not in ("resolved", "closed") for rec in self):
            raise UserError(_("Only resolved or closed complaints can be reopened."))
        self.write({"state": "in_progress", "date_resolved": False})
        return True

    # ------------------------------------------------------------------------
    # escalation (cron)
    # ------------------------------------------------------------------------
    @api.model
    def _cron_escalate(self):
        """Overdue complaints go to the store manager(s) (level 1); when still
        open ``tsl_complaint_escalation_days`` after the deadline, to the area
        supervisor(s) (level 2). One search per level, activities in batch."""
        now = fields.Datetime.now()
        base = [("state", "in", OPEN_STATES), ("deadline", "<", now)]
        level1 = self.search(base + [("escalation_level", "=", "0")])
        level1._tsl_escalate("1")
        days = self.env.company.tsl_complaint_escalation_days
        level2 = self.search(
            [
                ("state", "in", OPEN_STATES),
                ("deadline", "<", now - timedelta(days=days)),
                ("escalation_level", "in", ("0", "1")),
            ]
        )
        level2._tsl_escalate("2")
        return len(level1) + len(level2)

    def _tsl_escalate(self, level):
        if not self:
            return
        self.write({"escalated": True, "escalation_level": level})
        today = fields.Date.context_today(self)
        for rec in self:
            if level == "1":
                users = rec.store_id.manager_ids
            else:
                users = rec.area_id.supervisor_ids
            users = users or self.env.ref("base.user_admin")
            for user in users:
                rec.activity_schedule(
                    "tsl_callcenter.mail_activity_type_complaint_escalation",
                    date_deadline=today,
                    summary=_(
                        "Overdue complaint %(ref)s (was due %(deadline)s)",
                        ref=rec.name,
                        deadline=fields.Date.to_date(rec.deadline),
                    ),
                    user_id=user.id,
                )
