# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class TslPointsYear(models.Model):
    """A points year (积分年度), e.g. the 12/13 season: points earned in it
    are counted together and expire together."""

    _name = "tsl.points.year"
    _description = "Points Year"
    _order = "date_from desc"

    name = fields.Char(required=True)
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    expiry_date = fields.Date(
        required=True, help="Points of this year not used by this date expire."
    )
    expired = fields.Boolean(readonly=True, help="The expiry job has run.")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        (
            "date_company_uniq",
            "unique(date_from, company_id)",
            "A points year already starts on this date.",
        )
    ]

    @api.constrains("date_from", "date_to", "expiry_date")
    def _check_dates(self):
        for year in self:
            if not year.date_from <= year.date_to <= year.expiry_date:
                raise ValidationError(
                    _("A points year ends after it starts, and expires after it ends.")
                )

    @api.model
    def _tsl_for_date(self, day, company=None):
        """The points year containing ``day``, created on first use."""
        company = company or self.env.company
        year = self.search(
            [
                ("company_id", "=", company.id),
                ("date_from", "<=", day),
                ("date_to", ">=", day),
            ],
            limit=1,
        )
        if year:
            return year
        start_month = min(max(company.tsl_points_year_start_month or 1, 1), 12)
        start_year = day.year if day.month >= start_month else day.year - 1
        date_from = day.replace(year=start_year, month=start_month, day=1)
        date_to = date_from + relativedelta(years=1, days=-1)
        name = (
            str(start_year)
            if start_month == 1
            else f"{start_year % 100:02d}/{(start_year + 1) % 100:02d}"
        )
        return self.sudo().create(
            {
                "name": name,
                "date_from": date_from,
                "date_to": date_to,
                "expiry_date": date_to
                + relativedelta(months=company.tsl_points_expiry_months),
                "company_id": company.id,
            }
        )
