# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class TslReferralReward(models.Model):
    """A member-get-member reward earned by a referrer (created by the
    nightly job of ``tsl.referral.rule``): earned → claimed when a redemption
    request is made for it (cancelling the request makes it claimable again)
    or cancelled by HQ."""

    _name = "tsl.referral.reward"
    _description = "Member-get-Member Reward"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    referrer_id = fields.Many2one(
        "res.partner", string="Referrer", required=True, index=True, readonly=True
    )
    rule_id = fields.Many2one(
        "tsl.referral.rule", required=True, index=True, readonly=True
    )
    rule_type = fields.Selection(related="rule_id.rule_type")
    referred_id = fields.Many2one(
        "res.partner",
        string="Referred Member",
        readonly=True,
        index="btree_not_null",
        help="The referred member who earned it (rules per member and spend).",
    )
    referred_ids = fields.Many2many(
        "res.partner",
        "tsl_referral_reward_referred_rel",
        "reward_id",
        "partner_id",
        string="Referred Members",
        readonly=True,
    )
    threshold = fields.Integer(
        readonly=True, help="Referred members counted for this reward."
    )
    state = fields.Selection(
        [("earned", "Earned"), ("claimed", "Claimed"), ("cancelled", "Cancelled")],
        default="earned",
        required=True,
        tracking=True,
        index=True,
    )
    date = fields.Date(
        string="Earned On", required=True, default=fields.Date.context_today
    )
    request_id = fields.Many2one(
        "tsl.redemption.request", string="Request", readonly=True, copy=False
    )
    option_ids = fields.One2many(related="rule_id.option_ids", string="Choices")
    store_id = fields.Many2one(
        related="referrer_id.tsl_store_id",
        string="Home Store",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    def init(self):
        # Exactly once per referrer, rule and referred member (count rules:
        # per referrer and rule), whoever runs the job and how often.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS tsl_referral_reward_once "
            "ON tsl_referral_reward (rule_id, referrer_id, COALESCE(referred_id, 0))"
        )

    @api.depends("rule_id", "referrer_id")
    def _compute_display_name(self):
        for reward in self:
            reward.display_name = f"{reward.rule_id.name} – {reward.referrer_id.name}"

    def tsl_claim(self, option, channel, store=None):
        """The referrer chooses ``option``: a redemption request (no points)."""
        self.ensure_one()
        return self.env["tsl.redemption.request"].tsl_apply_referral(
            self, option, channel, store
        )

    def action_claim(self):
        """Back office: a draft request for the referrer to fill in."""
        self.ensure_one()
        if self.state != "earned":
            raise UserError(
                _(
                    "%(reward)s was already claimed or cancelled.",
                    reward=self.display_name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "tsl.redemption.request",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_request_type": "referral",
                "default_partner_id": self.referrer_id.id,
                "default_referral_reward_id": self.id,
            },
        }

    def action_cancel(self):
        if any(r.state == "claimed" for r in self):
            raise UserError(
                _("Cancel the redemption request of a claimed reward first.")
            )
        self.write({"state": "cancelled"})

    def action_reset(self):
        self.filtered(lambda r: r.state == "cancelled").write({"state": "earned"})
