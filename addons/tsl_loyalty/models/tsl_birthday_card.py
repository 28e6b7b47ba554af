# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class TslBirthdayCard(models.Model):
    """The birthday card of a member for one month (生日卡), prepared the
    month before: hand-written by the associate for the top tiers (Star
    Diamond, Senior Premier), printed for the others; and the birthday gift,
    which only the tiers with the birthday-gift benefit receive."""

    _name = "tsl.birthday.card"
    _description = "Birthday Card and Gift"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "period desc, store_id, id"

    partner_id = fields.Many2one(
        "res.partner", string="Member", required=True, index=True, readonly=True
    )
    period = fields.Char(required=True, readonly=True, help="Birthday month, YYYY-MM.")
    birthday = fields.Date(readonly=True)
    store_id = fields.Many2one("tsl.store", readonly=True, index=True)
    associate_id = fields.Many2one("res.users", readonly=True)
    tier_id = fields.Many2one("tsl.member.tier", readonly=True)
    handwritten = fields.Boolean(
        readonly=True, help="Top tiers get a card hand-written by their associate."
    )
    card_state = fields.Selection(
        [("to_prepare", "To Prepare"), ("written", "Written"), ("sent", "Sent")],
        default="to_prepare",
        required=True,
        tracking=True,
    )
    gift_entitled = fields.Boolean(string="Birthday Gift", readonly=True)
    gift_state = fields.Selection(
        [("none", "No Gift"), ("to_collect", "To Collect"), ("collected", "Collected")],
        default="none",
        required=True,
        tracking=True,
    )
    gift_product_id = fields.Many2one("product.product", string="Gift")

    _sql_constraints = [
        (
            "partner_period_uniq",
            "unique(partner_id, period)",
            "One birthday card per member and month.",
        )
    ]

    @api.model
    def _cron_tsl_prepare_birthday_cards(self):
        """Cards (and gift entitlements) for next month's birthdays, for the
        members whose tier grants the birthday benefit — set-based, once."""
        today = fields.Date.context_today(self)
        start = today.replace(day=1) + relativedelta(months=1)
        end = start + relativedelta(months=1)
        self.flush_model()
        self.env["res.partner"].flush_model()
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO tsl_birthday_card
                   (partner_id, period, birthday, store_id, associate_id, tier_id,
                    handwritten, card_state, gift_entitled, gift_state,
                    create_uid, create_date, write_uid, write_date)
            SELECT p.id, %(period)s, p.tsl_birthday_next, p.tsl_store_id,
                   p.tsl_associate_id, t.id,
                   COALESCE(t.benefit_handwritten_card, FALSE),
                   'to_prepare', COALESCE(t.benefit_birthday_gift, FALSE),
                   CASE WHEN t.benefit_birthday_gift THEN 'to_collect' ELSE 'none' END,
                   %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
              FROM res_partner p
              JOIN tsl_member_tier t ON t.id = p.tsl_tier_id
             WHERE p.tsl_member_state IN ('temporary', 'formal') AND p.active
               AND t.benefit_birthday
               AND p.tsl_birthday_next >= %(start)s AND p.tsl_birthday_next < %(end)s
            ON CONFLICT (partner_id, period) DO NOTHING
            """,
                period=start.strftime("%Y-%m"),
                start=start,
                end=end,
                uid=self.env.uid,
            )
        )
        count = self.env.cr.rowcount
        self.invalidate_model()
        return count

    def action_written(self):
        self.write({"card_state": "written"})

    def action_sent(self):
        if any(card.card_state == "to_prepare" and card.handwritten for card in self):
            raise UserError(_("A hand-written card must be written before it is sent."))
        self.write({"card_state": "sent"})

    def action_gift_collected(self):
        for card in self:
            if not card.gift_entitled:
                raise UserError(
                    _(
                        "The birthday gift is only for the top tiers: %(member)s "
                        "(%(tier)s) has none.",
                        member=card.partner_id.display_name,
                        tier=card.tier_id.display_name or "-",
                    )
                )
            seals = (
                self.env["tsl.gift.seal"]
                .sudo()
                .search(
                    [
                        ("product_id", "=", card.gift_product_id.id),
                        ("state", "=", "sealed"),
                        ("purpose", "!=", "birthday"),
                    ],
                    limit=1,
                )
            )
            if card.gift_product_id and seals:
                raise UserError(
                    _(
                        "%(product)s is sealed for %(seal)s: it cannot be given as "
                        "a birthday gift.",
                        product=card.gift_product_id.display_name,
                        seal=seals._tsl_key_label(seals.key),
                    )
                )
        self.write({"gift_state": "collected"})
