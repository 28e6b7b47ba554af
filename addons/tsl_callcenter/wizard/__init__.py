from . import tsl_call_build_wizard
