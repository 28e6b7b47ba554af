# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, fields, models
from odoo.exceptions import UserError


class ProductProduct(models.Model):
    _inherit = "product.product"

    tsl_seal_ids = fields.One2many(
        "tsl.gift.seal", "product_id", string="Gift Seals", readonly=True
    )

    def _tsl_check_not_sealed_gift(self):
        """Refuse selling a gift sealed for a campaign (POS, sales)."""
        if not self:
            return
        seals = (
            self.env["tsl.gift.seal"]
            .sudo()
            .search([("product_id", "in", self.ids), ("state", "=", "sealed")])
        )
        if seals:
            seal = seals[0]
            raise UserError(
                _(
                    "%(product)s is a gift sealed for %(seal)s: it cannot be sold. "
                    "HQ unseals it first if it is to be sold.",
                    product=seal.product_id.display_name,
                    seal=seal._tsl_key_label(seal.key),
                )
            )
