# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The festival contact plan by grade is new: every company gets the seeds'
plan (the main company's comes with the data)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["tsl.grade.contact.plan"]._create_defaults(env["res.company"].search([]))
