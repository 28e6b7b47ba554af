# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.tsl_store_report import month_start


def _last_month(self):
    return month_start(fields.Date.context_today(self)) - relativedelta(months=1)


class TslStoreReportExport(models.TransientModel):
    """HQ: generate the month's store reports and export every store's
    report of a month (optionally some areas) in one workbook."""

    _name = "tsl.store.report.export"
    _description = "Export Monthly Store Reports"

    month = fields.Date(
        required=True, default=_last_month, help="Any day of the month."
    )
    area_ids = fields.Many2many("tsl.area", string="Areas", help="Empty: all areas.")

    def _reports(self):
        self.ensure_one()
        domain = [("month", "=", month_start(self.month))]
        if self.area_ids:
            domain.append(("area_id", "in", self.area_ids.ids))
        return self.env["tsl.store.report"].search(domain)

    def action_generate(self):
        if not self.env.user.has_group("tsl_crm.group_tsl_hq_crm"):
            raise AccessError(_("Only HQ generates the monthly store reports."))
        stores = (
            self.env["tsl.store"].search([("area_id", "in", self.area_ids.ids)])
            if self.area_ids
            else None
        )
        self.env["tsl.store.report"].sudo()._tsl_generate(
            self.month, store_ids=stores.ids if stores else None
        )
        return self.action_export()

    def action_export(self):
        reports = self._reports()
        if not reports:
            raise UserError(
                _(
                    "No store report for %(month)s: generate them first.",
                    month=month_start(self.month).strftime("%Y-%m"),
                )
            )
        return reports.action_export_xlsx()
