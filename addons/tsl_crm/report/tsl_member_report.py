# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.res_partner import MEMBER_STATES
from ..models.tsl_grade_change import GRADES


class TslMemberReport(models.Model):
    """Aggregate member figures per store, tier, grade and month: what the HQ
    analyst works with, with no member's personal data in it."""

    _name = "tsl.member.report"
    _description = "Member Analysis"
    _auto = False
    _rec_name = "store_id"
    _order = "enrol_month desc"

    store_id = fields.Many2one("tsl.store", readonly=True)
    area_id = fields.Many2one("tsl.area", readonly=True)
    tier_id = fields.Many2one("tsl.member.tier", string="Tier", readonly=True)
    grade = fields.Selection(GRADES, readonly=True)
    member_state = fields.Selection(MEMBER_STATES, string="Status", readonly=True)
    enrol_month = fields.Date(string="Enrolment Month", readonly=True)
    member_count = fields.Integer(string="Members", readonly=True, aggregator="sum")
    active_count = fields.Integer(
        string="Bought in 12 Months", readonly=True, aggregator="sum"
    )
    spend_12m = fields.Float(
        string="Spend (12 Months)", readonly=True, aggregator="sum"
    )
    orders_12m = fields.Integer(
        string="Purchases (12 Months)", readonly=True, aggregator="sum"
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
                SELECT row_number() OVER () AS id,
                       p.tsl_store_id AS store_id,
                       p.tsl_area_id AS area_id,
                       p.tsl_tier_id AS tier_id,
                       p.tsl_grade AS grade,
                       p.tsl_member_state AS member_state,
                       date_trunc('month', p.tsl_enrol_date)::date AS enrol_month,
                       COUNT(*) AS member_count,
                       COUNT(*) FILTER (WHERE p.tsl_orders_12m > 0) AS active_count,
                       SUM(COALESCE(p.tsl_spend_12m, 0)) AS spend_12m,
                       SUM(COALESCE(p.tsl_orders_12m, 0)) AS orders_12m
                  FROM res_partner p
                 WHERE p.tsl_member_state IS NOT NULL AND p.active
                 GROUP BY p.tsl_store_id, p.tsl_area_id, p.tsl_tier_id, p.tsl_grade,
                          p.tsl_member_state, date_trunc('month', p.tsl_enrol_date)
            )
            """,
                SQL.identifier(self._table),
            )
        )
