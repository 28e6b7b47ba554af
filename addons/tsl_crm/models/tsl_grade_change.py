# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, fields, models
from odoo.exceptions import UserError

GRADES = [("A", "A"), ("B", "B"), ("C", "C")]


class TslGradeChange(models.Model):
    """The full history of a member's grade: initial grading, upgrade
    proposals waiting for the store manager, automatic downgrades and manual
    overrides with their reason."""

    _name = "tsl.grade.change"
    _description = "Member Grade Change"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Member", required=True, ondelete="cascade", index=True
    )
    old_grade = fields.Selection(GRADES, string="From")
    new_grade = fields.Selection(GRADES, string="To", required=True)
    change_type = fields.Selection(
        [
            ("initial", "Initial Grading"),
            ("upgrade", "Upgrade"),
            ("downgrade", "Downgrade"),
            ("manual", "Manual Override"),
        ],
        string="Type",
        required=True,
    )
    state = fields.Selection(
        [("proposed", "To Confirm"), ("done", "Applied"), ("rejected", "Rejected")],
        required=True,
        default="done",
        index=True,
    )
    reason = fields.Char()
    points = fields.Float(string="Grading Points", digits=(16, 0))
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    decided_by_id = fields.Many2one("res.users", string="Decided By")
    decided_date = fields.Datetime()
    store_id = fields.Many2one(
        "tsl.store", related="partner_id.tsl_store_id", store=True, index=True
    )
    area_id = fields.Many2one(
        "tsl.area", related="partner_id.tsl_area_id", store=True, index=True
    )
    associate_id = fields.Many2one(
        "res.users", related="partner_id.tsl_associate_id", store=True
    )

    def action_confirm(self):
        """Store manager confirms upgrade proposals: the grade is applied."""
        if not self.env.user.has_group("tsl_crm.group_tsl_store_manager"):
            raise UserError(_("Only a store manager can confirm a grade upgrade."))
        todo = self.filtered(lambda c: c.state == "proposed")
        if len(todo) != len(self):
            raise UserError(
                _("Only proposals waiting for confirmation can be confirmed.")
            )
        now = fields.Datetime.now()
        todo.write(
            {"state": "done", "decided_by_id": self.env.uid, "decided_date": now}
        )
        for change in todo:
            change.partner_id.sudo().write(
                {"tsl_grade": change.new_grade, "tsl_grade_date": now.date()}
            )
        todo._post_on_members()
        return True

    def action_reject(self):
        if not self.env.user.has_group("tsl_crm.group_tsl_store_manager"):
            raise UserError(_("Only a store manager can reject a grade upgrade."))
        if any(c.state != "proposed" for c in self):
            raise UserError(
                _("Only proposals waiting for confirmation can be rejected.")
            )
        self.write(
            {
                "state": "rejected",
                "decided_by_id": self.env.uid,
                "decided_date": fields.Datetime.now(),
            }
        )
        return True

    def _post_on_members(self):
        types = dict(self._fields["change_type"]._description_selection(self.env))
        partners = self.partner_id
        bodies = {}
        for change in self:
            bodies[change.partner_id.id] = _(
                "%(type)s: grade %(old)s → %(new)s. %(reason)s",
                type=types[change.change_type],
                old=change.old_grade or "-",
                new=change.new_grade,
                reason=change.reason or "",
            )
        partners._message_log_batch(bodies=bodies)
