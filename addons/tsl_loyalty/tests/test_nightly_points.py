# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
from datetime import date, datetime, timedelta

from odoo.tests import TransactionCase, freeze_time, tagged
from odoo.tools import SQL

MARKER = "tsl_crm.nightly_marker"


@tagged("post_install", "-at_install")
class TestNightlyPoints(TransactionCase):
    """With the loyalty addon, grades read the points earned in the last 12
    months: the incremental night must also find the members whose only
    change is in the ledger (points leaving the 12 months, a line booked
    today without any order)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "tsl_grade_method": "points",
                "tsl_grade_a_points": 5000,
                "tsl_grade_b_points": 2000,
                "tsl_points_rate": 1.0,
            }
        )
        store = cls.env["tsl.store"].create(
            {
                "name": "Nanjing Road",
                "code": "N-SH1",
                "area_id": cls.env["tsl.area"].create({"name": "E", "code": "N-E"}).id,
            }
        )
        select = cls.env.ref("tsl_crm.tsl_member_tier_select")
        select.points_multiplier = 1.0

        def member(name, number):
            return cls.env["res.partner"].create(
                {
                    "name": name,
                    "tsl_member_state": "formal",
                    "tsl_member_number": number,
                    "tsl_store_id": store.id,
                    "tsl_tier_id": select.id,
                    "tsl_enrol_date": "2025-01-10",
                }
            )

        cls.old = member("林芳", "N0000001")  # earned a year ago tonight
        cls.today = member("黄磊", "N0000002")  # booked by hand today
        cls.quiet = member("马丽", "N0000003")

    def earn(self, partner, points, when):
        return self.env["tsl.points.move"]._tsl_earn(
            partner,
            points,
            when.date(),
            self.company,
            False,
            date=when,
            reason="test",
        )

    def setUp(self):
        super().setUp()
        self.earn(self.old, 6000, datetime(2025, 11, 23, 10))
        self.earn(self.old, 1000, datetime(2026, 6, 1, 10))
        self.earn(self.quiet, 3000, datetime(2026, 5, 1, 10))
        with freeze_time("2026-11-23"):
            self.env["res.partner"].with_context(
                tsl_nightly_full=True
            )._cron_tsl_member_nightly()
        self.assertEqual((self.old.tsl_grade_points, self.old.tsl_grade), (7000, "A"))
        self.env.cr.execute("SELECT now() AT TIME ZONE 'UTC'")
        now = self.env.cr.fetchone()[0]
        marker = json.loads(self.env["ir.config_parameter"].get_param(MARKER))
        marker["started"] = str(now + timedelta(hours=2))
        self.env["ir.config_parameter"].set_param(MARKER, json.dumps(marker))
        # today: 马丽's points of an old year expire (no effect on grades)
        Move = self.env["tsl.points.move"]
        Move._tsl_post(
            [
                {
                    "partner_id": self.quiet.id,
                    "year_id": self.env["tsl.points.year"]
                    ._tsl_for_date(date(2026, 5, 1), self.company)
                    .id,
                    "move_type": "expire",
                    "points": -100,
                    "reason": "test",
                }
            ]
        )
        # today: 黄磊 gets 6,000 points booked by hand (no order)
        self.assertEqual(self.earn(self.today, 6000, datetime(2026, 11, 23, 15)), 6000)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE tsl_points_move SET write_date = %s
                    WHERE partner_id = %s OR move_type = 'expire'""",
                now + timedelta(hours=3),
                self.today.id,
            )
        )

    def state(self):
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT id, tsl_grade, tsl_grade_points FROM res_partner
                WHERE tsl_member_state IS NOT NULL ORDER BY id"""
        )
        members = self.env.cr.fetchall()
        self.env.cr.execute(
            """SELECT partner_id, old_grade, new_grade, state, points
                 FROM tsl_grade_change ORDER BY partner_id, id"""
        )
        return members, self.env.cr.fetchall()

    def test_ledger_changes_reach_the_incremental_night(self):
        Partner = self.env["res.partner"]
        with freeze_time("2026-11-24"):
            Partner._tsl_nightly_scope(date(2026, 11, 24))
        self.env.cr.execute("SELECT id FROM tsl_scope")
        scope = {row[0] for row in self.env.cr.fetchall()}
        self.assertLessEqual({self.old.id, self.today.id}, scope)
        self.assertNotIn(self.quiet.id, scope)
        savepoint = self.env.cr.savepoint()
        try:
            with freeze_time("2026-11-24"):
                Partner.with_context(tsl_nightly_full=True)._cron_tsl_member_nightly()
            full = self.state()
        finally:
            savepoint.close(rollback=True)
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        with freeze_time("2026-11-24"):
            stats = Partner._cron_tsl_member_nightly()
        self.assertIsInstance(stats["scope"], int)
        self.assertEqual(self.state(), full)
        self.assertEqual(self.old.tsl_grade_points, 1000, "6,000 left the 12 months")
        self.assertEqual(self.today.tsl_grade_points, 6000)
        proposal = self.today.tsl_grade_change_ids.filtered(
            lambda c: c.state == "proposed"
        )
        self.assertEqual((proposal.old_grade, proposal.new_grade), ("C", "A"))
