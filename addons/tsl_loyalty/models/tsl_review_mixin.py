# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TslReviewMixin(models.AbstractModel):
    """A use of a once-only right (a voucher, the month's birthday benefit)
    recorded from an order. When the right was already used — two offline
    tills — the use is kept in state 'review' with an activity for HQ, who
    accepts it or charges it back: nothing is silently lost."""

    _name = "tsl.review.mixin"
    _description = "Use Reviewed by HQ"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    pos_order_id = fields.Many2one("pos.order", readonly=True, index="btree_not_null")
    sale_order_id = fields.Many2one("sale.order", readonly=True, index="btree_not_null")
    store_id = fields.Many2one("tsl.store", readonly=True)
    state = fields.Selection(
        [
            ("valid", "Valid"),
            ("review", "To Review"),
            ("accepted", "Accepted by HQ"),
            ("charged", "Charged Back"),
            ("cancelled", "Cancelled"),
        ],
        default="valid",
        required=True,
        tracking=True,
        index=True,
    )
    note = fields.Char(readonly=True)

    def _tsl_flag(self, reason, summary):
        """Explain the review in the chatter and give HQ CRM an activity."""
        hq = self.env.ref("tsl_crm.group_tsl_hq_crm").users
        for use in self:
            use.message_post(body=reason)
            use.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                note=reason,
                user_id=(hq[:1] or self.env.user).id,
            )

    def action_accept(self):
        self.write({"state": "accepted"})
        self.activity_feedback(["mail.mail_activity_data_todo"])

    def action_charge_back(self):
        self.write({"state": "charged"})
        self.activity_feedback(["mail.mail_activity_data_todo"])
