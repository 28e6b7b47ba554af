from . import tsl_grade_override_wizard
