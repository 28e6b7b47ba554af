# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TslGiftSealWizard(models.TransientModel):
    """Seal more gift stock, or unseal some (with the reason)."""

    _name = "tsl.gift.seal.wizard"
    _description = "Seal or Unseal Gift Stock"

    seal_id = fields.Many2one("tsl.gift.seal", required=True, ondelete="cascade")
    operation = fields.Selection(
        [("seal", "Seal"), ("unseal", "Unseal")], required=True, default="seal"
    )
    quantity = fields.Float(required=True, digits="Product Unit of Measure")
    uom_id = fields.Many2one(related="seal_id.uom_id")
    reason = fields.Char(help="Required to unseal: why the stock goes back.")

    def action_confirm(self):
        self.ensure_one()
        if self.operation == "seal":
            self.seal_id.tsl_seal(self.quantity, note=self.reason)
        else:
            self.seal_id.tsl_unseal(self.quantity, self.reason)
        return {"type": "ir.actions.act_window_close"}
