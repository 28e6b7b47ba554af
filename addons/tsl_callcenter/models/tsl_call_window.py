# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import pytz

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]
SHORT_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _hhmm(hours):
    minutes = round(hours * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class TslCallWindow(models.Model):
    """When members may be called. Windows without a store are the company's
    defaults (Mon–Thu 10:30–12:30, 14:30–16:30); a store with windows of its
    own uses only those."""

    _name = "tsl.call.window"
    _description = "Call Window"
    _order = "store_id, weekday, hour_from"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    store_id = fields.Many2one(
        "tsl.store",
        string="Store",
        index=True,
        ondelete="cascade",
        help="Empty: a default window of the company.",
    )
    weekday = fields.Selection(WEEKDAYS, required=True, default="0")
    hour_from = fields.Float(string="From", required=True, default=10.5)
    hour_to = fields.Float(string="To", required=True, default=12.5)

    @api.constrains("hour_from", "hour_to")
    def _check_hours(self):
        for rec in self:
            if not (0 <= rec.hour_from < rec.hour_to <= 24):
                raise ValidationError(
                    _(
                        "A call window runs from %(start)s to a later time within "
                        "the day.",
                        start=_hhmm(rec.hour_from),
                    )
                )

    @api.depends("weekday", "hour_from", "hour_to")
    def _compute_display_name(self):
        for rec in self:
            day = dict(WEEKDAYS).get(rec.weekday, "")
            rec.display_name = f"{day} {_hhmm(rec.hour_from)}–{_hhmm(rec.hour_to)}"

    @api.model
    def _windows_for_store(self, store, windows=None):
        """The windows of ``store``: its own, else the company's defaults.
        ``windows`` (all windows) may be passed to avoid a query per store."""
        windows = windows if windows is not None else self.sudo().search([])
        own = windows.filtered(lambda w: store and w.store_id == store)
        if own:
            return own
        company = store.company_id if store else self.env.company
        return windows.filtered(lambda w: not w.store_id and w.company_id == company)

    @api.model
    def _display_for_store(self, store, windows=None):
        """'Mon–Thu 10:30–12:30, 14:30–16:30': days sharing the same hours
        are joined."""
        by_day = {}
        for win in self._windows_for_store(store, windows):
            by_day.setdefault(int(win.weekday), []).append(
                f"{_hhmm(win.hour_from)}–{_hhmm(win.hour_to)}"
            )
        groups = []  # [(first_day, last_day, hours)]
        for day in sorted(by_day):
            hours = ", ".join(by_day[day])
            if groups and groups[-1][2] == hours and groups[-1][1] == day - 1:
                groups[-1][1] = day
            else:
                groups.append([day, day, hours])
        parts = []
        for first, last, hours in groups:
            days = (
                SHORT_DAYS[first]
                if first == last
                else f"{SHORT_DAYS[first]}–{SHORT_DAYS[last]}"
            )
            parts.append(f"{days} {hours}")
        return "; ".join(parts)

    @api.model
    def _is_open(self, store, utc_dt, windows=None):
        company = store.company_id if store else self.env.company
        tz = pytz.timezone(company.tsl_call_tz or "Asia/Shanghai")
        local = pytz.utc.localize(utc_dt).astimezone(tz)
        hour = local.hour + local.minute / 60.0
        return any(
            int(w.weekday) == local.weekday() and w.hour_from <= hour < w.hour_to
            for w in self._windows_for_store(store, windows)
        )
