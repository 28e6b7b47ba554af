# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models

CHANNELS = [
    ("sms", "SMS"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("mail", "Mail"),
]
SOURCES = [
    ("store", "Store Form"),
    ("pos", "Point of Sale"),
    ("hotline", "Hotline"),
    ("portal", "Self-Service Portal"),
    ("import", "Import"),
    ("call", "Follow-up Call"),
]


class TslMemberConsent(models.Model):
    """Consent and opt-out per contact channel (PIPL): one row per member and
    channel holding the current answer, its date and where it was given."""

    _name = "tsl.member.consent"
    _description = "Member Contact Consent"
    _order = "partner_id, channel"

    partner_id = fields.Many2one(
        "res.partner", string="Member", required=True, ondelete="cascade", index=True
    )
    channel = fields.Selection(CHANNELS, required=True)
    consent = fields.Boolean(string="Consents", default=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    source = fields.Selection(SOURCES, required=True, default="store")
    user_id = fields.Many2one(
        "res.users", string="Recorded By", default=lambda self: self.env.user
    )
    store_id = fields.Many2one(related="partner_id.tsl_store_id", store=True)

    _sql_constraints = [
        (
            "partner_channel_uniq",
            "unique(partner_id, channel)",
            "A member has one consent per channel: change it instead of adding one.",
        )
    ]

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._log_to_member()
        return records

    def write(self, vals):
        res = super().write(vals)
        if {"consent", "source"} & set(vals):
            self._log_to_member()
        return res

    def _log_to_member(self):
        channels = dict(self._fields["channel"]._description_selection(self.env))
        sources = dict(self._fields["source"]._description_selection(self.env))
        for rec in self:
            args = {"channel": channels[rec.channel], "origin": sources[rec.source]}
            if rec.consent:
                body = _("Consent to %(channel)s given (%(origin)s).", **args)
            else:
                body = _("Opted out of %(channel)s (%(origin)s).", **args)
            rec.partner_id.message_post(body=body)
