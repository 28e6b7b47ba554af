# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The call's area and company are no longer stored (related to the store):
drop their columns, foreign keys and index, and the indexes of tsl_call and
tsl_call_reason that nothing reads any more (Odoo keeps both when a field
stops being stored or indexed)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        ALTER TABLE tsl_call DROP COLUMN IF EXISTS area_id,
                             DROP COLUMN IF EXISTS company_id;
        DROP INDEX IF EXISTS tsl_call__partner_id_index;
        DROP INDEX IF EXISTS tsl_call__week_end_index;
        DROP INDEX IF EXISTS tsl_call__call_class_index;
        DROP INDEX IF EXISTS tsl_call__state_index;
        DROP INDEX IF EXISTS tsl_call__outcome_index;
        DROP INDEX IF EXISTS tsl_call_reason__call_id_index;
        """
    )
