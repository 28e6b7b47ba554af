# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

# The seeds' festival plan by grade (C5): A a call and a gift delivered,
# B an SMS inviting to collect a gift, C an SMS, a card and an e-mail with
# the points. The defaults of every company, and what a grade without a row
# in its company's plan gets.
DEFAULT_GRADE_CHANNELS = {
    "A": ("call", "gift"),
    "B": ("sms", "invitation"),
    "C": ("sms", "card", "email"),
}
CHANNEL_FIELDS = ("call", "gift", "sms", "invitation", "card", "email")


class TslGradeContactPlan(models.Model):
    """How the festival plans (C5) contact each grade of member, per company:
    one row per grade A, B and C with the channels used. Edited by HQ CRM;
    a company gets the seeds' plan when it is created."""

    _name = "tsl.grade.contact.plan"
    _description = "Festival Contact Plan by Grade"
    _order = "company_id, grade"
    _rec_name = "grade"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
    )
    grade = fields.Selection(
        [("A", "Grade A"), ("B", "Grade B"), ("C", "Grade C")], required=True
    )
    call = fields.Boolean(
        string="Phone Call",
        help="A greeting call on this week's call list of the member's store.",
    )
    gift = fields.Boolean(
        string="Gift Delivery", help="A gift to deliver, listed as a contact to do."
    )
    sms = fields.Boolean(string="SMS", help="The festival's member SMS.")
    invitation = fields.Boolean(
        string="Invitation to Collect a Gift",
        help="An invitation to collect a gift at the store, listed as a contact "
        "to do.",
    )
    card = fields.Boolean(
        string="Greeting Card",
        help="A greeting card to send, listed as a contact to do.",
    )
    email = fields.Boolean(
        string="E-mail with Points", help="The festival's e-mail with the points."
    )

    _sql_constraints = [
        (
            "grade_company_uniq",
            "unique(company_id, grade)",
            "A company has one contact plan per grade.",
        ),
    ]

    def _channels(self):
        self.ensure_one()
        return tuple(name for name in CHANNEL_FIELDS if self[name])

    @api.model
    def _channels_by_grade(self, company):
        """{grade: channels} of ``company``, one search; a grade without a
        row in the company's plan gets the seeds' default channels."""
        result = dict(DEFAULT_GRADE_CHANNELS)
        for plan in self.sudo().search([("company_id", "=", company.id)]):
            result[plan.grade] = plan._channels()
        return result

    @api.model
    def _create_defaults(self, companies):
        """The seeds' plan for the grades ``companies`` do not have yet."""
        existing = {
            (plan.company_id.id, plan.grade)
            for plan in self.sudo().search([("company_id", "in", companies.ids)])
        }
        vals = [
            {
                "company_id": company.id,
                "grade": grade,
                **{name: name in channels for name in CHANNEL_FIELDS},
            }
            for company in companies
            for grade, channels in DEFAULT_GRADE_CHANNELS.items()
            if (company.id, grade) not in existing
        ]
        return self.sudo().create(vals)
