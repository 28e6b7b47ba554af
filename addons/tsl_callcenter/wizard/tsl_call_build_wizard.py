# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class TslCallBuildWizard(models.TransientModel):
    """ "Build this week": the weekly build on demand, for some stores or all."""

    _name = "tsl.call.build.wizard"
    _description = "Build Call Lists"

    week_start = fields.Date(
        string="Week Of", required=True, default=lambda self: self._default_week_start()
    )
    store_ids = fields.Many2many(
        "tsl.store",
        string="Stores",
        default=lambda self: self.env.user.tsl_store_ids,
        help="Empty: all stores (head office only).",
    )

    @api.model
    def _default_week_start(self):
        return self.env["tsl.call.list"]._week_start_of(fields.Date.context_today(self))

    def action_build(self):
        self.ensure_one()
        user = self.env.user
        is_hq = user.has_group("tsl_crm.group_tsl_hq_crm")
        if not is_hq:
            if not user.has_group("tsl_crm.group_tsl_store_manager"):
                raise AccessError(
                    _("Only store managers and head office build call lists.")
                )
            if not self.store_ids:
                raise UserError(_("Choose the stores whose call lists to build."))
            foreign = self.store_ids - user.tsl_store_ids
            if foreign:
                raise AccessError(
                    _(
                        "You cannot build the call lists of %(stores)s.",
                        stores=", ".join(foreign.mapped("display_name")),
                    )
                )
        CallList = self.env["tsl.call.list"].sudo()
        week_start = CallList._week_start_of(self.week_start)
        stores = self.store_ids.sudo() or self.env["tsl.store"].sudo().search([])
        count = CallList._build_week(week_start, stores)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tsl_callcenter.tsl_call_action"
        )
        action["domain"] = [
            ("week_start", "=", week_start),
            ("store_id", "in", stores.ids),
        ]
        action["context"] = {"search_default_group_user": 1}
        action["help"] = _("%(count)s calls this week.", count=count)
        return action
