# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import TslCrmCommon


@tagged("post_install", "-at_install")
class TestGrades(TslCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Seeds: A ≥ 5000 points, B 2000–5000, C < 2000.
        cls.li = cls.make_member("李娜", cls.store_sh1, cls.assoc_sh1)
        cls.zhang = cls.make_member("张伟", cls.store_sh1, cls.assoc_sh1)
        cls.liu = cls.make_member("刘洋", cls.store_sh1, cls.assoc_sh1)

    def history(self, member):
        return member.tsl_grade_change_ids.sorted("id")

    @freeze_time("2026-11-24")
    def test_initial_grades_by_points_band(self):
        self.buy(self.li, 6000, "2026-05-01")
        self.buy(self.zhang, 2000, "2026-05-01")
        self.buy(self.liu, 1999, "2026-05-01")
        self.env["res.partner"]._cron_tsl_member_nightly()
        self.assertEqual(
            (self.li.tsl_grade, self.zhang.tsl_grade, self.liu.tsl_grade),
            ("A", "B", "C"),
        )
        self.assertEqual(self.li.tsl_grade_points, 6000)
        change = self.history(self.li)
        self.assertEqual(
            (change.change_type, change.state, change.new_grade, change.store_id),
            ("initial", "done", "A", self.store_sh1),
        )

    def test_upgrade_waits_for_store_manager(self):
        """张伟 is B; she buys ¥4,000 more and reaches 6,000 points: the job
        proposes A, the associate cannot confirm, the store manager does."""
        with freeze_time("2026-05-02"):
            self.buy(self.zhang, 2000, "2026-05-01")
            self.env["res.partner"]._cron_tsl_member_nightly()
            self.assertEqual(self.zhang.tsl_grade, "B")
        with freeze_time("2026-11-24"):
            self.buy(self.zhang, 4000, "2026-11-20")
            self.env["res.partner"]._cron_tsl_member_nightly()
            self.env["res.partner"]._cron_tsl_member_nightly()  # no second proposal
            self.assertEqual(
                self.zhang.tsl_grade, "B", "not applied before confirmation"
            )
            proposal = self.zhang.tsl_grade_change_ids.filtered(
                lambda c: c.state == "proposed"
            )
            self.assertEqual(len(proposal), 1)
            self.assertEqual((proposal.old_grade, proposal.new_grade), ("B", "A"))
            with self.assertRaises(UserError):
                proposal.with_user(self.assoc_sh1).action_confirm()
            proposal.with_user(self.manager_sh1).action_confirm()
            self.assertEqual(self.zhang.tsl_grade, "A")
            self.assertEqual(self.zhang.tsl_grade_date, date(2026, 11, 24))
            self.assertEqual(proposal.decided_by_id, self.manager_sh1)
            self.assertIn("B → A", " ".join(self.zhang.message_ids.mapped("body")))

    def test_rejected_proposal_and_withdrawn_proposal(self):
        with freeze_time("2026-05-02"):
            self.buy(self.liu, 500, "2026-05-01")
            self.env["res.partner"]._cron_tsl_member_nightly()
            self.assertEqual(self.liu.tsl_grade, "C")
            self.buy(self.liu, 2000, "2026-05-02")
            self.env["res.partner"]._cron_tsl_member_nightly()
            proposal = self.liu.tsl_grade_change_ids.filtered(
                lambda c: c.state == "proposed"
            )
            self.assertEqual(proposal.new_grade, "B")
            proposal.with_user(self.manager_sh1).action_reject()
            self.assertEqual(proposal.state, "rejected")
            self.assertEqual(self.liu.tsl_grade, "C")
            # the rejection stands: no new proposal until she buys again
            self.env["res.partner"]._cron_tsl_member_nightly()
            self.assertEqual(
                self.liu.tsl_grade_change_ids.mapped("state"), ["rejected", "done"]
            )
        with freeze_time("2027-06-01"):
            # a year later the May purchases no longer count: no proposal
            self.env["res.partner"]._cron_tsl_member_nightly()
            self.assertFalse(
                self.liu.tsl_grade_change_ids.filtered(lambda c: c.state == "proposed")
            )

    def test_downgrade_after_12_months_without_purchase(self):
        with freeze_time("2025-06-01"):
            self.buy(self.li, 8000, "2025-05-20")
            self.env["res.partner"]._cron_tsl_member_nightly()
            self.assertEqual(self.li.tsl_grade, "A")
        with freeze_time("2026-06-02"):
            # 12 months and 13 days without purchase: one grade down, once
            self.env["res.partner"]._cron_tsl_member_nightly()
            self.env["res.partner"]._cron_tsl_member_nightly()
            self.assertEqual(self.li.tsl_grade, "B")
            down = self.history(self.li)[-1]
            self.assertEqual(
                (down.change_type, down.old_grade, down.new_grade, down.state),
                ("downgrade", "A", "B", "done"),
            )
            self.assertIn("No purchase for 12 months", down.reason)
        with freeze_time("2027-06-03"):
            self.env["res.partner"]._cron_tsl_member_nightly()
            self.assertEqual(self.li.tsl_grade, "C")
            self.assertEqual(
                self.history(self.li).mapped("change_type"),
                ["initial", "downgrade", "downgrade"],
            )

    def test_downgrade_on_frequency_drop(self):
        """Six visits a year before, two in the last 12 months (< 50 %)."""
        for month in range(1, 7):
            self.buy(self.zhang, 1000, f"2024-{month:02d}-15")
        with freeze_time("2024-07-01"):
            self.env["res.partner"]._cron_tsl_member_nightly()
            self.assertEqual(self.zhang.tsl_grade, "A")
        self.buy(self.zhang, 100, "2025-08-01")
        self.buy(self.zhang, 100, "2025-09-01")
        with freeze_time("2025-10-01"):
            self.env["res.partner"]._cron_tsl_member_nightly()
            self.assertEqual(self.zhang.tsl_grade, "B")
            self.assertEqual(
                self.history(self.zhang)[-1].reason, "Purchase frequency dropped"
            )

    @freeze_time("2026-11-24")
    def test_manual_override_with_reason(self):
        self.buy(self.liu, 500, "2026-11-01")
        self.env["res.partner"]._cron_tsl_member_nightly()
        with self.assertRaises(AccessError):
            self.liu.with_user(self.assoc_sh1).tsl_override_grade("A", "VIP friend")
        with self.assertRaises(ValidationError):
            self.liu.with_user(self.manager_sh1).tsl_override_grade("A", " ")
        wizard = (
            self.env["tsl.grade.override.wizard"]
            .with_user(self.manager_sh1)
            .create(
                {
                    "partner_ids": [(6, 0, self.liu.ids)],
                    "grade": "A",
                    "reason": "Bought a ¥50,000 necklace at another brand's store",
                }
            )
        )
        wizard.action_apply()
        self.assertEqual(self.liu.tsl_grade, "A")
        self.assertEqual(self.liu.tsl_grade_override_until, date(2027, 11, 24))
        change = self.history(self.liu)[-1]
        self.assertEqual((change.change_type, change.old_grade), ("manual", "C"))
        self.assertIn("necklace", change.reason)
        # the nightly job leaves a manual grade alone while it holds
        self.env["res.partner"]._cron_tsl_member_nightly()
        self.assertEqual(self.liu.tsl_grade, "A")

    @freeze_time("2026-11-24")
    def test_ranking_method_top_20_percent(self):
        self.env.company.write(
            {
                "tsl_grade_method": "ranking",
                "tsl_grade_a_ratio": 20,
                "tsl_grade_b_ratio": 30,
            }
        )
        self.env["res.partner"].search([("tsl_member_state", "!=", False)]).write(
            {"tsl_member_state": False}
        )
        members = self.env["res.partner"]
        for i in range(10):
            member = self.make_member(f"Rank {i}", self.store_bj1)
            self.buy(member, 1000 * (i + 1), "2026-10-01")
            members |= member
        self.env["res.partner"]._cron_tsl_member_nightly()
        grades = members.mapped("tsl_grade")
        # the two best (20 %) are A, the next three (30 %) B, the rest C
        self.assertEqual(grades, ["C"] * 5 + ["B"] * 3 + ["A"] * 2)
