# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class TslGiftAllocationLine(models.Model):
    _name = "tsl.gift.allocation.line"
    _inherit = ["tsl.receipt.line.mixin"]
    _description = "Gift Allocation Line"
    _order = "allocation_id, id"

    allocation_id = fields.Many2one(
        "tsl.gift.allocation", required=True, ondelete="cascade", index=True
    )
    state = fields.Selection(related="allocation_id.state")
    product_id = fields.Many2one("product.product", string="Gift", required=True)
    move_id = fields.Many2one("stock.move", readonly=True)
    qty_planned = fields.Float(
        string="To Ship",
        related="move_id.product_uom_qty",
        digits="Product Unit of Measure",
    )
    qty_shipped = fields.Float(
        string="Shipped", digits="Product Unit of Measure", readonly=True
    )
    qty_received = fields.Float(
        string="Received",
        digits="Product Unit of Measure",
        help="Counted by the store on arrival.",
    )
    qty_difference = fields.Float(
        string="Difference",
        digits="Product Unit of Measure",
        compute="_compute_qty_difference",
        store=True,
        help="Shipped minus received, once the store confirmed the receipt: "
        "positive when gifts are missing.",
    )

    _sql_constraints = [
        (
            "qty_received_positive",
            "CHECK(qty_received >= 0)",
            "A received quantity cannot be negative.",
        ),
    ]

    @api.depends("qty_shipped", "qty_received", "allocation_id.state")
    def _compute_qty_difference(self):
        for line in self:
            line.qty_difference = (
                line.qty_shipped - line.qty_received
                if line.allocation_id.state == "received"
                else 0.0
            )
