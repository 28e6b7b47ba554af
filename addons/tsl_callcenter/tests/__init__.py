from . import test_complaint
from . import test_service_request
from . import test_hotline
from . import test_kyc
from . import test_store_report
