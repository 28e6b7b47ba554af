# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from ..models.tsl_grade_change import GRADES


class TslGradeOverrideWizard(models.TransientModel):
    _name = "tsl.grade.override.wizard"
    _description = "Override Member Grade"

    partner_ids = fields.Many2many("res.partner", string="Members", required=True)
    grade = fields.Selection(GRADES, string="New Grade", required=True)
    reason = fields.Char(required=True)

    def action_apply(self):
        self.partner_ids.tsl_override_grade(self.grade, self.reason)
        return {"type": "ir.actions.act_window_close"}
