# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

CALL_CLASSES = [
    ("a", "A (Urgent, Personal Touch)"),
    ("b", "B"),
    ("c", "C"),
]


class TslCallReasonType(models.Model):
    """Why a member is called this week. ``sequence`` is the seeds' priority
    order: a call carrying several reasons takes the class and priority of
    its best (lowest sequence) reason."""

    _name = "tsl.call.reason.type"
    _description = "Follow-up Call Reason"
    _order = "sequence, id"

    code = fields.Char(required=True, index=True)
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Priority: lower comes first.")
    call_class = fields.Selection(
        CALL_CLASSES, string="Class", required=True, default="b"
    )
    active = fields.Boolean(default=True)
    lead_days = fields.Integer(
        string="Days Ahead",
        default=7,
        help="Dated reasons (birthday, special day, deposit pickup, festival, event) "
        "enter the list of the week that starts this many days or fewer before them.",
    )
    cap_exempt = fields.Boolean(
        string="Beyond the Contact Cap",
        help="The member is waiting for this call (deposit, gift, after-sale): "
        "it is made even when the contact cap holds the member back.",
    )
    promotion = fields.Boolean(
        help="A festival or promotion: the reason to try again members flagged "
        "unreachable (heartbeat).",
    )
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A call reason code must be unique."),
        (
            "lead_days_positive",
            "CHECK(lead_days >= 0)",
            "Days ahead cannot be negative.",
        ),
    ]
