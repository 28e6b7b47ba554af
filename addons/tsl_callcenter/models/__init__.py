from . import res_company
from . import res_config_settings
from . import tsl_complaint
from . import tsl_service_request
from . import tsl_hotline_call
from . import tsl_kyc_assignment
from . import tsl_kyc_week
from . import tsl_kyc_advisor_score
