# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.osv import expression


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _get_gather_domain(
        self,
        product_id,
        location_id,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=False,
    ):
        """Sealed gift stock is reserved only by moves from its own sealed
        location: a transfer from a parent location (the warehouse) does not
        gather it."""
        domain = super()._get_gather_domain(
            product_id, location_id, lot_id, package_id, owner_id, strict
        )
        # sealed locations sit under a view location (the warehouse's), never
        # under an internal one: only gathers from a view location reach them
        if (
            not strict
            and location_id
            and location_id.usage == "view"
            and not location_id.tsl_seal_key
        ):
            domain = expression.AND(
                [domain, [("location_id.tsl_seal_key", "=", False)]]
            )
        return domain
