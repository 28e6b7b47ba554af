from . import models
from . import wizard
from . import controllers


def post_init_hook(env):
    """Companies that existed before the module: the seeds' festival contact
    plan by grade (the main company's comes with the data)."""
    env["tsl.grade.contact.plan"]._create_defaults(env["res.company"].search([]))
