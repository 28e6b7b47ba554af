from . import phone
from . import special_dates
