# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, fields, models


class TslVoucherUse(models.Model):
    """One use of a voucher. An order paid offline with a voucher that was
    meanwhile used elsewhere keeps its use, flagged for HQ review."""

    _name = "tsl.voucher.use"
    _description = "Voucher Use"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    voucher_id = fields.Many2one(
        "tsl.voucher", required=True, index=True, readonly=True
    )
    partner_id = fields.Many2one(related="voucher_id.partner_id", store=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    amount = fields.Monetary(readonly=True, currency_field="currency_id")
    currency_id = fields.Many2one(related="voucher_id.currency_id")
    pos_order_id = fields.Many2one("pos.order", readonly=True, index="btree_not_null")
    sale_order_id = fields.Many2one("sale.order", readonly=True, index="btree_not_null")
    store_id = fields.Many2one("tsl.store", readonly=True)
    state = fields.Selection(
        [
            ("valid", "Valid"),
            ("review", "To Review"),
            ("accepted", "Accepted by HQ"),
            ("charged", "Charged Back"),
            ("cancelled", "Cancelled"),
        ],
        default="valid",
        required=True,
        tracking=True,
        index=True,
    )
    note = fields.Char(readonly=True)

    def init(self):
        # A voucher has at most one valid use, even when two stores sync at
        # the same moment.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS tsl_voucher_use_once "
            "ON tsl_voucher_use (voucher_id) WHERE state = 'valid'"
        )

    def _tsl_flag(self, reason):
        hq = self.env.ref("tsl_crm.group_tsl_hq_crm").users
        for use in self:
            use.message_post(body=reason)
            use.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Voucher use to review"),
                note=reason,
                user_id=(hq[:1] or self.env.user).id,
            )

    def action_accept(self):
        self.write({"state": "accepted"})
        self.activity_feedback(["mail.mail_activity_data_todo"])

    def action_charge_back(self):
        self.write({"state": "charged"})
        self.activity_feedback(["mail.mail_activity_data_todo"])
