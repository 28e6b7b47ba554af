# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .tsl_festival import PROFESSIONS


class ResPartner(models.Model):
    _inherit = "res.partner"

    tsl_unreachable = fields.Boolean(
        string="Unreachable",
        copy=False,
        index=True,
        tracking=True,
        help="Not reached by phone three months running (heartbeat): only the next "
        "festival or promotion brings a new call.",
    )
    tsl_unreachable_date = fields.Date(string="Unreachable Since", copy=False)
    tsl_profession = fields.Selection(
        PROFESSIONS,
        string="Profession",
        help="Teachers' Day and Army Day greetings reach members of that profession.",
    )
    tsl_call_ids = fields.One2many("tsl.call", "partner_id", string="Follow-up Calls")

    def _tsl_callcenter_refuse_phone(self):
        """The member refused calls: record it as the phone consent (M8)."""
        Consent = self.env["tsl.member.consent"].sudo()
        existing = Consent.search(
            [("partner_id", "in", self.ids), ("channel", "=", "phone")]
        )
        existing.write({"consent": False, "source": "call"})
        missing = self - existing.partner_id
        Consent.create(
            [
                {
                    "partner_id": p.id,
                    "channel": "phone",
                    "consent": False,
                    "source": "call",
                }
                for p in missing
            ]
        )
        return True
