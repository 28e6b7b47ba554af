# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Call reason lines have no audit columns any more (_log_access = False):
drop them with their foreign keys (Odoo keeps columns a model stops
declaring)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        ALTER TABLE tsl_call_reason DROP COLUMN IF EXISTS create_uid,
                                    DROP COLUMN IF EXISTS create_date,
                                    DROP COLUMN IF EXISTS write_uid,
                                    DROP COLUMN IF EXISTS write_date
        """
    )
