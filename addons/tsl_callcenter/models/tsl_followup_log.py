# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.tools import SQL

PLANS = [
    ("after_sale_1", "1-3-5: Day 1 SMS"),
    ("after_sale_3", "1-3-5: Day 3 Call"),
    ("after_sale_5", "1-3-5: Day 5 Card Pickup"),
    ("festival", "Festival"),
]
CHANNELS = [
    ("sms", "SMS"),
    ("call", "Phone Call"),
    ("gift", "Gift Delivery"),
    ("invitation", "Invitation to Collect a Gift"),
    ("card", "Greeting Card"),
    ("email", "E-mail"),
    ("activity", "Activity"),
]


class TslFollowupLog(models.Model):
    """What a follow-up plan did for a member (1-3-5 steps, festival contacts
    by grade): one row per member, plan, channel and date. Re-runs of a plan
    find their rows and do not contact the member twice."""

    _name = "tsl.followup.log"
    _description = "Follow-up Contact"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Member", required=True, index=True, ondelete="cascade"
    )
    store_id = fields.Many2one("tsl.store", string="Store", index=True)
    company_id = fields.Many2one(related="store_id.company_id")
    plan = fields.Selection(PLANS, required=True, index=True)
    channel = fields.Selection(CHANNELS, required=True)
    date = fields.Date(required=True, index=True, help="The sale or festival date.")
    grade = fields.Selection([("A", "A"), ("B", "B"), ("C", "C")])
    festival_id = fields.Many2one("tsl.festival", index="btree_not_null")
    pos_order_id = fields.Many2one("pos.order", index="btree_not_null")
    sale_order_id = fields.Many2one("sale.order", index="btree_not_null")
    amount = fields.Float(
        string="Amount Spent",
        digits="Product Price",
        help="1-3-5 day 1: what the member spent on the sale day, point of sale "
        "and sales orders together.",
    )
    sms_id = fields.Many2one("sms.sms", string="SMS", ondelete="set null")
    mail_id = fields.Many2one("mail.mail", string="E-mail", ondelete="set null")
    call_id = fields.Many2one("tsl.call", ondelete="set null")
    state = fields.Selection(
        [("todo", "To Do"), ("done", "Done")], default="done", required=True
    )
    note = fields.Char()

    def init(self):
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS tsl_followup_log_once_idx "
                "ON tsl_followup_log (partner_id, plan, channel, date, "
                "COALESCE(festival_id, 0))"
            )
        )

    def action_done(self):
        self.write({"state": "done"})
        return True
