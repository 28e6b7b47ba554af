# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class TslCallReason(models.Model):
    """One reason of a call: the call carries all the reasons the member has
    this week (birthday, renewal, deposit pickup …)."""

    _name = "tsl.call.reason"
    _description = "Follow-up Call Reason Line"
    _order = "sequence, id"
    # written by the weekly build, 100,000+ lines at a time, and never edited:
    # who and when are those of the call (no audit columns, two foreign-key
    # checks less per line)
    _log_access = False

    call_id = fields.Many2one(
        "tsl.call", required=True, ondelete="cascade", string="Call"
    )  # indexed by the unique (call_id, reason_type_id)
    reason_type_id = fields.Many2one(
        "tsl.call.reason.type", string="Reason", required=True, ondelete="restrict"
    )
    code = fields.Char(related="reason_type_id.code")
    sequence = fields.Integer(related="reason_type_id.sequence", store=True)
    call_class = fields.Selection(related="reason_type_id.call_class")
    note = fields.Char()
    date = fields.Date(help="The date behind the reason (birthday, pickup date …).")
    res_model = fields.Char(string="Source Model")
    res_id = fields.Many2oneReference(string="Source Record", model_field="res_model")

    _sql_constraints = [
        (
            "call_reason_uniq",
            "unique(call_id, reason_type_id)",
            "A call carries each reason once.",
        )
    ]

    @api.depends("reason_type_id", "note")
    def _compute_display_name(self):
        for line in self:
            name = line.reason_type_id.name or ""
            line.display_name = f"{name}: {line.note}" if line.note else name
