# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    tsl_complaint_sla_days = fields.Integer(
        string="Complaint Answer Within (Days)",
        default=3,
        help="A complaint must be answered within this many days (C4, C8).",
    )
    tsl_complaint_escalation_days = fields.Integer(
        string="Escalate to Supervisor After (Days Overdue)",
        default=1,
        help="An overdue complaint goes to the store manager at once and to the "
        "area supervisor when still open this many days after its deadline.",
    )
    tsl_service_days_repair = fields.Integer(string="Repair (Days)", default=14)
    tsl_service_days_resizing = fields.Integer(string="Resizing (Days)", default=7)
    tsl_service_days_cleaning = fields.Integer(string="Cleaning (Days)", default=3)
    tsl_service_days_replating = fields.Integer(string="Re-plating (Days)", default=10)
    tsl_kyc_daily_count = fields.Integer(
        string="Customers to Learn per Day",
        default=2,
        help="Know your customers: customers assigned to each associate a day.",
    )
    tsl_kyc_weight_call = fields.Integer(
        string="Best Advisor: Points per Call Reached", default=1
    )
    tsl_kyc_weight_kyc = fields.Integer(
        string="Best Advisor: Points per Customer Learned", default=2
    )
    tsl_kyc_weight_complaint = fields.Integer(
        string="Best Advisor: Points per Complaint Resolved", default=3
    )
