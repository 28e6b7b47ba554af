# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import TslCrmCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24")
class TestDeposit(TslCrmCommon):
    def test_ring_left_for_resizing(self):
        """王丽 leaves her ring for resizing, pickup on 1 December: her
        associate is reminded the day before; picking up closes it."""
        member = self.make_member("王丽", self.store_sh1, self.assoc_sh1)
        deposit = (
            self.env["tsl.deposit"]
            .with_user(self.assoc_sh1)
            .create(
                {
                    "partner_id": member.id,
                    "reason": "resizing",
                    "description": "18K gold ring, size 12 → 14",
                    "pickup_date": "2026-12-01",
                }
            )
        )
        self.assertTrue(deposit.name.startswith("DEP/2026/"))
        self.assertEqual(deposit.store_id, self.store_sh1)
        activity = deposit.activity_ids
        self.assertEqual(activity.date_deadline, date(2026, 11, 30))
        self.assertEqual(activity.user_id, self.assoc_sh1)
        self.assertEqual(member.tsl_deposit_count, 1)

        deposit.pickup_date = "2026-12-05"
        self.assertEqual(deposit.activity_ids.date_deadline, date(2026, 12, 4))

        deposit.action_picked_up()
        self.assertEqual(deposit.state, "picked_up")
        self.assertEqual(deposit.picked_up_date, date(2026, 11, 24))
        self.assertFalse(deposit.activity_ids)
        with self.assertRaises(UserError):
            deposit.action_cancel()

    def test_overdue_and_bad_dates(self):
        member = self.make_member("李娜", self.store_sh1)
        late = self.env["tsl.deposit"].create(
            {
                "partner_id": member.id,
                "store_id": self.store_sh1.id,
                "description": "Reserved bracelet",
                "deposit_date": "2026-11-01",
                "pickup_date": "2026-11-20",
            }
        )
        self.assertTrue(late.is_overdue)
        self.assertIn(late, self.env["tsl.deposit"].search([("is_overdue", "=", True)]))
        with self.assertRaises(ValidationError):
            self.env["tsl.deposit"].create(
                {
                    "partner_id": member.id,
                    "store_id": self.store_sh1.id,
                    "description": "Necklace",
                    "deposit_date": "2026-11-24",
                    "pickup_date": "2026-11-01",
                }
            )
