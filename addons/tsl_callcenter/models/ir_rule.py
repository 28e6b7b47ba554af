# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import time

from odoo import models


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _compute_domain_context_values(self):
        """Record rules are cached per user; the call-list rules depend on the
        day (a list is readable by its store only inside its week), so the
        day is part of the cache key: the cache turns over at midnight UTC."""
        yield from super()._compute_domain_context_values()
        yield time.strftime("%Y-%m-%d")
