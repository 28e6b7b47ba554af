# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare


class TslGiftAllocation(models.Model):
    """Sealed gifts allocated to one store (礼品分配): one internal transfer
    per campaign and store, from the HQ sealed location to the store's sealed
    location (still sealed for the campaign), one move per gift. Approving
    redemption requests fills the store's open allocation (so a bulk approval
    gives one transfer per store, not one per request); HQ ships it; the
    store confirms what arrived, differences are reported to HQ and the
    requests received become ready for collection."""

    _name = "tsl.gift.allocation"
    _description = "Gift Allocation to a Store"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    seal_key = fields.Char(required=True, readonly=True, index=True)
    seal_label = fields.Char(string="Sealed For", compute="_compute_seal_label")
    campaign_id = fields.Many2one(
        "tsl.reward.campaign", readonly=True, index="btree_not_null"
    )
    store_id = fields.Many2one("tsl.store", required=True, readonly=True, index=True)
    area_id = fields.Many2one(related="store_id.area_id", store=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True)
    state = fields.Selection(
        [
            ("open", "Approved, to Ship"),
            ("shipped", "Shipped"),
            ("received", "Received"),
            ("cancelled", "Cancelled"),
        ],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many(
        "tsl.gift.allocation.line", "allocation_id", string="Gifts"
    )
    request_ids = fields.One2many(
        "tsl.redemption.request", "allocation_id", string="Requests"
    )
    request_count = fields.Integer(compute="_compute_request_count")
    shipped_by_id = fields.Many2one("res.users", readonly=True)
    ship_date = fields.Datetime(string="Shipped On", readonly=True)
    received_by_id = fields.Many2one("res.users", readonly=True)
    receive_date = fields.Datetime(string="Received On", readonly=True)
    has_difference = fields.Boolean(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("tsl.gift.allocation") or "/"
                )
        return super().create(vals_list)

    def _compute_seal_label(self):
        Seal = self.env["tsl.gift.seal"]
        for alloc in self:
            alloc.seal_label = Seal._tsl_key_label(alloc.seal_key)

    def _compute_request_count(self):
        counts = dict(
            self.env["tsl.redemption.request"]._read_group(
                [("allocation_id", "in", self.ids)], ["allocation_id"], ["__count"]
            )
        )
        for alloc in self:
            alloc.request_count = counts.get(alloc, 0)

    # ------------------------------------------------------------------------
    # filled by the approval
    # ------------------------------------------------------------------------
    @api.model
    def _tsl_add(self, needs, seals):
        """Add approved quantities to the stores' open allocations.

        :param needs: {(seal key, store): {product: quantity}}
        :param seals: {(seal key, product): tsl.gift.seal}
        :return: {(seal key, store, product): (allocation, stock.move)} — the
            move that carries the quantity (one per gift and store)
        Creates the missing allocations and their transfers in batch,
        reserves the quantities from the HQ sealed locations."""
        Seal = self.env["tsl.gift.seal"]
        open_allocs = {
            (a.seal_key, a.store_id): a
            for a in self.sudo().search(
                [
                    ("state", "=", "open"),
                    ("seal_key", "in", list({k for k, _s in needs})),
                    ("store_id", "in", list({s.id for _k, s in needs})),
                ]
            )
        }
        result = {}
        to_assign = self.env["stock.move"]
        new_vals, new_keys = [], []
        picking_vals = []
        for (key, store), products in needs.items():
            any_seal = next(seals[(key, p)] for p in products)
            source = any_seal._tsl_location()
            dest = Seal._tsl_store_location(key, store)
            alloc = open_allocs.get((key, store))
            if alloc:
                moves = alloc.sudo().picking_id.move_ids
                for product, qty in products.items():
                    move = moves.filtered(
                        lambda m, p=product: m.product_id == p and m.state != "cancel"
                    )[:1]
                    if move:
                        move.product_uom_qty += qty
                    else:
                        move = (
                            self.env["stock.move"]
                            .sudo()
                            .create(
                                self._tsl_move_vals(
                                    key, product, qty, source, dest, alloc.picking_id
                                )
                            )
                        )
                        move._action_confirm()
                        alloc.sudo().line_ids = [
                            fields.Command.create(
                                {"product_id": product.id, "move_id": move.id}
                            )
                        ]
                    to_assign |= move
                    result[(key, store, product)] = (alloc, move)
                continue
            warehouse = any_seal.warehouse_id
            picking_vals.append(
                {
                    "picking_type_id": warehouse.int_type_id.id,
                    "location_id": source.id,
                    "location_dest_id": dest.id,
                    "company_id": any_seal.company_id.id,
                    "move_ids": [
                        fields.Command.create(
                            self._tsl_move_vals(key, product, qty, source, dest)
                        )
                        for product, qty in products.items()
                    ],
                }
            )
            new_keys.append((key, store))
            new_vals.append(
                {
                    "seal_key": key,
                    "campaign_id": any_seal.campaign_id.id,
                    "store_id": store.id,
                    "company_id": any_seal.company_id.id,
                }
            )
        if new_vals:
            allocs = self.sudo().create(new_vals)
            for vals, alloc in zip(picking_vals, allocs, strict=True):
                vals["origin"] = alloc.name
            pickings = self.env["stock.picking"].sudo().create(picking_vals)
            pickings.action_confirm()
            lines = []
            for (key, store), alloc, picking in zip(
                new_keys, allocs, pickings, strict=True
            ):
                alloc.picking_id = picking
                for move in picking.move_ids:
                    result[(key, store, move.product_id)] = (alloc, move)
                    lines.append(
                        {
                            "allocation_id": alloc.id,
                            "product_id": move.product_id.id,
                            "move_id": move.id,
                        }
                    )
                to_assign |= picking.move_ids
            self.env["tsl.gift.allocation.line"].sudo().create(lines)
        to_assign._action_assign()
        for move in to_assign:
            if (
                float_compare(
                    move.quantity,
                    move.product_uom_qty,
                    precision_rounding=move.product_uom.rounding,
                )
                < 0
            ):
                raise UserError(
                    _(
                        "%(product)s: the sealed stock at %(location)s could not "
                        "be reserved (reserved by another approval?). Try again.",
                        product=move.product_id.display_name,
                        location=move.location_id.display_name,
                    )
                )
        return result

    @api.model
    def _tsl_move_vals(self, key, product, qty, source, dest, picking=None):
        vals = {
            "name": product.display_name,
            "product_id": product.id,
            "product_uom": product.uom_id.id,
            "product_uom_qty": qty,
            "location_id": source.id,
            "location_dest_id": dest.id,
            "tsl_seal_key": key,
        }
        if picking:
            vals.update(
                picking_id=picking.id,
                picking_type_id=picking.picking_type_id.id,
                company_id=picking.company_id.id,
            )
        return vals

    @api.model
    def _tsl_release(self, move, qty):
        """Give ``qty`` of an approved (not shipped) move back to the sealed
        stock: the reservation shrinks or the move is cancelled."""
        move = move.sudo()
        rounding = move.product_uom.rounding
        left = move.product_uom_qty - qty
        move._do_unreserve()
        if float_compare(left, 0.0, precision_rounding=rounding) <= 0:
            move._action_cancel()
        else:
            move.product_uom_qty = left
            move._action_assign()
        alloc = self.sudo().search([("picking_id", "=", move.picking_id.id)], limit=1)
        if alloc and all(m.state == "cancel" for m in move.picking_id.move_ids):
            move.picking_id.action_cancel()
            alloc.state = "cancelled"
            alloc.message_post(body=_("Cancelled: no gift left to ship."))

    # ------------------------------------------------------------------------
    # HQ ships, the store confirms the receipt
    # ------------------------------------------------------------------------
    def _tsl_check_hq(self, action):
        if not self.env["tsl.gift.seal"]._tsl_is_hq():
            raise AccessError(
                _("Only HQ CRM can %(action)s gift allocations.", action=action)
            )

    def action_ship(self):
        """HQ ships the open allocations (their transfers are validated) and
        their approved requests become shipped."""
        self._tsl_check_hq(_("ship"))
        if any(alloc.state != "open" for alloc in self):
            raise UserError(_("Only allocations approved and not shipped yet ship."))
        self.sudo().picking_id._tsl_validate_in_full(
            lambda move: _(
                "%(picking)s: %(product)s is not fully reserved.",
                picking=move.picking_id.name,
                product=move.product_id.display_name,
            )
        )
        now = fields.Datetime.now()
        self.sudo().write(
            {"state": "shipped", "shipped_by_id": self.env.user.id, "ship_date": now}
        )
        for line in self.sudo().line_ids:
            line.write({"qty_shipped": line.move_id.quantity})
            line.qty_received = line.qty_shipped
        requests = self.request_ids.filtered(lambda r: r.state == "approved")
        requests._tsl_mark("shipped", {"date_shipped": now})
        requests._tsl_log_batch(
            lambda r: self.env._(
                "Shipped to %(store)s by transfer %(picking)s.",
                store=r.store_id.display_name,
                picking=r.allocation_id.picking_id.name,
            )
        )
        for alloc in self:
            alloc.message_post(
                body=_(
                    "Shipped by transfer %(picking)s.", picking=alloc.picking_id.name
                )
            )
            receivers = alloc.store_id.sudo().manager_ids
            alloc.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Check the gifts received and confirm the receipt"),
                user_id=(receivers[:1] or self.env.user).id,
            )
        return True

    def action_receive(self, quantities=None):
        """The store confirms the receipt.

        :param quantities: optional {line id: received quantity} (default:
            the quantity entered on the line, the shipped one at first).
        The requests whose gift arrived become ready and their member is
        notified; differences are posted and HQ gets an activity."""
        if not self.env.su and not self.env.user.has_group(
            "tsl_crm.group_tsl_store_manager"
        ):
            raise AccessError(_("Only the store manager can confirm the receipt."))
        self.check_access("write")
        if any(alloc.state != "shipped" for alloc in self):
            raise UserError(_("Only shipped allocations can be received."))
        quantities = {int(k): v for k, v in (quantities or {}).items()}
        if set(quantities) - set(self.line_ids.ids):
            raise UserError(_("These lines are not part of the allocation."))
        ready = self.env["tsl.redemption.request"]
        for alloc in self:
            for line in alloc.line_ids:
                if line.id in quantities:
                    if quantities[line.id] < 0:
                        raise UserError(_("A received quantity cannot be negative."))
                    line.sudo().qty_received = quantities[line.id]
            alloc.sudo().write(
                {
                    "state": "received",
                    "received_by_id": self.env.user.id,
                    "receive_date": fields.Datetime.now(),
                }
            )
            alloc.activity_feedback(["mail.mail_activity_data_todo"])
            alloc._tsl_report_differences()
            ready |= alloc._tsl_ready_requests()
        now = fields.Datetime.now()
        ready._tsl_mark("ready", {"date_ready": now})
        ready._tsl_log_batch(
            lambda r: self.env._(
                "Received at %(store)s: ready for collection.",
                store=r.store_id.display_name,
            )
        )
        ready._tsl_notify_ready()
        return ready

    def _tsl_ready_requests(self):
        """The shipped requests served by what arrived, oldest first."""
        self.ensure_one()
        received = defaultdict(float)
        for line in self.line_ids:
            received[line.product_id] += line.qty_received
        ready = self.env["tsl.redemption.request"]
        waiting = self.env["tsl.redemption.request"]
        shipped = self.request_ids.filtered(lambda r: r.state == "shipped").sorted(
            lambda r: (r.date_applied or r.create_date, r.id)
        )
        for request in shipped:
            product = request.product_id
            rounding = product.uom_id.rounding
            if (
                float_compare(
                    request.quantity, received[product], precision_rounding=rounding
                )
                <= 0
            ):
                received[product] -= request.quantity
                ready |= request
            else:
                waiting |= request
        waiting._tsl_log_batch(
            lambda r: self.env._(
                "%(product)s was missing in the receipt at %(store)s: HQ checks "
                "the difference before the member is told.",
                product=r.product_id.display_name,
                store=r.store_id.display_name,
            )
        )
        return ready

    def _tsl_report_differences(self):
        self.ensure_one()
        differing = self.line_ids._tsl_differing()
        if not differing:
            self.message_post(body=_("Receipt confirmed: everything arrived."))
            return False
        self.sudo().has_difference = True
        details = differing._tsl_difference_details()
        self.message_post(
            body=_(
                "Receipt differs from the shipment %(picking)s: %(details)s",
                picking=self.sudo().picking_id.name or "",
                details=details,
            )
        )
        hq = self.env.ref("tsl_crm.group_tsl_hq_crm").users
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=_(
                "Gift receipt difference at %(store)s", store=self.store_id.display_name
            ),
            note=details,
            user_id=(self.shipped_by_id or hq[:1] or self.env.user).id,
        )
        return True

    def action_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tsl_loyalty.tsl_redemption_request_action"
        )
        action["domain"] = [("allocation_id", "=", self.id)]
        action["context"] = {}
        return action
