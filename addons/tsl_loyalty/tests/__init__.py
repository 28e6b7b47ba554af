from . import test_points_pos
from . import test_points_sale
from . import test_ledger
from . import test_discounts
from . import test_vouchers
from . import test_pos_counter
from . import test_pos_tours
