# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    tsl_voucher_id = fields.Many2one(
        "tsl.voucher", string="Voucher", index="btree_not_null", readonly=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # a gift sealed for a campaign is not for sale (L9); during a POS
        # sync, checked once for all its orders (pos.order.sync_from_ui)
        products = lines.filtered(lambda ln: ln.qty > 0).product_id
        pending = self.env.context.get("tsl_pending_earn")
        if pending:
            self.env.cr.cache.setdefault(f"{pending}:sold", set()).update(products.ids)
        else:
            products._tsl_check_not_sealed_gift()
        return lines

    @api.model
    def _load_pos_data_fields(self, config_id):
        fields_list = super()._load_pos_data_fields(config_id)
        return fields_list + ["tsl_voucher_id"] if fields_list else fields_list
