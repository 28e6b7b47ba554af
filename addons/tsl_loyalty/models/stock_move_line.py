# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import ValidationError


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.constrains("location_id", "location_dest_id", "move_id")
    def _check_tsl_sealed_locations(self):
        for line in self:
            if line.move_id.is_inventory:
                continue
            key = line.move_id.tsl_seal_key or ""
            for location in line.location_id | line.location_dest_id:
                if location.tsl_seal_key and location.tsl_seal_key != key:
                    raise ValidationError(
                        self.env["tsl.gift.seal"]._tsl_refusal(
                            location, line.product_id, key
                        )
                    )
