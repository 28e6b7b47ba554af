# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
import logging
import math
import uuid

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

_logger = logging.getLogger(__name__)


class PosOrder(models.Model):
    _inherit = "pos.order"

    tsl_birthday_benefit = fields.Boolean(
        string="Birthday Benefit",
        help="The associate applied the birthday / special-day benefit.",
    )
    tsl_points_earned = fields.Integer(
        string="Points Earned",
        readonly=True,
        copy=False,
        help="Points booked on the server when the order was synced (negative "
        "for a refund).",
    )
    tsl_benefit_use_id = fields.Many2one(
        "tsl.benefit.use", string="Benefit Use", readonly=True, copy=False
    )
    tsl_enrolment_data = fields.Text(
        string="Enrolment at the Till",
        copy=False,
        readonly=True,
        help="The enrolment form the till queued with the order while it was "
        "offline (JSON): the member is created when the order is synced.",
    )
    tsl_enrolment_error = fields.Char(
        string="Enrolment Refused",
        copy=False,
        readonly=True,
        help="Why the enrolment queued with this order could not be saved.",
    )
    tsl_store_id = fields.Many2one(
        "tsl.store",
        string="Store",
        compute="_compute_tsl_store_id",
        store=True,
        index=True,
        help="The store of the till when the order was made.",
    )

    @api.depends("config_id")
    def _compute_tsl_store_id(self):
        for order in self:
            order.tsl_store_id = order.config_id.tsl_store_id

    def init(self):
        res = super().init()
        # Stock Odoo finds synced orders by uuid without a unique index: two
        # syncs of the same order at the same moment would create it twice.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS pos_order_uuid_tsl_uniq "
            "ON pos_order (uuid) WHERE uuid IS NOT NULL"
        )
        return res

    @api.model
    def _process_order(self, order, existing_order):
        if order.get("state") != "draft":
            self._tsl_check_refund_quantities(order)
        # figures of the server, never taken from the till
        for name in ("tsl_points_earned", "tsl_benefit_use_id", "tsl_enrolment_error"):
            order.pop(name, None)
        self._tsl_check_birthday_pricelist(order)
        enrol_error = False
        if order.get("tsl_enrolment_data") and not order.get("partner_id"):
            if existing_order and existing_order.partner_id:
                order["partner_id"] = existing_order.partner_id.id
            else:
                member, enrol_error = self._tsl_enrol_queued_member(order)
                order["partner_id"] = member.id
        order_id = super()._process_order(order, existing_order)
        pos_order = self.browse(order_id)
        if pos_order.state in ("paid", "done", "invoiced"):
            pos_order._tsl_check_voucher_lines()
        if enrol_error:
            pos_order.tsl_enrolment_error = enrol_error
            pos_order.message_post(
                body=_(
                    "The enrolment queued with this order was refused: %(error)s",
                    error=enrol_error,
                )
            )
        return order_id

    @api.model
    def _tsl_check_birthday_pricelist(self, order):
        """A tier's birthday pricelist is the birthday benefit, however the
        till chose it: the use is registered (and reviewed if not due)."""
        if order.get("pricelist_id") and not order.get("tsl_birthday_benefit"):
            tier = (
                self.env["tsl.member.tier"]
                .sudo()
                .with_context(active_test=False)
                .search(
                    [("birthday_pricelist_id", "=", order["pricelist_id"])], limit=1
                )
            )
            if tier:
                order["tsl_birthday_benefit"] = True

    def _tsl_check_voucher_lines(self):
        """A voucher takes its amount off, once: lines the till changed (price,
        quantity, the voucher twice) put its use under review."""
        self.ensure_one()
        for voucher in self.lines.tsl_voucher_id:
            lines = self.lines.filtered(
                lambda line, v=voucher: line.tsl_voucher_id == v
            )
            taken = -sum(lines.mapped("price_subtotal_incl"))
            if not self.currency_id.compare_amounts(taken, voucher.amount):
                continue
            uses = voucher.sudo().use_ids.filtered(
                lambda use: use.pos_order_id == self and use.state == "valid"
            )
            note = _(
                "Order %(order)s takes %(taken)s off with voucher %(code)s, "
                "which is worth %(amount)s.",
                order=self.pos_reference or self.name,
                taken=taken,
                code=voucher.name,
                amount=voucher.amount,
            )
            uses.write({"state": "review", "note": note})
            uses._tsl_flag(note, _("Voucher use to review"))

    @api.model
    def _tsl_enrol_queued_member(self, order):
        """Replay the enrolment a till queued offline with this order."""
        try:
            data = json.loads(order["tsl_enrolment_data"])
        except (TypeError, ValueError):
            _logger.warning("POS order %s: unreadable enrolment", order.get("name"))
            return self.env["res.partner"], _("The enrolment data is unreadable.")
        session = self.env["pos.session"].browse(order["session_id"])
        return self.env["res.partner"]._tsl_pos_enrol_offline(
            data.get("values") or {},
            session.config_id,
            card_number=data.get("card_number"),
            order_ref=order.get("name"),
        )

    @api.model
    def sync_from_ui(self, orders):
        """The till also gets the members of the synced orders back: the
        server's points balance, the vouchers just used, a member enrolled
        offline (who may be another associate's customer, see M8)."""
        pending = f"tsl_pending_earn:{uuid.uuid4()}"
        result = super(
            PosOrder, self.with_context(tsl_pending_earn=pending)
        ).sync_from_ui(orders)
        sold = self.env.cr.cache.pop(f"{pending}:sold", set())
        self.env["product.product"].browse(sold)._tsl_check_not_sealed_gift()
        self.env["tsl.points.move"]._tsl_post_pending(pending)
        order_ids = [o["id"] for o in result.get("pos.order", [])]
        pos_orders = self.browse(order_ids)
        members = pos_orders.partner_id.sudo().filtered("tsl_member_state")
        if members:
            config_id = pos_orders.config_id.ids[0]
            data = self.env["res.partner"].browse(members.ids)._tsl_pos_data(config_id)
            used = pos_orders.lines.tsl_voucher_id
            data["tsl.voucher"] += used._tsl_pos_read(config_id)
            result.update(data)
        return result

    @api.model
    def _tsl_check_refund_quantities(self, order):
        """Refuse refunding more than what is left to refund on a line."""
        refunds = {
            line[2]["refunded_orderline_id"]: -line[2].get("qty", 0.0)
            for line in order.get("lines", [])
            if line[0] in (0, 1) and line[2].get("refunded_orderline_id")
        }
        if not refunds:
            return
        for line in self.env["pos.order.line"].browse(list(refunds)):
            uuid = order.get("uuid")
            already = -sum(
                line.refund_orderline_ids.filtered(
                    lambda r, uuid=uuid: r.order_id.uuid != uuid
                    and r.order_id.state != "cancel"
                ).mapped("qty")
            )
            left = line.qty - already
            if float_compare(refunds[line.id], left, precision_digits=3) > 0:
                raise ValidationError(
                    _(
                        "%(product)s of order %(order)s: %(qty)s to refund but "
                        "only %(left)s left (already refunded: %(done)s).",
                        product=line.full_product_name or line.product_id.display_name,
                        order=line.order_id.pos_reference or line.order_id.name,
                        qty=refunds[line.id],
                        left=left,
                        done=already,
                    )
                )

    def _process_saved_order(self, draft):
        res = super()._process_saved_order(draft)
        # stock Odoo only logs a refused payment: no points for an unpaid order
        if (
            not draft
            and self.state in ("paid", "done", "invoiced")
            and self._is_pos_order_paid()
        ):
            self._tsl_apply_loyalty()
        return res

    # ------------------------------------------------------------------------
    def _tsl_points_base(self):
        """Amount that earns points: lines outside the excluded categories."""
        self.ensure_one()
        return self.company_id._tsl_points_base(self.lines, "price_subtotal_incl")

    def _tsl_apply_loyalty(self):
        """Book the order's points once, from the order itself."""
        self.ensure_one()
        Move = self.env["tsl.points.move"]
        if self.refunded_order_id:
            return self._tsl_claw_back()
        partner = self.partner_id
        day = fields.Date.context_today(self, self.date_order)
        vouchers = self.lines.tsl_voucher_id
        if vouchers:
            # the order is paid already: a refused voucher is flagged, not lost
            vouchers._tsl_redeem(
                day,
                strict=False,
                partner=partner,
                pos_order_id=self.id,
                store_id=self.tsl_store_id.id,
            )
        if not partner.tsl_member_state:
            return
        doubled = False
        if self.tsl_birthday_benefit:
            use = self.env["tsl.benefit.use"]._tsl_register(
                partner, day, pos_order_id=self.id, store_id=self.tsl_store_id.id
            )
            if not partner._tsl_benefit_month(day) and use.state == "valid":
                use.write(
                    {
                        "state": "review",
                        "note": _("No birthday or special day this month"),
                    }
                )
            self.tsl_benefit_use_id = use
            doubled = use.state == "valid"
        points = Move._tsl_earn(
            partner,
            self._tsl_points_base(),
            day,
            self.company_id,
            doubled,
            reason=_("Purchase %(ref)s", ref=self.pos_reference or self.name),
            origin=self.pos_reference or self.name,
            source_key=f"pos-earn:{self.uuid or self.id}",
            pos_order_id=self.id,
            store_id=self.tsl_store_id.id,
            date=self.date_order,
        )
        if points:
            self.tsl_points_earned = points

    def _tsl_claw_back(self):
        """A refund takes back the points of what is returned, pro rata to
        the refunded amount, at the factor the original order earned with."""
        original = self.refunded_order_id
        Move = self.env["tsl.points.move"].sudo()
        earn = Move.search(
            [("pos_order_id", "=", original.id), ("move_type", "=", "earn")], limit=1
        )
        if not earn:
            return
        partner = earn.partner_id
        base = -self._tsl_points_base()
        wanted = math.floor(base * earn.factor + 1e-9)
        taken = -sum(
            Move.search(
                [
                    ("move_type", "=", "refund"),
                    ("origin", "=", earn.origin),
                    ("partner_id", "=", partner.id),
                ]
            ).mapped("points")
        )
        points = min(wanted, earn.points - taken)
        if points <= 0:
            return
        Move._tsl_lock_members(partner.ids)
        today = fields.Date.context_today(self)
        balances = Move._tsl_available_by_year(partner, today)
        # the earning year first, then the others, never below zero
        balances = balances.sorted(lambda b: b.year_id != earn.year_id)
        vals_list, left = [], points
        for balance in balances:
            take = min(left, balance.balance)
            if take <= 0:
                continue
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "year_id": balance.year_id.id,
                    "move_type": "refund",
                    "points": -take,
                    "base_amount": -base,
                    "factor": earn.factor,
                    "reason": _("Refund %(ref)s", ref=self.pos_reference or self.name),
                    "origin": earn.origin,
                    "source_key": (
                        f"pos-refund:{self.uuid or self.id}:{balance.year_id.id}"
                    ),
                    "pos_order_id": self.id,
                    "store_id": self.tsl_store_id.id,
                }
            )
            left -= take
            if not left:
                break
        if left:
            # Points already spent: what cannot be taken back is recorded.
            self.message_post(
                body=_(
                    "%(points)s points of the refund could not be taken back: "
                    "the member has already used them.",
                    points=left,
                )
            )
        Move._tsl_post(vals_list)
        self.tsl_points_earned = -(points - left)
