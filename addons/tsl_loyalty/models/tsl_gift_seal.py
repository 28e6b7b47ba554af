# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare, float_is_zero

PURPOSES = [
    ("campaign", "Annual Points Reward"),
    ("referral", "Member-get-Member"),
    ("birthday", "Birthday Gift"),
]


class TslGiftSeal(models.Model):
    """Gift stock sealed for one campaign (封存礼品): one record per campaign
    (annual points reward, member-get-member rule or the birthday benefit)
    and gift. Sealing is a validated internal transfer from the HQ stock into
    the campaign's sealed location, outside the warehouse's stock location:
    no sale, POS order, transfer or other campaign can use it. Unsealing
    (back to the stock) and re-sealing are explicit transfers, logged here.
    Approved redemption requests reserve their gift from the sealed stock and
    ship it to the store (``tsl.gift.allocation``)."""

    _name = "tsl.gift.seal"
    _description = "Sealed Gift Stock"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    purpose = fields.Selection(PURPOSES, required=True, default="campaign")
    campaign_id = fields.Many2one(
        "tsl.reward.campaign", string="Campaign", index="btree_not_null"
    )
    referral_rule_id = fields.Many2one(
        "tsl.referral.rule", string="Member-get-Member Rule", index="btree_not_null"
    )
    key = fields.Char(string="Seal Key", compute="_compute_key", store=True, index=True)
    product_id = fields.Many2one(
        "product.product",
        string="Gift",
        required=True,
        index=True,
        domain=[("is_storable", "=", True)],
    )
    uom_id = fields.Many2one(related="product_id.uom_id")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="HQ Warehouse",
        required=True,
        default=lambda self: self.env["tsl.material.requisition"]._tsl_hq_warehouse(),
        help="The warehouse whose stock is sealed and which ships to the stores.",
    )
    location_id = fields.Many2one(
        "stock.location", string="Sealed Location", readonly=True, copy=False
    )
    state = fields.Selection(
        [("draft", "Draft"), ("sealed", "Sealed"), ("unsealed", "Unsealed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    qty_sealed = fields.Float(
        string="Sealed at HQ",
        compute="_compute_quantities",
        digits="Product Unit of Measure",
        help="On hand in the sealed location at HQ.",
    )
    qty_reserved = fields.Float(
        string="Reserved",
        compute="_compute_quantities",
        digits="Product Unit of Measure",
        help="Reserved for approved requests not shipped yet.",
    )
    qty_available = fields.Float(
        string="Available to Approve",
        compute="_compute_quantities",
        digits="Product Unit of Measure",
    )
    qty_at_stores = fields.Float(
        string="At the Stores",
        compute="_compute_quantities",
        digits="Product Unit of Measure",
        help="Shipped to the stores, not handed over yet.",
    )
    qty_handed = fields.Float(
        string="Handed Over",
        compute="_compute_quantities",
        digits="Product Unit of Measure",
    )
    picking_ids = fields.Many2many(
        "stock.picking",
        "tsl_gift_seal_picking_rel",
        "seal_id",
        "picking_id",
        string="Seal Transfers",
        readonly=True,
        copy=False,
    )

    _sql_constraints = [
        (
            "key_product_uniq",
            "unique(key, product_id, company_id)",
            "A gift is sealed once per campaign: seal more on the existing record.",
        ),
    ]

    @api.depends("purpose", "campaign_id", "referral_rule_id")
    def _compute_key(self):
        for seal in self:
            if seal.purpose == "campaign" and seal.campaign_id:
                seal.key = f"campaign:{seal.campaign_id.id}"
            elif seal.purpose == "referral" and seal.referral_rule_id:
                seal.key = f"referral:{seal.referral_rule_id.id}"
            elif seal.purpose == "birthday":
                seal.key = "birthday"
            else:
                seal.key = False

    @api.depends("key", "product_id")
    def _compute_name(self):
        for seal in self:
            seal.name = (
                f"{self._tsl_key_label(seal.key)} – {seal.product_id.display_name}"
                if seal.key and seal.product_id
                else False
            )

    def _compute_quantities(self):
        """Two grouped queries for all the seals shown (a list of seals does
        not run two queries per line)."""
        seals = self.filtered(lambda s: s.key and s.product_id)
        quants, handed = {}, {}
        if seals:
            for model in ("stock.quant", "stock.move", "stock.location"):
                self.env[model].flush_model()
            cr = self.env.cr
            keys, products = (
                tuple(set(seals.mapped("key"))),
                tuple(seals.product_id.ids),
            )
            cr.execute(
                SQL(
                    """
                SELECT l.tsl_seal_key, q.product_id, q.company_id,
                       l.tsl_seal_store_id IS NOT NULL,
                       SUM(q.quantity), SUM(q.reserved_quantity)
                  FROM stock_quant q
                  JOIN stock_location l ON l.id = q.location_id
                 WHERE l.tsl_seal_key IN %(keys)s AND q.product_id IN %(products)s
                 GROUP BY 1, 2, 3, 4
                """,
                    keys=keys,
                    products=products,
                )
            )
            for key, product, company, at_store, qty, reserved in cr.fetchall():
                quants[key, product, company, at_store] = (qty, reserved)
            # handed over = sent from a store's sealed stock to the customer,
            # less what came back
            cr.execute(
                SQL(
                    """
                SELECT m.tsl_seal_key, m.product_id,
                       SUM(CASE WHEN ld.usage = 'customer' THEN m.product_qty
                                ELSE -m.product_qty END)
                  FROM stock_move m
                  JOIN stock_location ls ON ls.id = m.location_id
                  JOIN stock_location ld ON ld.id = m.location_dest_id
                 WHERE m.state = 'done' AND m.tsl_seal_key IN %(keys)s
                   AND m.product_id IN %(products)s
                   AND ((ls.tsl_seal_store_id IS NOT NULL AND ld.usage = 'customer')
                     OR (ld.tsl_seal_store_id IS NOT NULL AND ls.usage = 'customer'))
                 GROUP BY 1, 2
                """,
                    keys=keys,
                    products=products,
                )
            )
            handed = {(key, product): qty for key, product, qty in cr.fetchall()}
        for seal in self:
            ident = (seal.key, seal.product_id.id, seal.company_id.id)
            sealed, reserved = quants.get((*ident, False), (0.0, 0.0))
            seal.qty_sealed = sealed
            seal.qty_reserved = reserved
            seal.qty_available = sealed - reserved
            seal.qty_at_stores = quants.get((*ident, True), (0.0, 0.0))[0]
            seal.qty_handed = handed.get((seal.key, seal.product_id.id), 0.0)

    @api.constrains("purpose", "campaign_id", "referral_rule_id", "product_id")
    def _check_purpose(self):
        for seal in self:
            if seal.purpose == "campaign" and not seal.campaign_id:
                raise ValidationError(_("Choose the campaign the gift is sealed for."))
            if seal.purpose == "referral" and not seal.referral_rule_id:
                raise ValidationError(
                    _("Choose the member-get-member rule the gift is sealed for.")
                )
            if not seal.product_id.is_storable:
                raise ValidationError(
                    _(
                        "%(product)s is not tracked in stock: only stored "
                        "products can be sealed.",
                        product=seal.product_id.display_name,
                    )
                )
            others = self.search(
                [("product_id", "=", seal.product_id.id), ("id", "!=", seal.id)]
            )
            birthday = (seal | others).filtered(lambda s: s.purpose == "birthday")
            if birthday and (seal | others) - birthday:
                raise ValidationError(
                    _(
                        "%(product)s is sealed as a birthday gift: it is only for "
                        "the birthday benefit and cannot be sealed for a campaign.",
                        product=seal.product_id.display_name,
                    )
                )

    # ------------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------------
    @api.model
    def _tsl_key_label(self, key):
        """What a seal key stands for, as users read it."""
        if not key:
            return _("nothing sealed")
        if key == "birthday":
            return _("the birthday benefit")
        kind, _sep, res_id = key.partition(":")
        model = {
            "campaign": "tsl.reward.campaign",
            "referral": "tsl.referral.rule",
        }.get(kind)
        if not model or not res_id.isdigit():
            return key
        return self.env[model].sudo().browse(int(res_id)).exists().display_name or key

    @api.model
    def _tsl_refusal(self, location, product, key):
        """The error of a move in or out of a sealed location that is not for
        its seal."""
        return _(
            "%(product)s at %(location)s is sealed for %(seal)s: it cannot be "
            "moved for %(other)s. Unseal it first.",
            product=product.display_name,
            location=location.display_name,
            seal=self._tsl_key_label(location.tsl_seal_key),
            other=self._tsl_key_label(key) if key else _("another purpose"),
        )

    @api.model
    def _tsl_is_hq(self):
        return self.env.su or self.env.user.has_group("tsl_crm.group_tsl_hq_crm")

    def _tsl_check_hq(self):
        if not self._tsl_is_hq():
            raise AccessError(_("Only HQ CRM can seal or unseal gift stock."))

    def _tsl_location(self):
        """The HQ sealed location of this seal (created on first use)."""
        self.ensure_one()
        if not self.location_id:
            self.sudo().location_id = self.env["stock.location"]._tsl_sealed_location(
                self.warehouse_id, self.key, self._tsl_key_label(self.key)
            )
        return self.location_id

    @api.model
    def _tsl_store_location(self, key, store):
        """The sealed location of ``key`` at the store's warehouse."""
        warehouse = store.sudo().warehouse_id
        if not warehouse:
            raise UserError(
                _(
                    "Store %(store)s has no warehouse: set one on the store "
                    "before gifts are shipped to it.",
                    store=store.display_name,
                )
            )
        return self.env["stock.location"]._tsl_sealed_location(
            warehouse, key, self._tsl_key_label(key), store=store
        )

    def _tsl_transfer(self, source, dest, qty, picking_type, origin):
        """A validated internal transfer of ``qty`` of the gift, for the seal."""
        self.ensure_one()
        picking = self.env["stock.picking"]._tsl_create_done(
            {
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": dest.id,
                "origin": origin,
                "company_id": self.company_id.id,
                "move_ids": [
                    fields.Command.create(
                        {
                            "name": self.product_id.display_name,
                            "product_id": self.product_id.id,
                            "product_uom": self.product_id.uom_id.id,
                            "product_uom_qty": qty,
                            "location_id": source.id,
                            "location_dest_id": dest.id,
                            "tsl_seal_key": self.key,
                        }
                    )
                ],
            },
            lambda move: _(
                "Only %(available)s %(uom)s of %(product)s are free at "
                "%(location)s: %(qty)s cannot be moved.",
                available=move.quantity,
                uom=self.product_id.uom_id.name,
                product=self.product_id.display_name,
                location=source.display_name,
                qty=qty,
            ),
        )
        self.sudo().picking_ids = [fields.Command.link(picking.id)]
        return picking

    # ------------------------------------------------------------------------
    # seal / unseal
    # ------------------------------------------------------------------------
    def tsl_seal(self, qty, note=None):
        """Seal ``qty`` more of the gift: HQ stock → sealed location."""
        self.ensure_one()
        self._tsl_check_hq()
        rounding = self.product_id.uom_id.rounding
        if float_compare(qty, 0.0, precision_rounding=rounding) <= 0:
            raise UserError(_("The quantity to seal must be positive."))
        source = self.warehouse_id.lot_stock_id
        free = self.product_id.sudo().with_context(location=source.id).free_qty
        if float_compare(qty, free, precision_rounding=rounding) > 0:
            raise UserError(
                _(
                    "Only %(free)s %(uom)s of %(product)s are free at %(location)s: "
                    "%(qty)s cannot be sealed.",
                    free=free,
                    uom=self.product_id.uom_id.name,
                    product=self.product_id.display_name,
                    location=source.display_name,
                    qty=qty,
                )
            )
        picking = self._tsl_transfer(
            source, self._tsl_location(), qty, self.warehouse_id.int_type_id, self.name
        )
        self.sudo().state = "sealed"
        extra = " " + note if note else ""
        self.message_post(
            body=_(
                "Sealed %(qty)s %(uom)s from %(from_loc)s by transfer %(picking)s."
                "%(note)s",
                qty=qty,
                uom=self.product_id.uom_id.name,
                from_loc=source.display_name,
                picking=picking.name,
                note=extra,
            )
        )
        return picking

    def tsl_unseal(self, qty, reason):
        """Give ``qty`` back to the HQ stock (not reserved for a request)."""
        self.ensure_one()
        self._tsl_check_hq()
        if not (reason or "").strip():
            raise UserError(_("Unsealing gift stock needs a reason."))
        rounding = self.product_id.uom_id.rounding
        if float_compare(qty, 0.0, precision_rounding=rounding) <= 0:
            raise UserError(_("The quantity to unseal must be positive."))
        if self.state != "sealed":
            raise UserError(_("%(seal)s holds no sealed stock.", seal=self.name))
        self.env["tsl.redemption.request"]._tsl_lock_seals(self)
        available = self.env["stock.quant"]._get_available_quantity(
            self.product_id, self.location_id
        )
        if float_compare(qty, available, precision_rounding=rounding) > 0:
            raise UserError(
                _(
                    "Only %(available)s %(uom)s of %(seal)s are sealed and not "
                    "reserved for approved requests: %(qty)s cannot be unsealed.",
                    available=available,
                    uom=self.product_id.uom_id.name,
                    seal=self.name,
                    qty=qty,
                )
            )
        dest = self.warehouse_id.lot_stock_id
        picking = self._tsl_transfer(
            self.location_id, dest, qty, self.warehouse_id.int_type_id, self.name
        )
        self.invalidate_recordset(["qty_sealed", "qty_at_stores"])
        if float_is_zero(self.qty_sealed, precision_rounding=rounding) and (
            float_is_zero(self.qty_at_stores, precision_rounding=rounding)
        ):
            self.sudo().state = "unsealed"
        self.message_post(
            body=_(
                "Unsealed %(qty)s %(uom)s back to %(dest)s by transfer "
                "%(picking)s: %(reason)s",
                qty=qty,
                uom=self.product_id.uom_id.name,
                dest=dest.display_name,
                picking=picking.name,
                reason=reason,
            )
        )
        return picking

    def action_open_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Seal / Unseal"),
            "res_model": "tsl.gift.seal.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_seal_id": self.id,
                "default_operation": self.env.context.get("tsl_operation", "seal"),
            },
        }

    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.action_picking_tree_all"
        )
        action["domain"] = [("id", "in", self.picking_ids.ids)]
        action["context"] = {}
        return action
