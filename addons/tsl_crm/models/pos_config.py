# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class PosConfig(models.Model):
    _inherit = "pos.config"

    tsl_store_id = fields.Many2one(
        "tsl.store",
        string="Store",
        index=True,
        help="Orders of this point of sale count for this store's members.",
    )

    @api.onchange("tsl_store_id")
    def _onchange_tsl_store_id(self):
        if (
            self.tsl_store_id.warehouse_id
            and self.tsl_store_id.warehouse_id.pos_type_id
        ):
            self.picking_type_id = self.tsl_store_id.warehouse_id.pos_type_id
