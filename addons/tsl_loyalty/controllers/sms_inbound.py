# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import SUPERUSER_ID, http
from odoo.http import request
from odoo.tools import consteq


class TslSmsInbound(http.Controller):
    @http.route(
        "/tsl/sms/inbound",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
    )
    def tsl_sms_inbound(self, **post):
        """The SMS gateway posts the messages sent to the redemption number
        (``from``, ``text``, ``token``); the answer is the reply text, also
        queued as an SMS to the sender."""
        token = (
            request.env["ir.config_parameter"]
            .sudo()
            .get_param("tsl_loyalty.sms_inbound_token")
        )
        if not token or not consteq(post.get("token") or "", token):
            return request.make_response("forbidden", status=403)
        _request, reply = (
            request.env["tsl.redemption.request"]
            .with_user(SUPERUSER_ID)
            .tsl_apply_sms(post.get("from"), post.get("text"))
        )
        return request.make_response(
            reply, headers=[("Content-Type", "text/plain; charset=utf-8")]
        )
