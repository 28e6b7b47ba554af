# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The member's side of the annual points reward (L8), member-get-member
(L11) and the quarterly points statement by SMS (L2)."""

import logging
from datetime import date

from odoo import api, fields, models
from odoo.tools import SQL, format_date, split_every

_logger = logging.getLogger(__name__)

ACTIVE_MEMBER_STATES = ("temporary", "formal")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ---- member-get-member (L11) ----------------------------------------------
    tsl_referral_ids = fields.One2many(
        "res.partner", "tsl_referrer_id", string="Referred Members"
    )
    tsl_referral_count = fields.Integer(
        string="Referrals", compute="_compute_tsl_referral_counts"
    )
    tsl_referral_tier_summary = fields.Char(
        string="Referrals per Tier",
        compute="_compute_tsl_referral_counts",
        help="Active referred members per tier, e.g. 2 Premier, 1 Select.",
    )
    tsl_referral_reward_ids = fields.One2many(
        "tsl.referral.reward", "referrer_id", string="Referral Rewards"
    )

    # ---- redemption requests (L8, L10) ----------------------------------------
    tsl_redemption_request_ids = fields.One2many(
        "tsl.redemption.request", "partner_id", string="Redemption Requests"
    )
    tsl_redemption_request_count = fields.Integer(
        string="Requests", compute="_compute_tsl_redemption_request_count"
    )

    # ---- quarterly points statement (L2) ----------------------------------------
    tsl_statement_last_date = fields.Date(
        string="Last Points Statement",
        readonly=True,
        copy=False,
        help="Date of the last quarterly points statement SMS queued.",
    )
    tsl_statement_band_id = fields.Many2one(
        "tsl.reward.band",
        string="Reward Within Reach",
        compute="_compute_tsl_statement",
        help="The band of the open points reward the member can apply for now.",
    )
    tsl_statement_year = fields.Char(compute="_compute_tsl_statement")
    tsl_statement_points = fields.Char(
        compute="_compute_tsl_statement",
        help="Points earned in the points year of the reward, as in the SMS.",
    )
    tsl_statement_available = fields.Char(compute="_compute_tsl_statement")
    tsl_statement_voucher = fields.Char(
        compute="_compute_tsl_statement",
        help="The best cash voucher within reach, as in the SMS (¥1,000).",
    )
    tsl_statement_date = fields.Char(
        compute="_compute_tsl_statement",
        help="Apply before this date (the reward's application deadline, or "
        "the points' expiry date).",
    )

    # ------------------------------------------------------------------------
    # member-get-member
    # ------------------------------------------------------------------------
    def _tsl_referral_counts_by_tier(self):
        """{referrer id: {tier: count}} of the active referred members (an
        aggregate: counted whatever the user may see)."""
        rows = (
            self.sudo()
            .with_context(active_test=True)
            ._read_group(
                [
                    ("tsl_referrer_id", "in", self.ids),
                    ("tsl_member_state", "in", ACTIVE_MEMBER_STATES),
                ],
                ["tsl_referrer_id", "tsl_tier_id"],
                ["__count"],
            )
        )
        counts = {}
        for referrer, tier, count in rows:
            counts.setdefault(referrer.id, {})[tier] = count
        return counts

    def _compute_tsl_referral_counts(self):
        counts = self._tsl_referral_counts_by_tier() if self.ids else {}
        for partner in self:
            per_tier = counts.get(partner.id, {})
            partner.tsl_referral_count = sum(per_tier.values())
            ordered = sorted(per_tier.items(), key=lambda kv: -kv[0].sequence)
            partner.tsl_referral_tier_summary = ", ".join(
                f"{count} {tier.name or self.env._('No Tier')}"
                for tier, count in ordered
            )

    def action_tsl_view_referrals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tsl_crm.tsl_member_action"
        )
        action["domain"] = [("tsl_referrer_id", "=", self.id)]
        action["context"] = {"default_tsl_referrer_id": self.id}
        return action

    # ------------------------------------------------------------------------
    # redemption requests
    # ------------------------------------------------------------------------
    def _compute_tsl_redemption_request_count(self):
        counts = dict(
            self.env["tsl.redemption.request"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.tsl_redemption_request_count = counts.get(partner, 0)

    def action_tsl_view_redemption_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tsl_loyalty.tsl_redemption_request_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    # ------------------------------------------------------------------------
    # quarterly points statement
    # ------------------------------------------------------------------------
    def _tsl_statement_scope(self):
        """(campaign, points year) the statement speaks of: the open reward
        (context key ``tsl_statement_campaign_id`` from the job), else the
        current points year without a reward."""
        Campaign = self.env["tsl.reward.campaign"]
        campaign_id = self.env.context.get("tsl_statement_campaign_id")
        campaign = (
            Campaign.browse(campaign_id)
            if campaign_id
            else Campaign._tsl_statement_campaign()
        )
        if campaign:
            return campaign, campaign.points_year_id
        today = fields.Date.context_today(self)
        year = self.env["tsl.points.year"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("date_from", "<=", today),
                ("date_to", ">=", today),
            ],
            limit=1,
        )
        return campaign, year

    def _compute_tsl_statement(self):
        """For all the members at once: one query for their year's points."""
        Campaign = self.env["tsl.reward.campaign"]
        campaign, year = self._tsl_statement_scope()
        ids = [pid for pid in self.ids if pid]
        earned = campaign._tsl_year_points(self.browse(ids)) if campaign else {}
        for partner in self:
            points = earned.get(partner.id, 0)
            band = self.env["tsl.reward.band"]
            if campaign and partner.tsl_member_state in ACTIVE_MEMBER_STATES:
                band = campaign._tsl_band_for(points, partner.tsl_tier_id)
                if band and partner.tsl_points_balance < band.min_points:
                    band = band.browse()  # not enough points left to apply
            deadline = campaign.date_to if campaign else year.expiry_date
            partner.tsl_statement_band_id = band
            partner.tsl_statement_year = year.name or False
            partner.tsl_statement_points = Campaign._tsl_format_points(points)
            partner.tsl_statement_available = Campaign._tsl_format_points(
                partner.tsl_points_balance
            )
            partner.tsl_statement_voucher = (
                Campaign._tsl_format_amount(
                    band.best_voucher_amount, campaign.currency_id
                )
                if band.best_voucher_amount
                else False
            )
            partner.tsl_statement_date = (
                format_date(self.env, deadline, lang_code=partner.lang or None)
                if deadline
                else False
            )

    @api.model
    def _tsl_statement_recipients(self, quarter_start):
        """Ids of the members to tell, in one query: active members with
        available points, a valid phone, no SMS opt-out, not told yet this
        quarter."""
        self.flush_model()
        self.env["tsl.member.consent"].flush_model()
        self.env.cr.execute(
            SQL(
                """
            SELECT p.id FROM res_partner p
             WHERE p.active
               AND p.tsl_member_state IN %(states)s
               AND p.tsl_points_balance > 0
               AND p.tsl_phone_state = 'valid'
               AND p.tsl_phone_normalized IS NOT NULL
               AND (p.tsl_statement_last_date IS NULL
                    OR p.tsl_statement_last_date < %(quarter)s)
               AND NOT EXISTS (SELECT 1 FROM tsl_member_consent c
                                WHERE c.partner_id = p.id AND c.channel = 'sms'
                                  AND NOT c.consent)
             ORDER BY p.id
            """,
                states=ACTIVE_MEMBER_STATES,
                quarter=quarter_start,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _cron_tsl_points_statement(self, batch_size=1000):
        """Quarterly points statement (季度积分提醒): one SMS per member,
        queued (state outgoing) for the SMS queue to send, at most once per
        quarter. Members with a reward within reach read the seeds' text
        ("your 2013 points are 60,050: exchange them for a ¥1,000 voucher
        before …"), the others their available points. Rendered and created
        in batches of ``batch_size`` members."""
        today = fields.Date.context_today(self)
        quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        reward_template = self.env.ref(
            "tsl_loyalty.sms_template_tsl_points_statement_reward",
            raise_if_not_found=False,
        )
        plain_template = self.env.ref(
            "tsl_loyalty.sms_template_tsl_points_statement", raise_if_not_found=False
        )
        if not reward_template or not plain_template:
            _logger.warning("TSL points statement: SMS templates missing.")
            return 0
        campaign = self.env["tsl.reward.campaign"]._tsl_statement_campaign(today)
        members = self.with_context(tsl_statement_campaign_id=campaign.id)
        Sms = self.env["sms.sms"].sudo()
        total = 0
        for ids in split_every(
            batch_size, self._tsl_statement_recipients(quarter_start)
        ):
            partners = members.browse(ids)
            with_reward = partners.filtered("tsl_statement_voucher")
            without = partners - with_reward
            bodies = {}
            if with_reward:
                bodies.update(
                    reward_template._render_field(
                        "body", with_reward.ids, compute_lang=True
                    )
                )
            if without:
                bodies.update(
                    plain_template._render_field("body", without.ids, compute_lang=True)
                )
            Sms.create(
                [
                    {
                        "partner_id": partner.id,
                        "number": partner.tsl_phone_normalized,
                        "body": bodies[partner.id],
                        "state": "outgoing",
                    }
                    for partner in partners
                ]
            )
            self.env.cr.execute(
                SQL(
                    "UPDATE res_partner SET tsl_statement_last_date = %s "
                    "WHERE id IN %s",
                    today,
                    tuple(ids),
                )
            )
            partners.invalidate_recordset()
            total += len(ids)
        _logger.info("TSL points statement: %s SMS queued", total)
        return total
