# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

KINDS = [
    ("repair", "Repair"),
    ("resizing", "Resizing"),
    ("cleaning", "Cleaning"),
    ("replating", "Re-plating"),
]
OPEN_STATES = ("received", "workshop")


class TslServiceRequest(models.Model):
    """Service and care (C12): an item a customer hands in for repair,
    resizing, cleaning or re-plating. The promised date follows the kind's
    SLA (configurable); the member is told by SMS when it is ready (unless
    opted out of SMS); overdue requests get an activity."""

    _name = "tsl.service.request"
    _description = "Service Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "promised_date, id"

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, default="/"
    )
    kind = fields.Selection(KINDS, required=True, default="repair", tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    store_id = fields.Many2one(
        "tsl.store",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user.tsl_store_id,
    )
    area_id = fields.Many2one(related="store_id.area_id", store=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Associate",
        default=lambda self: self.env.user,
        tracking=True,
    )
    product_id = fields.Many2one("product.product", string="Product")
    care_advice = fields.Text(
        related="product_id.categ_id.tsl_care_advice",
        help="The care advice of the product's category, to tell the member.",
    )
    description = fields.Char(required=True)
    received_date = fields.Date(
        string="Received On",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    promised_date = fields.Date(
        string="Promised For",
        compute="_compute_promised_date",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    state = fields.Selection(
        [
            ("received", "Received"),
            ("workshop", "At the Workshop"),
            ("ready", "Ready"),
            ("collected", "Collected"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="received",
        index=True,
        tracking=True,
    )
    date_workshop = fields.Date(string="Sent to Workshop", readonly=True, copy=False)
    date_ready = fields.Date(string="Ready On", readonly=True, copy=False)
    date_collected = fields.Date(string="Collected On", readonly=True, copy=False)
    is_overdue = fields.Boolean(
        string="Overdue",
        readonly=True,
        copy=False,
        index=True,
        help="Set by the daily check: not ready by the promised date.",
    )
    sms_sent = fields.Boolean(string="Ready SMS Sent", readonly=True, copy=False)
    note = fields.Text()
    deposit_id = fields.Many2one(
        "tsl.deposit",
        string="Deposit",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The deposit slip of the goods, when they were left as a deposit.",
    )

    @api.constrains("received_date", "promised_date")
    def _check_promised_date(self):
        for rec in self:
            if rec.promised_date and rec.promised_date < rec.received_date:
                raise ValidationError(
                    _("The promised date cannot be before the received date.")
                )

    @api.depends("kind", "received_date")
    def _compute_promised_date(self):
        for rec in self:
            if rec.kind and rec.received_date:
                rec.promised_date = rec.received_date + timedelta(
                    days=rec._tsl_sla_days()
                )
            else:
                rec.promised_date = False

    def _tsl_sla_days(self):
        company = (self.store_id.company_id or self.env.company)[:1]
        return company[f"tsl_service_days_{self.kind}"]

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id and not self.description:
            self.description = self.product_id.display_name

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("tsl.service.request") or "/"
                )
        return super().create(vals_list)

    # ------------------------------------------------------------------------
    # workflow
    # ------------------------------------------------------------------------
    def _tsl_check_state(self, allowed, action):
        for rec in self:
            if rec.state not in allowed:
                raise UserError(
                    _(
                        "%(ref)s cannot be %(action)s from its current state.",
                        ref=rec.name,
                        action=action,
                    )
                )

    def action_send_workshop(self):
        self._tsl_check_state(("received",), _("sent to the workshop"))
        self.write(
            {"state": "workshop", "date_workshop": fields.Date.context_today(self)}
        )
        return True

    def action_ready(self):
        """Ready for pickup: the member gets an SMS unless opted out."""
        self._tsl_check_state(OPEN_STATES, _("marked ready"))
        self.write(
            {
                "state": "ready",
                "date_ready": fields.Date.context_today(self),
                "is_overdue": False,
            }
        )
        self.activity_feedback(["tsl_callcenter.mail_activity_type_service_overdue"])
        self._tsl_send_ready_sms()
        return True

    def action_collected(self):
        self._tsl_check_state(("ready",), _("collected"))
        self.write(
            {"state": "collected", "date_collected": fields.Date.context_today(self)}
        )
        # the goods left as a deposit go back with the work done
        self.deposit_id.filtered(lambda d: d.state == "deposited").action_picked_up()
        return True

    def action_cancel(self):
        self._tsl_check_state(("received", "workshop", "ready"), _("cancelled"))
        self.write({"state": "cancelled", "is_overdue": False})
        self.activity_unlink(["tsl_callcenter.mail_activity_type_service_overdue"])
        return True

    def _tsl_send_ready_sms(self):
        """Queue the 'ready' SMS for members who did not opt out of SMS and
        have a valid phone; note the reason on the request otherwise."""
        template = self.env.ref(
            "tsl_callcenter.sms_template_tsl_service_ready", raise_if_not_found=False
        )
        if not template or not self:
            return
        opted_out = self._tsl_sms_opted_out_partners()
        to_send = self.env["tsl.service.request"]
        for rec in self:
            partner = rec.partner_id
            if partner in opted_out:
                rec.message_post(body=_("No SMS sent: the customer opted out of SMS."))
            elif not partner.tsl_phone_normalized or partner.tsl_phone_state != "valid":
                rec.message_post(
                    body=_("No SMS sent: the customer has no valid mobile number.")
                )
            else:
                to_send |= rec
        if not to_send:
            return
        bodies = template._render_field("body", to_send.ids, compute_lang=True)
        self.env["sms.sms"].sudo().create(
            [
                {
                    "partner_id": rec.partner_id.id,
                    "number": rec.partner_id.tsl_phone_normalized,
                    "body": bodies[rec.id],
                    "state": "outgoing",
                }
                for rec in to_send
            ]
        )
        to_send.write({"sms_sent": True})
        for rec in to_send:
            rec.message_post(body=_("Ready SMS queued: %(body)s", body=bodies[rec.id]))

    def _tsl_sms_opted_out_partners(self):
        consents = (
            self.env["tsl.member.consent"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.partner_id.ids),
                    ("channel", "=", "sms"),
                    ("consent", "=", False),
                ]
            )
        )
        return consents.partner_id

    # ------------------------------------------------------------------------
    # cron
    # ------------------------------------------------------------------------
    @api.model
    def _cron_flag_overdue(self):
        """Flag the open requests past their promised date (one UPDATE) and
        give the newly flagged ones an activity for their associate."""
        today = fields.Date.context_today(self)
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
            UPDATE tsl_service_request
               SET is_overdue = TRUE
             WHERE state IN %(states)s AND promised_date < %(today)s
               AND NOT COALESCE(is_overdue, FALSE)
            RETURNING id
            """,
                states=OPEN_STATES,
                today=today,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        self.invalidate_model(["is_overdue"])
        flagged = self.browse(ids)
        for rec in flagged:
            rec.activity_schedule(
                "tsl_callcenter.mail_activity_type_service_overdue",
                date_deadline=today,
                summary=_(
                    "%(ref)s was promised for %(date)s: follow up with the workshop",
                    ref=rec.name,
                    date=rec.promised_date,
                ),
                user_id=(rec.user_id or rec.store_id.manager_ids[:1]).id
                or self.env.uid,
            )
        return len(ids)
