# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
from collections import defaultdict

import psycopg2
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare

REQUEST_STATES = [
    ("draft", "Draft"),
    ("applied", "Applied"),
    ("approved", "Approved"),
    ("shipped", "Shipped"),
    ("ready", "Ready to Collect"),
    ("collected", "Collected"),
    ("returned", "Gift Returned"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
# States in which a request is over: neither counted as the member's request
# of a campaign nor holding points.
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

    Workflow (L10): draft → applied → approved (HQ; the gift is reserved
    from the sealed stock in the store's allocation, a cash voucher is issued
    at once) → shipped (the store's transfer) → ready (received at the
    store, member notified) → collected (with proof; the locked points are
    spent, the proof is mailed to marketing and merchandising); rejected and
    cancelled give back exactly what was taken (points, reservation, stock
    by a return transfer). Collecting, and cancelling a collected request,
    is refused without its conditions (proof; a return is a separate
    step)."""

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
        group_expand="_read_group_expand_full",
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
    # ---- approval workflow (L10) -------------------------------------------
    quantity = fields.Float(
        compute="_compute_quantity",
        store=True,
        digits="Product Unit of Measure",
        help="Gifts handed over for the request (the choice's quantity).",
    )
    seal_key = fields.Char(
        compute="_compute_seal_key",
        store=True,
        index="btree_not_null",
        help="The sealed stock the gift comes from: the campaign, or the "
        "member-get-member rule.",
    )
    allocation_id = fields.Many2one(
        "tsl.gift.allocation",
        string="Store Allocation",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    move_id = fields.Many2one(
        "stock.move", string="Gift Move", readonly=True, copy=False
    )
    picking_id = fields.Many2one(related="allocation_id.picking_id", string="Shipment")
    handover_picking_id = fields.Many2one(
        "stock.picking", string="Handover", readonly=True, copy=False
    )
    return_picking_id = fields.Many2one(
        "stock.picking", string="Return", readonly=True, copy=False
    )
    approved_by_id = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False
    )
    date_approved = fields.Datetime(string="Approved On", readonly=True, copy=False)
    date_shipped = fields.Datetime(string="Shipped On", readonly=True, copy=False)
    date_ready = fields.Datetime(string="Ready On", readonly=True, copy=False)
    date_collected = fields.Datetime(string="Collected On", readonly=True, copy=False)
    collected_by_id = fields.Many2one(
        "res.users", string="Handed Over By", readonly=True, copy=False
    )
    proof_image = fields.Image(
        string="Signed Receipt",
        max_width=1920,
        max_height=1920,
        copy=False,
        help="Photo of the receipt signed by the member.",
    )
    proof_signature = fields.Image(
        string="Member Signature", max_width=1024, max_height=1024, copy=False
    )
    reject_reason = fields.Text(readonly=True, copy=False)
    wait_reason = fields.Char(
        string="Waiting Because",
        readonly=True,
        copy=False,
        help="Why HQ's last approval left the request waiting.",
    )

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

    def write(self, vals):
        if "store_id" in vals and any(
            r.state not in ("draft", "applied") and r.store_id.id != vals["store_id"]
            for r in self
        ):
            raise UserError(
                _(
                    "The gift of an approved request is on its way to its "
                    "collecting store: the store cannot be changed any more."
                )
            )
        return super().write(vals)

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

    @api.depends("option_id.quantity", "option_id.option_type")
    def _compute_quantity(self):
        for request in self:
            request.quantity = (
                request.option_id.quantity or 1.0
                if request.option_id.option_type == "gift"
                else 0.0
            )

    @api.depends("campaign_id", "referral_reward_id.rule_id")
    def _compute_seal_key(self):
        for request in self:
            if request.campaign_id:
                request.seal_key = f"campaign:{request.campaign_id.id}"
            elif request.referral_reward_id:
                request.seal_key = f"referral:{request.referral_reward_id.rule_id.id}"
            else:
                request.seal_key = False

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
        """States from which a request may be cancelled (not collected: a
        return is a separate step)."""
        return ["draft", "applied", "approved", "shipped", "ready"]

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
    def tsl_apply_sms(self, number, text):
        """An SMS to the redemption number: ``<keyword> <n>`` applies for the
        n-th choice of the sender's band in the open campaign of that keyword
        (``DH 2``). Returns ``(request, reply)``: the reply is queued as an SMS
        to the sender, saying what was applied for or why nothing was; the
        message and the reply are kept in the member's chatter."""
        partner, e164, _valid = self.env["res.partner"]._tsl_member_by_phone(
            number, states=("temporary", "formal")
        )
        partner = partner.sudo()
        request = self.browse()
        try:
            with self.env.cr.savepoint():
                request = self._tsl_apply_sms(partner, text)
            reply = _(
                "We received your application %(ref)s for %(option)s. We will "
                "let you know when it is ready for collection at %(store)s.",
                ref=request.name,
                option=request.option_id.name,
                store=request.store_id.name,
            )
        except UserError as err:
            reply = err.args[0]
        if partner:
            partner.message_post(
                body=_(
                    "SMS to the redemption number: “%(text)s”. Reply: %(reply)s",
                    text=text or "",
                    reply=reply,
                )
            )
        if e164:
            self.env["sms.sms"].sudo().create(
                {
                    "partner_id": partner.id,
                    "number": e164,
                    "body": reply,
                    "state": "outgoing",
                }
            )
        return request, reply

    @api.model
    def _tsl_apply_sms(self, partner, text):
        if not partner:
            raise UserError(
                _(
                    "This number is not the number of an active member: please "
                    "apply at your store or call the hotline."
                )
            )
        match = re.fullmatch(r"\s*([^\d\s]+)\s*(\d+)\s*", text or "")
        Campaign = self.env["tsl.reward.campaign"].sudo()
        campaign = match and Campaign.search(
            [("state", "=", "open"), ("sms_keyword", "=ilike", match.group(1))],
            limit=1,
        )
        if not campaign:
            keywords = Campaign.search(
                [("state", "=", "open"), ("sms_keyword", "!=", False)]
            ).mapped("sms_keyword")
            example = f"{keywords[0] if keywords else 'DH'} 1"
            raise UserError(
                _(
                    "We could not read your message. Send the keyword and the "
                    "number of your choice, e.g. “%(example)s”.",
                    example=example,
                )
            )
        points = campaign._tsl_year_points(partner).get(partner.id, 0)
        band = campaign._tsl_band_for(points, partner.tsl_tier_id)
        if not band:
            raise UserError(
                _(
                    "You earned %(points)s points in %(year)s: not enough for a "
                    "reward of %(campaign)s.",
                    points=points,
                    year=campaign.points_year_id.name,
                    campaign=campaign.name,
                )
            )
        options = band.option_ids.filtered("active")
        choice = int(match.group(2))
        if not 1 <= choice <= len(options):
            choices = "; ".join(f"{i} {o.name}" for i, o in enumerate(options, 1))
            raise UserError(
                _(
                    "Your choices in %(campaign)s are: %(choices)s. Send "
                    "“%(keyword)s” and the number of your choice.",
                    campaign=campaign.name,
                    choices=choices,
                    keyword=campaign.sms_keyword,
                )
            )
        return self.tsl_apply(
            partner, options[choice - 1], "sms", store=partner.tsl_store_id
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
        """Cancel at any step before collection: what was taken goes back
        exactly — locked points unlocked (spent points of a cash voucher
        re-credited, the voucher cancelled), the gift's reservation released
        (approved) or the gift returned to the sealed stock by a return
        transfer (shipped, ready). A collected request is not cancelled: a
        return is a separate step."""
        for request in self:
            if request.state == "cancelled":
                raise UserError(
                    _("%(request)s is already cancelled.", request=request.name)
                )
            if request.state == "collected":
                raise UserError(
                    _(
                        "%(request)s was collected: it cannot be cancelled. Record "
                        "the return of the gift as a separate step.",
                        request=request.name,
                    )
                )
            if request.state not in request._tsl_cancellable_states():
                raise UserError(
                    _(
                        "%(request)s cannot be cancelled any more.",
                        request=request.name,
                    )
                )
            if request.state not in ("draft", "applied"):
                request._tsl_check_hq(_("cancel approved requests"))
            self.env["tsl.points.move"]._tsl_lock_members(request.partner_id.ids)
            was_applied = request.state != "draft"
            details = request._tsl_give_back()
            request.write({"state": "cancelled"})
            if was_applied:
                request.message_post(
                    body=_(
                        "Cancelled: %(details)s",
                        details=details,
                    )
                )
            request._tsl_after_cancel()
        return True

    def _tsl_give_back(self):
        """Give back what the request took in its current state; returns the
        sentence saying what was given back."""
        self.ensure_one()
        state = self.state
        said = []
        self._tsl_cancel_voucher()
        if self.option_type == "gift" and self.move_id:
            if state == "approved":
                self.env["tsl.gift.allocation"]._tsl_release(
                    self.move_id, self.quantity
                )
                said.append(_("the gift's reservation released"))
            elif state in ("shipped", "ready"):
                picking = self._tsl_return_to_seal()
                said.append(
                    _(
                        "the gift returned to the sealed stock by transfer "
                        "%(picking)s",
                        picking=picking.name,
                    )
                )
        if self._tsl_release_points():
            said.append(_("%(points)s locked points given back", points=self.points))
        elif self._tsl_recredit_points():
            said.append(_("%(points)s spent points re-credited", points=self.points))
        if self.referral_reward_id.request_id == self:
            self.referral_reward_id.sudo().write(
                {"state": "earned", "request_id": False}
            )
            said.append(_("the referral reward can be claimed again"))
        if not said:
            said.append(_("nothing was taken"))
        return "; ".join(said) + "."

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

    # ------------------------------------------------------------------------
    # approval workflow (L10): helpers
    # ------------------------------------------------------------------------
    def _tsl_check_hq(self, action):
        if not self.env["tsl.gift.seal"]._tsl_is_hq():
            raise AccessError(_("Only HQ CRM can %(action)s.", action=action))

    def _tsl_lock_rows(self):
        """Lock the requests or fail at once: a second HQ user approving the
        same requests gets a clear error instead of waiting or approving
        twice."""
        if not self:
            return
        self.flush_recordset()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM tsl_redemption_request WHERE id IN %s "
                        "ORDER BY id FOR UPDATE NOWAIT",
                        tuple(self.ids),
                    ),
                    log_exceptions=False,
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                _(
                    "These requests are being approved or changed by another user "
                    "right now: reload them and try again."
                )
            ) from None
        self.invalidate_recordset()

    @api.model
    def _tsl_lock_seals(self, seals):
        """Serialise the approvals and unsealings of the same sealed gifts: the
        rows are locked and touched, so a concurrent transaction waits, then
        fails to serialise and is retried with the new figures."""
        if not seals:
            return
        self.env.cr.execute(
            SQL(
                "SELECT id FROM tsl_gift_seal WHERE id IN %s ORDER BY id FOR UPDATE",
                tuple(seals.ids),
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE tsl_gift_seal SET write_date = now() AT TIME ZONE 'UTC', "
                "write_uid = %s WHERE id IN %s",
                self.env.uid,
                tuple(seals.ids),
            )
        )
        seals.invalidate_recordset(["write_date", "write_uid"])

    def _tsl_mark(self, state, vals=None):
        """Move the requests to ``state`` in one write (the chatter line is
        logged by the caller, in batch)."""
        if self:
            self.sudo().with_context(tracking_disable=True).write(
                {"state": state, **(vals or {})}
            )

    def _tsl_log_batch(self, body_of):
        """One chatter note per request (a logged note, as ``_message_log``
        writes it), inserted in one statement: a bulk approval of 10,000
        requests logs 10,000 notes."""
        if not self:
            return
        ids, bodies = [], []
        for request in self:
            ids.append(request.id)
            bodies.append(str(Markup("<p>%s</p>") % body_of(request)))
        author = self.env.user.partner_id
        self.env["mail.message"].flush_model()
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO mail_message
                   (model, res_id, body, message_type, subtype_id, author_id,
                    email_from, is_internal, message_id, date,
                    create_uid, create_date, write_uid, write_date)
            SELECT %(model)s, v.res_id, v.body, 'notification', %(subtype)s,
                   %(author)s, %(email_from)s, TRUE,
                   '<' || md5(random()::text || v.res_id::text) || '.'
                       || extract(epoch FROM now())::bigint
                       || '-tsl-message-notify@odoo>',
                   now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC',
                   %(uid)s, now() AT TIME ZONE 'UTC'
              FROM unnest(%(ids)s::int[], %(bodies)s::text[]) AS v(res_id, body)
            """,
                model=self._name,
                subtype=self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                author=author.id or None,
                email_from=self.env.user.email_formatted or None,
                uid=self.env.uid,
                ids=ids,
                bodies=bodies,
            )
        )
        self.env["mail.message"].invalidate_model()
        self.invalidate_recordset(["message_ids"])

    def _tsl_seal_of(self):
        self.ensure_one()
        return (
            self.env["tsl.gift.seal"]
            .sudo()
            .search(
                [
                    ("key", "=", self.seal_key),
                    ("product_id", "=", self.product_id.id),
                    ("company_id", "=", self.company_id.id),
                ],
                limit=1,
            )
        )

    # ------------------------------------------------------------------------
    # approve / reject
    # ------------------------------------------------------------------------
    def action_approve(self):
        """HQ approves (one request, or in bulk from the list). Requests the
        sealed stock cannot serve wait, with the reason; approving a single
        request that cannot be served is refused with the reason."""
        approved = self.tsl_approve()
        waiting = self - approved
        if waiting and len(self) == 1:
            raise UserError(
                _(
                    "%(request)s cannot be approved: %(reason)s",
                    request=self.name,
                    reason=waiting.wait_reason,
                )
            )
        if not waiting:
            return True
        reasons = sorted(set(waiting.mapped("wait_reason")))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _(
                    "%(approved)s approved, %(waiting)s waiting",
                    approved=len(approved),
                    waiting=len(waiting),
                ),
                "message": "\n".join(reasons),
                "type": "warning",
                "sticky": True,
            },
        }

    def tsl_approve(self):
        """Approve applied requests; returns the approved ones.

        Gifts: the requests are served from the campaign's sealed stock,
        oldest application first, and added to their store's open
        allocation (one transfer per store, one move per gift, reserved from
        the sealed location); requests the stock cannot serve stay applied
        with ``wait_reason``. The points stay locked until collection.
        Cash vouchers: the voucher is issued and the locked points spent."""
        self._tsl_check_hq(_("approve redemption requests"))
        self._tsl_lock_rows()
        wrong = self.filtered(lambda r: r.state != "applied")
        if wrong:
            raise UserError(
                _(
                    "Only applied requests can be approved: %(requests)s.",
                    requests=", ".join(wrong[:20].mapped("name")),
                )
            )
        vouchers = self.filtered(lambda r: r.option_type == "voucher")
        approved = vouchers._tsl_approve_vouchers()
        approved |= (self - vouchers)._tsl_approve_gifts()
        return approved

    def _tsl_approve_vouchers(self):
        now = fields.Datetime.now()
        for request in self:
            self.env["tsl.points.move"]._tsl_lock_members(request.partner_id.ids)
            request._tsl_mark(
                "approved",
                {
                    "approved_by_id": self.env.user.id,
                    "date_approved": now,
                    "wait_reason": False,
                },
            )
            request._tsl_issue_reward_voucher()
            request._tsl_redeem_points()
            request.message_post(
                body=_(
                    "Approved by %(user)s: cash voucher %(voucher)s issued instead "
                    "of a gift, %(points)s locked points spent.",
                    user=self.env.user.name,
                    voucher=request.voucher_id.name,
                    points=request.points,
                )
            )
        return self

    def _tsl_approve_gifts(self):
        if not self:
            return self
        Quant = self.env["stock.quant"].sudo()
        requests = self.sorted(lambda r: (r.date_applied or r.create_date, r.id))
        seals = {
            (seal.key, seal.product_id): seal
            for seal in self.env["tsl.gift.seal"]
            .sudo()
            .search(
                [
                    ("key", "in", list(set(requests.mapped("seal_key")))),
                    ("product_id", "in", requests.product_id.ids),
                    ("company_id", "in", requests.company_id.ids),
                ]
            )
        }
        self._tsl_lock_seals(
            self.env["tsl.gift.seal"].browse([s.id for s in seals.values()])
        )
        free = {}
        waiting = defaultdict(list)
        needs = defaultdict(lambda: defaultdict(float))
        chosen = defaultdict(list)
        labels = {}
        for request in requests:
            product, store = request.product_id, request.store_id
            seal = seals.get((request.seal_key, product))
            if request.seal_key not in labels:
                labels[request.seal_key] = self.env["tsl.gift.seal"]._tsl_key_label(
                    request.seal_key
                )
            label = labels[request.seal_key]
            if not seal or seal.state != "sealed":
                waiting[
                    _(
                        "no %(gift)s is sealed for %(seal)s",
                        gift=product.display_name,
                        seal=label,
                    )
                ].append(request.id)
                continue
            if not store:
                waiting[_("no collecting store is set")].append(request.id)
                continue
            if not store.sudo().warehouse_id:
                waiting[
                    _(
                        "store %(store)s has no warehouse to ship the gift to",
                        store=store.display_name,
                    )
                ].append(request.id)
                continue
            if seal not in free:
                free[seal] = Quant._get_available_quantity(
                    product, seal._tsl_location()
                )
            if (
                float_compare(
                    request.quantity,
                    free[seal],
                    precision_rounding=product.uom_id.rounding,
                )
                > 0
            ):
                waiting[
                    _(
                        "the sealed stock of %(gift)s for %(seal)s is used up: "
                        "seal more or wait for returns",
                        gift=product.display_name,
                        seal=label,
                    )
                ].append(request.id)
                continue
            free[seal] -= request.quantity
            needs[(request.seal_key, store)][product] += request.quantity
            chosen[(request.seal_key, store, product)].append(request.id)
        approved = self.browse()
        if needs:
            moves = self.env["tsl.gift.allocation"]._tsl_add(needs, seals)
            now = fields.Datetime.now()
            for entry, ids in chosen.items():
                alloc, move = moves[entry]
                group = self.browse(ids)
                group._tsl_mark(
                    "approved",
                    {
                        "allocation_id": alloc.id,
                        "move_id": move.id,
                        "approved_by_id": self.env.user.id,
                        "date_approved": now,
                        "wait_reason": False,
                    },
                )
                approved |= group
            approver = self.env.user.name
            approved._tsl_log_batch(
                lambda r: self.env._(
                    "Approved by %(user)s: %(gift)s reserved from the sealed stock, "
                    "to ship to %(store)s with %(allocation)s (transfer "
                    "%(picking)s). The points stay locked until collection.",
                    user=approver,
                    gift=r.product_id.display_name,
                    store=r.store_id.display_name,
                    allocation=r.allocation_id.name,
                    picking=r.allocation_id.picking_id.name,
                )
            )
        for reason, ids in waiting.items():
            group = self.browse(ids)
            group.sudo().with_context(tracking_disable=True).write(
                {"wait_reason": reason}
            )
            group._tsl_log_batch(
                lambda r, reason=reason: self.env._(
                    "Not approved: %(reason)s.", reason=reason
                )
            )
        return approved

    def action_reject_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Reject Requests"),
            "res_model": "tsl.redemption.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_ids": [fields.Command.set(self.ids)]},
        }

    def action_reject(self, reason):
        """HQ rejects applied or approved (not shipped) requests, with a
        reason: what was taken is given back as on cancelling."""
        self._tsl_check_hq(_("reject redemption requests"))
        if not (reason or "").strip():
            raise UserError(_("Give the reason of the rejection."))
        self._tsl_lock_rows()
        wrong = self.filtered(lambda r: r.state not in ("applied", "approved"))
        if wrong:
            raise UserError(
                _(
                    "Only applied or approved requests not shipped yet can be "
                    "rejected (cancel the others): %(requests)s.",
                    requests=", ".join(wrong[:20].mapped("name")),
                )
            )
        for request in self:
            self.env["tsl.points.move"]._tsl_lock_members(request.partner_id.ids)
            details = request._tsl_give_back()
            request.write({"state": "rejected", "reject_reason": reason})
            request.message_post(
                body=_(
                    "Rejected by %(user)s: %(reason)s. Given back: %(details)s",
                    user=self.env.user.name,
                    reason=reason,
                    details=details,
                )
            )
        return True

    # ------------------------------------------------------------------------
    # shipping, receipt at the store, notification
    # ------------------------------------------------------------------------
    def action_ship(self):
        """Ship the store allocations of these approved requests (with all
        the requests they carry: one transfer per store)."""
        if any(r.state != "approved" or not r.allocation_id for r in self):
            raise UserError(_("Only approved gift requests can be shipped."))
        return self.allocation_id.action_ship()

    def action_receive(self):
        """The store confirms the receipt of these requests' allocations, as
        shipped (differences: from the allocation's form)."""
        if any(r.state != "shipped" for r in self):
            raise UserError(_("Only shipped requests can be received."))
        self.allocation_id.action_receive()
        return True

    def _tsl_may_email(self):
        self.ensure_one()
        partner = self.partner_id.sudo()
        return bool(partner.email) and any(
            c.channel == "email" and c.consent for c in partner.tsl_consent_ids
        )

    def _tsl_may_sms(self):
        self.ensure_one()
        partner = self.partner_id.sudo()
        return (
            partner.tsl_phone_state == "valid"
            and bool(partner.tsl_phone_normalized)
            and not any(
                c.channel == "sms" and not c.consent for c in partner.tsl_consent_ids
            )
        )

    def _tsl_notify_ready(self):
        """Tell the members their gift is ready: an SMS (unless opted out)
        and an email where they consented to email."""
        if not self:
            return
        sms_template = self.env.ref(
            "tsl_loyalty.sms_template_tsl_gift_ready", raise_if_not_found=False
        )
        mail_template = self.env.ref(
            "tsl_loyalty.mail_template_tsl_gift_ready", raise_if_not_found=False
        )
        requests = self.sudo()
        by_sms = requests.filtered(lambda r: r._tsl_may_sms()) if sms_template else []
        by_mail = (
            requests.filtered(lambda r: r._tsl_may_email()) if mail_template else []
        )
        if by_sms:
            bodies = sms_template._render_field("body", by_sms.ids, compute_lang=True)
            self.env["sms.sms"].sudo().create(
                [
                    {
                        "partner_id": r.partner_id.id,
                        "number": r.partner_id.tsl_phone_normalized,
                        "body": bodies[r.id],
                        "state": "outgoing",
                    }
                    for r in by_sms
                ]
            )
        if by_mail:
            mail_template.sudo().send_mail_batch(by_mail.ids)
        sms_ids, mail_ids = set(by_sms and by_sms.ids), set(by_mail and by_mail.ids)

        def said(request):
            told = []
            if request.id in sms_ids:
                told.append(
                    self.env._(
                        "SMS to %(number)s",
                        number=request.partner_id.tsl_phone_normalized,
                    )
                )
            if request.id in mail_ids:
                told.append(
                    self.env._("email to %(email)s", email=request.partner_id.email)
                )
            if not told:
                return self.env._(
                    "Member not notified: no valid mobile or SMS opt-out, and no "
                    "email consent. Call the member."
                )
            return self.env._(
                "Member notified: %(channels)s.", channels=", ".join(told)
            )

        self._tsl_log_batch(said)

    # ------------------------------------------------------------------------
    # collection at the store
    # ------------------------------------------------------------------------
    def action_collect(self):
        """The member collects the gift at the store: a proof (the signed
        receipt photo or the member's signature) is required; the gift leaves
        the store's sealed stock to the member, the locked points are spent
        and the proof is mailed to the campaign's marketing and
        merchandising addresses."""
        for request in self:
            if request.state != "ready":
                raise UserError(
                    _(
                        "%(request)s is not ready for collection.",
                        request=request.name,
                    )
                )
            if not (request.proof_image or request.proof_signature):
                raise UserError(
                    _(
                        "Attach the receipt signed by the member (photo) or the "
                        "member's signature before recording the collection of "
                        "%(request)s.",
                        request=request.name,
                    )
                )
            request.check_access("write")
            self.env["tsl.points.move"]._tsl_lock_members(request.partner_id.ids)
            picking = request._tsl_handover()
            request._tsl_redeem_points()
            request.sudo().write(
                {
                    "state": "collected",
                    "date_collected": fields.Datetime.now(),
                    "collected_by_id": self.env.user.id,
                    "handover_picking_id": picking.id,
                }
            )
            request.message_post(
                body=_(
                    "Collected at %(store)s, handed over by %(user)s (transfer "
                    "%(picking)s); %(points)s locked points spent.",
                    store=request.store_id.display_name,
                    user=self.env.user.name,
                    picking=picking.name,
                    points=request.points,
                )
            )
            request._tsl_send_proof()
        return True

    def action_return_wizard(self):
        action = self.action_reject_wizard()
        action["name"] = _("Gift Returned")
        action["context"]["default_mode"] = "return"
        return action

    def action_return_gift(self, reason):
        """HQ records that the member brought a collected gift back (the
        separate step that replaces cancelling a collected request): the
        gift goes back to the store's sealed stock of the campaign by a
        receipt, the points spent are re-credited."""
        self._tsl_check_hq(_("record the return of a collected gift"))
        if not (reason or "").strip():
            raise UserError(_("Give the reason of the return."))
        self._tsl_lock_rows()
        wrong = self.filtered(lambda r: r.state != "collected")
        if wrong:
            raise UserError(
                _(
                    "Only collected gifts can be returned: %(requests)s.",
                    requests=", ".join(wrong[:20].mapped("name")),
                )
            )
        for request in self:
            self.env["tsl.points.move"]._tsl_lock_members(request.partner_id.ids)
            handover = request.handover_picking_id.sudo()
            picking = request._tsl_transfer(
                handover.location_dest_id,
                handover.location_id,
                request.store_id.sudo().warehouse_id.in_type_id,
                partner=request.partner_id,
            )
            recredited = request._tsl_recredit_points()
            request.sudo().write({"state": "returned", "return_picking_id": picking.id})
            request.message_post(
                body=_(
                    "Gift returned by the member (%(reason)s): back in the sealed "
                    "stock of %(store)s by transfer %(picking)s; %(points)s points "
                    "re-credited.",
                    reason=reason,
                    store=request.store_id.display_name,
                    picking=picking.name,
                    points=sum(recredited.mapped("points")),
                )
            )
        return True

    def _tsl_handover(self):
        """The gift leaves the store's sealed location to the member."""
        self.ensure_one()
        source = self.move_id.sudo().location_dest_id
        warehouse = self.store_id.sudo().warehouse_id
        dest = self.env.ref("stock.stock_location_customers")
        return self._tsl_transfer(
            source, dest, warehouse.out_type_id, partner=self.partner_id
        )

    def _tsl_return_to_seal(self):
        """The gift goes back from the store to the HQ sealed stock."""
        self.ensure_one()
        move = self.move_id.sudo()
        warehouse = self.store_id.sudo().warehouse_id
        picking = self._tsl_transfer(
            move.location_dest_id, move.location_id, warehouse.int_type_id
        )
        self.sudo().return_picking_id = picking
        return picking

    def _tsl_transfer(self, source, dest, picking_type, partner=None):
        """A validated transfer of the request's gift, for its seal."""
        self.ensure_one()
        product = self.product_id
        return self.env["stock.picking"]._tsl_create_done(
            {
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": dest.id,
                "origin": self.name,
                "partner_id": partner.id if partner else False,
                "company_id": self.company_id.id,
                "move_ids": [
                    fields.Command.create(
                        {
                            "name": product.display_name,
                            "product_id": product.id,
                            "product_uom": product.uom_id.id,
                            "product_uom_qty": self.quantity,
                            "location_id": source.id,
                            "location_dest_id": dest.id,
                            "tsl_seal_key": self.seal_key,
                        }
                    )
                ],
            },
            lambda move: _(
                "%(gift)s of %(request)s is not in stock at %(location)s "
                "(a receipt difference?): HQ must check the stock first.",
                gift=product.display_name,
                request=self.name,
                location=source.display_name,
            ),
        )

    def _tsl_proof_recipients(self):
        self.ensure_one()
        source = self.campaign_id or self.referral_reward_id.rule_id
        return [e for e in (source.marketing_email, source.merchandising_email) if e]

    def _tsl_send_proof(self):
        """Mail the proof of collection to the campaign's marketing and
        merchandising addresses."""
        self.ensure_one()
        recipients = self._tsl_proof_recipients()
        template = self.env.ref(
            "tsl_loyalty.mail_template_tsl_gift_proof", raise_if_not_found=False
        )
        if not recipients or not template:
            self.message_post(
                body=_(
                    "No marketing or merchandising address is set on the "
                    "campaign: the proof was not mailed."
                )
            )
            return self.env["mail.mail"]
        attachments = self.env["ir.attachment"].sudo()
        for field, label in (
            ("proof_image", "receipt"),
            ("proof_signature", "signature"),
        ):
            if self[field]:
                attachments |= attachments.create(
                    {
                        "name": f"{self.name.replace('/', '-')}-{label}.png",
                        "datas": self[field],
                        "res_model": self._name,
                        "res_id": self.id,
                        "mimetype": "image/png",
                    }
                )
        mail_id = template.sudo().send_mail(
            self.id,
            email_values={
                "email_to": ",".join(recipients),
                "attachment_ids": [fields.Command.set(attachments.ids)],
            },
        )
        self.message_post(
            body=_(
                "Proof of collection mailed to %(recipients)s.",
                recipients=", ".join(recipients),
            )
        )
        return self.env["mail.mail"].sudo().browse(mail_id)

    def _tsl_recredit_points(self):
        """Give back points already spent for the request (a cash voucher
        cancelled before use): one line per points year, as spent."""
        self.ensure_one()
        if not self.points:
            return self.env["tsl.points.move"]
        Move = self.env["tsl.points.move"].sudo()
        spent = Move.search(
            [
                ("partner_id", "=", self.partner_id.id),
                ("origin", "=", self.name),
                ("move_type", "=", "spend_locked"),
            ]
        )
        per_year = defaultdict(int)
        for move in spent:
            per_year[move.year_id] += -move.locked
        return Move._tsl_post(
            [
                {
                    "partner_id": self.partner_id.id,
                    "year_id": year.id,
                    "move_type": "spend",
                    "points": pts,
                    "reason": _("Re-credited: %(request)s", request=self.name),
                    "origin": self.name,
                    "source_key": f"tsl-recredit:{self.id}:{year.id}",
                }
                for year, pts in per_year.items()
                if pts > 0
            ]
        )

    # ------------------------------------------------------------------------
    # demo data
    # ------------------------------------------------------------------------
    @api.model
    def _tsl_demo_gift_story(self, gift1_id, gift2_id):
        """Demo: ten Second Prize members of the stores with a warehouse
        apply for the sealed gifts; the requests end in every state."""
        gift1 = self.env["tsl.reward.option"].browse(gift1_id)
        gift2 = self.env["tsl.reward.option"].browse(gift2_id)
        campaign = gift1.band_id.campaign_id
        members = self.env["res.partner"].search(
            [
                ("tsl_member_state", "=", "formal"),
                ("tsl_tier_id", "in", campaign.tier_ids.ids),
                ("tsl_store_id.warehouse_id", "!=", False),
            ],
            order="id",
            limit=10,
        )
        year = campaign.points_year_id
        self.env["tsl.points.move"]._tsl_post(
            [
                {
                    "partner_id": member.id,
                    "year_id": year.id,
                    "move_type": "adjust",
                    "points": 60000,
                    "reason": "Demo: points of the year",
                    "source_key": f"demo:tsl_loyalty:gift_story:{member.id}",
                }
                for member in members
                if not campaign.tsl_eligible_band(member)
            ]
        )
        channels = ["sms", "store", "hotline"]
        requests = self.browse()
        for n, member in enumerate(members):
            if campaign.tsl_eligible_band(member) != gift1.band_id:
                continue
            requests |= self.tsl_apply(
                member,
                gift1 if n % 3 else gift2,
                channels[n % 3],
                store=member.tsl_store_id,
            )
        if len(requests) < 8:
            return requests
        # two wait for HQ, the others are approved
        requests[2:].tsl_approve()
        requests[2].action_reject("Demo: the member's points are under review")
        requests[3].action_cancel()
        # HQ ships the open allocations but one, the stores confirm the
        # receipt of all but one; one member collects
        allocations = (
            requests[4:]
            .allocation_id.filtered(lambda a: a.state == "open")
            .sorted("id")
        )
        to_ship = allocations[:-1] if len(allocations) > 2 else allocations
        to_ship.action_ship()
        to_receive = to_ship[1:] if len(to_ship) > 1 else to_ship
        to_receive.action_receive()
        ready = requests.filtered(lambda r: r.state == "ready")
        if len(ready) > 1:
            ready[0].proof_signature = (
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
                "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
            )
            ready[0].action_collect()
        return requests
