# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.tsl_crm.utils.phone import normalize_phone

CALL_TYPES = [
    ("enquiry", "Enquiry"),
    ("complaint", "Complaint"),
    ("redemption", "Redemption Application"),
    ("contact_update", "Contact Update"),
]


class TslHotlineCall(models.Model):
    """An inbound call on the hotline (客服热线, C13). The operator types the
    caller's number: it is normalised and matched to the member, whose card
    opens; the call is logged as an enquiry, a complaint (a complaint is
    created), a redemption application (``tsl.redemption.request.tsl_apply``)
    or a contact update (the member's phone or address is changed, and the
    change is written in the member's chatter)."""

    _name = "tsl.hotline.call"
    _description = "Hotline Call"
    _order = "date desc, id desc"
    _rec_name = "caller_number"

    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Operator",
        required=True,
        default=lambda self: self.env.user,
        readonly=True,
    )
    caller_number = fields.Char(required=True)
    number_normalized = fields.Char(
        string="Normalised Number", compute="_compute_number_normalized", store=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Member",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
    )
    match_count = fields.Integer(
        string="Members With This Number",
        compute="_compute_partner_id",
        store=True,
        precompute=True,
    )
    member_number = fields.Char(related="partner_id.tsl_member_number")
    tier_id = fields.Many2one(related="partner_id.tsl_tier_id")
    grade = fields.Selection(related="partner_id.tsl_grade")
    contact_name = fields.Char(help="Caller's name when not a member.")
    store_id = fields.Many2one(
        "tsl.store",
        compute="_compute_store_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    call_type = fields.Selection(
        CALL_TYPES, string="Logged As", required=True, default="enquiry"
    )
    note = fields.Text(string="Notes")
    # complaint
    complaint_category = fields.Selection(
        lambda self: self.env["tsl.complaint"]._fields["category"].selection,
        default="service",
    )
    complaint_id = fields.Many2one("tsl.complaint", readonly=True, copy=False)
    # redemption application
    option_id = fields.Many2one(
        "tsl.reward.option", string="Gift or Voucher Chosen", ondelete="restrict"
    )
    redemption_id = fields.Many2one("tsl.redemption.request", readonly=True, copy=False)
    # contact update
    new_mobile = fields.Char()
    new_street = fields.Char(string="New Address")
    new_city = fields.Char()
    new_zip = fields.Char(string="New Postal Code")
    sms_opt_out = fields.Boolean(
        string="Opts Out of SMS",
        help="The caller asks for no more SMS (PIPL): recorded as the member's "
        "SMS consent, source hotline.",
    )
    state = fields.Selection(
        [("draft", "In Progress"), ("logged", "Logged")],
        required=True,
        default="draft",
        readonly=True,
    )

    @api.depends("caller_number")
    def _compute_number_normalized(self):
        region = self.env["res.partner"]._tsl_phone_region()
        for rec in self:
            e164, _valid = normalize_phone(rec.caller_number, region)
            rec.number_normalized = e164 or False

    @api.depends("caller_number")
    def _compute_partner_id(self):
        for rec in self:
            members = self.tsl_lookup(rec.caller_number)
            rec.match_count = len(members)
            rec.partner_id = members[:1]

    @api.depends("partner_id")
    def _compute_store_id(self):
        for rec in self:
            rec.store_id = rec.partner_id.tsl_store_id or rec.store_id

    @api.model
    def tsl_lookup(self, number):
        """Members whose normalised phone is ``number``, through
        ``res.partner.tsl_search_members`` (indexed lookups)."""
        if not (number or "").strip():
            return self.env["res.partner"]
        return self.env["res.partner"].tsl_search_members(number, limit=10)

    # ------------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------------
    def action_open_member(self):
        """Open the member card, or a new contact prefilled with the number
        (enrolment or non-member) when nobody matches."""
        self.ensure_one()
        if self.partner_id:
            return {
                "type": "ir.actions.act_window",
                "res_model": "res.partner",
                "res_id": self.partner_id.id,
                "view_mode": "form",
                "target": "current",
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_mobile": self.caller_number,
                "default_name": self.contact_name or False,
                "default_tsl_store_id": self.store_id.id,
            },
        }

    def action_log(self):
        """Log the call as its type says; returns True."""
        for rec in self:
            if rec.state != "draft":
                raise UserError(_("This call is already logged."))
            getattr(rec, f"_tsl_log_{rec.call_type}")()
            rec.state = "logged"
            if rec.partner_id:
                types = dict(rec._fields["call_type"]._description_selection(self.env))
                rec.partner_id.message_post(
                    body=_(
                        "Hotline call from %(number)s logged as %(type)s. %(note)s",
                        number=rec.caller_number,
                        type=types[rec.call_type],
                        note=rec.note or "",
                    )
                )
        return True

    def _tsl_log_enquiry(self):
        if not (self.note or "").strip():
            raise ValidationError(_("Write what the caller asked about."))

    def _tsl_log_complaint(self):
        if not (self.note or "").strip():
            raise ValidationError(_("Describe the complaint in the notes."))
        if not self.partner_id and not (self.contact_name or "").strip():
            raise ValidationError(
                _("Give the caller's name: the number matches no member.")
            )
        self.complaint_id = self.env["tsl.complaint"].create(
            {
                "source": "hotline",
                "partner_id": self.partner_id.id,
                "contact_name": self.contact_name,
                "contact_phone": self.caller_number,
                "store_id": self.store_id.id,
                "category": self.complaint_category or "other",
                "description": self.note,
            }
        )

    def _tsl_log_redemption(self):
        if not self.partner_id.tsl_member_state:
            raise ValidationError(_("Only a member can apply for a points reward."))
        if not self.option_id:
            raise ValidationError(_("Choose the gift or voucher the member wants."))
        self.redemption_id = self.env["tsl.redemption.request"].tsl_apply(
            self.partner_id, self.option_id, "hotline", self.store_id or None
        )

    def _tsl_log_contact_update(self):
        partner = self.partner_id
        if not partner:
            raise ValidationError(_("No member to update: the number matches nobody."))
        changes = {
            "mobile": self.new_mobile,
            "street": self.new_street,
            "city": self.new_city,
            "zip": self.new_zip,
        }
        changes = {k: v.strip() for k, v in changes.items() if v and v.strip()}
        if not changes and not self.sms_opt_out:
            raise ValidationError(_("Type the new mobile or address to update."))
        if self.sms_opt_out:
            self._tsl_record_sms_opt_out()
        if not changes:
            return
        if "mobile" in changes:
            _e164, valid = normalize_phone(
                changes["mobile"], partner._tsl_phone_region()
            )
            if not valid:
                raise ValidationError(
                    _(
                        "%(number)s is not a valid mobile number.",
                        number=changes["mobile"],
                    )
                )
        labels = {name: partner._fields[name].string for name in changes}
        lines = [
            self.env._(
                "%(field)s: %(old)s → %(new)s",
                field=labels[name],
                old=partner[name] or "-",
                new=value,
            )
            for name, value in changes.items()
        ]
        partner.write(changes)
        partner.message_post(
            body=_(
                "Contact updated through the hotline: %(changes)s",
                changes="; ".join(lines),
            )
        )

    def _tsl_record_sms_opt_out(self):
        """The member's SMS consent becomes 'no', source hotline (tsl_crm's
        consent model logs it in the member's chatter)."""
        Consent = self.env["tsl.member.consent"]
        consent = Consent.search(
            [("partner_id", "=", self.partner_id.id), ("channel", "=", "sms")]
        )
        vals = {"consent": False, "source": "hotline", "date": fields.Datetime.now()}
        if consent:
            consent.write(vals)
        else:
            Consent.create({"partner_id": self.partner_id.id, "channel": "sms", **vals})
