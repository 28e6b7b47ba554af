# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StockMove(models.Model):
    _inherit = "stock.move"

    tsl_seal_key = fields.Char(
        string="Sealed For",
        index="btree_not_null",
        copy=True,
        help="The seal (campaign, member-get-member rule, birthday benefit) "
        "this move works for: only such moves may enter or leave its sealed "
        "locations.",
    )

    @api.constrains("location_id", "location_dest_id", "tsl_seal_key")
    def _check_tsl_sealed_locations(self):
        for move in self:
            if move.is_inventory:
                continue  # stock counts of the sealed location itself
            for location in move.location_id | move.location_dest_id:
                if location.tsl_seal_key and location.tsl_seal_key != (
                    move.tsl_seal_key or ""
                ):
                    raise ValidationError(
                        self.env["tsl.gift.seal"]._tsl_refusal(
                            location, move.product_id, move.tsl_seal_key
                        )
                    )

    def _prepare_move_split_vals(self, qty):
        vals = super()._prepare_move_split_vals(qty)
        vals["tsl_seal_key"] = self.tsl_seal_key
        return vals
