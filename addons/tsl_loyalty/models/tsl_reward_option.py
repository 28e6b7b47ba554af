# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class TslRewardOption(models.Model):
    """What a member may choose: a gift (a stock product sent to the store)
    or a cash voucher (换购券 / 现金券). Offered by a band of the annual
    points reward or by a member-get-member rule."""

    _name = "tsl.reward.option"
    _description = "Reward Choice"
    _order = "sequence, id"

    name = fields.Char(
        required=True,
        translate=True,
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    band_id = fields.Many2one(
        "tsl.reward.band", ondelete="cascade", index="btree_not_null"
    )
    rule_id = fields.Many2one(
        "tsl.referral.rule",
        string="Referral Rule",
        ondelete="cascade",
        index="btree_not_null",
    )
    option_type = fields.Selection(
        [("gift", "Gift"), ("voucher", "Cash Voucher")],
        string="Type",
        required=True,
        default="gift",
    )
    product_id = fields.Many2one(
        "product.product",
        string="Gift",
        domain=[("type", "=", "consu")],
        help="The gift, a stock product sent from HQ to the collecting store.",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    voucher_amount = fields.Monetary(currency_field="currency_id")
    currency_id = fields.Many2one(
        "res.currency",
        default=lambda self: self.env.company.currency_id,
        required=True,
    )

    _sql_constraints = [
        (
            "band_or_rule",
            "CHECK((band_id IS NULL) != (rule_id IS NULL))",
            "A choice belongs either to a reward band or to a referral rule.",
        ),
    ]

    @api.depends("option_type", "product_id", "voucher_amount")
    def _compute_name(self):
        for option in self:
            if option.name:
                continue
            if option.option_type == "voucher" and option.voucher_amount:
                option.name = self.env._(
                    "%(amount)s cash voucher",
                    amount=option._tsl_amount_display(),
                )
            elif option.product_id:
                option.name = option.product_id.name

    @api.constrains("option_type", "product_id", "voucher_amount")
    def _check_content(self):
        for option in self:
            if option.option_type == "gift" and not option.product_id:
                raise ValidationError(
                    _("The gift choice %(name)s needs a product.", name=option.name)
                )
            if option.option_type == "voucher" and option.voucher_amount <= 0:
                raise ValidationError(
                    _(
                        "The voucher choice %(name)s needs a positive amount.",
                        name=option.name,
                    )
                )

    @api.constrains("product_id")
    def _check_not_birthday_gift(self):
        birthday = (
            self.env["tsl.gift.seal"]
            .sudo()
            .search(
                [
                    ("product_id", "in", self.product_id.ids),
                    ("purpose", "=", "birthday"),
                ]
            )
        )
        if birthday:
            raise ValidationError(
                _(
                    "%(product)s is sealed as a birthday gift: it is only for the "
                    "birthday benefit, not a reward choice.",
                    product=birthday[0].product_id.display_name,
                )
            )

    def _tsl_amount_display(self):
        """¥1,000 — the amount as members read it in an SMS."""
        self.ensure_one()
        return self.env["tsl.reward.campaign"]._tsl_format_amount(
            self.voucher_amount, self.currency_id
        )
