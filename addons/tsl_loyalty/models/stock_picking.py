# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class StockPicking(models.Model):
    _inherit = "stock.picking"

    @api.model
    def _tsl_create_done(self, vals, shortage):
        """Create the transfer ``vals`` (with its moves), reserve it in full
        and validate it at once: the stock moves of material requisitions,
        gift seals and redemption requests. ``shortage(move)`` words the
        error when a move cannot be reserved in full (stock taken by someone
        else since the caller checked it)."""
        picking = self.sudo().create(vals)
        picking.action_confirm()
        picking.action_assign()
        for move in picking.move_ids:
            if (
                float_compare(
                    move.quantity,
                    move.product_uom_qty,
                    precision_rounding=move.product_uom.rounding,
                )
                < 0
            ):
                raise UserError(shortage(move))
            move.picked = True
        picking.with_context(skip_backorder=True).button_validate()
        if picking.state != "done":
            raise UserError(
                _("The transfer %(picking)s could not be done.", picking=picking.name)
            )
        return picking
