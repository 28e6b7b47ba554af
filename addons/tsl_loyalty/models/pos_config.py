# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, api, models
from odoo.tools import SQL


class PosConfig(models.Model):
    _inherit = "pos.config"

    @api.model
    def _tsl_member_pricelists(self):
        tiers = self.env["tsl.member.tier"].sudo().search([])
        return (tiers.pricelist_id | tiers.birthday_pricelist_id).filtered("active")

    def _tsl_setup_member_pricelists(self):
        """A store's till applies the member discounts: it uses pricelists,
        offers every tier pricelist and birthday pricelist, and its default
        is the standard prices (customers who are not members)."""
        pricelists = self._tsl_member_pricelists()
        standard = self.env.ref(
            "tsl_loyalty.product_pricelist_standard", raise_if_not_found=False
        )
        for config in self.sudo().filtered("tsl_store_id"):
            default = config.pricelist_id or standard
            missing = (pricelists | default) - config.available_pricelist_ids
            vals = {}
            if missing:
                vals["available_pricelist_ids"] = [Command.link(p.id) for p in missing]
            if not config.use_pricelist:
                vals["use_pricelist"] = True
            if not config.pricelist_id and default:
                vals["pricelist_id"] = default.id
            if vals:
                config.write(vals)
        return True

    @api.model
    def _tsl_setup_all_member_pricelists(self):
        """Install hook: the stores' tills get the tier pricelists."""
        return self.search(
            [("tsl_store_id", "!=", False)]
        )._tsl_setup_member_pricelists()

    def _check_before_creating_new_session(self):
        # tiers (and their pricelists) may have been added since the last session
        self._tsl_setup_member_pricelists()
        return super()._check_before_creating_new_session()

    def _get_special_products(self):
        """The voucher line's product is loaded but not offered in the grid."""
        products = super()._get_special_products()
        voucher_product = self.env.company.tsl_voucher_product_id
        return products | voucher_product if voucher_product else products

    def get_limited_partners_loading(self):
        """The till preloads up to 100 customers who are not members (walk-in
        and company customers). Members are never preloaded: there may be a
        million of them, an associate's till must not hold other associates'
        customers (M8), and the cashier finds them on the server by phone,
        card or name, a page at a time (res.partner.tsl_pos_search)."""
        return self.env.execute_query(
            SQL(
                """
            SELECT id FROM res_partner
             WHERE (company_id = %s OR company_id IS NULL)
               AND tsl_member_state IS NULL
               AND active
             ORDER BY name
             LIMIT %s
            """,
                self.company_id.id,
                100,
            )
        )
