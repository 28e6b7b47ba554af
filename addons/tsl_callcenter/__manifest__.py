# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "TSL Member Follow-up",
    "summary": "Weekly call lists by priority, the 1-3-5 after-sale plan, festival "
    "and birthday plans by grade, complaints, service and care, store reports",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/tsl-member-crm/tsl-member-crm",
    "author": "TSL Member CRM",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["tsl_crm", "tsl_loyalty", "sms", "mail", "point_of_sale"],
    "external_dependencies": {"python": ["xlsxwriter", "lunar_python"]},
    "data": [
        "security/ir.model.access.csv",
        "security/tsl_callcenter_security.xml",
        "data/tsl_call_reason_type_data.xml",
        "data/sms_template_data.xml",
        "data/tsl_festival_data.xml",
        "data/ir_cron_data.xml",
        "wizard/tsl_call_build_wizard_views.xml",
        "views/tsl_call_reason_type_views.xml",
        "views/tsl_festival_views.xml",
        "views/res_partner_views.xml",
        "views/tsl_call_list_views.xml",
        "views/tsl_call_views.xml",
        "views/tsl_callcenter_menus.xml",
    ],
    "demo": ["demo/tsl_callcenter_demo.xml"],
}
