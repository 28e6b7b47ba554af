# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

MATERIALS_CATEG = "tsl_loyalty.product_category_member_materials"
HQ_ONLY_CATEG = "tsl_loyalty.product_category_member_materials_hq"

# What the store may still change on a line, by state of the requisition.
_STORE_FIELDS = {
    "draft": {"product_id", "qty_requested", "qty_approved", "note", "sequence"},
    "shipped": {"qty_received", "note"},
}


class TslMaterialRequisitionLine(models.Model):
    _name = "tsl.material.requisition.line"
    _inherit = ["tsl.receipt.line.mixin"]
    _description = "Member Material Requisition Line"
    _order = "requisition_id, sequence, id"

    requisition_id = fields.Many2one(
        "tsl.material.requisition",
        string="Requisition",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    state = fields.Selection(related="requisition_id.state")
    store_id = fields.Many2one(
        related="requisition_id.store_id", store=True, index=True
    )
    product_id = fields.Many2one(
        "product.product",
        string="Material",
        required=True,
        domain=lambda self: self._tsl_material_domain(),
    )
    product_uom_id = fields.Many2one(
        related="product_id.uom_id", string="Unit of Measure"
    )
    qty_requested = fields.Float(
        string="Requested", digits="Product Unit of Measure", default=1.0
    )
    qty_approved = fields.Float(
        string="Approved",
        digits="Product Unit of Measure",
        compute="_compute_qty_approved",
        store=True,
        readonly=False,
        help="What HQ sends: the requested quantity, or less.",
    )
    qty_shipped = fields.Float(
        string="Shipped", digits="Product Unit of Measure", readonly=True, copy=False
    )
    qty_received = fields.Float(
        string="Received",
        digits="Product Unit of Measure",
        copy=False,
        help="Counted by the store on arrival.",
    )
    qty_difference = fields.Float(
        string="Difference",
        digits="Product Unit of Measure",
        compute="_compute_qty_difference",
        store=True,
        help="Shipped minus received once the store confirmed the receipt: "
        "positive when materials are missing.",
    )
    note = fields.Char()

    _sql_constraints = [
        (
            "product_uniq",
            "unique(requisition_id, product_id)",
            "A material appears once per requisition.",
        ),
        (
            "qty_positive",
            "CHECK(qty_requested >= 0 AND qty_approved >= 0 AND qty_received >= 0)",
            "Quantities cannot be negative.",
        ),
    ]

    @api.model
    def _tsl_material_domain(self):
        categ = self.env.ref(MATERIALS_CATEG, raise_if_not_found=False)
        return [("categ_id", "child_of", categ.id)] if categ else []

    @api.depends("qty_requested")
    def _compute_qty_approved(self):
        for line in self:
            line.qty_approved = line.qty_requested

    @api.depends("qty_shipped", "qty_received", "requisition_id.state")
    def _compute_qty_difference(self):
        for line in self:
            line.qty_difference = (
                line.qty_shipped - line.qty_received
                if line.requisition_id.state == "received"
                else 0.0
            )

    # ------------------------------------------------------------------------
    def _tsl_check_store_edit(self, fnames):
        if self.env.su or self.env["tsl.material.requisition"]._tsl_is_hq():
            return
        for line in self:
            allowed = _STORE_FIELDS.get(line.requisition_id.state, set())
            if not set(fnames) <= allowed:
                raise AccessError(
                    _(
                        "%(ref)s: the store cannot change %(fields)s now.",
                        ref=line.requisition_id.name,
                        fields=", ".join(sorted(set(fnames) - allowed)),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.su and not self.env["tsl.material.requisition"]._tsl_is_hq():
            if any(line.requisition_id.state != "draft" for line in lines):
                raise AccessError(
                    _("Materials can only be added to a draft requisition.")
                )
        lines._tsl_check_material()
        return lines

    def write(self, vals):
        self._tsl_check_store_edit(vals)
        res = super().write(vals)
        if "product_id" in vals:
            self._tsl_check_material()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if self.env.su or self.env["tsl.material.requisition"]._tsl_is_hq():
            return
        if any(line.requisition_id.state != "draft" for line in self):
            raise UserError(
                _("Materials can only be removed from a draft requisition.")
            )

    def _tsl_check_material(self):
        categ = self.env.ref(MATERIALS_CATEG, raise_if_not_found=False)
        if not categ:
            return
        for line in self:
            if not line.product_id.categ_id.parent_path.startswith(categ.parent_path):
                raise UserError(
                    _(
                        "%(product)s is not a member material (category " "%(categ)s).",
                        product=line.product_id.display_name,
                        categ=categ.display_name,
                    )
                )

    def _tsl_check_store_may_request(self):
        """Top-tier materials (Star Diamond cards, gifts) are sent centrally
        by HQ CRM (由CRM统一安排): a store does not request them."""
        hq_only = self.env.ref(HQ_ONLY_CATEG, raise_if_not_found=False)
        if not hq_only:
            return
        refused = self.filtered(
            lambda ln: ln.requisition_id.origin == "store"
            and ln.product_id.categ_id.parent_path.startswith(hq_only.parent_path)
        )
        if refused:
            raise UserError(
                _(
                    "%(products)s: top-tier materials are sent centrally by HQ "
                    "CRM; remove them from the request.",
                    products=", ".join(refused.product_id.mapped("display_name")),
                )
            )

    def _tsl_check_approved(self):
        for line in self:
            if (
                float_compare(
                    line.qty_approved,
                    line.qty_requested,
                    precision_rounding=line.product_uom_id.rounding,
                )
                > 0
            ):
                raise UserError(
                    _(
                        "%(product)s: HQ may approve at most the %(requested)s "
                        "requested, not %(approved)s.",
                        product=line.product_id.display_name,
                        requested=line.qty_requested,
                        approved=line.qty_approved,
                    )
                )
