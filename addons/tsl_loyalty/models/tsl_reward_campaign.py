# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import formatLang


class TslRewardCampaign(models.Model):
    """The annual points reward (年度积分奖赏) of one points year, e.g. the
    "2012/13 Points Reward": bands of points earned in the year (尊荣奖,
    特等奖, 一等奖 … 五等奖), each offering gift 1, gift 2 or a cash voucher,
    and an application window.

    Rules:

    * the points that count are the points the member EARNED in the
      campaign's points year (``tsl.points.balance.earned``: accrual plus
      refund clawbacks and positive adjustments, before spending);
    * the member's band is the highest band whose range
      [min_points, max_points) holds these points and whose tier restriction
      (if any) includes the member's tier;
    * an application locks exactly the band's ``min_points`` (the price of
      the band), taken first in, first out by the ledger from the member's
      available points — the member keeps the rest.
    """

    _name = "tsl.reward.campaign"
    _description = "Annual Points Reward"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"

    name = fields.Char(
        required=True,
        translate=True,
        tracking=True,
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
    )
    points_year_id = fields.Many2one(
        "tsl.points.year",
        string="Points Year",
        required=True,
        index=True,
        tracking=True,
        help="The points earned in this year decide the member's band.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(
        string="Applications From",
        required=True,
        tracking=True,
        help="First day members may apply for their reward.",
    )
    date_to = fields.Date(
        string="Applications Until",
        required=True,
        tracking=True,
        help="Last day members may apply for their reward.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("open", "Open"), ("closed", "Closed")],
        default="draft",
        required=True,
        tracking=True,
        index=True,
        help="Open: published to members (points statements mention it) and "
        "applications are accepted within the application window.",
    )
    tier_ids = fields.Many2many(
        "tsl.member.tier",
        string="Eligible Tiers",
        help="Members of these tiers may apply; empty = every tier. The tiers' "
        "benefits matrix (Annual Points Reward) is the usual choice.",
    )
    voucher_validity_days = fields.Integer(
        string="Vouchers Valid (Days)",
        default=90,
        help="Validity of the cash vouchers given by this campaign.",
    )
    band_ids = fields.One2many(
        "tsl.reward.band", "campaign_id", string="Bands", copy=True
    )
    request_ids = fields.One2many(
        "tsl.redemption.request", "campaign_id", string="Redemption Requests"
    )
    request_count = fields.Integer(compute="_compute_request_count")
    description = fields.Html(translate=True)
    sms_keyword = fields.Char(
        string="SMS Keyword",
        tracking=True,
        help="Members apply by sending this keyword and the number of their "
        "choice (e.g. DH 2) to the redemption SMS number.",
    )
    marketing_email = fields.Char(
        help="Receives the proof of each gift collected (signed receipt).",
    )
    merchandising_email = fields.Char(
        help="Receives the proof of each gift collected, to reconcile the stock.",
    )
    seal_ids = fields.One2many("tsl.gift.seal", "campaign_id", string="Sealed Gifts")
    allocation_ids = fields.One2many(
        "tsl.gift.allocation", "campaign_id", string="Store Allocations"
    )

    @api.depends("points_year_id")
    def _compute_name(self):
        for campaign in self:
            if not campaign.name and campaign.points_year_id:
                campaign.name = _(
                    "%(year)s Points Reward", year=campaign.points_year_id.name
                )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for campaign in self:
            if campaign.date_to < campaign.date_from:
                raise ValidationError(_("The application window ends after it starts."))

    def _compute_request_count(self):
        counts = dict(
            self.env["tsl.redemption.request"]._read_group(
                [("campaign_id", "in", self.ids)], ["campaign_id"], ["__count"]
            )
        )
        for campaign in self:
            campaign.request_count = counts.get(campaign, 0)

    # ------------------------------------------------------------------------
    # state
    # ------------------------------------------------------------------------
    def action_open(self):
        for campaign in self:
            if not campaign.band_ids:
                raise UserError(
                    _(
                        "%(campaign)s has no band: add the bands before opening it.",
                        campaign=campaign.display_name,
                    )
                )
            empty = campaign.band_ids.filtered(lambda b: not b.option_ids)
            if empty:
                raise UserError(
                    _(
                        "These bands offer nothing to choose: %(bands)s.",
                        bands=", ".join(empty.mapped("name")),
                    )
                )
        self.write({"state": "open"})

    def action_close(self):
        self.write({"state": "closed"})

    def action_draft(self):
        self.write({"state": "draft"})

    def action_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tsl_loyalty.tsl_redemption_request_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"default_campaign_id": self.id}
        return action

    # ------------------------------------------------------------------------
    # eligibility
    # ------------------------------------------------------------------------
    def _tsl_is_open(self, day=None):
        """Open and ``day`` (default today) within the application window."""
        self.ensure_one()
        day = day or fields.Date.context_today(self)
        return self.state == "open" and self.date_from <= day <= self.date_to

    @api.constrains("sms_keyword", "state")
    def _check_sms_keyword(self):
        for campaign in self.filtered("sms_keyword"):
            keyword = campaign.sms_keyword.strip()
            if not keyword or any(c.isdigit() or c.isspace() for c in keyword):
                raise ValidationError(
                    _(
                        "The SMS keyword of %(campaign)s must be one word without "
                        "digits (the member adds the number of the choice).",
                        campaign=campaign.name,
                    )
                )
            if campaign.state == "open" and self.search_count(
                [
                    ("id", "!=", campaign.id),
                    ("state", "=", "open"),
                    ("sms_keyword", "=ilike", keyword),
                ]
            ):
                raise ValidationError(
                    _(
                        "Another open campaign already uses the SMS keyword "
                        "%(keyword)s.",
                        keyword=keyword,
                    )
                )

    def _tsl_year_points(self, partners):
        """{partner id: points earned in the campaign's points year}: one
        query for all the members."""
        self.ensure_one()
        rows = (
            self.env["tsl.points.balance"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", partners.ids),
                    ("year_id", "=", self.points_year_id.id),
                ],
                ["partner_id"],
                ["earned:sum"],
            )
        )
        return {partner.id: earned for partner, earned in rows}

    def _tsl_tier_allowed(self, tier):
        self.ensure_one()
        return not self.tier_ids or tier in self.tier_ids

    def _tsl_band_for(self, points, tier):
        """The highest band holding ``points`` that a member of ``tier`` may
        have, or an empty recordset."""
        self.ensure_one()
        if not self._tsl_tier_allowed(tier):
            return self.env["tsl.reward.band"]
        bands = self.band_ids.filtered(
            lambda b: b._tsl_holds(points) and b._tsl_tier_allowed(tier)
        )
        return bands.sorted("min_points", reverse=True)[:1]

    def tsl_eligible_band(self, partner):
        """The band the member qualifies for with the points earned in the
        campaign's points year (empty when none)."""
        self.ensure_one()
        partner.ensure_one()
        if partner.tsl_member_state not in ("temporary", "formal"):
            return self.env["tsl.reward.band"]
        points = self._tsl_year_points(partner).get(partner.id, 0)
        return self._tsl_band_for(points, partner.tsl_tier_id)

    @api.model
    def _tsl_statement_campaign(self, day=None, company=None):
        """The campaign the points statements announce: the open campaign
        whose application window ends first on or after ``day``."""
        day = day or fields.Date.context_today(self)
        company = company or self.env.company
        return self.search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "open"),
                ("date_to", ">=", day),
            ],
            order="date_to, id",
            limit=1,
        )

    # ------------------------------------------------------------------------
    # figures as members read them (SMS, portal)
    # ------------------------------------------------------------------------
    @api.model
    def _tsl_format_points(self, points):
        """60,050 — grouped in the language of the context."""
        return formatLang(self.env, points or 0, digits=0)

    @api.model
    def _tsl_format_amount(self, amount, currency=None):
        """¥1,000 — no decimals for whole amounts, no space after the sign."""
        currency = currency or self.env.company.currency_id
        digits = 0 if float(amount or 0.0).is_integer() else currency.decimal_places
        number = formatLang(self.env, amount or 0.0, digits=digits)
        if currency.position == "after":
            return f"{number}{currency.symbol}"
        return f"{currency.symbol}{number}"
