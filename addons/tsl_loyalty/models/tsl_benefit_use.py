# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models


class TslBenefitUse(models.Model):
    """The birthday / special-day benefit (生日折上9折, double points) is
    for one purchase per member and month, across all stores. Each use is a
    row; a second use in the same month (two offline tills) is kept, flagged
    for HQ review — never silently dropped."""

    _name = "tsl.benefit.use"
    _description = "Birthday Benefit Use"
    _inherit = ["tsl.review.mixin"]

    partner_id = fields.Many2one(
        "res.partner", string="Member", required=True, index=True, readonly=True
    )
    period = fields.Char(
        required=True, readonly=True, help="The month of the benefit, YYYY-MM."
    )

    def init(self):
        # Once per member and month: at most one valid use (the index is the
        # arbiter when two stores sync at the same moment).
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS tsl_benefit_use_once_per_month "
            "ON tsl_benefit_use (partner_id, period) WHERE state = 'valid'"
        )

    @api.model
    def _tsl_period(self, day):
        return day.strftime("%Y-%m")

    @api.model
    def _tsl_is_used(self, partner, day):
        return bool(
            self.sudo().search_count(
                [
                    ("partner_id", "=", partner.id),
                    ("period", "=", self._tsl_period(day)),
                    ("state", "in", ("valid", "accepted")),
                ],
                limit=1,
            )
        )

    @api.model
    def _tsl_register(self, partner, day, **links):
        """Record a use; returns it, in state 'review' if the month's benefit
        was already used."""
        self.env["tsl.points.move"]._tsl_lock_members(partner.ids)
        used = self._tsl_is_used(partner, day)
        use = self.sudo().create(
            {
                "partner_id": partner.id,
                "period": self._tsl_period(day),
                "state": "review" if used else "valid",
                **links,
            }
        )
        if used:
            use._tsl_flag(
                _(
                    "The birthday benefit of %(period)s was already used: this "
                    "second use needs a review.",
                    period=use.period,
                ),
                _("Birthday benefit used twice"),
            )
        return use
