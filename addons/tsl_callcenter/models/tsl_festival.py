# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import calendar
from datetime import date, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.tsl_crm.utils.special_dates import occurrence_in

PROFESSIONS = [
    ("teacher", "Teacher"),
    ("military", "Military"),
    ("medical", "Medical Staff"),
    ("other", "Other"),
]


class TslFestival(models.Model):
    """A festival of the follow-up calendar (C5): a solar date (Christmas), a
    lunar date (Mid-Autumn, 8/15) or the n-th weekday of a month (Mother's
    Day, second Sunday of May). Teachers' and Army Day only reach members of
    that profession."""

    _name = "tsl.festival"
    _description = "Festival"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    rule = fields.Selection(
        [
            ("solar", "Solar Date"),
            ("lunar", "Lunar Date"),
            ("weekday", "N-th Weekday of a Month"),
        ],
        required=True,
        default="solar",
    )
    month = fields.Integer(required=True, default=1)
    day = fields.Integer(default=1, help="Day of the month (solar or lunar).")
    week_number = fields.Integer(
        default=1, help="N-th weekday rule: 2 with Sunday = the second Sunday."
    )
    weekday = fields.Selection(
        [
            ("0", "Monday"),
            ("1", "Tuesday"),
            ("2", "Wednesday"),
            ("3", "Thursday"),
            ("4", "Friday"),
            ("5", "Saturday"),
            ("6", "Sunday"),
        ],
        default="6",
    )
    profession = fields.Selection(
        PROFESSIONS, help="Only members of this profession (Teachers' Day, Army Day)."
    )
    lead_days = fields.Integer(
        string="Days Before",
        default=1,
        help="The festival plan runs this many days before the festival "
        "(the seeds: on the day or the day before).",
    )
    member_sms_template_id = fields.Many2one(
        "sms.template",
        string="Member SMS",
        domain=[("model", "=", "res.partner")],
        help="Greeting sent to the grades whose festival contact plan has the "
        "SMS (the seeds: B and C).",
    )
    guest_sms_template_id = fields.Many2one(
        "sms.template",
        string="Non-member SMS",
        domain=[("model", "=", "res.partner")],
        help="Greeting sent to the store's contacts that are not members.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail with Points",
        domain=[("model", "=", "res.partner")],
        help="Greeting with the member's points, sent to the grades whose "
        "festival contact plan has the e-mail (the seeds: C).",
    )
    next_date = fields.Date(compute="_compute_next_date")
    log_count = fields.Integer(compute="_compute_log_count", string="Contacts")

    _sql_constraints = [
        ("code_uniq", "unique(code, company_id)", "A festival code must be unique."),
    ]

    @api.constrains("rule", "month", "day", "week_number")
    def _check_date(self):
        for rec in self:
            if not 1 <= rec.month <= 12:
                raise ValidationError(_("A festival month is between 1 and 12."))
            if rec.rule in ("solar", "lunar") and not 1 <= rec.day <= (
                30 if rec.rule == "lunar" else 31
            ):
                raise ValidationError(
                    _("The day of %(name)s is not a valid day.", name=rec.name)
                )
            if rec.rule == "weekday" and not 1 <= rec.week_number <= 5:
                raise ValidationError(
                    _("The week number of %(name)s is between 1 and 5.", name=rec.name)
                )

    def _compute_next_date(self):
        today = fields.Date.context_today(self)
        for rec in self:
            rec.next_date = rec._next_occurrence(today)

    def _compute_log_count(self):
        counts = dict(
            self.env["tsl.followup.log"]._read_group(
                [("festival_id", "in", self.ids)], ["festival_id"], ["__count"]
            )
        )
        for rec in self:
            rec.log_count = counts.get(rec, 0)

    def _occurrence_in(self, year):
        """The festival's date in ``year`` (lunar: of the lunar year)."""
        self.ensure_one()
        if self.rule == "lunar":
            return occurrence_in(year, "lunar", self.month, self.day)
        if self.rule == "weekday":
            first = date(year, self.month, 1)
            offset = (int(self.weekday or 0) - first.weekday()) % 7
            day = first + timedelta(days=offset + 7 * (self.week_number - 1))
            if day.month != self.month:  # a fifth weekday that does not exist
                day -= timedelta(days=7)
            return day
        last = calendar.monthrange(year, self.month)[1]
        return date(year, self.month, min(self.day, last))

    def _next_occurrence(self, ref):
        """First occurrence on or after ``ref``."""
        self.ensure_one()
        dates = sorted(
            self._occurrence_in(y) for y in (ref.year - 1, ref.year, ref.year + 1)
        )
        return next((d for d in dates if d >= ref), False)

    def _occurrences_between(self, start, end):
        """Occurrences within [start, end] (both included)."""
        self.ensure_one()
        years = range(start.year - 1, end.year + 2)
        return sorted(
            {d for d in (self._occurrence_in(y) for y in years) if start <= d <= end}
        )

    def action_view_logs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tsl_callcenter.tsl_followup_log_action"
        )
        action["domain"] = [("festival_id", "=", self.id)]
        return action

    def action_run_plan(self):
        """Run the festival plan now for the next occurrence (button)."""
        today = fields.Date.context_today(self)
        total = 0
        for rec in self:
            total += self.env["tsl.followup.plan"]._run_festival(
                rec, rec._next_occurrence(today)
            )
        return total
