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
        return picking._tsl_validate_in_full(shortage)

    def _tsl_validate_in_full(self, shortage):
        """Validate these reserved transfers as they are: every move in full
        (``shortage(move)`` words the error otherwise), no backorder."""
        for move in self.move_ids.filtered(lambda m: m.state != "cancel"):
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
        self.with_context(skip_backorder=True).button_validate()
        undone = self.filtered(lambda p: p.state != "done")
        if undone:
            raise UserError(
                _(
                    "The transfer %(picking)s could not be done.",
                    picking=undone[0].name,
                )
            )
        return self
