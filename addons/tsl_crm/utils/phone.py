# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Phone normalisation shared by the back office, the POS search and the imports."""

import re

try:
    import phonenumbers
except ImportError:  # pragma: no cover - declared in external_dependencies
    phonenumbers = None

DEFAULT_REGION = "CN"
_PHONE_CHARS = re.compile(r"^[\d\s()+\-./]+$")


def looks_like_phone(text):
    """True when the text is made of phone characters and holds 6+ digits."""
    if not text or not _PHONE_CHARS.match(text.strip()):
        return False
    return sum(ch.isdigit() for ch in text) >= 6


def normalize_phone(raw, region=DEFAULT_REGION):
    """Return ``(e164, valid)`` for a raw phone string.

    ``e164`` is the E.164 form when the number parses, else ``False``;
    ``valid`` tells whether the number is a real number of its region.
    Chinese mobiles typed as ``138 0013 8000``, ``+86 138-0013-8000``,
    ``0086 13800138000`` or ``(+86)13800138000`` all give ``+8613800138000``.
    """
    if not raw or not raw.strip():
        return False, False
    text = raw.strip()
    try:
        number = phonenumbers.parse(text, region or DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return False, False
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164, phonenumbers.is_valid_number(number)
