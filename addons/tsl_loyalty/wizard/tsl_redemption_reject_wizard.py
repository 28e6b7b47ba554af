# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TslRedemptionRejectWizard(models.TransientModel):
    """HQ rejects redemption requests (in bulk from the list) with a reason."""

    _name = "tsl.redemption.reject.wizard"
    _description = "Reject Redemption Requests"

    request_ids = fields.Many2many("tsl.redemption.request", string="Requests")
    mode = fields.Selection(
        [("reject", "Reject"), ("return", "Gift Returned")],
        required=True,
        default="reject",
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "return":
            self.request_ids.action_return_gift(self.reason)
        else:
            self.request_ids.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
