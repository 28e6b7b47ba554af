# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The day-1 SMS templates of the 1-3-5 plan now render on the follow-up
log (tsl.followup.log) instead of the POS order, so that sales orders share
them. They are noupdate data: drop them here, the module's data recreates
them (new model and texts) and the zh_CN translation is loaded for them."""

TEMPLATES = (
    "sms_template_after_sale_temporary",
    "sms_template_after_sale_formal",
    "sms_template_after_sale_new_formal",
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        WITH gone AS (
            DELETE FROM ir_model_data
             WHERE module = 'tsl_callcenter' AND model = 'sms.template'
               AND name IN %s
         RETURNING res_id
        )
        DELETE FROM sms_template WHERE id IN (SELECT res_id FROM gone)
        """,
        (TEMPLATES,),
    )
