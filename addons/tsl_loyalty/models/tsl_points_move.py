# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

MOVE_TYPES = [
    ("earn", "Earned"),
    ("refund", "Refund Clawback"),
    ("spend", "Spent"),
    ("lock", "Locked"),
    ("unlock", "Unlocked"),
    ("spend_locked", "Spent (Locked)"),
    ("expire", "Expired"),
    ("adjust", "Adjustment"),
]


class TslPointsMove(models.Model):
    """The points ledger (积分明细): every change of a member's points is one
    line, never edited. ``points`` changes the available balance, ``locked``
    the points set aside for a pending redemption."""

    _name = "tsl.points.move"
    _description = "Points Ledger Line"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Member", required=True, index=True, readonly=True
    )
    year_id = fields.Many2one(
        "tsl.points.year",
        string="Points Year",
        required=True,
        readonly=True,
        index=True,
    )
    # indexed: the nightly grading reads the earnings leaving the 12 months
    date = fields.Datetime(
        required=True, default=fields.Datetime.now, readonly=True, index=True
    )
    move_type = fields.Selection(
        MOVE_TYPES, string="Type", required=True, readonly=True
    )
    points = fields.Integer(readonly=True, help="Change of the available points.")
    locked = fields.Integer(readonly=True, help="Change of the locked points.")
    reason = fields.Char(readonly=True)
    origin = fields.Char(readonly=True, index=True, help="What caused the line.")
    source_key = fields.Char(
        readonly=True,
        copy=False,
        help="Idempotency key: the same event (e.g. the earning of one POS "
        "order uuid) can only be booked once.",
    )
    base_amount = fields.Monetary(readonly=True, currency_field="currency_id")
    factor = fields.Float(
        readonly=True, digits=(16, 4), help="Points per currency unit applied."
    )
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id
    )
    pos_order_id = fields.Many2one("pos.order", readonly=True, index="btree_not_null")
    sale_order_id = fields.Many2one("sale.order", readonly=True, index="btree_not_null")
    user_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )
    store_id = fields.Many2one(
        "tsl.store", readonly=True, index=True, help="Store where it happened."
    )
    member_store_id = fields.Many2one(
        related="partner_id.tsl_store_id", store=True, string="Home Store"
    )

    _sql_constraints = [
        ("source_key_uniq", "unique(source_key)", "This event was already booked."),
    ]

    def init(self):
        res = super().init()
        # the nightly grading finds the ledger rows written since last night
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS tsl_points_move_write_date_idx "
            "ON tsl_points_move (write_date)"
        )
        return res

    # ------------------------------------------------------------------------
    # the one way to write the ledger
    # ------------------------------------------------------------------------
    @api.model
    def _tsl_lock_members(self, partner_ids):
        """Row-lock the members (ordered, so two tills never deadlock): a
        second till spending the same balance waits, then sees the new
        figure — or gets a serialisation error that Odoo retries."""
        if partner_ids:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM res_partner WHERE id IN %s ORDER BY id FOR UPDATE",
                    tuple(set(partner_ids)),
                )
            )

    @api.model
    def _tsl_post(self, vals_list):
        """Create ledger lines and move the balances with them.

        Each dict needs partner_id, year_id, move_type, points and/or locked.
        Lines whose ``source_key`` was already booked are skipped (exactly
        once); returns the lines created."""
        vals_list = [v for v in vals_list if v.get("points") or v.get("locked")]
        keys = [v["source_key"] for v in vals_list if v.get("source_key")]
        if keys:
            done = set(
                self.sudo().search([("source_key", "in", keys)]).mapped("source_key")
            )
            vals_list = [v for v in vals_list if v.get("source_key") not in done]
        if not vals_list:
            return self.browse()
        self._tsl_lock_members([v["partner_id"] for v in vals_list])
        moves = self.sudo().create(vals_list)
        moves._tsl_apply_to_balances()
        return moves

    def _tsl_apply_to_balances(self):
        """Add these lines to the per-year balances and the member totals."""
        self.flush_model()
        per_year = defaultdict(lambda: [0, 0, 0, 0, 0])
        per_partner = defaultdict(lambda: [0, 0])
        for move in self:
            row = per_year[(move.partner_id.id, move.year_id.id)]
            row[0] += (
                move.points if move.move_type in ("earn", "refund", "adjust") else 0
            )
            row[1] += (
                -move.points
                if move.move_type == "spend"
                else -move.locked
                if move.move_type == "spend_locked"
                else 0
            )
            row[2] += -move.points if move.move_type == "expire" else 0
            row[3] += move.points
            row[4] += move.locked
            per_partner[move.partner_id.id][0] += move.points
            per_partner[move.partner_id.id][1] += move.locked
        values = [
            SQL("(%s, %s, %s, %s, %s, %s, %s)", pid, yid, *row)
            for (pid, yid), row in per_year.items()
        ]
        self.env["tsl.points.balance"].flush_model()
        values = SQL(", ").join(values)
        # create missing rows at zero, then add: a CHECK constraint is tested
        # on the row an INSERT proposes, even when ON CONFLICT updates instead
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO tsl_points_balance
                   (partner_id, year_id, store_id, earned, spent, expired, balance,
                    locked, create_uid, create_date, write_uid, write_date)
            SELECT v.partner_id, v.year_id, p.tsl_store_id, 0, 0, 0, 0, 0, %(uid)s,
                   now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
              FROM (VALUES %(values)s)
                   AS v(partner_id, year_id, earned, spent, expired, balance, locked)
              JOIN res_partner p ON p.id = v.partner_id
            ON CONFLICT (partner_id, year_id) DO NOTHING
            """,
                uid=self.env.uid,
                values=values,
            )
        )
        self.env.cr.execute(
            SQL(
                """
            UPDATE tsl_points_balance b
               SET earned = b.earned + v.earned,
                   spent = b.spent + v.spent,
                   expired = b.expired + v.expired,
                   balance = b.balance + v.balance,
                   locked = b.locked + v.locked,
                   write_uid = %(uid)s,
                   write_date = now() AT TIME ZONE 'UTC'
              FROM (VALUES %(values)s)
                   AS v(partner_id, year_id, earned, spent, expired, balance, locked)
             WHERE b.partner_id = v.partner_id AND b.year_id = v.year_id
            """,
                uid=self.env.uid,
                values=values,
            )
        )
        partner_values = [
            SQL("(%s, %s, %s)", pid, pts, locked)
            for pid, (pts, locked) in per_partner.items()
        ]
        self.env.cr.execute(
            SQL(
                """
            UPDATE res_partner p
               SET tsl_points_balance = COALESCE(p.tsl_points_balance, 0) + v.points,
                   tsl_points_locked = COALESCE(p.tsl_points_locked, 0) + v.locked
              FROM (VALUES %s) AS v(partner_id, points, locked)
             WHERE p.id = v.partner_id
            """,
                SQL(", ").join(partner_values),
            )
        )
        self.env["tsl.points.balance"].invalidate_model()
        self.env["res.partner"].invalidate_model(
            ["tsl_points_balance", "tsl_points_locked"]
        )

    @api.model
    def _tsl_earn(self, partner, base, day, company, doubled, **vals):
        """Book the points of a purchase of ``base`` (POS or sales order):
        rate × tier multiplier (× the birthday factor when ``doubled``),
        rounded down, in the points year of ``day``. Returns the points
        booked, 0 when nothing is due or the ``source_key`` was booked."""
        factor = company.tsl_points_rate * (
            partner.tsl_tier_id.points_multiplier or 1.0
        )
        if doubled:
            factor *= company.tsl_birthday_points_factor or 1.0
        points = math.floor(base * factor + 1e-9)
        if points <= 0:
            return 0
        year = self.env["tsl.points.year"]._tsl_for_date(day, company)
        line = {
            "partner_id": partner.id,
            "year_id": year.id,
            "move_type": "earn",
            "points": points,
            "base_amount": base,
            "factor": factor,
            **vals,
        }
        pending = self.env.context.get("tsl_pending_earn")
        if pending:
            # A POS sync books the points of all its orders at once, at its
            # end and in the same transaction (pos.order.sync_from_ui): one
            # key check, one lock, one INSERT and one balance upsert per
            # batch instead of per order.
            self.env.cr.cache.setdefault(pending, []).append(line)
            return points
        moves = self._tsl_post([line])
        if not moves:
            return 0
        partner._tsl_after_points_earned()
        return points

    @api.model
    def _tsl_post_pending(self, pending):
        """Book the earnings queued under ``pending`` by ``_tsl_earn``.
        Orders whose line was booked before (same ``source_key``) get their
        ``tsl_points_earned`` back to 0, as an unqueued ``_tsl_earn`` would
        have returned 0. Returns the lines booked."""
        vals_list = self.env.cr.cache.pop(pending, [])
        if not vals_list:
            return self.browse()
        moves = self._tsl_post(vals_list)
        booked = set(moves.mapped("source_key"))
        skipped = [
            v["pos_order_id"]
            for v in vals_list
            if v.get("pos_order_id") and v["source_key"] not in booked
        ]
        if skipped:
            self.env["pos.order"].browse(skipped).tsl_points_earned = 0
        moves.partner_id._tsl_after_points_earned()
        return moves

    # ------------------------------------------------------------------------
    # member-level operations used by the POS, the back office and workflows
    # ------------------------------------------------------------------------
    @api.model
    def _tsl_available_by_year(self, partner, today):
        """Usable per-year balances, oldest first (first in, first out)."""
        balances = (
            self.env["tsl.points.balance"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("balance", ">", 0),
                    ("year_id.expiry_date", ">=", today),
                ]
            )
        )
        return balances.sorted(lambda b: b.year_id.date_from)

    @api.model
    def _tsl_take(self, partner, points, move_type, reason, origin=None, **extra):
        """Spend or lock ``points`` from the oldest usable years."""
        if points <= 0:
            raise UserError(_("The number of points must be positive."))
        self._tsl_lock_members(partner.ids)
        today = fields.Date.context_today(self)
        balances = self._tsl_available_by_year(partner, today)
        available = sum(balances.mapped("balance"))
        if points > available:
            raise UserError(
                _(
                    "%(member)s has %(available)s points available: %(points)s "
                    "cannot be used.",
                    member=partner.display_name,
                    available=available,
                    points=points,
                )
            )
        vals_list, left = [], points
        for balance in balances:
            take = min(left, balance.balance)
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "year_id": balance.year_id.id,
                    "move_type": move_type,
                    "points": -take,
                    "locked": take if move_type == "lock" else 0,
                    "reason": reason,
                    "origin": origin,
                    **extra,
                }
            )
            left -= take
            if not left:
                break
        return self._tsl_post(vals_list)

    @api.model
    def _tsl_locked_by_year(self, partner, origin):
        """Points still locked for ``origin``, per year."""
        moves = self.sudo().search(
            [
                ("partner_id", "=", partner.id),
                ("origin", "=", origin),
                ("locked", "!=", 0),
            ]
        )
        locked = defaultdict(int)
        for move in moves:
            locked[move.year_id] += move.locked
        return {year: pts for year, pts in locked.items() if pts > 0}

    @api.model
    def _tsl_release(self, partner, origin, move_type, reason):
        """Unlock (back to available) or spend the points locked for origin."""
        self._tsl_lock_members(partner.ids)
        locked = self._tsl_locked_by_year(partner, origin)
        if not locked:
            raise UserError(_("No points are locked for %(origin)s.", origin=origin))
        return self._tsl_post(
            [
                {
                    "partner_id": partner.id,
                    "year_id": year.id,
                    "move_type": move_type,
                    "points": pts if move_type == "unlock" else 0,
                    "locked": -pts,
                    "reason": reason,
                    "origin": origin,
                }
                for year, pts in locked.items()
            ]
        )

    # ------------------------------------------------------------------------
    # nightly expiry (set-based)
    # ------------------------------------------------------------------------
    @api.model
    def _cron_tsl_expire_points(self):
        """Points of points years past their expiry date expire: one ledger
        line per member and year, balances and member totals moved in the
        same statement. Locked points (pending redemptions) do not expire."""
        today = fields.Date.context_today(self)
        years = self.env["tsl.points.year"].search(
            [("expiry_date", "<", today), ("expired", "=", False)]
        )
        if not years:
            return 0
        self.flush_model()
        self.env["tsl.points.balance"].flush_model()
        self.env["res.partner"].flush_model(["tsl_points_balance"])
        total = 0
        for year in years:
            self.env.cr.execute(
                SQL(
                    """
                WITH exp AS (
                    SELECT id, partner_id, balance
                      FROM tsl_points_balance
                     WHERE year_id = %(year)s AND balance > 0
                       FOR UPDATE
                ),
                ins AS (
                    INSERT INTO tsl_points_move
                           (partner_id, year_id, date, move_type, points, locked,
                            reason, source_key, member_store_id, user_id,
                            create_uid, create_date, write_uid, write_date)
                    SELECT exp.partner_id, %(year)s, now() AT TIME ZONE 'UTC',
                           'expire', -exp.balance, 0, %(reason)s,
                           'expire:' || %(year)s || ':' || exp.partner_id,
                           p.tsl_store_id, %(uid)s, %(uid)s,
                           now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                      FROM exp JOIN res_partner p ON p.id = exp.partner_id
                ),
                bal AS (
                    UPDATE tsl_points_balance b
                       SET expired = b.expired + exp.balance, balance = 0
                      FROM exp WHERE b.id = exp.id
                )
                UPDATE res_partner p
                   SET tsl_points_balance = p.tsl_points_balance - exp.balance
                  FROM exp WHERE p.id = exp.partner_id
                """,
                    year=year.id,
                    reason=_("Points of %(year)s expired", year=year.name),
                    uid=self.env.uid,
                )
            )
            total += self.env.cr.rowcount
        years.write({"expired": True})
        self.invalidate_model()
        self.env["tsl.points.balance"].invalidate_model()
        self.env["res.partner"].invalidate_model(["tsl_points_balance"])
        return total
