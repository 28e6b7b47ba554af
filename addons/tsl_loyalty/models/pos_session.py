# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models


class PosSession(models.Model):
    _inherit = "pos.session"

    @api.model
    def _load_pos_data_models(self, config_id):
        """The member counter: tiers for the badge and the birthday
        pricelist, the known members' open vouchers (after res.partner)."""
        data = super()._load_pos_data_models(config_id)
        return data + ["tsl.member.tier", "tsl.voucher"]
