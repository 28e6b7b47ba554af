# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class StockLocation(models.Model):
    """Sealed gift locations (封存礼品库位): one per warehouse, seal key
    (campaign, member-get-member rule or the birthday benefit) and, for the
    stores, store. They sit under the warehouse's view location, beside —
    never under — its stock location, so that no sale, POS order or other
    transfer reserves their stock; moves in and out of them are allowed only
    for their seal key (see ``stock.move``)."""

    _inherit = "stock.location"

    tsl_seal_key = fields.Char(
        string="Sealed For",
        index="btree_not_null",
        copy=False,
        help="Technical key of what the stock here is sealed for: "
        "campaign:<id>, referral:<id> or birthday.",
    )
    tsl_seal_store_id = fields.Many2one(
        "tsl.store",
        string="Sealed Gifts of Store",
        index="btree_not_null",
        copy=False,
        help="Empty: the HQ sealed stock; set: the gifts allocated to the store.",
    )

    @api.model
    def _tsl_sealed_location(self, warehouse, key, label, store=None):
        """The sealed location of ``key`` in ``warehouse`` (created on first
        use under "<WH>/Sealed Gifts")."""
        store_id = store.id if store else False
        location = self.sudo().search(
            [
                ("tsl_seal_key", "=", key),
                ("tsl_seal_store_id", "=", store_id),
                ("warehouse_id", "=", warehouse.id),
            ],
            limit=1,
        )
        if location:
            return location
        parent = self.sudo().search(
            [
                ("location_id", "=", warehouse.view_location_id.id),
                ("usage", "=", "view"),
                ("name", "=", "Sealed Gifts"),
            ],
            limit=1,
        )
        if not parent:
            parent = self.sudo().create(
                {
                    "name": "Sealed Gifts",
                    "usage": "view",
                    "location_id": warehouse.view_location_id.id,
                    "company_id": warehouse.company_id.id,
                }
            )
        return self.sudo().create(
            {
                "name": label,
                "usage": "internal",
                "location_id": parent.id,
                "company_id": warehouse.company_id.id,
                "tsl_seal_key": key,
                "tsl_seal_store_id": store_id,
            }
        )
