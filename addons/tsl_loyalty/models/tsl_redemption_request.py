# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

REQUEST_STATES = [
    ("draft", "Draft"),
    ("applied", "Applied"),
    ("cancelled", "Cancelled"),
]
# States in which a request is over: neither counted as the member's request
# of a campaign nor holding points. The approval workflow adds "rejected".
INACTIVE_STATES = ("draft", "cancelled", "rejected")
CHANNELS = [
    ("store", "Store"),
    ("sms", "SMS"),
    ("hotline", "Hotline"),
    ("portal", "Self-Service Portal"),
]


class TslRedemptionRequest(models.Model):
    """A redemption request (礼品申请): a member applies, at a store, by SMS,
    through the hotline or the portal, for a choice (gift or cash voucher) of
    the annual points reward — the band's points are locked at once — or for
    a member-get-member reward (no points).

    Workflow here: draft → applied → cancelled. The approval workflow (L10)
    adds approved / shipped / collected / rejected with ``selection_add`` and
    uses the hooks ``_tsl_after_apply``, ``_tsl_cancellable_states``,
    ``_tsl_redeem_points``, ``_tsl_issue_reward_voucher`` and
    ``_tsl_after_cancel``."""

    _name = "tsl.redemption.request"
    _description = "Redemption Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    request_type = fields.Selection(
        [("points", "Annual Points Reward"), ("referral", "Member-get-Member")],
        string="Type",
        required=True,
        default="points",
        readonly=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Member",
        required=True,
        index=True,
        tracking=True,
        domain=[("tsl_member_state", "in", ("temporary", "formal"))],
    )
    member_number = fields.Char(related="partner_id.tsl_member_number")
    tier_id = fields.Many2one(related="partner_id.tsl_tier_id", string="Tier")
    member_store_id = fields.Many2one(
        related="partner_id.tsl_store_id",
        string="Home Store",
        store=True,
        index=True,
    )
    area_id = fields.Many2one(
        related="member_store_id.area_id", string="Area", store=True, index=True
    )
    campaign_id = fields.Many2one(
        "tsl.reward.campaign",
        string="Campaign",
        index="btree_not_null",
        tracking=True,
        domain=[("state", "=", "open")],
    )
    points_year_id = fields.Many2one(related="campaign_id.points_year_id")
    band_id = fields.Many2one(
        "tsl.reward.band",
        string="Band",
        readonly=True,
        tracking=True,
        help="The member's band, from the points earned in the year.",
    )
    option_id = fields.Many2one(
        "tsl.reward.option",
        string="Choice",
        tracking=True,
    )
    allowed_option_ids = fields.Many2many(
        "tsl.reward.option", compute="_compute_allowed_option_ids"
    )
    option_type = fields.Selection(
        related="option_id.option_type", string="Choice Type"
    )
    product_id = fields.Many2one(related="option_id.product_id", string="Gift")
    voucher_amount = fields.Monetary(
        related="option_id.voucher_amount", currency_field="currency_id"
    )
    currency_id = fields.Many2one(related="option_id.currency_id")
    referral_reward_id = fields.Many2one(
        "tsl.referral.reward",
        string="Referral Reward",
        readonly=True,
        index="btree_not_null",
    )
    channel = fields.Selection(CHANNELS, required=True, default="store", tracking=True)
    store_id = fields.Many2one(
        "tsl.store",
        string="Collecting Store",
        index=True,
        tracking=True,
        default=lambda self: self.env.user.tsl_store_id,
        help="The store where the member collects the gift.",
    )
    points = fields.Integer(
        string="Locked Points",
        readonly=True,
        copy=False,
        help="Points locked for this request (the band's lower limit).",
    )
    year_points = fields.Integer(
        string="Points Earned in the Year",
        readonly=True,
        copy=False,
        help="The member's points of the campaign's year when applying.",
    )
    state = fields.Selection(
        REQUEST_STATES,
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    date_applied = fields.Datetime(string="Applied On", readonly=True, copy=False)
    user_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        default=lambda self: self.env.user,
        readonly=True,
    )
    voucher_id = fields.Many2one(
        "tsl.voucher", string="Voucher", readonly=True, copy=False
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    note = fields.Text()

    def init(self):
        # One live request per member and campaign, one per referral reward,
        # even when two stores apply at the same moment.
        inactive = SQL(", ").join(SQL("%s", state) for state in INACTIVE_STATES)
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS "
                "tsl_redemption_request_once_campaign "
                "ON tsl_redemption_request (partner_id, campaign_id) "
                "WHERE campaign_id IS NOT NULL AND state NOT IN (%s)",
                inactive,
            )
        )
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS "
                "tsl_redemption_request_once_referral "
                "ON tsl_redemption_request (referral_reward_id) "
                "WHERE referral_reward_id IS NOT NULL AND state NOT IN (%s)",
                inactive,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("tsl.redemption.request")
                    or "/"
                )
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(r.state != "draft" for r in self):
            raise UserError(_("Only draft requests can be deleted: cancel the others."))

    @api.depends("request_type", "campaign_id", "referral_reward_id", "partner_id")
    def _compute_allowed_option_ids(self):
        """The choices of the member's band (all the campaign's choices
        while no member is chosen), or of the referral rule."""
        for request in self:
            if request.request_type == "referral":
                options = request.referral_reward_id.rule_id.option_ids
            elif request.campaign_id and request.partner_id:
                band = request.campaign_id.tsl_eligible_band(request.partner_id)
                options = band.option_ids
            else:
                options = request.campaign_id.band_ids.option_ids
            request.allowed_option_ids = options

    @api.onchange("option_id")
    def _onchange_option_id(self):
        if self.option_id.band_id:
            self.campaign_id = self.option_id.band_id.campaign_id

    # ------------------------------------------------------------------------
    # states the approval workflow extends
    # ------------------------------------------------------------------------
    @api.model
    def _tsl_active_states(self):
        """States of a live request (it counts as the member's request)."""
        return [
            s
            for s, _label in self._fields["state"]._description_selection(self.env)
            if s not in INACTIVE_STATES
        ]

    @api.model
    def _tsl_cancellable_states(self):
        """States from which a request may be cancelled."""
        return ["draft", "applied"]

    # ------------------------------------------------------------------------
    # applying
    # ------------------------------------------------------------------------
    @api.model
    def tsl_apply(self, partner, option, channel, store=None):
        """A member applies for ``option`` of an annual points reward.

        Checks that the campaign is open and today in its application window,
        that the member's points earned in the campaign's year fall in the
        option's band (and its tier restriction), that the member has no live
        request in the campaign and has the band's points available; then
        creates the request and locks the band's points (origin = the
        request's reference), in one transaction. Raises a UserError naming
        the reason otherwise."""
        partner.ensure_one()
        option.ensure_one()
        if not option.band_id:
            raise UserError(
                _("%(option)s is not a choice of a points reward.", option=option.name)
            )
        return self._tsl_create_and_apply(
            {
                "request_type": "points",
                "partner_id": partner.id,
                "campaign_id": option.band_id.campaign_id.id,
                "option_id": option.id,
                "channel": channel,
                "store_id": (
                    store or self.env.user.tsl_store_id or partner.tsl_store_id
                ).id,
            }
        )

    @api.model
    def tsl_apply_referral(self, reward, option, channel, store=None):
        """The referrer claims an earned member-get-member reward: a request
        for one of the rule's choices, no points locked."""
        reward.ensure_one()
        option.ensure_one()
        partner = reward.referrer_id
        return self._tsl_create_and_apply(
            {
                "request_type": "referral",
                "partner_id": partner.id,
                "referral_reward_id": reward.id,
                "option_id": option.id,
                "channel": channel,
                "store_id": (
                    store or self.env.user.tsl_store_id or partner.tsl_store_id
                ).id,
            }
        )

    @api.model
    def _tsl_create_and_apply(self, vals):
        """Create and apply in a savepoint: a refused application leaves no
        draft behind, even when the caller catches the error (a hotline
        screen trying another choice)."""
        with self.env.cr.savepoint():
            request = self.create(vals)
            request.action_apply()
        return request

    def action_apply(self):
        """Record the application of draft requests (checks, then the points
        are locked)."""
        for request in self:
            if request.state != "draft":
                raise UserError(
                    _("%(request)s was already applied for.", request=request.name)
                )
            if not request.option_id:
                raise UserError(
                    _(
                        "Choose the gift or voucher of %(request)s.",
                        request=request.name,
                    )
                )
            # the member's row lock: a second till applying waits
            self.env["tsl.points.move"]._tsl_lock_members(request.partner_id.ids)
            if request.request_type == "referral":
                request._tsl_apply_referral()
            else:
                request._tsl_apply_points()
            request._tsl_after_apply()
        return True

    def _tsl_apply_points(self):
        self.ensure_one()
        partner, option = self.partner_id, self.option_id
        band = option.band_id
        campaign = band.campaign_id
        if not band:
            raise UserError(
                _("%(option)s is not a choice of a points reward.", option=option.name)
            )
        if not option.active:
            raise UserError(_("%(option)s is no longer offered.", option=option.name))
        if campaign.state != "open":
            raise UserError(
                _(
                    "%(campaign)s is not open for applications.",
                    campaign=campaign.name,
                )
            )
        if not campaign._tsl_is_open():
            raise UserError(
                _(
                    "Applications for %(campaign)s are accepted from %(date_from)s "
                    "to %(date_to)s.",
                    campaign=campaign.name,
                    date_from=campaign.date_from,
                    date_to=campaign.date_to,
                )
            )
        if partner.tsl_member_state not in ("temporary", "formal"):
            raise UserError(
                _("%(member)s is not an active member.", member=partner.display_name)
            )
        if not campaign._tsl_tier_allowed(partner.tsl_tier_id):
            raise UserError(
                _(
                    "Members of the %(tier)s tier do not take part in %(campaign)s.",
                    tier=partner.tsl_tier_id.name or _("(no tier)"),
                    campaign=campaign.name,
                )
            )
        points = campaign._tsl_year_points(partner).get(partner.id, 0)
        eligible = campaign._tsl_band_for(points, partner.tsl_tier_id)
        if eligible != band:
            if not eligible:
                reason = _(
                    "%(member)s earned %(points)s points in %(year)s: not enough "
                    "for any band of %(campaign)s.",
                    member=partner.display_name,
                    points=points,
                    year=campaign.points_year_id.name,
                    campaign=campaign.name,
                )
            else:
                reason = _(
                    "%(member)s earned %(points)s points in %(year)s: the band is "
                    "%(eligible)s, not %(band)s.",
                    member=partner.display_name,
                    points=points,
                    year=campaign.points_year_id.name,
                    eligible=eligible.name,
                    band=band.name,
                )
            raise UserError(reason)
        other = self.search(
            [
                ("id", "!=", self.id),
                ("partner_id", "=", partner.id),
                ("campaign_id", "=", campaign.id),
                ("state", "in", self._tsl_active_states()),
            ],
            limit=1,
        )
        if other:
            raise UserError(
                _(
                    "%(member)s already applied for %(campaign)s: %(request)s.",
                    member=partner.display_name,
                    campaign=campaign.name,
                    request=other.name,
                )
            )
        available = sum(
            self.env["tsl.points.move"]
            ._tsl_available_by_year(partner, fields.Date.context_today(self))
            .mapped("balance")
        )
        if available < band.min_points:
            raise UserError(
                _(
                    "%(member)s needs %(needed)s points for %(band)s but has "
                    "%(available)s available.",
                    member=partner.display_name,
                    needed=band.min_points,
                    band=band.name,
                    available=available,
                )
            )
        self.write(
            {
                "campaign_id": campaign.id,
                "band_id": band.id,
                "points": band.min_points,
                "year_points": points,
                "state": "applied",
                "date_applied": fields.Datetime.now(),
            }
        )
        partner.tsl_points_lock(
            band.min_points,
            self.name,
            reason=_(
                "Locked for %(request)s (%(campaign)s, %(band)s)",
                request=self.name,
                campaign=campaign.name,
                band=band.name,
            ),
        )
        self.message_post(
            body=_(
                "Applied by %(channel)s for %(band)s: %(option)s. %(points)s "
                "points locked (%(earned)s earned in %(year)s).",
                channel=self._tsl_channel_label(),
                band=band.name,
                option=option.name,
                points=band.min_points,
                earned=points,
                year=campaign.points_year_id.name,
            )
        )

    def _tsl_apply_referral(self):
        self.ensure_one()
        reward, option = self.referral_reward_id, self.option_id
        if not reward:
            raise UserError(
                _("%(request)s has no referral reward to claim.", request=self.name)
            )
        reward.invalidate_recordset(["state"])
        if reward.state != "earned":
            raise UserError(
                _(
                    "The referral reward %(reward)s cannot be claimed: it is "
                    "%(state)s.",
                    reward=reward.display_name,
                    state=dict(
                        reward._fields["state"]._description_selection(self.env)
                    )[reward.state],
                )
            )
        if option not in reward.rule_id.option_ids:
            raise UserError(
                _(
                    "%(option)s is not a choice of %(rule)s.",
                    option=option.name,
                    rule=reward.rule_id.name,
                )
            )
        self.write(
            {
                "partner_id": reward.referrer_id.id,
                "points": 0,
                "state": "applied",
                "date_applied": fields.Datetime.now(),
            }
        )
        reward.sudo().write({"state": "claimed", "request_id": self.id})
        self.message_post(
            body=_(
                "Claimed by %(channel)s for %(rule)s: %(option)s.",
                channel=self._tsl_channel_label(),
                rule=reward.rule_id.name,
                option=option.name,
            )
        )

    def _tsl_channel_label(self):
        self.ensure_one()
        return dict(self._fields["channel"]._description_selection(self.env))[
            self.channel
        ]

    def _tsl_after_apply(self):
        """Hook of the approval workflow (L10): e.g. an activity for HQ."""
        self.ensure_one()
        self.partner_id.sudo()._message_log(
            body=_(
                "Redemption request %(request)s: %(option)s.",
                request=self.name,
                option=self.option_id.name,
            )
        )

    # ------------------------------------------------------------------------
    # cancelling
    # ------------------------------------------------------------------------
    def action_cancel(self):
        """Cancel: the locked points go back to the member, exactly as they
        were locked, a referral reward can be claimed again."""
        for request in self:
            if request.state == "cancelled":
                raise UserError(
                    _("%(request)s is already cancelled.", request=request.name)
                )
            if request.state not in request._tsl_cancellable_states():
                raise UserError(
                    _(
                        "%(request)s cannot be cancelled any more.",
                        request=request.name,
                    )
                )
            self.env["tsl.points.move"]._tsl_lock_members(request.partner_id.ids)
            was_applied = request.state != "draft"
            request._tsl_release_points()
            request._tsl_cancel_voucher()
            if request.referral_reward_id.request_id == request:
                request.referral_reward_id.sudo().write(
                    {"state": "earned", "request_id": False}
                )
            request.write({"state": "cancelled"})
            if was_applied:
                request.message_post(
                    body=_(
                        "Cancelled: %(points)s points given back.",
                        points=request.points,
                    )
                )
            request._tsl_after_cancel()
        return True

    def _tsl_release_points(self):
        """Unlock what this request locked (nothing for a draft)."""
        self.ensure_one()
        if self.state == "draft" or not self.points:
            return self.env["tsl.points.move"]
        locked = self.env["tsl.points.move"]._tsl_locked_by_year(
            self.partner_id, self.name
        )
        if not locked:
            return self.env["tsl.points.move"]
        return self.partner_id.tsl_points_unlock(
            self.name, reason=_("Request %(request)s cancelled", request=self.name)
        )

    def _tsl_cancel_voucher(self):
        self.ensure_one()
        if self.voucher_id and self.voucher_id.state == "open":
            self.voucher_id.sudo().action_cancel()
        elif self.voucher_id:
            raise UserError(
                _(
                    "The voucher %(code)s of %(request)s was already used: the "
                    "request cannot be cancelled.",
                    code=self.voucher_id.name,
                    request=self.name,
                )
            )

    def _tsl_after_cancel(self):
        """Hook of the approval workflow (L10): e.g. give the gift stock back."""

    # ------------------------------------------------------------------------
    # used by the approval workflow
    # ------------------------------------------------------------------------
    def _tsl_redeem_points(self):
        """The locked points are spent (on approval)."""
        moves = self.env["tsl.points.move"]
        for request in self.filtered("points"):
            moves |= request.partner_id.tsl_points_spend_locked(
                request.name,
                reason=_("Redeemed: %(request)s", request=request.name),
            )
        return moves

    def _tsl_issue_reward_voucher(self):
        """Issue the cash voucher of the requests whose choice is a voucher
        (once: a request keeps its voucher). Returns the vouchers."""
        Voucher = self.env["tsl.voucher"]
        vouchers = Voucher
        for request in self.filtered(lambda r: r.option_type == "voucher"):
            if request.voucher_id:
                vouchers |= request.voucher_id
                continue
            if request.state in INACTIVE_STATES:
                raise UserError(
                    _(
                        "%(request)s is not a live request: no voucher.",
                        request=request.name,
                    )
                )
            days = (
                request.campaign_id.voucher_validity_days
                or request.company_id.tsl_voucher_validity_days
            )
            voucher = Voucher._tsl_issue(
                request.partner_id,
                "reward",
                request.voucher_amount,
                days,
                _(
                    "%(option)s, request %(request)s",
                    option=request.option_id.name,
                    request=request.name,
                ),
                points_cost=request.points,
            )
            request.voucher_id = voucher
            request.message_post(
                body=_(
                    "Voucher %(code)s issued, valid until %(date)s.",
                    code=voucher.name,
                    date=voucher.date_to,
                )
            )
            vouchers |= voucher
        return vouchers
