# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models, tools
from odoo.tools import SQL


class TslGiftStockReport(models.Model):
    """Sealed gift stock at a glance (封存礼品库存): per campaign, gift and
    store — sealed at HQ (on hand, reserved for approved requests), allocated
    to the store (shipped, net of returns), handed over to members, still at
    the store. Read from the stock quants and moves of the sealed
    locations: no parallel count."""

    _name = "tsl.gift.stock.report"
    _description = "Sealed Gift Stock"
    _auto = False
    _order = "seal_key, product_id, store_id"
    _depends = {
        "stock.quant": ["quantity", "reserved_quantity", "location_id", "product_id"],
        "stock.move": [
            "state",
            "product_qty",
            "tsl_seal_key",
            "location_id",
            "location_dest_id",
            "product_id",
        ],
        "stock.location": ["tsl_seal_key", "tsl_seal_store_id", "usage"],
    }

    seal_key = fields.Char(readonly=True)
    campaign_id = fields.Many2one("tsl.reward.campaign", readonly=True)
    referral_rule_id = fields.Many2one(
        "tsl.referral.rule", string="Member-get-Member Rule", readonly=True
    )
    product_id = fields.Many2one("product.product", string="Gift", readonly=True)
    store_id = fields.Many2one(
        "tsl.store", readonly=True, help="Empty: the HQ sealed stock."
    )
    company_id = fields.Many2one("res.company", readonly=True)
    qty_sealed = fields.Float(string="Sealed at HQ", readonly=True)
    qty_reserved = fields.Float(string="Reserved at HQ", readonly=True)
    qty_allocated = fields.Float(string="Allocated", readonly=True)
    qty_handed = fields.Float(string="Handed Over", readonly=True)
    qty_at_store = fields.Float(string="At the Store", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %(table)s AS (
            SELECT row_number() OVER (ORDER BY x.seal_key, x.product_id, x.store_id)
                       AS id,
                   x.seal_key,
                   CASE WHEN split_part(x.seal_key, ':', 1) = 'campaign'
                        THEN split_part(x.seal_key, ':', 2)::integer END
                       AS campaign_id,
                   CASE WHEN split_part(x.seal_key, ':', 1) = 'referral'
                        THEN split_part(x.seal_key, ':', 2)::integer END
                       AS referral_rule_id,
                   x.product_id, x.store_id, MAX(x.company_id) AS company_id,
                   SUM(x.sealed) AS qty_sealed, SUM(x.reserved) AS qty_reserved,
                   SUM(x.allocated) AS qty_allocated, SUM(x.handed) AS qty_handed,
                   SUM(x.at_store) AS qty_at_store
              FROM (
                SELECT l.tsl_seal_key AS seal_key, q.product_id,
                       l.tsl_seal_store_id AS store_id, q.company_id,
                       CASE WHEN l.tsl_seal_store_id IS NULL THEN q.quantity ELSE 0 END
                           AS sealed,
                       CASE WHEN l.tsl_seal_store_id IS NULL
                            THEN q.reserved_quantity ELSE 0 END AS reserved,
                       0 AS allocated, 0 AS handed,
                       CASE WHEN l.tsl_seal_store_id IS NOT NULL THEN q.quantity
                            ELSE 0 END AS at_store
                  FROM stock_quant q
                  JOIN stock_location l ON l.id = q.location_id
                 WHERE l.tsl_seal_key IS NOT NULL
                UNION ALL
                SELECT m.tsl_seal_key, m.product_id,
                       COALESCE(ld.tsl_seal_store_id, ls.tsl_seal_store_id),
                       m.company_id, 0, 0,
                       CASE WHEN ld.tsl_seal_store_id IS NOT NULL
                                 AND ls.tsl_seal_key IS NOT NULL
                                 AND ls.tsl_seal_store_id IS NULL THEN m.product_qty
                            WHEN ls.tsl_seal_store_id IS NOT NULL
                                 AND ld.tsl_seal_key IS NOT NULL
                                 AND ld.tsl_seal_store_id IS NULL THEN -m.product_qty
                            ELSE 0 END,
                       CASE WHEN ls.tsl_seal_store_id IS NOT NULL
                                 AND ld.usage = 'customer' THEN m.product_qty
                            WHEN ld.tsl_seal_store_id IS NOT NULL
                                 AND ls.usage = 'customer' THEN -m.product_qty
                            ELSE 0 END,
                       0
                  FROM stock_move m
                  JOIN stock_location ls ON ls.id = m.location_id
                  JOIN stock_location ld ON ld.id = m.location_dest_id
                 WHERE m.state = 'done' AND m.tsl_seal_key IS NOT NULL
                   AND (ls.tsl_seal_store_id IS NOT NULL
                        OR ld.tsl_seal_store_id IS NOT NULL)
              ) x
             GROUP BY x.seal_key, x.product_id, x.store_id
            )
            """,
                table=SQL.identifier(self._table),
            )
        )
