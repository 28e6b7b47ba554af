# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class TslPointsBalance(models.Model):
    """A member's points in one points year. Written only by the ledger
    (``tsl.points.move._tsl_post``) in the same transaction as the ledger lines,
    so it always equals their sum; the database refuses a negative balance."""

    _name = "tsl.points.balance"
    _description = "Points Balance per Year"
    _order = "year_id desc"
    _rec_name = "year_id"

    partner_id = fields.Many2one(
        "res.partner", string="Member", required=True, ondelete="cascade", index=True
    )
    year_id = fields.Many2one(
        "tsl.points.year", string="Points Year", required=True, ondelete="restrict"
    )
    expiry_date = fields.Date(related="year_id.expiry_date")
    earned = fields.Integer(readonly=True)
    spent = fields.Integer(readonly=True)
    expired = fields.Integer(readonly=True)
    balance = fields.Integer(string="Available", readonly=True)
    locked = fields.Integer(readonly=True)
    store_id = fields.Many2one(related="partner_id.tsl_store_id", store=True)

    _sql_constraints = [
        (
            "partner_year_uniq",
            "unique(partner_id, year_id)",
            "One balance per member and points year.",
        ),
        (
            "balance_positive",
            "CHECK(balance >= 0)",
            "A points balance cannot be negative.",
        ),
        ("locked_positive", "CHECK(locked >= 0)", "Locked points cannot be negative."),
    ]
