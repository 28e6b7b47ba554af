from . import tsl_gift_seal_wizard
from . import tsl_redemption_reject_wizard
