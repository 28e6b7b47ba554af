# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "TSL Member Loyalty",
    "summary": "Points ledger from POS and sales orders, tier x category "
    "discounts, birthday benefit, exactly-once accrual",
    "version": "18.0.1.0.0",
    "category": "Sales/Point of Sale",
    "website": "https://github.com/tsl-member-crm/tsl-member-crm",
    "author": "TSL Member CRM",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["tsl_crm", "point_of_sale", "sale"],
    "data": [
        "security/ir.model.access.csv",
        "security/tsl_loyalty_security.xml",
        "data/ir_cron_data.xml",
        "data/product_data.xml",
        "data/tsl_member_tier_data.xml",
        "data/product_pricelist_data.xml",
        "views/tsl_points_move_views.xml",
        "views/tsl_member_tier_views.xml",
        "views/tsl_benefit_use_views.xml",
        "views/res_partner_views.xml",
        "views/pos_order_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/tsl_loyalty_menus.xml",
    ],
    "demo": [
        "demo/tsl_loyalty_demo.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": ["tsl_loyalty/static/src/**/*"],
        "web.assets_tests": ["tsl_loyalty/static/tests/tours/**/*"],
    },
}
