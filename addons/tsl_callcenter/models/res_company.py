# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


def _tz_selection(self):
    import pytz

    return [(tz, tz) for tz in pytz.common_timezones]


class ResCompany(models.Model):
    _inherit = "res.company"

    tsl_call_tz = fields.Selection(
        _tz_selection,
        string="Call Windows Time Zone",
        default="Asia/Shanghai",
    )
    tsl_contact_cap = fields.Integer(
        string="Contact Cap",
        default=3,
        help="A member reached this many times without earning points falls back "
        "to a quarterly cadence.",
    )
    tsl_contact_cap_days = fields.Integer(
        string="Contact Cap Period (Days)",
        default=90,
        help="Quarterly cadence: a capped member is called again this many days "
        "after the last reached call.",
    )
    tsl_unreachable_months = fields.Integer(
        string="Unreachable After (Months)",
        default=3,
        help="Members not reached in this many months running are flagged; the "
        "next festival or promotion becomes the reason to try again.",
    )
    tsl_reactivation_months = fields.Integer(
        string="Reactivation After (Months)",
        default=12,
        help="Members without purchase for this many months get a reactivation call.",
    )
    tsl_retry_max = fields.Integer(
        string="Call Attempts",
        default=3,
        help="Unreached calls are retried in the next weeks of the cycle up to "
        "this many attempts.",
    )

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

    @api.constrains(
        "tsl_contact_cap",
        "tsl_contact_cap_days",
        "tsl_unreachable_months",
        "tsl_reactivation_months",
        "tsl_retry_max",
    )
    def _check_tsl_callcenter(self):
        for company in self:
            if (
                min(
                    company.tsl_contact_cap,
                    company.tsl_contact_cap_days,
                    company.tsl_unreachable_months,
                    company.tsl_reactivation_months,
                    company.tsl_retry_max,
                )
                < 1
            ):
                raise ValidationError(
                    _("Follow-up settings (cap, periods, attempts) must be at least 1.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        # a new company starts with the seeds' festival contact plan by grade
        self.env["tsl.grade.contact.plan"]._create_defaults(companies)
        return companies
