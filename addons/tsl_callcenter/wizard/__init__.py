from . import tsl_call_build_wizard
from . import tsl_store_report_export
