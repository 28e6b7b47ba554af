# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, fields, models
from odoo.exceptions import UserError

# deposit reasons that are workshop work, and their service request kind
SERVICE_KINDS = {"repair": "repair", "resizing": "resizing"}


class TslDeposit(models.Model):
    _inherit = "tsl.deposit"

    service_request_id = fields.Many2one(
        "tsl.service.request",
        string="Service Request",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The workshop work on the goods left for repair or resizing.",
    )

    def action_tsl_service_request(self):
        """Send goods left for repair or resizing to the workshop as a
        service request (its SLA, ready SMS and overdue follow-up); the
        deposit is picked up when the request is collected."""
        self.ensure_one()
        if self.service_request_id:
            return self.action_tsl_open_service_request()
        if self.state != "deposited":
            raise UserError(_("Only goods still at the store go to the workshop."))
        kind = SERVICE_KINDS.get(self.reason)
        if not kind:
            raise UserError(
                _(
                    "%(deposit)s is not a repair or a resizing: it needs no "
                    "service request.",
                    deposit=self.name,
                )
            )
        self.service_request_id = self.env["tsl.service.request"].create(
            {
                "kind": kind,
                "partner_id": self.partner_id.id,
                "store_id": self.store_id.id,
                "user_id": self.user_id.id,
                "product_id": self.product_id.id,
                "description": self.description,
                "received_date": self.deposit_date,
                "note": self.note,
                "deposit_id": self.id,
            }
        )
        return self.action_tsl_open_service_request()

    def action_tsl_open_service_request(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "tsl.service.request",
            "res_id": self.service_request_id.id,
            "view_mode": "form",
        }
