# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

RULE_TYPES = [
    ("count", "Number of Referred Members"),
    ("each", "Each Referred Member"),
    ("spend", "Referred Member's Net Spend"),
]


class TslReferralRule(models.Model):
    """A member-get-member rule (新会员推荐计划): what a referrer earns.

    * ``count``: N referred members of the tiers → a gift (the seeds' 2, 4, 6
      and 8 referrals are four rules);
    * ``each``: every referred member of the tiers (the top tier) → a gift
      choice;
    * ``spend``: a referred member's net spend reaches the amount → a gift.

    A referred member counts while an active member (temporary or formal) of
    one of the rule's tiers, enrolled on or after the rule's start date.
    The net spend is tsl_crm's ``tsl_total_spend``: all purchases, POS refunds
    deducted, as refreshed by the nightly member job — so this rule's job runs
    after that one. Every reward is earned exactly once per referrer, rule and
    referred member (per referrer and rule for ``count``)."""

    _name = "tsl.referral.rule"
    _description = "Member-get-Member Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    rule_type = fields.Selection(RULE_TYPES, string="Type", required=True)
    tier_ids = fields.Many2many(
        "tsl.member.tier",
        string="Referred Member Tiers",
        help="Referred members of these tiers count; empty = any tier.",
    )
    referral_count = fields.Integer(
        string="Referred Members",
        help="Number of referred members that earns the reward.",
    )
    spend_amount = fields.Monetary(
        string="Net Spend From",
        currency_field="currency_id",
        help="The referred member's net spend that earns the reward.",
    )
    date_from = fields.Date(
        string="Referred Since",
        help="Only members enrolled on or after this date count.",
    )
    option_ids = fields.One2many(
        "tsl.reward.option", "rule_id", string="Choices", copy=True
    )
    reward_ids = fields.One2many("tsl.referral.reward", "rule_id", string="Rewards")
    reward_count = fields.Integer(compute="_compute_reward_count")
    description = fields.Html(translate=True)
    marketing_email = fields.Char(
        help="Receives the proof of each gift collected (signed receipt).",
    )
    merchandising_email = fields.Char(
        help="Receives the proof of each gift collected, to reconcile the stock.",
    )

    @api.constrains("rule_type", "referral_count", "spend_amount")
    def _check_figures(self):
        for rule in self:
            if rule.rule_type == "count" and rule.referral_count <= 0:
                raise ValidationError(
                    _("%(rule)s needs a number of referred members.", rule=rule.name)
                )
            if rule.rule_type == "spend" and rule.spend_amount <= 0:
                raise ValidationError(
                    _("%(rule)s needs a net spend amount.", rule=rule.name)
                )

    def _compute_reward_count(self):
        counts = dict(
            self.env["tsl.referral.reward"]._read_group(
                [("rule_id", "in", self.ids)], ["rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.reward_count = counts.get(rule, 0)

    def action_view_rewards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tsl_loyalty.tsl_referral_reward_action"
        )
        action["domain"] = [("rule_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------------
    # the nightly job
    # ------------------------------------------------------------------------
    @api.model
    def _cron_tsl_referral_rewards(self):
        """Create the rewards earned since last night, set-based: one
        statement per rule, whatever the number of members."""
        self.env["res.partner"].flush_model()
        self.env["tsl.referral.reward"].flush_model()
        created = {}
        for rule in self.search([]):
            reward_ids = rule._tsl_create_rewards()
            created[rule.id] = len(reward_ids)
            if reward_ids:
                rewards = self.env["tsl.referral.reward"].browse(reward_ids)
                self.env["res.partner"]._tsl_log_sql(
                    rewards.mapped("referrer_id").ids,
                    _("Member-get-member reward earned: %(rule)s", rule=rule.name),
                )
        self.env["tsl.referral.reward"].invalidate_model()
        _logger.info("TSL member-get-member rewards: %s", created)
        return sum(created.values())

    def _tsl_referred_query(self):
        """(referrer_id, referred_id, enrol_date) of the referred members that
        count for this rule."""
        self.ensure_one()
        conditions = [
            SQL("r.tsl_referrer_id IS NOT NULL"),
            SQL("r.id != r.tsl_referrer_id"),
            SQL("r.active"),
            SQL("r.tsl_member_state IN ('temporary', 'formal')"),
            SQL("ref.active"),
            SQL("ref.tsl_member_state IN ('temporary', 'formal')"),
        ]
        if self.tier_ids:
            conditions.append(SQL("r.tsl_tier_id IN %s", tuple(self.tier_ids.ids)))
        if self.date_from:
            conditions.append(SQL("r.tsl_enrol_date >= %s", self.date_from))
        if self.rule_type == "spend":
            conditions.append(
                SQL("COALESCE(r.tsl_total_spend, 0) >= %s", self.spend_amount)
            )
        return SQL(
            """
            SELECT r.tsl_referrer_id AS referrer_id, r.id AS referred_id,
                   r.tsl_enrol_date AS enrol_date
              FROM res_partner r
              JOIN res_partner ref ON ref.id = r.tsl_referrer_id
             WHERE %s
            """,
            SQL(" AND ").join(conditions),
        )

    def _tsl_create_rewards(self):
        """Insert the rewards this rule gives and that do not exist yet (the
        unique index decides), with their referred members; returns the ids."""
        self.ensure_one()
        if self.rule_type == "count":
            # the referrer's referred members in order: the N-th one earns it
            candidates = SQL(
                """
                ranked AS (
                    SELECT q.*, row_number() OVER (
                               PARTITION BY q.referrer_id
                               ORDER BY q.enrol_date NULLS LAST, q.referred_id) AS rn
                      FROM q
                ),
                cand AS (
                    SELECT referrer_id, NULL::integer AS referred_id
                      FROM ranked WHERE rn = %(n)s
                ),
                members AS (
                    SELECT referrer_id, referred_id FROM ranked WHERE rn <= %(n)s
                )
                """,
                n=self.referral_count,
            )
            threshold = self.referral_count
            join = SQL("m.referrer_id = ins.referrer_id")
        else:
            candidates = SQL(
                """
                cand AS (SELECT referrer_id, referred_id FROM q),
                members AS (SELECT referrer_id, referred_id FROM q)
                """
            )
            threshold = 1
            join = SQL(
                "m.referrer_id = ins.referrer_id AND m.referred_id = ins.referred_id"
            )
        self.env.cr.execute(
            SQL(
                """
            WITH q AS (%(referred)s),
            %(candidates)s,
            ins AS (
                INSERT INTO tsl_referral_reward
                       (referrer_id, rule_id, referred_id, threshold, state, date,
                        store_id, company_id,
                        create_uid, create_date, write_uid, write_date)
                SELECT cand.referrer_id, %(rule)s, cand.referred_id, %(threshold)s,
                       'earned', %(today)s, p.tsl_store_id, %(company)s,
                       %(uid)s, now() AT TIME ZONE 'UTC',
                       %(uid)s, now() AT TIME ZONE 'UTC'
                  FROM cand JOIN res_partner p ON p.id = cand.referrer_id
                ON CONFLICT DO NOTHING
                RETURNING id, referrer_id, referred_id
            ),
            rel AS (
                INSERT INTO tsl_referral_reward_referred_rel (reward_id, partner_id)
                SELECT ins.id, m.referred_id FROM ins JOIN members m ON %(join)s
            )
            SELECT id FROM ins
            """,
                referred=self._tsl_referred_query(),
                candidates=candidates,
                rule=self.id,
                threshold=threshold,
                today=fields.Date.context_today(self),
                company=self.company_id.id,
                uid=self.env.uid,
                join=join,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]
