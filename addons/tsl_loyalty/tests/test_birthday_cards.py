# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, freeze_time, tagged


@tagged("post_install", "-at_install")
class TestBirthdayCards(TransactionCase):
    @freeze_time("2026-11-24")
    def test_cards_and_gifts_for_next_month(self):
        """In late November the December birthdays are prepared: 王丽 (Star
        Diamond, born 5 December) gets a hand-written card and a gift to
        collect; 李娜 (Select) a printed card and no gift; a member born in
        March nothing yet."""
        Partner = self.env["res.partner"]
        star = self.env.ref("tsl_crm.tsl_member_tier_star_diamond")
        select = self.env.ref("tsl_crm.tsl_member_tier_select")
        wang = Partner.create(
            {
                "name": "王丽",
                "tsl_member_state": "formal",
                "tsl_tier_id": star.id,
                "tsl_birth_month": 12,
                "tsl_birth_day": 5,
            }
        )
        li = Partner.create(
            {
                "name": "李娜",
                "tsl_member_state": "formal",
                "tsl_tier_id": select.id,
                "tsl_birth_month": 12,
                "tsl_birth_day": 28,
            }
        )
        march = Partner.create(
            {
                "name": "张伟",
                "tsl_member_state": "formal",
                "tsl_tier_id": star.id,
                "tsl_birth_month": 3,
            }
        )
        Card = self.env["tsl.birthday.card"]
        Card._cron_tsl_prepare_birthday_cards()
        Card._cron_tsl_prepare_birthday_cards()  # once per member and month
        cards = Card.search([("partner_id", "in", (wang | li | march).ids)])
        self.assertEqual(cards.partner_id, wang | li)
        wang_card = cards.filtered(lambda c: c.partner_id == wang)
        li_card = cards.filtered(lambda c: c.partner_id == li)
        self.assertEqual(
            (wang_card.period, wang_card.handwritten, wang_card.gift_state),
            ("2026-12", True, "to_collect"),
        )
        self.assertEqual((li_card.handwritten, li_card.gift_state), (False, "none"))
        with self.assertRaises(UserError):
            wang_card.action_sent()  # hand-written first
        wang_card.action_written()
        wang_card.action_sent()
        wang_card.action_gift_collected()
        self.assertEqual(wang_card.gift_state, "collected")
        with self.assertRaises(UserError) as err:
            li_card.action_gift_collected()
        self.assertIn("only for the top tiers", str(err.exception))
