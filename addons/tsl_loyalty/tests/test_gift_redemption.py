# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from contextlib import closing

import psycopg2

from odoo import sql_db
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import TslLoyaltyPosCommon
from .common_reward import TslRewardCommon

# a 1×1 PNG: the photo of the receipt the member signed
PROOF = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


class TslGiftCommon(TslRewardCommon):
    """The 12/13 points reward with its Gift 1 (cost ¥80) sealed at HQ: 5
    sealed out of the 10 in the HQ stock. Two stores with their warehouses.
    陈静, Senior Premier, earned 60,050 points: the Second Prize, 50,000
    points locked when she applies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Warehouse = cls.env["stock.warehouse"]
        cls.hq_wh = Warehouse.create({"name": "HQ Gifts", "code": "G7HQ"})
        cls.wh_a = Warehouse.create({"name": "Nanjing Road", "code": "G7SA"})
        cls.wh_b = Warehouse.create({"name": "Xujiahui", "code": "G7SB"})
        cls.env.company.tsl_materials_warehouse_id = cls.hq_wh
        cls.store.warehouse_id = cls.wh_a
        cls.store_b.warehouse_id = cls.wh_b
        cls.campaign.write(
            {
                "marketing_email": "marketing@tsl.example.com",
                "merchandising_email": "merch@tsl.example.com",
            }
        )
        cls.gift = cls.gift_products[0]
        cls.gift.standard_price = 80.0
        cls.put_stock(cls.gift, cls.hq_wh.lot_stock_id, 10)
        cls.seal = cls.env["tsl.gift.seal"].create(
            {
                "purpose": "campaign",
                "campaign_id": cls.campaign.id,
                "product_id": cls.gift.id,
                "warehouse_id": cls.hq_wh.id,
            }
        )
        cls.seal.tsl_seal(5)
        cls.sealed_loc = cls.seal.location_id
        cls.chen = cls.member(
            "陈静",
            "M93100001",
            cls.tier_senior,
            mobile="13800138001",
            email="chen.jing@example.com",
            tsl_consent_ids=[
                (0, 0, {"channel": "sms", "consent": True}),
                (0, 0, {"channel": "email", "consent": True}),
            ],
        )
        cls.earn(cls.chen, 60050)

    @classmethod
    def put_stock(cls, product, location, qty):
        cls.env["stock.quant"].with_context(inventory_mode=True).create(
            {
                "product_id": product.id,
                "location_id": location.id,
                "inventory_quantity": qty,
            }
        ).action_apply_inventory()

    def qty(self, location, product=None):
        """(on hand, reserved) of the gift at the location."""
        quants = self.env["stock.quant"]._gather(
            product or self.gift, location, strict=True
        )
        return sum(quants.mapped("quantity")), sum(quants.mapped("reserved_quantity"))

    def store_loc(self, store=None):
        return self.env["stock.location"].search(
            [
                ("tsl_seal_key", "=", self.seal.key),
                ("tsl_seal_store_id", "=", (store or self.store).id),
            ]
        )

    def points(self, partner=None):
        partner = partner or self.chen
        partner.invalidate_recordset()
        return partner.tsl_points_balance, partner.tsl_points_locked

    def ledger(self, request):
        moves = self.env["tsl.points.move"].search(
            [("origin", "=", request.name)], order="id"
        )
        return [(m.move_type, m.points, m.locked) for m in moves]

    def apply(self, partner=None, store=None, option=None, channel="sms"):
        return self.Request.tsl_apply(
            partner or self.chen,
            option or self.option("Second Prize", "gift"),
            channel,
            store=store or self.store,
        )

    def new_member(self, n, points=60000, **vals):
        partner = self.member(f"会员{n}", f"M9320{n:04d}", self.tier_star, **vals)
        self.earn(partner, points, key=f"g7:{n}")
        return partner


@tagged("post_install", "-at_install")
class TestGiftRedemption(TslGiftCommon):
    def test_story_sms_to_collection(self):
        """陈静 applies by SMS for Gift 1 of the Second Prize, HQ approves,
        ships, the store receives, she is told by SMS and email, collects
        with the signed receipt, the proof goes to marketing and
        merchandising."""
        self.assertEqual(self.qty(self.sealed_loc), (5, 0))
        self.assertEqual(self.qty(self.hq_wh.lot_stock_id), (5, 0))
        # the member applies by SMS: 50,000 points locked
        request = self.apply(channel="sms")
        self.assertEqual((request.state, request.channel), ("applied", "sms"))
        self.assertEqual(request.store_id, self.store)
        self.assertEqual(self.points(), (10050, 50000))
        self.assertEqual(self.ledger(request), [("lock", -50000, 50000)])

        # HQ approves: the gift is reserved in the sealed stock, in the
        # store's allocation; the points stay locked
        request.action_approve()
        self.assertEqual(request.state, "approved")
        alloc = request.allocation_id
        self.assertEqual((alloc.store_id, alloc.state), (self.store, "open"))
        self.assertEqual(alloc.picking_id.state, "assigned")
        self.assertEqual(alloc.picking_id.location_id, self.sealed_loc)
        self.assertEqual(request.move_id.product_uom_qty, 1)
        self.assertEqual(self.qty(self.sealed_loc), (5, 1))
        self.assertEqual(self.seal.qty_available, 4)
        self.assertEqual(self.points(), (10050, 50000))
        self.assertEqual(self.ledger(request), [("lock", -50000, 50000)])
        with self.assertRaisesRegex(UserError, "Only applied requests"):
            request.action_approve()  # the second HQ user, after the first

        # HQ ships: the transfer to the store is done
        request.action_ship()
        self.assertEqual(request.state, "shipped")
        self.assertEqual(alloc.picking_id.state, "done")
        store_loc = self.store_loc()
        self.assertFalse(
            store_loc.warehouse_id.lot_stock_id.parent_path in store_loc.parent_path
        )
        self.assertEqual(self.qty(self.sealed_loc), (4, 0))
        self.assertEqual(self.qty(store_loc), (1, 0))

        # the store confirms the receipt: ready, member notified
        alloc.action_receive()
        self.assertEqual((alloc.state, request.state), ("received", "ready"))
        sms = self.env["sms.sms"].search([("partner_id", "=", self.chen.id)])
        self.assertEqual(len(sms), 1)
        self.assertIn(request.name, sms.body)
        self.assertIn("Nanjing Road", sms.body)
        self.assertEqual(sms.number, self.chen.tsl_phone_normalized)
        ready_mail = self.env["mail.mail"].search(
            [("model", "=", request._name), ("res_id", "=", request.id)]
        )
        self.assertEqual(ready_mail.recipient_ids, self.chen)
        self.assertIn("ready", ready_mail.subject)

        # no collection without proof
        with self.assertRaisesRegex(UserError, "signed by the member"):
            request.action_collect()
        self.assertEqual(request.state, "ready")
        request.proof_image = PROOF
        request.action_collect()
        self.assertEqual(request.state, "collected")
        self.assertEqual(request.handover_picking_id.state, "done")
        self.assertEqual(request.handover_picking_id.location_dest_id.usage, "customer")
        self.assertEqual(self.qty(store_loc), (0, 0))
        self.assertEqual(self.qty(self.sealed_loc), (4, 0))
        # the locked points are spent
        self.assertEqual(self.points(), (10050, 0))
        self.assertEqual(
            self.ledger(request),
            [("lock", -50000, 50000), ("spend_locked", 0, -50000)],
        )
        # the proof is mailed to marketing and merchandising
        proof_mail = self.env["mail.mail"].search(
            [
                ("model", "=", request._name),
                ("res_id", "=", request.id),
                ("email_to", "ilike", "marketing@tsl.example.com"),
            ]
        )
        self.assertEqual(len(proof_mail), 1)
        self.assertIn("merch@tsl.example.com", proof_mail.email_to)
        self.assertEqual(len(proof_mail.attachment_ids), 1)
        # every step is in the chatter
        bodies = " ".join(request.message_ids.mapped("body"))
        for said in (
            "Applied by SMS",
            "Approved by",
            "Shipped to",
            "ready for collection",
            "Member notified",
            "Collected at",
            "Proof of collection mailed",
        ):
            self.assertIn(said, bodies)
        # cancelling a collected request is refused: a return is separate
        with self.assertRaisesRegex(UserError, "was collected: it cannot be cancelled"):
            request.action_cancel()
        self.assertEqual(self.points(), (10050, 0))
        self.assertEqual(request.state, "collected")

        # reports: per campaign and per store
        report = self.env["tsl.redemption.report"].search(
            [("request_id", "=", request.id)]
        )
        self.assertEqual(
            (report.nbr_applied, report.nbr_approved, report.nbr_collected),
            (1, 1, 1),
        )
        self.assertEqual(report.points_consumed, 50000)
        self.assertAlmostEqual(report.gift_cost, 80.0)
        stock = self.env["tsl.gift.stock.report"].search(
            [("campaign_id", "=", self.campaign.id), ("product_id", "=", self.gift.id)]
        )
        at_store = stock.filtered(lambda r: r.store_id == self.store)
        at_hq = stock.filtered(lambda r: not r.store_id)
        self.assertEqual(
            (at_store.qty_allocated, at_store.qty_handed, at_store.qty_at_store),
            (1, 1, 0),
        )
        self.assertEqual(at_hq.qty_sealed, 4)
        self.assertEqual(self.seal.qty_handed, 1)

    def test_collected_gift_returned_as_a_separate_step(self):
        request = self.apply()
        request.action_approve()
        request.action_ship()
        request.action_receive()
        request.proof_image = PROOF
        request.action_collect()
        with self.assertRaisesRegex(UserError, "reason of the return"):
            request.action_return_gift("")
        wizard = (
            self.env["tsl.redemption.reject.wizard"]
            .with_context(**request.action_return_wizard()["context"])
            .create({"reason": "Wrong size"})
        )
        wizard.action_confirm()
        self.assertEqual(request.state, "returned")
        self.assertEqual(request.return_picking_id.state, "done")
        self.assertEqual(self.qty(self.store_loc()), (1, 0))
        self.assertEqual(self.points(), (60050, 0))
        self.assertEqual(
            self.ledger(request),
            [
                ("lock", -50000, 50000),
                ("spend_locked", 0, -50000),
                ("spend", 50000, 0),
            ],
        )
        with self.assertRaisesRegex(UserError, "Only collected gifts"):
            request.action_return_gift("Again")

    def test_cancel_when_approved_releases_the_reservation(self):
        request = self.apply()
        other = self.apply(self.new_member(1))
        (request | other).action_approve()
        self.assertEqual(self.qty(self.sealed_loc), (5, 2))
        self.assertEqual(request.allocation_id, other.allocation_id)
        request.action_cancel()
        self.assertEqual(request.state, "cancelled")
        self.assertEqual(self.qty(self.sealed_loc), (5, 1))
        self.assertEqual(other.move_id.product_uom_qty, 1)
        self.assertEqual(self.points(), (60050, 0))
        self.assertEqual(
            self.ledger(request), [("lock", -50000, 50000), ("unlock", 50000, -50000)]
        )
        other.action_cancel()
        self.assertEqual(self.qty(self.sealed_loc), (5, 0))
        self.assertEqual(other.allocation_id.state, "cancelled")
        self.assertEqual(other.allocation_id.picking_id.state, "cancel")

    def test_cancel_when_shipped_returns_the_gift(self):
        request = self.apply()
        request.action_approve()
        request.action_ship()
        self.assertEqual(self.qty(self.store_loc()), (1, 0))
        request.action_cancel()
        self.assertEqual(request.state, "cancelled")
        self.assertEqual(request.return_picking_id.state, "done")
        self.assertEqual(request.return_picking_id.location_dest_id, self.sealed_loc)
        self.assertEqual(self.qty(self.store_loc()), (0, 0))
        self.assertEqual(self.qty(self.sealed_loc), (5, 0))
        self.assertEqual(self.points(), (60050, 0))
        self.assertEqual(
            self.ledger(request), [("lock", -50000, 50000), ("unlock", 50000, -50000)]
        )
        stock = self.env["tsl.gift.stock.report"].search(
            [("store_id", "=", self.store.id), ("product_id", "=", self.gift.id)]
        )
        self.assertEqual((stock.qty_allocated, stock.qty_at_store), (0, 0))

    def test_cancel_when_ready_returns_the_gift(self):
        request = self.apply()
        request.action_approve()
        request.action_ship()
        request.action_receive()
        self.assertEqual(request.state, "ready")
        request.action_cancel()
        self.assertEqual(request.state, "cancelled")
        self.assertEqual(self.qty(self.store_loc()), (0, 0))
        self.assertEqual(self.qty(self.sealed_loc), (5, 0))
        self.assertEqual(self.points(), (60050, 0))
        self.assertIn("returned to the sealed stock", request.message_ids[0].body)

    def test_reject_in_bulk_with_a_reason(self):
        applied = self.apply()
        approved = self.apply(self.new_member(2))
        approved.action_approve()
        wizard = (
            self.env["tsl.redemption.reject.wizard"]
            .with_context(**(applied | approved).action_reject_wizard()["context"])
            .create({"reason": "Points under review"})
        )
        self.assertEqual(wizard.request_ids, applied | approved)
        wizard.action_confirm()
        self.assertEqual(set((applied | approved).mapped("state")), {"rejected"})
        self.assertEqual(applied.reject_reason, "Points under review")
        self.assertEqual(self.points(), (60050, 0))
        self.assertEqual(self.qty(self.sealed_loc), (5, 0))
        self.assertIn("Points under review", applied.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "reason"):
            self.apply().action_reject(" ")
        shipped = self.apply(self.new_member(3))
        shipped.action_approve()
        shipped.action_ship()
        with self.assertRaisesRegex(UserError, "Only applied or approved"):
            shipped.action_reject("Too late")

    def test_cash_voucher_instead_of_stock(self):
        request = self.apply(option=self.option("Second Prize", "voucher"))
        request.action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(
            (request.voucher_id.amount, request.voucher_id.state), (1000.0, "open")
        )
        self.assertFalse(request.allocation_id)
        self.assertEqual(self.qty(self.sealed_loc), (5, 0))
        self.assertEqual(self.points(), (10050, 0))
        # cancelled before use: voucher cancelled, spent points re-credited
        request.action_cancel()
        self.assertEqual(request.voucher_id.state, "cancelled")
        self.assertEqual(self.points(), (60050, 0))
        self.assertEqual(
            self.ledger(request),
            [
                ("lock", -50000, 50000),
                ("spend_locked", 0, -50000),
                ("spend", 50000, 0),
            ],
        )

    def test_more_requests_than_sealed_stock(self):
        """5 sealed, 7 applications at two stores: the 5 oldest are approved
        — one transfer per store, one move per gift — the last 2 wait with
        the reason; approving one of them alone is refused."""
        partners = [self.chen] + [self.new_member(10 + n) for n in range(6)]
        requests = self.Request
        for n, partner in enumerate(partners):
            requests |= self.apply(partner, store=self.store if n % 2 else self.store_b)
        action = requests.action_approve()
        approved = requests.filtered(lambda r: r.state == "approved")
        waiting = requests - approved
        self.assertEqual(len(approved), 5)
        self.assertEqual(waiting, requests[5:])
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("used up", waiting[0].wait_reason)
        self.assertEqual(len(approved.allocation_id), 2)
        self.assertEqual(len(approved.allocation_id.picking_id), 2)
        for picking in approved.allocation_id.picking_id:
            self.assertEqual(len(picking.move_ids), 1)
        self.assertEqual(sum(approved.move_id.mapped("product_uom_qty")), 5)
        self.assertEqual(self.qty(self.sealed_loc), (5, 5))
        with self.assertRaisesRegex(UserError, "cannot be approved: the sealed stock"):
            waiting[0].action_approve()
        # the waiting members keep their locked points
        self.assertEqual(self.points(partners[5])[1], 50000)
        # HQ seals 2 more: the waiting ones are approved into the same
        # (not yet shipped) store transfers
        self.put_stock(self.gift, self.hq_wh.lot_stock_id, 10)
        self.seal.tsl_seal(2)
        waiting.action_approve()
        self.assertEqual(set(waiting.mapped("state")), {"approved"})
        self.assertEqual(len(requests.allocation_id.picking_id), 2)
        self.assertEqual(self.qty(self.sealed_loc), (7, 7))

    def test_two_hq_users_approve_at_once(self):
        """The first HQ user holds the request's row (approving it); the
        second is told at once instead of approving it twice."""
        request = self.Request.search([("state", "=", "applied")], limit=1)
        self.assertTrue(request, "the demo data has applied requests")
        with closing(sql_db.db_connect(self.env.cr.dbname).cursor()) as other:
            other.execute(
                "SELECT id FROM tsl_redemption_request WHERE id = %s FOR UPDATE",
                [request.id],
            )
            with self.assertRaisesRegex(UserError, "being approved or changed"):
                request.action_approve()
            other.rollback()
        self.assertEqual(request.state, "applied")

    def test_concurrent_approval_waits_for_the_sealed_stock(self):
        """Another HQ user approving requests of the same sealed gift holds
        its seal row: this approval waits for it (here: gives up after
        0.3 s) instead of counting the same sealed stock twice."""
        request = self.Request.search(
            [("state", "=", "applied"), ("option_id.option_type", "=", "gift")],
            limit=1,
        )
        seal = request._tsl_seal_of()
        self.assertTrue(seal, "the demo data has applied requests of sealed gifts")
        with closing(sql_db.db_connect(self.env.cr.dbname).cursor()) as other:
            other.execute(
                "SELECT id FROM tsl_gift_seal WHERE id = %s FOR UPDATE", [seal.id]
            )
            self.env.cr.execute("SET LOCAL lock_timeout = '300ms'")
            with (
                mute_logger("odoo.sql_db"),
                self.assertRaises(psycopg2.errors.LockNotAvailable),
                self.env.cr.savepoint(),
            ):
                request.action_approve()
            self.env.cr.execute("SET LOCAL lock_timeout = 0")
            other.rollback()
        request.invalidate_recordset()
        self.assertEqual(request.state, "applied")
        self.assertFalse(request.allocation_id)

    def test_collect_needs_ready_and_proof(self):
        request = self.apply()
        request.proof_signature = PROOF
        with self.assertRaisesRegex(UserError, "not ready for collection"):
            request.action_collect()
        request.action_approve()
        with self.assertRaisesRegex(UserError, "store cannot be changed"):
            request.store_id = self.store_b
        request.action_ship()
        request.action_receive()
        request.action_collect()  # the signature is a proof too
        self.assertEqual(request.state, "collected")

    def test_receipt_difference_reported(self):
        first = self.apply()
        second = self.apply(self.new_member(30))
        (first | second).action_approve()
        alloc = first.allocation_id
        alloc.action_ship()
        with self.assertRaisesRegex(UserError, "cannot be negative"):
            alloc.action_receive({alloc.line_ids.id: -1})
        alloc.action_receive({alloc.line_ids.id: 1})
        self.assertTrue(alloc.has_difference)
        self.assertEqual(alloc.line_ids.qty_difference, 1)
        self.assertEqual((first.state, second.state), ("ready", "shipped"))
        self.assertTrue(alloc.activity_ids)
        self.assertIn("missing in the receipt", second.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "Only shipped allocations"):
            alloc.action_receive()

    def test_member_get_member_gift_claimed_and_collected(self):
        """王丽 claims her "2 referrals" gift: no points, the gift comes from
        the stock sealed for the rule, the proof goes to the rule's
        addresses."""
        gift = self.gift_products[3]
        rule = self.env["tsl.referral.rule"].create(
            {
                "name": "Refer 2",
                "rule_type": "count",
                "referral_count": 2,
                "marketing_email": "mgm@tsl.example.com",
                "option_ids": [(0, 0, {"option_type": "gift", "product_id": gift.id})],
            }
        )
        self.put_stock(gift, self.hq_wh.lot_stock_id, 3)
        seal = self.env["tsl.gift.seal"].create(
            {
                "purpose": "referral",
                "referral_rule_id": rule.id,
                "product_id": gift.id,
                "warehouse_id": self.hq_wh.id,
            }
        )
        seal.tsl_seal(3)
        wang = self.new_member(40, points=100)
        reward = self.env["tsl.referral.reward"].create(
            {"referrer_id": wang.id, "rule_id": rule.id, "threshold": 2}
        )
        request = reward.tsl_claim(rule.option_ids, "hotline", store=self.store_b)
        self.assertEqual(request.seal_key, seal.key)
        request.action_approve()
        self.assertEqual(self.qty(seal.location_id, gift), (3, 1))
        self.assertEqual(self.qty(self.sealed_loc), (5, 0), "not the campaign's")
        request.action_ship()
        request.action_receive()
        request.proof_signature = PROOF
        request.action_collect()
        self.assertEqual(request.state, "collected")
        self.assertEqual(self.qty(seal.location_id, gift), (2, 0))
        self.assertFalse(self.ledger(request))
        self.assertEqual(self.points(wang), (100, 0))
        mail = self.env["mail.mail"].search(
            [("res_id", "=", request.id), ("email_to", "=", "mgm@tsl.example.com")]
        )
        self.assertEqual(len(mail.attachment_ids), 1)
        self.assertEqual(reward.state, "claimed")

    def test_store_manager_receives_and_hands_over(self):
        """The store's manager (no stock rights) confirms the receipt and
        records the collection; HQ-only steps stay closed to her."""
        manager = new_test_user(
            self.env,
            "g7_manager_b",
            groups="tsl_crm.group_tsl_store_manager",
            tsl_store_id=self.store.id,
            tsl_store_ids=[(6, 0, self.store.ids)],
        )
        request = self.apply()
        request.action_approve()
        request.action_ship()
        alloc = request.allocation_id.with_user(manager)
        with self.assertRaises(AccessError):
            alloc.action_ship()
        alloc.action_receive()
        self.assertEqual(request.state, "ready")
        as_manager = request.with_user(manager)
        as_manager.proof_image = PROOF
        as_manager.action_collect()
        self.assertEqual(request.state, "collected")
        self.assertEqual(request.collected_by_id, manager)
        self.assertEqual(self.points(), (10050, 0))
        with self.assertRaises(AccessError):
            as_manager.action_return_gift("Wrong size")

    def test_only_hq_approves(self):
        request = self.apply()
        manager = new_test_user(
            self.env,
            "g7_manager",
            groups="tsl_crm.group_tsl_store_manager",
            tsl_store_ids=[(6, 0, self.store.ids)],
        )
        with self.assertRaises(AccessError):
            request.with_user(manager).action_approve()
        with self.assertRaises(AccessError):
            self.seal.with_user(manager).tsl_seal(1)


@tagged("post_install", "-at_install")
class TestGiftSealing(TslGiftCommon):
    def test_seal_and_unseal_are_logged_transfers(self):
        self.assertEqual(self.seal.state, "sealed")
        self.assertEqual(len(self.seal.picking_ids), 1)
        self.assertEqual(self.seal.picking_ids.state, "done")
        # the sealed location is outside the warehouse's stock
        stock = self.hq_wh.lot_stock_id
        self.assertFalse(self.sealed_loc.parent_path.startswith(stock.parent_path))
        self.assertEqual(self.sealed_loc.warehouse_id, self.hq_wh)
        self.assertEqual(self.gift.with_context(location=stock.id).free_qty, 5)
        with self.assertRaisesRegex(UserError, "needs a reason"):
            self.seal.tsl_unseal(2, "")
        with self.assertRaisesRegex(UserError, "Only 5"):
            self.seal.tsl_unseal(6, "Too many")
        self.apply().action_approve()  # 1 reserved
        with self.assertRaisesRegex(UserError, "Only 4.0"):
            self.seal.tsl_unseal(5, "Season over")
        self.seal.tsl_unseal(2, "Season over")
        self.assertEqual(self.qty(self.sealed_loc), (3, 1))
        self.assertEqual(self.qty(stock), (7, 0))
        self.assertEqual(len(self.seal.picking_ids), 2)
        self.assertIn("Season over", self.seal.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "are free"):
            self.seal.tsl_seal(8)
        # re-sealing is the same explicit transfer
        wizard = self.env["tsl.gift.seal.wizard"].create(
            {"seal_id": self.seal.id, "operation": "seal", "quantity": 1}
        )
        wizard.action_confirm()
        self.assertEqual(self.qty(self.sealed_loc), (4, 1))

    def test_sealed_stock_not_moved_for_anything_else(self):
        Picking = self.env["stock.picking"]
        dest = self.hq_wh.lot_stock_id
        with self.assertRaisesRegex(ValidationError, "is sealed for"):
            Picking.create(
                {
                    "picking_type_id": self.hq_wh.int_type_id.id,
                    "location_id": self.sealed_loc.id,
                    "location_dest_id": dest.id,
                    "move_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "x",
                                "product_id": self.gift.id,
                                "product_uom": self.gift.uom_id.id,
                                "product_uom_qty": 1,
                                "location_id": self.sealed_loc.id,
                                "location_dest_id": dest.id,
                            },
                        )
                    ],
                }
            )
        # another campaign's moves are refused too
        other = self.Campaign.create(
            {
                "points_year_id": self.year.id,
                "name": "Other Campaign",
                "date_from": self.today,
                "date_to": self.today,
            }
        )
        with self.assertRaisesRegex(ValidationError, "cannot be moved for Other"):
            self.env["stock.move"].create(
                {
                    "name": "x",
                    "product_id": self.gift.id,
                    "product_uom": self.gift.uom_id.id,
                    "product_uom_qty": 1,
                    "location_id": self.sealed_loc.id,
                    "location_dest_id": dest.id,
                    "tsl_seal_key": f"campaign:{other.id}",
                }
            )
        # a delivery from the warehouse does not reserve the sealed stock
        out = Picking.create(
            {
                "picking_type_id": self.hq_wh.out_type_id.id,
                "location_id": self.hq_wh.view_location_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "x",
                            "product_id": self.gift.id,
                            "product_uom": self.gift.uom_id.id,
                            "product_uom_qty": 8,
                            "location_id": self.hq_wh.view_location_id.id,
                            "location_dest_id": self.env.ref(
                                "stock.stock_location_customers"
                            ).id,
                        },
                    )
                ],
            }
        )
        out.action_confirm()
        out.action_assign()
        self.assertEqual(out.move_ids.quantity, 5, "only the unsealed stock")
        self.assertEqual(self.qty(self.sealed_loc), (5, 0))

    def test_sealed_gift_not_sold(self):
        order = self.env["sale.order"].create({"partner_id": self.chen.id})
        with self.assertRaisesRegex(UserError, "sealed for .*cannot be sold"):
            self.env["sale.order.line"].create(
                {"order_id": order.id, "product_id": self.gift.id}
            )

    def test_birthday_gift_only_for_the_birthday(self):
        bday = self.gift_products[2]
        seal = self.env["tsl.gift.seal"].create(
            {
                "purpose": "birthday",
                "product_id": bday.id,
                "warehouse_id": self.hq_wh.id,
            }
        )
        self.assertEqual(seal.key, "birthday")
        with self.assertRaisesRegex(ValidationError, "only for the birthday"):
            self.bands["Fifth Prize"].option_ids = [
                (0, 0, {"option_type": "gift", "product_id": bday.id, "name": "B"})
            ]
        with self.assertRaisesRegex(ValidationError, "sealed as a birthday gift"):
            self.env["tsl.gift.seal"].create(
                {
                    "purpose": "campaign",
                    "campaign_id": self.campaign.id,
                    "product_id": bday.id,
                    "warehouse_id": self.hq_wh.id,
                }
            )
        # a gift sealed for the campaign is not a birthday gift
        card = self.env["tsl.birthday.card"].create(
            {
                "partner_id": self.chen.id,
                "period": "2026-12",
                "gift_entitled": True,
                "gift_state": "to_collect",
                "gift_product_id": self.gift.id,
            }
        )
        with self.assertRaisesRegex(UserError, "cannot be given as a birthday gift"):
            card.action_gift_collected()
        card.gift_product_id = bday
        card.action_gift_collected()
        self.assertEqual(card.gift_state, "collected")


@tagged("post_install", "-at_install")
class TestSealedGiftAtThePos(TslLoyaltyPosCommon):
    """A bracelet sealed as the member-get-member gift is refused at the
    till; once unsealed it sells."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bracelet = cls.create_product("Gift Bracelet", cls.categ_jewel, 500.0)
        warehouse = cls.config.picking_type_id.warehouse_id
        cls.env["stock.quant"].with_context(inventory_mode=True).create(
            {
                "product_id": cls.bracelet.id,
                "location_id": warehouse.lot_stock_id.id,
                "inventory_quantity": 3,
            }
        ).action_apply_inventory()
        rule = cls.env["tsl.referral.rule"].create(
            {"name": "Refer 2", "rule_type": "count", "referral_count": 2}
        )
        cls.seal = cls.env["tsl.gift.seal"].create(
            {
                "purpose": "referral",
                "referral_rule_id": rule.id,
                "product_id": cls.bracelet.id,
                "warehouse_id": warehouse.id,
            }
        )
        cls.seal.tsl_seal(2)

    def test_sealed_gift_refused_at_the_till(self):
        self.open_new_session()
        data = self.create_ui_order_data([(self.bracelet, 1)], customer=self.member)
        ring = self.create_ui_order_data([(self.ring, 1)], customer=self.member)
        # the whole sync is refused (the RPC's transaction rolls back), the
        # ring sold in the same batch included: nothing is booked
        with (
            self.assertRaisesRegex(UserError, "sealed for Refer 2: it cannot be sold"),
            self.env.cr.savepoint(),
        ):
            self.env["pos.order"].sync_from_ui([ring, data])
        self.assertFalse(
            self.env["pos.order"].search([("session_id", "=", self.pos_session.id)])
        )
        self.assertFalse(self.earn_lines())
        self.seal.tsl_unseal(2, "Campaign over")
        self.seal.invalidate_recordset()
        self.assertEqual(self.seal.state, "unsealed")
        order = self.sync(data)
        self.assertEqual(order.lines.product_id, self.bracelet)
