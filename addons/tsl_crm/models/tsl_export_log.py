# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class TslExportLog(models.Model):
    """Who took member data out of Odoo: every export and every printed
    member report (PIPL accountability)."""

    _name = "tsl.export.log"
    _description = "Member Data Export Log"
    _order = "date desc, id desc"

    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user, readonly=True
    )
    kind = fields.Selection(
        [("export", "Export"), ("print", "Print")], required=True, readonly=True
    )
    model = fields.Char(required=True, readonly=True)
    field_names = fields.Text(string="Fields", readonly=True)
    row_count = fields.Integer(string="Rows", readonly=True)

    @api.model
    def _tsl_log(self, model, field_names, row_count, kind):
        return self.create(
            {
                "model": model,
                "field_names": ", ".join(field_names or []),
                "row_count": row_count,
                "kind": kind,
            }
        )
