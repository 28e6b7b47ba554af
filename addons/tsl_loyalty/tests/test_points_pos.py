# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, datetime
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from .common import TslLoyaltyPosCommon


@tagged("post_install", "-at_install")
class TestPointsPos(TslLoyaltyPosCommon):
    def test_points_earned_once_from_the_synced_order(self):
        """王丽 (Star Diamond, ×1.5) buys two ¥1,000 rings and a ¥5,000 gold
        bar: the bar earns nothing, the rings 2,000 × 1.5 = 3,000 points,
        booked inside the sync itself; re-sending the order books nothing."""
        self.open_new_session()
        data = self.create_ui_order_data(
            [(self.ring, 2), (self.bar, 1)], customer=self.member
        )
        order = self.sync(data)
        self.assertEqual(order.tsl_points_earned, 3000)
        earn = self.earn_lines()
        self.assertEqual(len(earn), 1)
        self.assertEqual(
            (
                earn.points,
                earn.base_amount,
                earn.factor,
                earn.pos_order_id,
                earn.store_id,
            ),
            (3000, 2000.0, 1.5, order, self.store_a),
        )
        self.assertEqual(self.member.tsl_points_balance, 3000)
        # the till did not get an answer and sends the same order again
        again = self.sync(data)
        self.assertFalse(again, "a paid order re-sent is ignored")
        self.assertEqual(len(self.earn_lines()), 1)
        self.assertEqual(self.member.tsl_points_balance, 3000)
        self.assert_ledger_consistent()

    def test_one_sync_books_a_batch_of_orders(self):
        """The till sends three orders at once (two for 王丽, one for a
        Select member) plus one it had sent before: the sync books the three
        new ones together, each with its own line, and returns the members'
        new balances; the old one earns nothing more."""
        self.open_new_session()
        other = self.env["res.partner"].create(
            {
                "name": "李娜",
                "tsl_member_state": "formal",
                "tsl_member_number": "M90000002",
                "tsl_tier_id": self.env.ref("tsl_crm.tsl_member_tier_select").id,
                "tsl_store_id": self.store_a.id,
                "mobile": "13900139000",
            }
        )
        first = self.create_ui_order_data([(self.ring, 1)], customer=self.member)
        self.sync(first)
        batch = [
            first,
            self.create_ui_order_data([(self.ring, 2)], customer=self.member),
            self.create_ui_order_data([(self.ring, 1), (self.bar, 1)], customer=other),
            self.create_ui_order_data([(self.ring, 3)], customer=self.member),
        ]
        Move = type(self.env["tsl.points.move"])
        posted = []
        original = Move._tsl_post

        def spy(move_model, vals_list):
            posted.append(len(vals_list))
            return original(move_model, vals_list)

        with patch.object(Move, "_tsl_post", spy):
            result = self.env["pos.order"].sync_from_ui(batch)
        self.assertEqual(posted, [3], "one booking for the whole sync")
        orders = self.env["pos.order"].browse([o["id"] for o in result["pos.order"]])
        self.assertEqual(sorted(orders.mapped("tsl_points_earned")), [1000, 3000, 4500])
        self.assertEqual(len(self.earn_lines()), 3)
        self.assertEqual(self.member.tsl_points_balance, 1500 + 3000 + 4500)
        self.assertEqual(self.earn_lines(other).points, 1000)
        self.assertEqual(
            {p["id"]: p["tsl_points_balance"] for p in result["res.partner"]},
            {self.member.id: 9000, other.id: 1000},
            "the till gets the balances after the booking",
        )
        self.assert_ledger_consistent()
        self.assert_ledger_consistent(other)

    def test_store_manager_reads_the_members_points(self):
        """The Nanjing Road manager opens 王丽's points per year; an associate
        of another member does not see her birthday benefit uses."""
        manager = new_test_user(
            self.env,
            "l_manager_a",
            groups="tsl_crm.group_tsl_store_manager",
            tsl_store_ids=[(6, 0, self.store_a.ids)],
        )
        stranger = new_test_user(
            self.env, "l_assoc_b", groups="tsl_crm.group_tsl_associate"
        )
        self.member.write({"tsl_birth_month": 1})
        self.open_new_session()
        self.sync(self.create_ui_order_data([(self.ring, 1)], customer=self.member))
        balances = self.member.with_user(manager).tsl_points_balance_ids
        self.assertEqual(balances.read(["balance"])[0]["balance"], 1500)
        self.env["tsl.benefit.use"]._tsl_register(self.member, date.today())
        self.assertFalse(
            self.env["tsl.benefit.use"]
            .with_user(stranger)
            .search([("partner_id", "=", self.member.id)])
        )

    def test_unpaid_order_earns_nothing(self):
        """The till claims 'paid' but the payments do not cover the total:
        stock Odoo logs it, we book no points."""
        self.open_new_session()
        data = self.create_ui_order_data([(self.ring, 1)], customer=self.member)
        data["payment_ids"][0][2]["amount"] = 100.0
        data["amount_paid"] = 100.0
        with mute_logger("odoo.addons.point_of_sale.models.pos_order"):
            self.sync(data)
        self.assertFalse(self.earn_lines())

    def test_offline_order_synced_later_books_in_its_year(self):
        """Paid offline on New Year's Eve 2025, synced on 2 January 2026: the
        points belong to the 2025 points year, once."""
        self.open_new_session()
        with freeze_time("2025-12-31 15:00:00"):
            data = self.create_ui_order_data([(self.ring, 1)], customer=self.member)
        self.assertEqual(data["date_order"], "2025-12-31 15:00:00")
        with freeze_time("2026-01-02 09:00:00"):
            order = self.sync(data)
            self.sync(data)
        earn = self.earn_lines()
        self.assertEqual(len(earn), 1)
        self.assertEqual(earn.year_id.name, "2025")
        self.assertEqual(earn.date, datetime(2025, 12, 31, 15, 0))
        self.assertEqual(order.tsl_points_earned, 1500)

    def test_draft_then_paid(self):
        """A draft saved by the till earns nothing; once paid it earns once."""
        self.open_new_session()
        data = self.create_ui_order_data([(self.ring, 1)], customer=self.member)
        # a draft saved by the till: not paid yet, no payment
        draft = self.sync(dict(data, state="draft", payment_ids=[], amount_paid=0))
        self.assertEqual(draft.state, "draft")
        self.assertFalse(self.earn_lines())
        # the till sends the order again, paid: its saved line is updated
        line_vals = data["lines"][0][2]
        paid = dict(
            data, state="paid", id=draft.id, lines=[(1, draft.lines.id, line_vals)]
        )
        self.sync(paid)
        self.assertEqual(draft.state, "paid")
        self.assertEqual(self.earn_lines().points, 1500)

    def test_uuid_is_unique(self):
        """Two syncs of one order at the same moment cannot both create it:
        the database refuses the second row (stock Odoo has no such index)."""
        self.open_new_session()
        data = self.create_ui_order_data([(self.ring, 1)], customer=self.member)
        order = self.sync(data)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                order.copy({"uuid": order.uuid})

    def test_non_member_and_refund(self):
        self.open_new_session()
        order = self.sync(
            self.create_ui_order_data([(self.ring, 1)], customer=self.customer)
        )
        self.assertEqual(order.tsl_points_earned, 0)
        self.assertFalse(
            self.env["tsl.points.move"].search([("pos_order_id", "=", order.id)])
        )

    def refund_data(self, order, line, qty):
        data = self.create_ui_order_data(
            [(line.product_id, -qty)], customer=order.partner_id
        )
        data["lines"][0][2]["refunded_orderline_id"] = line.id
        return data

    def test_partial_refunds_take_points_back_pro_rata(self):
        """Three rings earn 4,500 points; returning one takes 1,500 back,
        then the other two take the rest; a fourth is refused."""
        self.open_new_session()
        order = self.sync(
            self.create_ui_order_data([(self.ring, 3)], customer=self.member)
        )
        line = order.lines
        self.assertEqual(self.member.tsl_points_balance, 4500)
        refund = self.sync(self.refund_data(order, line, 1))
        self.assertEqual(refund.tsl_points_earned, -1500)
        self.assertEqual(self.member.tsl_points_balance, 3000)
        self.sync(self.refund_data(order, line, 2))
        self.assertEqual(self.member.tsl_points_balance, 0)
        with self.assertRaises(ValidationError) as err:
            self.sync(self.refund_data(order, line, 1))
        self.assertIn("only 0.0 left", str(err.exception))
        clawbacks = self.env["tsl.points.move"].search(
            [("partner_id", "=", self.member.id), ("move_type", "=", "refund")]
        )
        self.assertEqual(sorted(clawbacks.mapped("points")), [-3000, -1500])
        self.assert_ledger_consistent()

    def test_refund_after_points_were_spent(self):
        """Points already spent cannot go below zero: the refund takes what
        is left and says so on the refund order."""
        self.open_new_session()
        order = self.sync(
            self.create_ui_order_data([(self.ring, 1)], customer=self.member)
        )
        self.member.tsl_points_spend(1000, "Voucher")
        refund = self.sync(self.refund_data(order, order.lines, 1))
        self.assertEqual(refund.tsl_points_earned, -500)
        self.assertEqual(self.member.tsl_points_balance, 0)
        self.assertIn("could not be taken back", refund.message_ids[:1].body)
        self.assert_ledger_consistent()

    @freeze_time("2026-11-24 10:00:00")
    def test_birthday_benefit_once_a_month_across_stores(self):
        """Her birthday is on 20 November: the first benefit purchase earns
        double points; the second one, at Xujiahui the same month (two
        offline tills), is kept but flagged for review with normal points."""
        self.member.write({"tsl_birth_month": 11, "tsl_birth_day": 20})
        self.assertTrue(self.member.tsl_benefit_available)
        self.open_new_session()
        first = self.sync(
            dict(
                self.create_ui_order_data([(self.ring, 1)], customer=self.member),
                tsl_birthday_benefit=True,
            )
        )
        self.assertEqual(first.tsl_points_earned, 3000)  # 1,000 × 1.5 × 2
        self.assertEqual(first.tsl_benefit_use_id.state, "valid")
        self.member.invalidate_recordset()
        self.assertFalse(self.member.tsl_benefit_available)

        # the till moves to Xujiahui (a second store's till, offline too)
        self.config.tsl_store_id = self.store_b
        second = self.sync(
            dict(
                self.create_ui_order_data([(self.ring, 1)], customer=self.member),
                tsl_birthday_benefit=True,
            )
        )
        self.assertEqual(second.tsl_points_earned, 1500)
        self.assertEqual(second.tsl_benefit_use_id.state, "review")
        self.assertEqual(second.tsl_benefit_use_id.store_id, self.store_b)
        self.assertTrue(second.tsl_benefit_use_id.activity_ids)
        self.assertEqual(self.member.tsl_points_balance, 4500)

    def test_temporary_member_becomes_formal_when_crossing_threshold(self):
        self.member.write({"tsl_member_state": "temporary", "tsl_tier_id": False})
        self.open_new_session()
        self.sync(self.create_ui_order_data([(self.ring, 1)], customer=self.member))
        self.assertEqual(self.member.tsl_member_state, "formal")
        self.assertEqual(self.member.tsl_formal_date, fields.Date.today())
        self.assertEqual(
            self.member.tsl_card_ready_date,
            fields.Date.add(fields.Date.today(), days=5),
        )
        self.assertEqual(date.today(), fields.Date.today())
