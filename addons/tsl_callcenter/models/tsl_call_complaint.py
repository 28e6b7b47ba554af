# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, fields, models


class TslCall(models.Model):
    """Complaints raised on a follow-up call (C4: answered within 3 days).
    Kept apart from tsl_call.py (the call-list engine) on purpose."""

    _inherit = "tsl.call"

    complaint_ids = fields.One2many("tsl.complaint", "call_id", string="Complaints")
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    def _compute_complaint_count(self):
        counts = dict(
            self.env["tsl.complaint"]._read_group(
                [("call_id", "in", self.ids)], ["call_id"], ["__count"]
            )
        )
        for call in self:
            call.complaint_count = counts.get(call, 0)

    def action_raise_complaint(self):
        """Open a new complaint of the call's member, assigned to the
        associate who called, due in 3 days."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Raise Complaint"),
            "res_model": "tsl.complaint",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_source": "call",
                "default_call_id": self.id,
                "default_partner_id": self.partner_id.id,
                "default_store_id": self.store_id.id,
                "default_user_id": (self.user_id or self.env.user).id,
                "default_description": self.outcome_note or False,
            },
        }

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tsl_callcenter.tsl_complaint_action"
        )
        action["domain"] = [("call_id", "=", self.id)]
        action["context"] = {"default_call_id": self.id, "default_source": "call"}
        return action

    def tsl_raise_complaint(self, description, category="service"):
        """Create the complaint of this call (used by the POS / API)."""
        self.ensure_one()
        return self.env["tsl.complaint"].create(
            {
                "source": "call",
                "call_id": self.id,
                "partner_id": self.partner_id.id,
                "store_id": self.store_id.id,
                "user_id": (self.user_id or self.env.user).id,
                "category": category,
                "description": description,
            }
        )
