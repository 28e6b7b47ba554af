from . import test_call_lists
from . import test_call_outcome
from . import test_festival_plans
from . import test_after_sale
from . import test_rewards
