# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class TslStore(models.Model):
    _name = "tsl.store"
    _description = "Store"
    _inherit = ["mail.thread"]
    _order = "area_id, code"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    area_id = fields.Many2one("tsl.area", required=True, index=True, tracking=True)
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        tracking=True,
        help="The store's own warehouse: member materials and gifts are moved "
        "there by internal transfers.",
    )
    pos_config_ids = fields.One2many(
        "pos.config", "tsl_store_id", string="Points of Sale"
    )
    manager_ids = fields.Many2many(
        "res.users",
        "tsl_store_manager_rel",
        "store_id",
        "user_id",
        string="Store Managers",
    )
    associate_ids = fields.One2many(
        "res.users", "tsl_store_id", string="Sales Associates"
    )
    phone = fields.Char()
    street = fields.Char()
    city = fields.Char()
    opening_date = fields.Date()
    member_count = fields.Integer(compute="_compute_member_count")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "Store codes must be unique.",
        )
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for store in self:
            store.display_name = (
                f"[{store.code}] {store.name}" if store.code else store.name
            )

    def _compute_member_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("tsl_store_id", "in", self.ids)], ["tsl_store_id"], ["__count"]
            )
        )
        for store in self:
            store.member_count = counts.get(store, 0)

    def action_view_members(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tsl_crm.tsl_member_action"
        )
        action["domain"] = [("tsl_store_id", "=", self.id)]
        action["context"] = {"default_tsl_store_id": self.id}
        return action
