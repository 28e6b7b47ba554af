# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

EVENT_TYPES = [
    ("brand_event", "Brand Event"),
    ("new_store", "New Store Opening"),
    ("roadshow", "Roadshow"),
    ("special_event", "Store Anniversary / Special Event"),
    ("new_season", "New Season"),
]


class TslStoreEvent(models.Model):
    """A dated event that becomes a call reason for the members of its
    stores (all stores when empty): brand events, new store openings,
    roadshows, anniversaries (called a week before) and the quarterly
    new-season contact (A/B by phone)."""

    _name = "tsl.store.event"
    _description = "Store Event"
    _inherit = ["mail.thread"]
    _order = "date desc, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    event_type = fields.Selection(EVENT_TYPES, required=True, default="brand_event")
    date = fields.Date(required=True, tracking=True)
    store_ids = fields.Many2many(
        "tsl.store", string="Stores", help="Empty: every store."
    )
    grade_a = fields.Boolean(default=True)
    grade_b = fields.Boolean(default=True)
    grade_c = fields.Boolean()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    note = fields.Char(translate=True, help="Told to the member on the call.")
    active = fields.Boolean(default=True)

    @api.constrains("grade_a", "grade_b", "grade_c")
    def _check_grades(self):
        for rec in self:
            if not (rec.grade_a or rec.grade_b or rec.grade_c):
                raise ValidationError(
                    _(
                        "The event %(name)s reaches no grade: tick at least one.",
                        name=rec.name,
                    )
                )
