# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, models
from odoo.exceptions import AccessError


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render(self, report_ref, res_ids, data=None):
        report = self._get_report(report_ref)
        if report.model == "res.partner" and res_ids:
            members = (
                self.env["res.partner"]
                .browse(res_ids)
                .exists()
                .filtered("tsl_member_state")
            )
            if members:
                if self.env.user._tsl_is_store_role_only():
                    raise AccessError(_("Store staff may not print member lists."))
                self.env["tsl.export.log"].sudo()._tsl_log(
                    "res.partner", [report.report_name], len(members), "print"
                )
        return super()._render(report_ref, res_ids, data=data)
