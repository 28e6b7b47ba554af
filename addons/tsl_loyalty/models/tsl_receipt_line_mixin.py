# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.tools import float_is_zero


class TslReceiptLineMixin(models.AbstractModel):
    """Lines of a transfer the store counts on arrival (material
    requisitions, gift allocations): which differ, and how, in words."""

    _name = "tsl.receipt.line.mixin"
    _description = "Line Counted on Receipt"

    def _tsl_differing(self):
        """The lines whose received quantity differs from the shipped one."""
        return self.filtered(
            lambda ln: not float_is_zero(
                ln.qty_difference, precision_rounding=ln.product_id.uom_id.rounding
            )
        )

    def _tsl_difference_details(self):
        return "; ".join(
            self.env._(
                "%(product)s: shipped %(shipped)s, received %(received)s "
                "(difference %(difference)s)",
                product=ln.product_id.display_name,
                shipped=ln.qty_shipped,
                received=ln.qty_received,
                difference=ln.qty_difference,
            )
            for ln in self
        )
