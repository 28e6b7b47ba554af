# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    tsl_birthday_benefit = fields.Boolean(
        string="Birthday Benefit",
        copy=False,
        help="Apply the once-a-month birthday / special-day benefit: the birthday "
        "pricelist and double points.",
    )
    tsl_points_earned = fields.Integer(
        string="Points Earned", readonly=True, copy=False
    )

    @api.onchange("tsl_birthday_benefit", "partner_id")
    def _onchange_tsl_birthday_benefit(self):
        tier = self.partner_id.tsl_tier_id
        if self.tsl_birthday_benefit and tier.birthday_pricelist_id:
            self.pricelist_id = tier.birthday_pricelist_id
        elif tier.pricelist_id:
            self.pricelist_id = tier.pricelist_id

    def action_confirm(self):
        for order in self.filtered("tsl_birthday_benefit"):
            order._tsl_check_benefit()
        res = super().action_confirm()
        for order in self:
            vouchers = order.order_line.tsl_voucher_id
            if vouchers:
                vouchers._tsl_redeem(
                    fields.Date.context_today(order, order.date_order),
                    amount=order._tsl_amount_before_vouchers(),
                    partner=order.partner_id,
                    sale_order_id=order.id,
                    store_id=order.partner_id.tsl_store_id.id,
                )
            order._tsl_apply_loyalty()
        return res

    def _tsl_amount_before_vouchers(self):
        return sum(
            self.order_line.filtered(lambda line: not line.tsl_voucher_id).mapped(
                "price_total"
            )
        )

    def action_tsl_apply_voucher(self, code):
        """Add a voucher to a quotation: a line taking its amount off."""
        self.ensure_one()
        if self.state not in ("draft", "sent"):
            raise UserError(_("Vouchers can only be added to quotations."))
        data = self.env["tsl.voucher"].tsl_check_code(
            code,
            self.partner_id.commercial_partner_id.id,
            self._tsl_amount_before_vouchers(),
        )
        voucher = self.env["tsl.voucher"].browse(data["id"])
        if voucher in self.order_line.tsl_voucher_id:
            raise UserError(
                _("Voucher %(code)s is already on this order.", code=voucher.name)
            )
        product = self.company_id.tsl_voucher_product_id or self.env.ref(
            "tsl_loyalty.product_member_voucher"
        )
        self.env["sale.order.line"].create(
            {
                "order_id": self.id,
                "product_id": product.id,
                "name": _("Voucher %(code)s", code=voucher.name),
                "product_uom_qty": 1,
                "price_unit": -voucher.amount,
                "tax_id": [(5, 0, 0)],
                "tsl_voucher_id": voucher.id,
            }
        )
        return True

    def _tsl_check_benefit(self):
        partner = self.partner_id
        day = fields.Date.context_today(self, self.date_order)
        if not partner._tsl_benefit_month(day):
            raise UserError(
                _(
                    "%(member)s has no birthday benefit in this month.",
                    member=partner.display_name,
                )
            )
        if self.env["tsl.benefit.use"]._tsl_is_used(partner, day):
            raise UserError(
                _(
                    "%(member)s has already used this month's birthday benefit.",
                    member=partner.display_name,
                )
            )

    def _tsl_points_base(self):
        lines = self.order_line.filtered(lambda line: not line.display_type)
        return self.company_id._tsl_points_base(lines, "price_total")

    def _tsl_apply_loyalty(self):
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        if not partner.tsl_member_state:
            return
        day = fields.Date.context_today(self, self.date_order)
        if self.tsl_birthday_benefit:
            self.env["tsl.benefit.use"]._tsl_register(
                partner, day, sale_order_id=self.id, store_id=partner.tsl_store_id.id
            )
        Move = self.env["tsl.points.move"]
        # a cancelled then re-confirmed order earns again: one key per cycle
        cycle = Move.sudo().search_count(
            [("sale_order_id", "=", self.id), ("move_type", "=", "earn")]
        )
        points = Move._tsl_earn(
            partner,
            self._tsl_points_base(),
            day,
            self.company_id,
            self.tsl_birthday_benefit,
            reason=_("Sales order %(ref)s", ref=self.name),
            origin=self.name,
            source_key=f"sale-earn:{self.id}:{cycle}",
            sale_order_id=self.id,
            store_id=partner.tsl_store_id.id,
            date=self.date_order,
        )
        if points:
            self.tsl_points_earned = points

    def _action_cancel(self):
        res = super()._action_cancel()
        for order in self:
            order._tsl_cancel_loyalty()
        return res

    def _tsl_cancel_loyalty(self):
        """A cancelled order gives back its points, its birthday benefit and
        its vouchers."""
        Move = self.env["tsl.points.move"].sudo()
        uses = (
            self.env["tsl.voucher.use"]
            .sudo()
            .search([("sale_order_id", "=", self.id), ("state", "=", "valid")])
        )
        uses.write({"state": "cancelled"})
        uses.voucher_id.filtered(lambda v: v.state == "used").write(
            {"state": "open", "used_date": False}
        )
        self.env["tsl.benefit.use"].sudo().search(
            [("sale_order_id", "=", self.id), ("state", "=", "valid")]
        ).write({"state": "cancelled", "note": _("Order cancelled")})
        moves = Move.search(
            [("sale_order_id", "=", self.id), ("move_type", "in", ("earn", "refund"))]
        )
        points = sum(moves.mapped("points"))
        if points <= 0:
            return
        partner = moves.partner_id[:1]
        take = min(points, partner.tsl_points_balance)
        if take:
            Move._tsl_take(
                partner,
                take,
                "refund",
                _("Cancelled %(ref)s", ref=self.name),
                self.name,
                sale_order_id=self.id,
            )
        if take < points:
            self.message_post(
                body=_(
                    "%(points)s points could not be taken back: the member has "
                    "already used them.",
                    points=points - take,
                )
            )
        self.tsl_points_earned = 0
