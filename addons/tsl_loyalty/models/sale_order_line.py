# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    tsl_voucher_id = fields.Many2one(
        "tsl.voucher",
        string="Voucher",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
