# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    tsl_store_id = fields.Many2one(
        "tsl.store",
        string="Home Store",
        index=True,
        help="The store the associate works in: new members enrolled by this "
        "user get it as home store.",
    )
    tsl_store_ids = fields.Many2many(
        "tsl.store",
        "tsl_store_manager_rel",
        "user_id",
        "store_id",
        string="Managed Stores",
        help="Stores whose members this store manager may see.",
    )
    tsl_area_ids = fields.Many2many(
        "tsl.area",
        "tsl_area_supervisor_rel",
        "user_id",
        "area_id",
        string="Supervised Areas",
        help="Areas whose stores' members this supervisor may see.",
    )

    def _get_invalidation_fields(self):
        # Record rules read these fields: editing them must clear the rule cache.
        return super()._get_invalidation_fields() | {
            "tsl_store_id",
            "tsl_store_ids",
            "tsl_area_ids",
        }

    def _tsl_is_store_role_only(self):
        """Associates and store managers, but not area or HQ roles."""
        self.ensure_one()
        return self.has_group("tsl_crm.group_tsl_associate") and not self.has_group(
            "tsl_crm.group_tsl_area_supervisor"
        )
