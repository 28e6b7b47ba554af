# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    tsl_care_advice = fields.Text(
        string="Care Advice",
        translate=True,
        help="Told to the member on the day-3 satisfaction call (1-3-5 plan).",
    )
    tsl_maintenance_months = fields.Integer(
        string="Maintenance Every (Months)",
        help="A purchase of this category becomes a maintenance/care call reason "
        "this many months later (0: never).",
    )

    _sql_constraints = [
        (
            "tsl_maintenance_months_positive",
            "CHECK(tsl_maintenance_months IS NULL OR tsl_maintenance_months >= 0)",
            "The maintenance interval cannot be negative.",
        )
    ]
