# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestMaterials(TransactionCase):
    """Member materials (会员物料): the Nanjing Road store asks HQ for Premier
    cards and charters through the materials system, HQ CRM approves and
    ships them from the HQ warehouse, the store checks what arrived."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Warehouse = cls.env["stock.warehouse"]
        cls.hq_wh = Warehouse.create({"name": "HQ Materials", "code": "TMHQ"})
        cls.store_wh = Warehouse.create({"name": "Nanjing Road", "code": "TMSH1"})
        cls.env.company.tsl_materials_warehouse_id = cls.hq_wh
        area = cls.env["tsl.area"].create({"name": "East China", "code": "TM-EAST"})
        Store = cls.env["tsl.store"]
        cls.store = Store.create(
            {
                "name": "Nanjing Road",
                "code": "TM-SH1",
                "area_id": area.id,
                "warehouse_id": cls.store_wh.id,
            }
        )
        cls.other_store = Store.create(
            {"name": "Xujiahui", "code": "TM-SH2", "area_id": area.id}
        )

        def user(login, group, **vals):
            new = new_test_user(
                cls.env, login=login, groups=f"tsl_crm.{group}", name=login
            )
            new.write(vals)
            return new

        cls.manager = user(
            "tm_manager_sh1",
            "group_tsl_store_manager",
            tsl_store_id=cls.store.id,
            tsl_store_ids=[(6, 0, cls.store.ids)],
        )
        cls.associate = user(
            "tm_assoc_sh1", "group_tsl_associate", tsl_store_id=cls.store.id
        )
        cls.other_manager = user(
            "tm_manager_sh2",
            "group_tsl_store_manager",
            tsl_store_id=cls.other_store.id,
            tsl_store_ids=[(6, 0, cls.other_store.ids)],
        )
        # HQ CRM without any stock right: shipping works all the same.
        cls.hq = user("tm_hq_crm", "group_tsl_hq_crm")
        cls.card = cls.env.ref("tsl_loyalty.product_material_card_premier")
        cls.charter = cls.env.ref("tsl_loyalty.product_material_charter")
        cls.star_card = cls.env.ref("tsl_loyalty.product_material_card_star_diamond")
        cls.hq_stock = cls.hq_wh.lot_stock_id
        cls.store_stock = cls.store_wh.lot_stock_id
        cls.count(cls.card, 120)
        cls.count(cls.charter, 500)

    @classmethod
    def count(cls, product, qty, location=None):
        """A stock adjustment (盘点) at HQ."""
        cls.env["stock.quant"].with_context(inventory_mode=True).create(
            {
                "product_id": product.id,
                "location_id": (location or cls.hq_stock).id,
                "inventory_quantity": qty,
            }
        ).action_apply_inventory()

    def on_hand(self, product, location):
        return sum(
            self.env["stock.quant"]._gather(product, location).mapped("quantity")
        )

    def posted(self, record, text):
        return record.message_ids.filtered(lambda m: text in (m.body or ""))

    def request(self, user=None, lines=None):
        Requisition = self.env["tsl.material.requisition"].with_user(
            user or self.manager
        )
        return Requisition.create(
            {
                "line_ids": [
                    (0, 0, {"product_id": product.id, "qty_requested": qty})
                    for product, qty in (
                        lines or [(self.card, 200), (self.charter, 100)]
                    )
                ]
            }
        )

    def test_request_approve_ship_receive(self):
        """Nanjing Road asks for 200 Premier cards and 100 charters; HQ
        approves 150 cards but has only 120; after a count of 300 HQ ships,
        the store finds 148 cards: the 2 missing are reported to HQ."""
        req = self.request()
        self.assertEqual(req.store_id, self.store, "the manager's home store")
        self.assertEqual(req.requested_by_id, self.manager)
        self.assertTrue(req.name.startswith("MREQ/"))
        req.action_tsl_submit()
        self.assertEqual(req.state, "requested")
        self.assertTrue(req.activity_ids, "HQ is asked to approve")

        card_line, charter_line = req.line_ids.sorted("id")
        req.with_user(self.hq).action_tsl_approve({card_line.id: 150})
        self.assertEqual(req.state, "approved")
        self.assertEqual(
            (card_line.qty_requested, card_line.qty_approved), (200.0, 150.0)
        )
        self.assertEqual(charter_line.qty_approved, 100.0)
        self.assertTrue(self.posted(req, "lower quantities"))

        with self.assertRaises(UserError) as err:
            req.with_user(self.hq).action_tsl_ship()
        message = str(err.exception)
        self.assertIn("Member Card (Premier)", message)
        self.assertIn("120", message)
        self.assertNotIn("Charter", message)
        self.assertEqual(req.state, "approved")
        self.assertFalse(req.picking_id)

        self.count(self.card, 300)
        req.with_user(self.hq).action_tsl_ship()
        self.assertEqual(req.state, "shipped")
        picking = req.sudo().picking_id
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.picking_type_id, self.hq_wh.int_type_id)
        self.assertEqual(picking.location_id, self.hq_stock)
        self.assertEqual(picking.location_dest_id, self.store_stock)
        card_move = picking.move_ids.filtered(lambda m: m.product_id == self.card)
        self.assertEqual(card_move.quantity, 150.0)
        self.assertEqual(self.on_hand(self.card, self.hq_stock), 150.0)
        self.assertEqual(self.on_hand(self.card, self.store_stock), 150.0)
        self.assertEqual(self.on_hand(self.charter, self.hq_stock), 400.0)
        self.assertEqual(self.on_hand(self.charter, self.store_stock), 100.0)
        self.assertEqual(card_line.qty_shipped, 150.0)

        req.with_user(self.manager).action_tsl_receive({card_line.id: 148})
        self.assertEqual(req.state, "received")
        self.assertEqual(req.received_by_id, self.manager)
        self.assertEqual(card_line.qty_received, 148.0)
        self.assertEqual(card_line.qty_difference, 2.0)
        self.assertEqual(charter_line.qty_difference, 0.0)
        self.assertTrue(req.has_difference)
        report = self.posted(req, "Receipt differs")
        self.assertEqual(len(report), 1)
        self.assertIn("Member Card (Premier): shipped 150", report.body)
        self.assertIn("received 148", report.body)
        self.assertNotIn("Charter", report.body)
        activity = req.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.hq, "the HQ user who shipped")
        self.assertIn("difference", activity.summary)

    def test_receipt_as_shipped_reports_nothing(self):
        self.count(self.card, 300)
        req = self.request(lines=[(self.card, 100)])
        req.action_tsl_submit()
        req.with_user(self.hq).action_tsl_approve()
        req.with_user(self.hq).action_tsl_ship()
        # the received quantities are prefilled with the shipped ones
        req.with_user(self.manager).action_tsl_receive()
        self.assertEqual(req.state, "received")
        self.assertFalse(req.has_difference)
        self.assertFalse(req.activity_ids)
        self.assertTrue(self.posted(req, "everything arrived"))

    def test_through_the_forms(self):
        """The same steps as the users do them in the form view."""
        self.count(self.card, 300)
        with Form(self.env["tsl.material.requisition"].with_user(self.manager)) as f:
            with f.line_ids.new() as line:
                line.product_id = self.card
                line.qty_requested = 50
        req = f.record
        req.action_tsl_submit()
        with Form(req.with_user(self.hq)) as f:
            with f.line_ids.edit(0) as line:
                line.qty_approved = 40
        req.with_user(self.hq).action_tsl_approve()
        req.with_user(self.hq).action_tsl_ship()
        self.assertEqual(req.line_ids.qty_shipped, 40.0)
        with Form(req.with_user(self.manager)) as f:
            with f.line_ids.edit(0) as line:
                line.qty_received = 39
        req.with_user(self.manager).action_tsl_receive()
        self.assertEqual(req.line_ids.qty_difference, 1.0)
        self.assertEqual(self.on_hand(self.card, self.store_stock), 40.0)

    def test_hq_central_dispatch_of_top_tier_materials(self):
        """Star Diamond cards are arranged by HQ CRM (由CRM统一安排): the
        store cannot request them, HQ sends them without a request."""
        req = self.request(lines=[(self.star_card, 5)])
        with self.assertRaises(UserError) as err:
            req.action_tsl_submit()
        self.assertIn("sent centrally by HQ", str(err.exception))
        with self.assertRaises(AccessError):
            req.action_tsl_hq_dispatch()

        self.count(self.star_card, 20)
        dispatch = (
            self.env["tsl.material.requisition"]
            .with_user(self.hq)
            .create(
                {
                    "store_id": self.store.id,
                    "line_ids": [
                        (0, 0, {"product_id": self.star_card.id, "qty_requested": 5})
                    ],
                }
            )
        )
        dispatch.action_tsl_hq_dispatch()
        self.assertEqual(
            (dispatch.origin, dispatch.state, dispatch.approved_by_id),
            ("hq", "approved", self.hq),
        )
        dispatch.action_tsl_ship()
        self.assertEqual(self.on_hand(self.star_card, self.store_stock), 5.0)
        self.assertIn(
            dispatch,
            self.env["tsl.material.requisition"]
            .with_user(self.manager)
            .search([("state", "=", "shipped")]),
        )

    def test_store_without_warehouse_refused(self):
        req = self.env["tsl.material.requisition"].create(
            {
                "store_id": self.other_store.id,
                "line_ids": [(0, 0, {"product_id": self.card.id, "qty_requested": 10})],
            }
        )
        req.with_user(self.other_manager).action_tsl_submit()
        req.with_user(self.hq).action_tsl_approve()
        with self.assertRaises(UserError) as err:
            req.with_user(self.hq).action_tsl_ship()
        self.assertIn("Xujiahui", str(err.exception))
        self.assertIn("no warehouse", str(err.exception))

    def test_hq_approves_at_most_the_request(self):
        req = self.request()
        req.action_tsl_submit()
        with self.assertRaises(UserError) as err:
            req.with_user(self.hq).action_tsl_approve({req.line_ids[0].id: 250})
        self.assertIn("at most", str(err.exception))

    def test_only_member_materials(self):
        ring = self.env["product.product"].create({"name": "18K Ring"})
        with self.assertRaises(UserError) as err:
            self.request(lines=[(ring, 1)])
        self.assertIn("not a member material", str(err.exception))

    def test_access_by_role(self):
        req = self.request()
        # the associate reads the home store's requisitions, nothing more
        as_assoc = req.with_user(self.associate)
        self.assertEqual(as_assoc.state, "draft")
        with self.assertRaises(AccessError):
            self.request(user=self.associate)
        with self.assertRaises(AccessError):
            as_assoc.action_tsl_submit()
        req.action_tsl_submit()
        with self.assertRaises(AccessError):
            as_assoc.action_tsl_approve()
        # neither may the store manager approve, nor force the state
        with self.assertRaises(AccessError):
            req.action_tsl_approve()
        with self.assertRaises(AccessError):
            req.write({"state": "approved"})
        with self.assertRaises(AccessError):
            req.line_ids[0].qty_requested = 500
        self.assertEqual(req.state, "requested")
        # the manager of another store does not see it
        Requisition = self.env["tsl.material.requisition"]
        self.assertFalse(
            Requisition.with_user(self.other_manager).search([("id", "=", req.id)])
        )
        with self.assertRaises(AccessError):
            _name = req.with_user(self.other_manager).name
        with self.assertRaises(AccessError):
            Requisition.with_user(self.other_manager).create(
                {"store_id": self.store.id}
            )
        # HQ sees all
        self.assertIn(req, Requisition.with_user(self.hq).search([]))
