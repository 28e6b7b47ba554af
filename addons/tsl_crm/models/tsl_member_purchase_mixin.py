# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.tools import SQL


class TslMemberPurchaseMixin(models.AbstractModel):
    """What the incremental nightly member job needs of an order model whose
    orders count as purchases (res.partner._tsl_purchase_query): an index on
    the write date of the members' orders, and the former member stamped
    when an order leaves its customer (res.partner._tsl_nightly_scope)."""

    _name = "tsl.member.purchase.mixin"
    _description = "Member Purchase (nightly member job)"

    def init(self):
        res = super().init()
        if not self._abstract:
            self.env.cr.execute(
                SQL(
                    "CREATE INDEX IF NOT EXISTS %s ON %s (write_date) "
                    "WHERE partner_id IS NOT NULL",
                    SQL.identifier(f"{self._table}_tsl_write_date_idx"),
                    SQL.identifier(self._table),
                )
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
