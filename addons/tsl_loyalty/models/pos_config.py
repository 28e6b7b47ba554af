# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models


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
