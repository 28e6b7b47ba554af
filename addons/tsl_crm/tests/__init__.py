from . import test_enrolment
from . import test_lifecycle
from . import test_grades
from . import test_special_dates
from . import test_phone_search
from . import test_access
from . import test_deposit
from . import test_nightly_incremental
