# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date, split_every

_logger = logging.getLogger(__name__)

ACTIVE_MEMBER_STATES = ("temporary", "formal")

# The member badge of the POS (L12): read with the POS partner fields.
POS_BADGE_FIELDS = [
    "tsl_member_number",
    "tsl_member_state",
    "tsl_tier_id",
    "tsl_grade",
    "tsl_points_balance",
    "tsl_special_day_this_month",
    "tsl_benefit_available",
    "tsl_open_voucher_count",
    "tsl_deposit_count",
]
# What the till may not show of a member the user may not see (M8): the
# counter serves any member who gives her phone or card, not her address.
POS_PRIVATE_FIELDS = ["street", "city", "zip", "email", "vat", "contact_address"]
# The enrolment form of the POS: the only values the till may send.
POS_ENROL_FIELDS = {
    "name": str,
    "tsl_gender": str,
    "tsl_birthday_calendar": str,
    "tsl_birth_month": int,
    "tsl_birth_day": int,
    "mobile": str,
    "street": str,
    "city": str,
    "zip": str,
    "email": str,
    "tsl_consent_paper": bool,
    "tsl_consent_signature": str,
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    tsl_points_balance = fields.Integer(
        string="Points",
        readonly=True,
        default=0,
        copy=False,
        help="Available points: always the sum of the ledger lines.",
    )
    tsl_points_locked = fields.Integer(
        string="Locked Points",
        readonly=True,
        default=0,
        copy=False,
        help="Points set aside for pending redemptions.",
    )
    tsl_points_move_ids = fields.One2many(
        "tsl.points.move", "partner_id", string="Points Ledger"
    )
    tsl_points_balance_ids = fields.One2many(
        "tsl.points.balance", "partner_id", string="Points per Year"
    )
    tsl_benefit_available = fields.Boolean(
        string="Birthday Benefit Available",
        compute="_compute_tsl_benefit_available",
        help="Birthday or special day this month, and the once-a-month benefit "
        "not used yet.",
    )

    tsl_special_day_this_month = fields.Boolean(
        string="Birthday or Special Day This Month",
        compute="_compute_tsl_special_day_this_month",
    )

    tsl_voucher_ids = fields.One2many("tsl.voucher", "partner_id", string="Vouchers")
    tsl_open_voucher_count = fields.Integer(
        string="Open Vouchers", compute="_compute_tsl_open_voucher_count"
    )

    _sql_constraints = [
        (
            "tsl_points_balance_positive",
            "CHECK(tsl_points_balance >= 0)",
            "A member's points balance cannot be negative.",
        ),
        (
            "tsl_points_locked_positive",
            "CHECK(tsl_points_locked >= 0)",
            "A member's locked points cannot be negative.",
        ),
    ]

    # ---- birthday benefit ---------------------------------------------------
    def _tsl_benefit_month(self, day=None):
        """True when the member may have the benefit in ``day``'s month: the
        tier grants it and the birthday (or, when the tier grants the
        special-day benefit, a special date) falls in that month."""
        self.ensure_one()
        day = day or fields.Date.context_today(self)
        tier = self.tsl_tier_id
        if not self.tsl_member_state or self.tsl_member_state == "lapsed":
            return False
        start = day.replace(day=1)
        end = start + relativedelta(months=1)
        dates = []
        if tier.benefit_birthday:
            dates += [self.tsl_birthday_last, self.tsl_birthday_next]
        if tier.benefit_special_day:
            dates += self.tsl_special_date_ids.mapped("last_date")
            dates += self.tsl_special_date_ids.mapped("next_date")
        return any(d and start <= d < end for d in dates)

    def _compute_tsl_special_day_this_month(self):
        start, end = self._tsl_month_bounds()
        for partner in self:
            dates = [partner.tsl_birthday_last, partner.tsl_birthday_next]
            dates += partner.tsl_special_date_ids.mapped("last_date")
            dates += partner.tsl_special_date_ids.mapped("next_date")
            partner.tsl_special_day_this_month = any(
                d and start <= d < end for d in dates
            )

    def _compute_tsl_benefit_available(self):
        Use = self.env["tsl.benefit.use"]
        today = fields.Date.context_today(self)
        for partner in self:
            partner.tsl_benefit_available = bool(
                partner.id
                and partner._tsl_benefit_month(today)
                and not Use._tsl_is_used(partner, today)
            )

    # ---- points API ---------------------------------------------------------
    def tsl_points_spend(self, points, reason, origin=None, store=None):
        self.ensure_one()
        return self.env["tsl.points.move"]._tsl_take(
            self,
            int(points),
            "spend",
            reason,
            origin,
            store_id=store.id if store else False,
        )

    def tsl_points_lock(self, points, origin, reason=None):
        self.ensure_one()
        return self.env["tsl.points.move"]._tsl_take(
            self, int(points), "lock", reason or _("Locked for %(o)s", o=origin), origin
        )

    def tsl_points_unlock(self, origin, reason=None):
        self.ensure_one()
        return self.env["tsl.points.move"]._tsl_release(
            self, origin, "unlock", reason or _("Unlocked: %(o)s", o=origin)
        )

    def tsl_points_spend_locked(self, origin, reason=None):
        self.ensure_one()
        return self.env["tsl.points.move"]._tsl_release(
            self, origin, "spend_locked", reason or _("Redeemed: %(o)s", o=origin)
        )

    def tsl_points_adjust(self, points, reason):
        """Manual correction by HQ, with a reason."""
        self.ensure_one()
        if not self.env.user.has_group("tsl_crm.group_tsl_hq_crm"):
            raise UserError(_("Only HQ CRM can adjust points."))
        if not (reason or "").strip():
            raise UserError(_("A points adjustment needs a reason."))
        points = int(points)
        if not points:
            raise UserError(_("An adjustment of 0 points changes nothing."))
        Move = self.env["tsl.points.move"]
        if points < 0:
            return Move._tsl_take(self, -points, "adjust", reason)
        year = self.env["tsl.points.year"]._tsl_for_date(
            fields.Date.context_today(self)
        )
        return Move._tsl_post(
            [
                {
                    "partner_id": self.id,
                    "year_id": year.id,
                    "move_type": "adjust",
                    "points": points,
                    "reason": reason,
                }
            ]
        )

    def _tsl_after_points_earned(self):
        """Crossing the threshold makes a temporary member formal at once."""
        threshold = self.env.company.tsl_formal_points_threshold
        temporary = self.filtered(lambda p: p.tsl_member_state == "temporary")
        if not temporary:
            return
        earned = dict(
            self.env["tsl.points.balance"]._read_group(
                [("partner_id", "in", temporary.ids)], ["partner_id"], ["earned:sum"]
            )
        )
        temporary.filtered(lambda p: earned.get(p, 0) >= threshold)._tsl_make_formal()

    # ---- hooks of tsl_crm -----------------------------------------------------
    @api.model
    def _tsl_grade_points_query(self, scoped=False):
        """Grades read the points earned in the last 12 months, net of the
        refund clawbacks."""
        since = fields.Date.context_today(self) - relativedelta(months=12)
        if scoped:  # member by member, through the ledger's partner index
            return SQL(
                """
                SELECT s.id AS partner_id,
                       (SELECT SUM(points) FROM tsl_points_move
                         WHERE partner_id = s.id AND move_type IN ('earn', 'refund')
                           AND date >= %s) AS points
                  FROM tsl_scope s
                """,
                since,
            )
        return SQL(
            """
            SELECT partner_id, SUM(points) AS points
              FROM tsl_points_move
             WHERE move_type IN ('earn', 'refund') AND date >= %s
             GROUP BY partner_id
            """,
            since,
        )

    @api.model
    def _tsl_grade_points_changes_query(self, since, last_today, today):
        """Earnings (and their refund clawbacks) written since the last
        night, and those leaving the 12-month window between the last night
        and today. Other lines (spending, expiry, adjustments) do not move
        the grading points: the yearly expiry does not bring every member
        into the next night."""
        return SQL(
            """
            SELECT partner_id FROM tsl_points_move
             WHERE write_date >= %(since)s AND move_type IN ('earn', 'refund')
            UNION ALL
            SELECT partner_id FROM tsl_points_move
             WHERE move_type IN ('earn', 'refund')
               AND date >= %(l12)s AND date < %(d12)s
            """,
            since=since,
            l12=last_today - relativedelta(months=12),
            d12=today - relativedelta(months=12),
        )

    @api.model
    def _tsl_formal_points_query(self):
        return SQL(
            """
            SELECT p.id AS partner_id, COALESCE(b.earned, 0) AS points
              FROM res_partner p
              LEFT JOIN (SELECT partner_id, SUM(earned) AS earned
                           FROM tsl_points_balance GROUP BY partner_id) b
                     ON b.partner_id = p.id
             WHERE p.tsl_member_state = 'temporary'
            """
        )

    # ---- tier pricelists --------------------------------------------------------
    @api.model
    def _tsl_assign_tier_pricelists(self, tiers):
        """Members get their tier's pricelist (set-based, per company)."""
        for tier in tiers.filtered("pricelist_id"):
            self.flush_model(["tsl_tier_id"])
            self.env.cr.execute(
                SQL(
                    """
                UPDATE res_partner
                   SET specific_property_product_pricelist =
                       COALESCE(specific_property_product_pricelist, '{}'::jsonb)
                       || jsonb_build_object(%(company)s, %(pricelist)s)
                 WHERE tsl_tier_id = %(tier)s
                   AND (specific_property_product_pricelist -> %(company)s)
                       IS DISTINCT FROM to_jsonb(%(pricelist)s)
                """,
                    company=str(self.env.company.id),
                    pricelist=tier.pricelist_id.id,
                    tier=tier.id,
                )
            )
        self.invalidate_model(
            ["specific_property_product_pricelist", "property_product_pricelist"]
        )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        for partner in partners.filtered("tsl_tier_id.pricelist_id"):
            partner.specific_property_product_pricelist = (
                partner.tsl_tier_id.pricelist_id
            )
        return partners

    def write(self, vals):
        res = super().write(vals)
        if vals.get("tsl_tier_id"):
            tier = self.env["tsl.member.tier"].browse(vals["tsl_tier_id"])
            if tier.pricelist_id:
                self.write(
                    {"specific_property_product_pricelist": tier.pricelist_id.id}
                )
        return res

    # ---- vouchers (L5, L6) ----------------------------------------------------
    def _compute_tsl_open_voucher_count(self):
        counts = dict(
            self.env["tsl.voucher"]._read_group(
                [("partner_id", "in", self.ids), ("state", "=", "open")],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.tsl_open_voucher_count = counts.get(partner, 0)

    def tsl_points_cashback(self, units=None):
        """Every N points give a ¥M voucher (积分返现): spend ``units`` × N
        points (default: as many as the balance allows) for one voucher."""
        self.ensure_one()
        company = self.env.company
        step = company.tsl_cashback_points
        if step <= 0 or company.tsl_cashback_amount <= 0:
            raise UserError(_("Points cash-back is not configured."))
        units = units if units is not None else self.tsl_points_balance // step
        if units <= 0:
            raise UserError(
                _(
                    "%(member)s needs at least %(step)s points for a cash-back "
                    "voucher (has %(points)s).",
                    member=self.display_name,
                    step=step,
                    points=self.tsl_points_balance,
                )
            )
        points = units * step
        voucher = self.env["tsl.voucher"]._tsl_issue(
            self,
            "cashback",
            units * company.tsl_cashback_amount,
            company.tsl_voucher_validity_days,
            _("Cash-back for %(points)s points", points=points),
            points_cost=points,
        )
        self.tsl_points_spend(
            points,
            _("Cash-back voucher %(code)s", code=voucher.name),
            origin=voucher.name,
        )
        return voucher

    def _tsl_after_enrol(self):
        """Welcome kit (迎新套装): the coupon, and an activity for the
        associate to hand over the charter and the card."""
        res = super()._tsl_after_enrol()
        company = self.env.company
        for partner in self:
            if company.tsl_welcome_voucher_amount > 0:
                self.env["tsl.voucher"]._tsl_issue(
                    partner,
                    "welcome",
                    company.tsl_welcome_voucher_amount,
                    company.tsl_voucher_validity_days,
                    _("Welcome kit coupon"),
                )
            partner.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Hand over the welcome kit: charter, card and coupon"),
                user_id=(partner.tsl_associate_id or self.env.user).id,
            )
        return res

    @api.model
    def _cron_tsl_renewal_vouchers(self):
        """In the month of their membership anniversary, members get their
        renewal coupon: paper for those who qualify for renewal, an MMS
        e-coupon for the others — once a year, set-based."""
        company = self.env.company
        today = fields.Date.context_today(self)
        self.flush_model()
        self.env["tsl.voucher"].flush_model()
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO tsl_voucher
                   (name, partner_id, voucher_type, medium, amount, currency_id,
                    date_from, date_to, state, reason, store_id,
                    create_uid, create_date, write_uid, write_date)
            SELECT 'V' || upper(substr(md5(random()::text || p.id::text), 1, 11)),
                   p.id, 'renewal',
                   CASE WHEN p.tsl_renewal_qualified THEN 'paper' ELSE 'mms' END,
                   CASE WHEN p.tsl_renewal_qualified THEN %(paper)s ELSE %(mms)s END,
                   %(currency)s, %(today)s, %(until)s, 'open', %(reason)s,
                   p.tsl_store_id, %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s,
                   now() AT TIME ZONE 'UTC'
              FROM res_partner p
             WHERE p.tsl_member_state = 'formal'
               AND EXTRACT(MONTH FROM p.tsl_enrol_date) = %(month)s
               AND p.tsl_enrol_date < %(year_ago)s
               AND NOT EXISTS (SELECT 1 FROM tsl_voucher v
                                WHERE v.partner_id = p.id AND v.voucher_type = 'renewal'
                                  AND v.date_from > %(year_ago)s)
               AND CASE WHEN p.tsl_renewal_qualified THEN %(paper)s ELSE %(mms)s END > 0
            """,
                paper=company.tsl_renewal_paper_amount,
                mms=company.tsl_renewal_mms_amount,
                currency=company.currency_id.id,
                today=today,
                until=today + relativedelta(days=company.tsl_voucher_validity_days),
                reason=_("Renewal coupon"),
                uid=self.env.uid,
                month=today.month,
                year_ago=today - relativedelta(months=11),
            )
        )
        count = self.env.cr.rowcount
        self.env["tsl.voucher"].invalidate_model()
        return count

    # ======================================================================
    # annual points reward (L8), member-get-member (L11), points statement (L2)
    # ======================================================================

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

    # ------------------------------------------------------------------------
    # POS counter (L12, M2): member search, badge, enrolment
    # ------------------------------------------------------------------------
    @api.model
    def _load_pos_data_fields(self, config_id):
        fields_list = super()._load_pos_data_fields(config_id)
        return fields_list + POS_BADGE_FIELDS if fields_list else fields_list

    def _tsl_pos_data(self, config_id):
        """The members in the POS format (the partner fields of the POS and
        the badge) with their open vouchers, for ``pos.data`` to load.
        Members the user may not see under the M8 rules come without their
        address and email."""
        fields_list = self._load_pos_data_fields(config_id)
        members = self.sudo().with_context(active_test=False).exists()
        records = members.read(fields_list, load=False)
        visible = set(self.browse(members.ids)._filtered_access("read").ids)
        for record in records:
            if record["id"] not in visible:
                record.update(dict.fromkeys(POS_PRIVATE_FIELDS, False))
        vouchers = (
            self.env["tsl.voucher"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", members.ids),
                    ("state", "=", "open"),
                    ("date_to", ">=", fields.Date.context_today(self)),
                ]
            )
        )
        return {
            "res.partner": records,
            "tsl.voucher": vouchers._tsl_pos_read(config_id),
        }

    @api.model
    def tsl_pos_search(self, query, config_id, offset=0, limit=20):
        """POS: a page of members for a phone (typed any common way), a member
        number or scanned card, or a name prefix — indexed keys only, never
        all members. A phone or a card finds the member in any store of the
        chain; a name prefix searches the members the user may see. The
        badge is refreshed the same way, by the member number."""
        if not self.env.user.has_group("point_of_sale.group_pos_user"):
            raise AccessError(_("Only the point of sale searches members this way."))
        domain = self._tsl_member_search_domain(query)
        by_name = any(
            isinstance(term, list | tuple) and term[0] == "tsl_name_key"
            for term in domain
        )
        members = (self if by_name else self.sudo()).search(
            domain,
            limit=max(1, min(int(limit or 20), 50)),
            offset=max(0, int(offset or 0)),
            order="tsl_name_key, id",
        )
        return self.browse(members.ids)._tsl_pos_data(config_id)

    @api.model
    def _tsl_pos_enrol_values(self, values):
        """Keep the form fields of the POS enrolment, typed."""
        values = values or {}
        clean = {}
        for name, kind in POS_ENROL_FIELDS.items():
            value = values.get(name)
            if value in (None, ""):
                continue
            if kind is int:
                try:
                    value = int(value)
                except (TypeError, ValueError):
                    continue
            elif kind is str:
                value = str(value).strip()
            clean[name] = kind(value)
        opt_out = values.get("tsl_opt_out_channels") or []
        if isinstance(opt_out, list):
            clean["tsl_opt_out_channels"] = [str(c) for c in opt_out]
        return clean

    @api.model
    def tsl_pos_enrol(self, values, config_id):
        """POS enrolment (M2): the server checks the form (one error naming
        every missing field), issues the member number (the temporary card)
        and the welcome kit; returns the new member in the POS format."""
        config = self.env["pos.config"].browse(config_id)
        member = self.tsl_enrol(
            self._tsl_pos_enrol_values(values),
            store_id=config.tsl_store_id.id,
            source="pos",
        )
        return member._tsl_pos_data(config_id)

    def _tsl_pos_enrol_offline(self, values, config, card_number=None, order_ref=""):
        """An enrolment queued by a till that was offline, replayed when its
        order syncs. Returns the member the order belongs to, or an empty
        recordset and the reason when the form is incomplete.

        The same phone enrolled twice (two offline tills, or one till twice)
        never makes two members: the order goes to the member who has the
        phone, and the second form is logged on her for review."""
        vals = self._tsl_pos_enrol_values(values)
        existing = self._tsl_member_by_phone(vals.get("mobile"))[0]
        if existing:
            existing.sudo()._tsl_flag_double_enrolment(
                vals, config, card_number, order_ref
            )
            return existing, False
        if card_number and not self.sudo().search_count(
            [("tsl_member_number", "=", card_number)], limit=1
        ):
            vals["tsl_member_number"] = card_number
        try:
            with self.env.cr.savepoint():
                member = self.tsl_enrol(
                    vals, store_id=config.tsl_store_id.id, source="pos"
                )
        except ValidationError as error:
            return self.browse(), error.args[0]
        if card_number and member.tsl_member_number != card_number:
            member.message_post(
                body=_(
                    "The till issued the temporary card %(card)s offline, but "
                    "that number was already used: the member number is "
                    "%(number)s. Please replace the card.",
                    card=card_number,
                    number=member.tsl_member_number,
                )
            )
        return member, False

    def _tsl_flag_double_enrolment(self, vals, config, card_number, order_ref):
        """Log a second enrolment of this member's phone for HQ review."""
        self.ensure_one()
        body = _(
            "Enrolled again at %(store)s while the till was offline (order "
            "%(order)s, temporary card %(card)s, name given: %(name)s): the "
            "order was added to this member. Check that it is the same person.",
            store=config.tsl_store_id.display_name or config.display_name,
            order=order_ref or "-",
            card=card_number or "-",
            name=vals.get("name") or "-",
        )
        member = self.sudo()
        member.message_post(body=body)
        hq = self.env.ref("tsl_crm.group_tsl_hq_crm").users
        member.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=_("Member enrolled twice offline"),
            note=body,
            user_id=(hq[:1] or self.env.user).id,
        )
