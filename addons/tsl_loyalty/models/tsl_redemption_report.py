# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models, tools
from odoo.tools import SQL

from .tsl_redemption_request import CHANNELS, REQUEST_STATES


class TslRedemptionReport(models.Model):
    """Redemption figures per campaign (礼品兑换报表): requests applied,
    approved, collected, cancelled or rejected; points consumed (from the
    ledger); gift cost (from the stock valuation of the gifts handed
    over)."""

    _name = "tsl.redemption.report"
    _description = "Redemption Analysis"
    _auto = False
    _rec_name = "request_id"
    _order = "date_applied desc"
    _depends = {
        "tsl.redemption.request": [
            "campaign_id",
            "referral_reward_id",
            "store_id",
            "option_id",
            "state",
            "channel",
            "date_applied",
            "company_id",
            "quantity",
            "handover_picking_id",
            "name",
            "partner_id",
        ],
        "tsl.points.move": ["origin", "partner_id", "move_type", "points", "locked"],
        "stock.valuation.layer": ["value", "stock_move_id"],
        "stock.move": ["picking_id"],
    }

    request_id = fields.Many2one("tsl.redemption.request", readonly=True)
    campaign_id = fields.Many2one("tsl.reward.campaign", readonly=True)
    referral_rule_id = fields.Many2one(
        "tsl.referral.rule", string="Member-get-Member Rule", readonly=True
    )
    store_id = fields.Many2one("tsl.store", string="Collecting Store", readonly=True)
    area_id = fields.Many2one("tsl.area", readonly=True)
    option_id = fields.Many2one("tsl.reward.option", string="Choice", readonly=True)
    product_id = fields.Many2one("product.product", string="Gift", readonly=True)
    option_type = fields.Selection(
        [("gift", "Gift"), ("voucher", "Cash Voucher")],
        string="Choice Type",
        readonly=True,
    )
    state = fields.Selection(REQUEST_STATES, readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    date_applied = fields.Datetime(string="Applied On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    nbr_applied = fields.Integer(string="Applied", readonly=True)
    nbr_approved = fields.Integer(string="Approved", readonly=True)
    nbr_collected = fields.Integer(string="Collected", readonly=True)
    nbr_cancelled = fields.Integer(string="Cancelled or Rejected", readonly=True)
    points_locked = fields.Integer(string="Points Still Locked", readonly=True)
    points_consumed = fields.Integer(readonly=True)
    gift_qty = fields.Float(string="Gifts Handed Over", readonly=True)
    gift_cost = fields.Float(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %(table)s AS (
            SELECT r.id, r.id AS request_id, r.campaign_id,
                   rr.rule_id AS referral_rule_id, r.store_id, s.area_id,
                   r.option_id, o.product_id, o.option_type, r.state, r.channel,
                   r.date_applied, r.company_id,
                   CASE WHEN r.state <> 'draft' THEN 1 ELSE 0 END AS nbr_applied,
                   CASE WHEN r.state IN ('approved', 'shipped', 'ready', 'collected')
                        THEN 1 ELSE 0 END AS nbr_approved,
                   CASE WHEN r.state = 'collected' THEN 1 ELSE 0 END AS nbr_collected,
                   CASE WHEN r.state IN ('cancelled', 'rejected')
                        THEN 1 ELSE 0 END AS nbr_cancelled,
                   COALESCE(led.locked, 0) AS points_locked,
                   COALESCE(led.consumed, 0) AS points_consumed,
                   CASE WHEN r.state = 'collected' THEN r.quantity ELSE 0 END
                        AS gift_qty,
                   COALESCE(val.cost, 0) AS gift_cost
              FROM tsl_redemption_request r
              LEFT JOIN tsl_reward_option o ON o.id = r.option_id
              LEFT JOIN tsl_referral_reward rr ON rr.id = r.referral_reward_id
              LEFT JOIN tsl_store s ON s.id = r.store_id
              LEFT JOIN LATERAL (
                    SELECT SUM(m.locked) AS locked,
                           SUM(CASE WHEN m.move_type = 'spend_locked' THEN -m.locked
                                    WHEN m.move_type = 'spend' THEN -m.points
                                    ELSE 0 END) AS consumed
                      FROM tsl_points_move m
                     WHERE m.origin = r.name AND m.partner_id = r.partner_id
                   ) led ON TRUE
              LEFT JOIN LATERAL (
                    SELECT -SUM(v.value) AS cost
                      FROM stock_valuation_layer v
                      JOIN stock_move sm ON sm.id = v.stock_move_id
                     WHERE sm.picking_id = r.handover_picking_id
                   ) val ON r.handover_picking_id IS NOT NULL
            )
            """,
                table=SQL.identifier(self._table),
            )
        )
