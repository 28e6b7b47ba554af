# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import secrets
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

VOUCHER_TYPES = [
    ("cashback", "Points Cash-back"),
    ("welcome", "Welcome Coupon"),
    ("renewal", "Renewal Coupon"),
    ("reward", "Exchange Voucher"),
    ("other", "Other"),
]
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class TslVoucher(models.Model):
    """A member voucher (现金券 / 优惠券 / 换购券): a fixed amount off a
    purchase, for one member, within its validity, used once. Every use is a
    ``tsl.voucher.use`` row; the POS and sales orders redeem through
    ``_tsl_redeem``."""

    _name = "tsl.voucher"
    _description = "Member Voucher"
    _inherit = ["mail.thread", "pos.load.mixin"]
    _order = "date_to, id"

    name = fields.Char(
        string="Code",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: self._tsl_new_code(),
    )
    partner_id = fields.Many2one(
        "res.partner", string="Member", required=True, index=True, tracking=True
    )
    voucher_type = fields.Selection(VOUCHER_TYPES, string="Type", required=True)
    medium = fields.Selection(
        [("electronic", "Electronic"), ("paper", "Paper"), ("mms", "MMS e-Coupon")],
        default="electronic",
        required=True,
    )
    amount = fields.Monetary(required=True, currency_field="currency_id", tracking=True)
    min_amount = fields.Monetary(
        string="Minimum Purchase",
        currency_field="currency_id",
        help="The purchase must reach this amount for the voucher to apply.",
    )
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id, required=True
    )
    date_from = fields.Date(
        string="Valid From", required=True, default=fields.Date.context_today
    )
    date_to = fields.Date(string="Valid Until", required=True, tracking=True)
    state = fields.Selection(
        [
            ("open", "Open"),
            ("used", "Used"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )
    reason = fields.Char()
    points_cost = fields.Integer(readonly=True, help="Points spent to get it.")
    use_ids = fields.One2many("tsl.voucher.use", "voucher_id", string="Uses")
    used_date = fields.Datetime(readonly=True)
    store_id = fields.Many2one(related="partner_id.tsl_store_id", store=True)

    _sql_constraints = [
        ("name_uniq", "unique(name)", "Voucher codes are unique."),
        ("amount_positive", "CHECK(amount > 0)", "A voucher has a positive amount."),
    ]

    @api.model
    def _tsl_new_code(self):
        return "V" + "".join(secrets.choice(_CODE_ALPHABET) for _i in range(11))

    # ------------------------------------------------------------------------
    @api.model
    def _tsl_issue(self, partner, voucher_type, amount, days, reason, **vals):
        """Issue one voucher to a member, valid ``days`` from today."""
        today = fields.Date.context_today(self)
        voucher = self.sudo().create(
            {
                "partner_id": partner.id,
                "voucher_type": voucher_type,
                "amount": amount,
                "date_from": today,
                "date_to": today + timedelta(days=days),
                "reason": reason,
                **vals,
            }
        )
        partner.message_post(
            body=_(
                "Voucher %(code)s of %(amount)s issued: %(reason)s",
                code=voucher.name,
                amount=voucher.amount,
                reason=reason,
            )
        )
        return voucher

    def _tsl_refusal(self, partner, day, amount=None):
        """Why this voucher cannot be used now, or False."""
        self.ensure_one()
        if self.state == "used":
            return _("Voucher %(code)s was already used.", code=self.name)
        if self.state == "cancelled":
            return _("Voucher %(code)s was cancelled.", code=self.name)
        if self.state == "expired" or self.date_to < day:
            return _(
                "Voucher %(code)s expired on %(date)s.",
                code=self.name,
                date=self.date_to,
            )
        if self.date_from > day:
            return _(
                "Voucher %(code)s is valid from %(date)s.",
                code=self.name,
                date=self.date_from,
            )
        if partner and self.partner_id != partner.commercial_partner_id:
            return _("Voucher %(code)s belongs to another member.", code=self.name)
        if amount is not None and self.min_amount and amount < self.min_amount:
            return _(
                "Voucher %(code)s needs a purchase of at least %(min)s.",
                code=self.name,
                min=self.min_amount,
            )
        return False

    @api.model
    def tsl_check_code(self, code, partner_id, amount=None):
        """POS / back office: the voucher for ``code`` if ``partner_id`` may
        use it now, else a clear UserError."""
        voucher = self.sudo().search(
            [("name", "=", (code or "").strip().upper())], limit=1
        )
        if not voucher:
            raise UserError(_("There is no voucher %(code)s.", code=code))
        partner = self.env["res.partner"].sudo().browse(partner_id)
        refusal = voucher._tsl_refusal(partner, fields.Date.context_today(self), amount)
        if refusal:
            raise UserError(refusal)
        return {
            "id": voucher.id,
            "code": voucher.name,
            "amount": voucher.amount,
            "date_to": fields.Date.to_string(voucher.date_to),
            "voucher_type": voucher.voucher_type,
        }

    def _tsl_redeem(self, day, amount=None, strict=True, **links):
        """Record a use of each voucher. ``strict`` (back office, online POS
        check) raises on a refused voucher; otherwise (an order already paid
        offline) the use is kept and flagged for review."""
        Use = self.env["tsl.voucher.use"].sudo()
        uses = Use.browse()
        self.env["tsl.points.move"]._tsl_lock_members(self.partner_id.ids)
        for voucher in self.sudo():
            voucher.invalidate_recordset(["state"])
            partner = links.get("partner") or voucher.partner_id
            refusal = voucher._tsl_refusal(partner, day, amount)
            if refusal and strict:
                raise UserError(refusal)
            use = Use.create(
                {
                    "voucher_id": voucher.id,
                    "state": "review" if refusal else "valid",
                    "note": refusal or False,
                    "pos_order_id": links.get("pos_order_id"),
                    "sale_order_id": links.get("sale_order_id"),
                    "store_id": links.get("store_id"),
                    "amount": voucher.amount,
                }
            )
            if not refusal:
                voucher.write({"state": "used", "used_date": fields.Datetime.now()})
            else:
                use._tsl_flag(refusal, _("Voucher use to review"))
            uses |= use
        return uses

    # ---- POS (L12): the member's vouchers at the till ---------------------
    @api.model
    def _load_pos_data_domain(self, data):
        """At start the till knows the open vouchers of the customers it
        loads; a member searched later brings hers (res.partner.tsl_pos_*)."""
        partner_ids = [p["id"] for p in data["res.partner"]["data"]]
        return [
            ("partner_id", "in", partner_ids),
            ("state", "=", "open"),
            ("date_to", ">=", fields.Date.context_today(self)),
        ]

    @api.model
    def _load_pos_data_fields(self, config_id):
        return [
            "id",
            "name",
            "partner_id",
            "voucher_type",
            "amount",
            "min_amount",
            "date_from",
            "date_to",
            "state",
        ]

    def _tsl_pos_read(self, config_id):
        return self.sudo().read(self._load_pos_data_fields(config_id), load=False)

    @api.model
    def tsl_pos_check_code(self, code, partner_id, amount, config_id):
        """POS, online: check a voucher code for the member with
        ``tsl_check_code`` (a clear error when refused) and return the voucher
        in the POS format."""
        checked = self.tsl_check_code(code, partner_id, amount)
        return {"tsl.voucher": self.browse(checked["id"])._tsl_pos_read(config_id)}

    def action_cancel(self):
        if any(v.state == "used" for v in self):
            raise UserError(_("A used voucher cannot be cancelled."))
        self.write({"state": "cancelled"})

    @api.model
    def _cron_tsl_expire_vouchers(self):
        today = fields.Date.context_today(self)
        self.flush_model()
        self.env.cr.execute(
            "UPDATE tsl_voucher SET state = 'expired', "
            "write_date = now() AT TIME ZONE 'UTC' "
            "WHERE state = 'open' AND date_to < %s",
            [today],
        )
        count = self.env.cr.rowcount
        self.invalidate_model(["state"])
        return count
