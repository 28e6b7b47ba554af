# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..utils.special_dates import last_and_next

CALENDARS = [("solar", "Solar (Gregorian)"), ("lunar", "Lunar (Chinese)")]
MONTHS = [(str(m), str(m)) for m in range(1, 13)]


class TslSpecialDate(models.Model):
    _name = "tsl.special.date"
    _description = "Member Special Date"
    _order = "next_date, id"

    partner_id = fields.Many2one(
        "res.partner", string="Member", required=True, ondelete="cascade", index=True
    )
    date_type = fields.Selection(
        [
            ("lunar_birthday", "Own Lunar Birthday"),
            ("wedding", "Wedding Anniversary"),
            ("engagement", "Engagement Anniversary"),
            ("proposal", "Proposal Anniversary"),
            ("dating", "Dating Anniversary"),
            ("child_birthday", "Child's Birthday"),
            ("partner_birthday", "Partner's Birthday"),
            ("family_birthday", "Family Member's Birthday"),
            ("other", "Other"),
        ],
        string="Type",
        required=True,
        default="wedding",
    )
    person_name = fields.Char(string="Whose", help="The child's or partner's name.")
    calendar = fields.Selection(CALENDARS, required=True, default="solar")
    month = fields.Integer(required=True)
    day = fields.Integer(required=True)
    is_leap_month = fields.Boolean(
        string="Leap Month",
        help="Lunar dates only: the date is in a leap month (闰月).",
    )
    year = fields.Integer(help="Optional: the year it happened.")
    note = fields.Char()
    last_date = fields.Date(
        string="Last Occurrence", compute="_compute_occurrences", store=True
    )
    next_date = fields.Date(
        string="Next Occurrence", compute="_compute_occurrences", store=True, index=True
    )
    store_id = fields.Many2one(related="partner_id.tsl_store_id", store=True)

    @api.depends("calendar", "month", "day", "is_leap_month")
    def _compute_occurrences(self):
        today = fields.Date.context_today(self)
        for rec in self:
            rec.last_date, rec.next_date = last_and_next(
                rec.calendar, rec.month, rec.day, today, rec.is_leap_month
            )

    @api.constrains("calendar", "month", "day", "is_leap_month")
    def _check_date(self):
        for rec in self:
            max_day = 30 if rec.calendar == "lunar" else 31
            if not 1 <= rec.month <= 12 or not 1 <= rec.day <= max_day:
                raise ValidationError(
                    _(
                        "%(date)s: month must be 1-12 and day 1-%(max)s.",
                        date=rec.display_name,
                        max=max_day,
                    )
                )
            if rec.is_leap_month and rec.calendar != "lunar":
                raise ValidationError(_("Only lunar dates can be in a leap month."))

    @api.depends("date_type", "person_name", "month", "day", "calendar")
    def _compute_display_name(self):
        labels = dict(self._fields["date_type"]._description_selection(self.env))
        for rec in self:
            prefix = _("Lunar ") if rec.calendar == "lunar" else ""
            leap = _("leap ") if rec.is_leap_month else ""
            whose = f"{rec.person_name} " if rec.person_name else ""
            label = labels.get(rec.date_type, "")
            rec.display_name = f"{label} {whose}({prefix}{leap}{rec.month}/{rec.day})"
