# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class PosOrder(models.Model):
    _inherit = "pos.order"

    def init(self):
        res = super().init()
        # The incremental nightly member job finds the orders of members
        # written since the last night (res.partner._tsl_nightly_scope).
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS pos_order_tsl_write_date_idx "
            "ON pos_order (write_date) WHERE partner_id IS NOT NULL"
        )
        return res

    def write(self, vals):
        if "partner_id" in vals:
            self.env["res.partner"]._tsl_touch_former_customers(
                self, vals["partner_id"]
            )
        return super().write(vals)

    def unlink(self):
        self.env["res.partner"]._tsl_touch_former_customers(self)
        return super().unlink()
