# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

FORM_FIELDS = (
    "kind",
    "category",
    "store_id",
    "contact_name",
    "contact_phone",
    "description",
)


class TslComplaintForm(http.Controller):
    """The public complaint and feedback form (网站投诉与建议, C8)."""

    def _render(self, values=None, error=None, complaint=None):
        Complaint = request.env["tsl.complaint"]
        return request.render(
            "tsl_callcenter.complaint_form_page",
            {
                "values": values or {},
                "error": error,
                "complaint": complaint,
                "kinds": Complaint._fields["kind"]._description_selection(request.env),
                "categories": Complaint._fields["category"]._description_selection(
                    request.env
                ),
                "stores": request.env["tsl.store"].sudo().search([]),
            },
        )

    @http.route(
        "/tsl/complaint",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
    )
    def tsl_complaint_form(self, **kwargs):
        return self._render()

    @http.route(
        "/tsl/complaint",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=True,
        website=True,
    )
    def tsl_complaint_submit(self, **post):
        values = {key: post.get(key, "") for key in FORM_FIELDS}
        try:
            complaint = request.env["tsl.complaint"].tsl_submit_website(values)
        except UserError as err:
            # the form comes back with what was typed and the reason
            return self._render(values, error=err.args[0])
        return self._render(complaint=complaint)
