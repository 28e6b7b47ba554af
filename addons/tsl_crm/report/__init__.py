from . import tsl_member_report
