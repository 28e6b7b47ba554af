from . import sms_inbound
