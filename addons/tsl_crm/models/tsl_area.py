# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TslArea(models.Model):
    _name = "tsl.area"
    _description = "Sales Area"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    supervisor_ids = fields.Many2many(
        "res.users",
        "tsl_area_supervisor_rel",
        "area_id",
        "user_id",
        string="Area Supervisors",
    )
    store_ids = fields.One2many("tsl.store", "area_id", string="Stores")
    store_count = fields.Integer(compute="_compute_store_count")

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "Area codes must be unique.")
    ]

    def _compute_store_count(self):
        counts = dict(
            self.env["tsl.store"]._read_group(
                [("area_id", "in", self.ids)], ["area_id"], ["__count"]
            )
        )
        for area in self:
            area.store_count = counts.get(area, 0)
