# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    tsl_voucher_id = fields.Many2one(
        "tsl.voucher",
        string="Voucher",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # a gift sealed for a campaign is not for sale (L9)
        lines.filtered(
            lambda ln: ln.product_uom_qty > 0 and not ln.display_type
        ).product_id._tsl_check_not_sealed_gift()
        return lines
