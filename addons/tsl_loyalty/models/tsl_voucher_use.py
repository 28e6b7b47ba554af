# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TslVoucherUse(models.Model):
    """One use of a voucher. An order paid offline with a voucher that was
    meanwhile used elsewhere keeps its use, flagged for HQ review."""

    _name = "tsl.voucher.use"
    _description = "Voucher Use"
    _inherit = ["tsl.review.mixin"]

    voucher_id = fields.Many2one(
        "tsl.voucher", required=True, index=True, readonly=True
    )
    partner_id = fields.Many2one(related="voucher_id.partner_id", store=True)
    amount = fields.Monetary(readonly=True, currency_field="currency_id")
    currency_id = fields.Many2one(related="voucher_id.currency_id")

    def init(self):
        # A voucher has at most one valid use, even when two stores sync at
        # the same moment.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS tsl_voucher_use_once "
            "ON tsl_voucher_use (voucher_id) WHERE state = 'valid'"
        )
