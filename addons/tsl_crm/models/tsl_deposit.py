# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class TslDeposit(models.Model):
    """Goods a customer left at the store (顾客存货): a ring to resize, an item
    put aside. The associate is reminded before the pickup date."""

    _name = "tsl.deposit"
    _description = "Customer Deposit"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "pickup_date, id"

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, default="/"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    store_id = fields.Many2one(
        "tsl.store",
        required=True,
        index=True,
        default=lambda self: self.env.user.tsl_store_id,
        tracking=True,
    )
    area_id = fields.Many2one(related="store_id.area_id", store=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Associate",
        default=lambda self: self.env.user,
        tracking=True,
    )
    reason = fields.Selection(
        [
            ("resizing", "Resizing"),
            ("repair", "Repair"),
            ("reserved", "Reserved Item"),
            ("engraving", "Engraving"),
            ("other", "Other"),
        ],
        required=True,
        default="reserved",
    )
    product_id = fields.Many2one("product.product", string="Product")
    description = fields.Char(required=True)
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    deposit_date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True
    )
    pickup_date = fields.Date(required=True, tracking=True)
    picked_up_date = fields.Date(readonly=True, copy=False)
    state = fields.Selection(
        [
            ("deposited", "At the Store"),
            ("picked_up", "Picked Up"),
            ("cancelled", "Cancelled"),
        ],
        default="deposited",
        required=True,
        tracking=True,
        index=True,
    )
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue"
    )
    note = fields.Text()

    @api.constrains("deposit_date", "pickup_date")
    def _check_dates(self):
        for rec in self:
            if (
                rec.pickup_date
                and rec.deposit_date
                and rec.pickup_date < rec.deposit_date
            ):
                raise ValidationError(
                    _("The pickup date cannot be before the deposit date.")
                )

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id and not self.description:
            self.description = self.product_id.display_name

    @api.depends("pickup_date", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for rec in self:
            rec.is_overdue = rec.state == "deposited" and rec.pickup_date < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Unsupported search on overdue deposits."))
        today = fields.Date.context_today(self)
        domain = [("state", "=", "deposited"), ("pickup_date", "<", today)]
        return domain if (operator == "=") == bool(value) else ["!", *domain]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("tsl.deposit") or "/"
                )
        records = super().create(vals_list)
        records._schedule_pickup_reminder()
        return records

    def write(self, vals):
        res = super().write(vals)
        if "pickup_date" in vals or "user_id" in vals:
            pending = self.filtered(lambda d: d.state == "deposited")
            pending.activity_unlink(["tsl_crm.mail_activity_type_deposit_pickup"])
            pending._schedule_pickup_reminder()
        return res

    def _schedule_pickup_reminder(self):
        days = self.env.company.tsl_deposit_reminder_days
        today = fields.Date.context_today(self)
        for rec in self.filtered(lambda d: d.state == "deposited"):
            rec.activity_schedule(
                "tsl_crm.mail_activity_type_deposit_pickup",
                date_deadline=max(rec.pickup_date - timedelta(days=days), today),
                summary=_(
                    "Remind %(customer)s to pick up: %(item)s",
                    customer=rec.partner_id.name,
                    item=rec.description,
                ),
                user_id=(rec.user_id or self.env.user).id,
            )

    def action_picked_up(self):
        if any(rec.state != "deposited" for rec in self):
            raise UserError(_("Only goods still at the store can be picked up."))
        self.write(
            {"state": "picked_up", "picked_up_date": fields.Date.context_today(self)}
        )
        self.activity_feedback(["tsl_crm.mail_activity_type_deposit_pickup"])
        return True

    def action_cancel(self):
        if any(rec.state == "picked_up" for rec in self):
            raise UserError(_("Goods already picked up cannot be cancelled."))
        self.write({"state": "cancelled"})
        self.activity_unlink(["tsl_crm.mail_activity_type_deposit_pickup"])
        return True
