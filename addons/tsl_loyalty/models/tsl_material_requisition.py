# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, float_is_zero

STATES = [
    ("draft", "Draft"),
    ("requested", "Requested"),
    ("approved", "Approved"),
    ("shipped", "Shipped"),
    ("received", "Received"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
# Fields only the workflow methods (after their own checks) may change.
_WORKFLOW_FIELDS = {
    "state",
    "origin",
    "picking_id",
    "approved_by_id",
    "approve_date",
    "shipped_by_id",
    "ship_date",
    "received_by_id",
    "receive_date",
}


class TslMaterialRequisition(models.Model):
    """A store's requisition of member materials (会员物料申请): member cards,
    charters, welcome kits, birthday cards, gift boxes. The store manager
    requests, HQ CRM approves (possibly fewer), ships them from the HQ
    warehouse by an internal transfer, and the store confirms what arrived;
    differences are reported to HQ. HQ also sends materials centrally (the
    Star Diamond cards and gifts): such a dispatch skips the store's request.
    """

    _name = "tsl.material.requisition"
    _description = "Member Material Requisition"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, default="/"
    )
    origin = fields.Selection(
        [("store", "Store Request"), ("hq", "HQ Central Dispatch")],
        required=True,
        default="store",
        readonly=True,
        tracking=True,
        help="HQ central dispatch: materials HQ CRM sends on its own initiative "
        "(Star Diamond cards, birthday materials and gifts).",
    )
    store_id = fields.Many2one(
        "tsl.store",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user.tsl_store_id,
    )
    area_id = fields.Many2one(related="store_id.area_id", store=True, index=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True, index=True)
    requested_by_id = fields.Many2one(
        "res.users",
        string="Requested By",
        default=lambda self: self.env.user,
        tracking=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    line_ids = fields.One2many(
        "tsl.material.requisition.line", "requisition_id", string="Materials", copy=True
    )
    state = fields.Selection(
        STATES,
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    approved_by_id = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False
    )
    approve_date = fields.Datetime(string="Approved On", readonly=True, copy=False)
    picking_id = fields.Many2one(
        "stock.picking", string="Transfer", readonly=True, copy=False
    )
    shipped_by_id = fields.Many2one(
        "res.users", string="Shipped By", readonly=True, copy=False
    )
    ship_date = fields.Datetime(string="Shipped On", readonly=True, copy=False)
    received_by_id = fields.Many2one(
        "res.users", string="Received By", readonly=True, copy=False
    )
    receive_date = fields.Datetime(string="Received On", readonly=True, copy=False)
    has_difference = fields.Boolean(
        compute="_compute_has_difference",
        store=True,
        help="The store received another quantity than HQ shipped.",
    )
    note = fields.Text()

    @api.depends("state", "line_ids.qty_difference")
    def _compute_has_difference(self):
        for rec in self:
            rec.has_difference = rec.state == "received" and any(
                rec.line_ids.mapped("qty_difference")
            )

    # ------------------------------------------------------------------------
    # CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("tsl.material.requisition")
                    or "/"
                )
        if not self.env.su and not self._tsl_is_hq():
            for vals in vals_list:
                if (
                    vals.get("origin", "store") != "store"
                    or vals.get("state", "draft") != "draft"
                    or any(vals.get(f) for f in _WORKFLOW_FIELDS - {"state", "origin"})
                ):
                    raise AccessError(
                        _("Only HQ CRM can create a central dispatch or set its state.")
                    )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and not self._tsl_is_hq():
            protected = _WORKFLOW_FIELDS & set(vals)
            if protected:
                raise AccessError(
                    _(
                        "Use the buttons of the requisition to change: %(fields)s.",
                        fields=", ".join(sorted(protected)),
                    )
                )
            for rec in self:
                if rec.state == "draft":
                    continue
                if rec.state == "shipped" and set(vals) <= {"line_ids", "note"}:
                    continue  # the received quantities (checked on the lines)
                raise UserError(
                    _(
                        "%(ref)s was sent to HQ: the store can no longer change it.",
                        ref=rec.name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(rec.state not in ("draft", "cancelled") for rec in self):
            raise UserError(
                _("Only draft or cancelled requisitions can be deleted; cancel it.")
            )

    # ------------------------------------------------------------------------
    # helpers
    @api.model
    def _tsl_is_hq(self):
        return self.env.user.has_group("tsl_crm.group_tsl_hq_crm")

    def _tsl_check_hq(self, action):
        if not self.env.su and not self._tsl_is_hq():
            raise AccessError(
                _("Only HQ CRM can %(action)s material requisitions.", action=action)
            )

    def _tsl_check_state(self, states, action):
        for rec in self:
            if rec.state not in states:
                raise UserError(
                    _(
                        "%(ref)s is %(state)s: it cannot be %(action)s.",
                        ref=rec.name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[rec.state],
                        action=action,
                    )
                )

    def _tsl_check_lines(self):
        for rec in self:
            if not rec.line_ids.filtered("qty_requested"):
                raise UserError(
                    _("%(ref)s has no material to send: add lines.", ref=rec.name)
                )

    @api.model
    def _tsl_hq_warehouse(self, company=None):
        """The warehouse member materials ship from: the company setting, or
        the company's first warehouse."""
        company = company or self.env.company
        warehouse = company.sudo().tsl_materials_warehouse_id
        if not warehouse:
            warehouse = (
                self.env["stock.warehouse"]
                .sudo()
                .search([("company_id", "=", company.id)], limit=1)
            )
        if not warehouse:
            raise UserError(
                _(
                    "Set the warehouse member materials ship from "
                    "(Settings > Member CRM > Member Materials)."
                )
            )
        return warehouse

    def _tsl_write_workflow(self, vals):
        """Workflow changes, once the calling method checked who may do them."""
        return self.sudo().write(vals)

    def _tsl_hq_users(self):
        self.ensure_one()
        return (
            self.shipped_by_id
            or self.approved_by_id
            or self.env.ref("tsl_crm.group_tsl_hq_crm").users[:1]
            or self.env.user
        )

    # ------------------------------------------------------------------------
    # workflow
    def action_tsl_submit(self):
        """The store manager sends the request to HQ."""
        if not self.env.su and not self.env.user.has_group(
            "tsl_crm.group_tsl_store_manager"
        ):
            raise AccessError(_("Only a store manager can submit a requisition."))
        self._tsl_check_state(("draft",), _("submitted"))
        self.check_access("write")
        self._tsl_check_lines()
        self.line_ids._tsl_check_store_may_request()
        for line in self.line_ids.sudo():
            line.qty_approved = line.qty_requested  # HQ may lower it
        self._tsl_write_workflow({"state": "requested"})
        hq = self.env.ref("tsl_crm.group_tsl_hq_crm").users
        for rec in self:
            rec.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_(
                    "Approve the material requisition of %(store)s",
                    store=rec.store_id.display_name,
                ),
                user_id=(hq[:1] or self.env.user).id,
            )
        return True

    def action_tsl_approve(self, quantities=None):
        """HQ CRM approves, possibly fewer than requested.

        :param quantities: optional dict {line id: approved quantity}; the
            other lines keep their approved quantity (by default the
            requested one).
        """
        self._tsl_check_hq(_("approve"))
        self._tsl_check_state(("draft", "requested"), _("approved"))
        for rec in self:
            if rec.state == "draft" and rec.origin != "hq":
                raise UserError(
                    _(
                        "%(ref)s was not submitted by the store yet; "
                        "HQ dispatches are created with 'HQ Dispatch'.",
                        ref=rec.name,
                    )
                )
        quantities = {int(k): v for k, v in (quantities or {}).items()}
        for line in self.line_ids:
            if line.id in quantities:
                line.qty_approved = quantities[line.id]
        self.line_ids._tsl_check_approved()
        self._tsl_check_lines()
        if not self.line_ids.filtered("qty_approved"):
            raise UserError(_("Nothing approved: reject the requisition instead."))
        self._tsl_write_workflow(
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "approve_date": fields.Datetime.now(),
            }
        )
        self.activity_feedback(["mail.mail_activity_data_todo"])
        for rec in self:
            lowered = rec.line_ids.filtered(
                lambda ln: float_compare(
                    ln.qty_approved,
                    ln.qty_requested,
                    precision_rounding=ln.product_uom_id.rounding,
                )
                < 0
            )
            if lowered:
                rec.message_post(
                    body=_(
                        "Approved with lower quantities: %(lines)s",
                        lines="; ".join(
                            self.env._(
                                "%(product)s %(approved)s of %(requested)s",
                                product=ln.product_id.display_name,
                                approved=ln.qty_approved,
                                requested=ln.qty_requested,
                            )
                            for ln in lowered
                        ),
                    )
                )
        return True

    def action_tsl_hq_dispatch(self):
        """HQ sends materials centrally (Star Diamond materials and gifts):
        the draft becomes a central dispatch, approved at once."""
        self._tsl_check_hq(_("dispatch"))
        self._tsl_check_state(("draft",), _("dispatched"))
        self._tsl_write_workflow({"origin": "hq"})
        return self.action_tsl_approve()

    def action_tsl_reject(self, reason=None):
        self._tsl_check_hq(_("reject"))
        self._tsl_check_state(("requested", "approved"), _("rejected"))
        self._tsl_write_workflow({"state": "rejected"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        for rec in self:
            rec.message_post(
                body=_("Rejected by HQ: %(reason)s", reason=reason)
                if reason
                else _("Rejected by HQ.")
            )
        return True

    def action_tsl_cancel(self):
        self._tsl_check_state(("draft", "requested", "approved"), _("cancelled"))
        if any(rec.state == "approved" for rec in self):
            self._tsl_check_hq(_("cancel approved"))
        self.check_access("write")
        self._tsl_write_workflow({"state": "cancelled"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_tsl_draft(self):
        self._tsl_check_state(("rejected", "cancelled"), _("reset to draft"))
        self.check_access("write")
        self._tsl_write_workflow({"state": "draft"})
        return True

    def action_tsl_ship(self):
        """HQ ships the approved quantities: a validated internal transfer
        from the HQ warehouse's stock to the store warehouse's stock."""
        self._tsl_check_hq(_("ship"))
        self._tsl_check_state(("approved",), _("shipped"))
        for rec in self:
            rec._tsl_ship()
        return True

    def _tsl_ship(self):
        self.ensure_one()
        store_wh = self.store_id.sudo().warehouse_id
        if not store_wh:
            raise UserError(
                _(
                    "Store %(store)s has no warehouse: set one on the store "
                    "before shipping materials to it.",
                    store=self.store_id.display_name,
                )
            )
        hq_wh = self._tsl_hq_warehouse(self.company_id)
        if hq_wh == store_wh:
            raise UserError(
                _(
                    "Store %(store)s uses the HQ warehouse %(wh)s: there is "
                    "nothing to ship.",
                    store=self.store_id.display_name,
                    wh=hq_wh.display_name,
                )
            )
        source = hq_wh.lot_stock_id
        lines = self.line_ids.filtered(
            lambda ln: not float_is_zero(
                ln.qty_approved, precision_rounding=ln.product_uom_id.rounding
            )
        )
        self._tsl_check_available(lines, source)
        picking_type = hq_wh.int_type_id
        if not picking_type:
            raise UserError(
                _(
                    "Warehouse %(wh)s has no internal transfer type.",
                    wh=hq_wh.display_name,
                )
            )
        dest = store_wh.lot_stock_id
        picking = self.env["stock.picking"]._tsl_create_done(
            {
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": dest.id,
                "origin": self.name,
                "company_id": hq_wh.company_id.id,
                "move_ids": [
                    fields.Command.create(
                        {
                            "name": ln.product_id.display_name,
                            "product_id": ln.product_id.id,
                            "product_uom": ln.product_uom_id.id,
                            "product_uom_qty": ln.qty_approved,
                            "location_id": source.id,
                            "location_dest_id": dest.id,
                        }
                    )
                    for ln in lines
                ],
            },
            # reserved by someone else between the check and now
            lambda move: self._tsl_shortage_message(move.product_id, source),
        )
        # One line per product (a constraint): the product finds its move.
        for line in lines:
            moves = picking.move_ids.filtered(
                lambda m, ln=line: m.product_id == ln.product_id
            )
            shipped = sum(
                m.product_uom._compute_quantity(m.quantity, line.product_uom_id)
                for m in moves
            )
            line.sudo().write({"qty_shipped": shipped, "qty_received": shipped})
        self._tsl_write_workflow(
            {
                "state": "shipped",
                "picking_id": picking.id,
                "shipped_by_id": self.env.user.id,
                "ship_date": fields.Datetime.now(),
            }
        )
        self.message_post(
            body=_(
                "Shipped by transfer %(picking)s from %(from_loc)s to %(dest)s.",
                picking=picking.name,
                from_loc=source.display_name,
                dest=dest.display_name,
            )
        )
        # The store checks what arrives (查收及反馈).
        receivers = self.store_id.sudo().manager_ids
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=_("Check the materials received and confirm the receipt"),
            user_id=(receivers[:1] or self.requested_by_id or self.env.user).id,
        )
        return picking

    @api.model
    def _tsl_shortage_message(self, product, location):
        available = product.with_context(location=location.id).free_qty
        return _(
            "Not enough %(product)s at %(location)s: %(available)s %(uom)s "
            "available.",
            product=product.display_name,
            location=location.display_name,
            available=available,
            uom=product.uom_id.name,
        )

    @api.model
    def _tsl_check_available(self, lines, location):
        """Refuse to ship more than HQ has (free, not reserved) on hand."""
        needed = {}
        for line in lines:
            qty = line.product_uom_id._compute_quantity(
                line.qty_approved, line.product_id.uom_id
            )
            needed[line.product_id] = needed.get(line.product_id, 0.0) + qty
        shortages = []
        for product, qty in needed.items():
            available = product.sudo().with_context(location=location.id).free_qty
            if (
                float_compare(
                    qty, available, precision_rounding=product.uom_id.rounding
                )
                > 0
            ):
                shortages.append(
                    _(
                        "%(product)s: %(needed)s to ship, only %(available)s "
                        "%(uom)s available",
                        product=product.display_name,
                        needed=qty,
                        available=available,
                        uom=product.uom_id.name,
                    )
                )
        if shortages:
            raise UserError(
                _(
                    "Not enough stock at %(location)s:\n%(lines)s",
                    location=location.display_name,
                    lines="\n".join(shortages),
                )
            )

    def action_tsl_receive(self, quantities=None):
        """The store confirms the receipt.

        :param quantities: optional dict {line id: received quantity}; the
            other lines keep the quantity entered on them (by default the
            shipped quantity).
        Differences are posted on the requisition and HQ gets an activity.
        """
        self._tsl_check_state(("shipped",), _("received"))
        self.check_access("write")
        if not self.env.su and not self.env.user.has_group(
            "tsl_crm.group_tsl_store_manager"
        ):
            raise AccessError(_("Only the store manager can confirm the receipt."))
        quantities = {int(k): v for k, v in (quantities or {}).items()}
        unknown = set(quantities) - set(self.line_ids.ids)
        if unknown:
            raise UserError(_("These lines are not part of the requisition."))
        for line in self.line_ids:
            if line.id in quantities:
                if quantities[line.id] < 0:
                    raise UserError(_("A received quantity cannot be negative."))
                line.sudo().qty_received = quantities[line.id]
        self._tsl_write_workflow(
            {
                "state": "received",
                "received_by_id": self.env.user.id,
                "receive_date": fields.Datetime.now(),
            }
        )
        self.activity_feedback(["mail.mail_activity_data_todo"])
        for rec in self:
            rec._tsl_report_differences()
        return True

    def _tsl_report_differences(self):
        self.ensure_one()
        differing = self.line_ids._tsl_differing()
        if not differing:
            self.message_post(body=_("Receipt confirmed: everything arrived."))
            return False
        details = differing._tsl_difference_details()
        body = _(
            "Receipt differs from the shipment %(picking)s: %(details)s",
            picking=self.picking_id.sudo().name or "",
            details=details,
        )
        self.message_post(body=body)
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=_(
                "Material receipt difference at %(store)s",
                store=self.store_id.display_name,
            ),
            note=details,
            user_id=self._tsl_hq_users()[:1].id,
        )
        return True

    def action_view_picking(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.action_picking_tree_all"
        )
        action.update(
            {"views": [(False, "form")], "res_id": self.picking_id.id, "domain": []}
        )
        return action
