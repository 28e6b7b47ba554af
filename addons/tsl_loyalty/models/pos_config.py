# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.tools import SQL


class PosConfig(models.Model):
    _inherit = "pos.config"

    def _tsl_add_member_pricelists(self):
        """Store tills offer the tier pricelists (member discount) and the
        birthday pricelists: the POS switches to the member's pricelist when
        the member is set, offline too."""
        tiers = (
            self.env["tsl.member.tier"]
            .sudo()
            .with_context(active_test=False)
            .search([])
        )
        pricelists = tiers.pricelist_id | tiers.birthday_pricelist_id
        for config in self.sudo().filtered("tsl_store_id"):
            usable = pricelists.filtered(
                lambda p, c=config: p.currency_id == c.currency_id
            )
            missing = usable - config.available_pricelist_ids
            if not missing:
                continue
            commands = [(4, pricelist.id) for pricelist in missing]
            if config.pricelist_id:
                commands.append((4, config.pricelist_id.id))
            config.with_context(tsl_pricelist_sync=True).write(
                {"use_pricelist": True, "available_pricelist_ids": commands}
            )

    @api.model_create_multi
    def create(self, vals_list):
        configs = super().create(vals_list)
        configs._tsl_add_member_pricelists()
        return configs

    def write(self, vals):
        res = super().write(vals)
        if "tsl_store_id" in vals and not self.env.context.get("tsl_pricelist_sync"):
            self._tsl_add_member_pricelists()
        return res

    def _check_before_creating_new_session(self):
        # a tier pricelist archived and restored, a till moved to a store...:
        # the session starts with every member pricelist
        self._tsl_add_member_pricelists()
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
