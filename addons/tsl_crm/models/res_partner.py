# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
import logging
import re
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..utils.phone import looks_like_phone, normalize_phone
from ..utils.special_dates import last_and_next
from .tsl_grade_change import GRADES
from .tsl_member_consent import CHANNELS
from .tsl_special_date import CALENDARS

_logger = logging.getLogger(__name__)

MEMBER_STATES = [
    ("temporary", "Temporary Member"),
    ("formal", "Formal Member"),
    ("lapsed", "Lapsed Member"),
]
PHONE_STATES = [
    ("valid", "Valid"),
    ("invalid_format", "Invalid Format"),
    ("wrong_number", "Wrong Number"),
    ("empty_number", "Empty Number"),
    ("refused", "Refused Contact"),
]
GRADE_RANK = {"A": 3, "B": 2, "C": 1}
MEMBER_NUMBER_RE = re.compile(r"^[A-Za-z]{1,3}\d{4,}$")


# the member columns the nightly job reads (see init and _tsl_nightly_snapshot)
NIGHTLY_COLUMNS = (
    "tsl_member_state",
    "tsl_enrol_date",
    "tsl_grade",
    "tsl_grade_date",
    "tsl_grade_override_until",
    "tsl_store_id",
    "tsl_area_id",
    "tsl_associate_id",
    "tsl_tier_id",
    "tsl_renewal_qualified",
    "tsl_spend_12m",
    "tsl_total_spend",
    "tsl_orders_12m",
    "tsl_orders_prev_12m",
    "tsl_first_purchase_date",
    "tsl_last_purchase_date",
    "tsl_grade_points",
)
NIGHTLY_MARKER = "tsl_crm.nightly_marker"
# an incremental night also takes the rows written this long before the
# last night started: transactions still open then may commit later with
# an older write_date
NIGHTLY_SINCE_MARGIN = timedelta(hours=1)


def _grade_rank_sql(column, table="g"):
    """A > B > C as 3 > 2 > 1 for a column of the nightly temp table."""
    return SQL(
        "(CASE %s WHEN 'A' THEN 3 WHEN 'B' THEN 2 WHEN 'C' THEN 1 ELSE 0 END)",
        SQL.identifier(table, column) if table else SQL.identifier(column),
    )


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ---- membership ---------------------------------------------------------
    tsl_member_state = fields.Selection(
        MEMBER_STATES, string="Member Status", index=True, tracking=True, copy=False
    )
    tsl_member_number = fields.Char(
        string="Member Number", copy=False, tracking=True, readonly=True
    )
    tsl_enrol_date = fields.Date(string="Enrolment Date", copy=False, readonly=True)
    tsl_enrol_store_id = fields.Many2one(
        "tsl.store", string="Enrolment Store", copy=False
    )
    tsl_temporary_date = fields.Date(string="Temporary Since", copy=False)
    tsl_formal_date = fields.Date(string="Formal Since", copy=False)
    tsl_lapsed_date = fields.Date(string="Lapsed Since", copy=False)
    tsl_store_id = fields.Many2one(
        "tsl.store", string="Home Store", index=True, tracking=True
    )
    tsl_area_id = fields.Many2one(
        "tsl.area",
        string="Area",
        related="tsl_store_id.area_id",
        store=True,
        index=True,
    )
    tsl_associate_id = fields.Many2one(
        "res.users",
        string="Sales Associate",
        index=True,
        tracking=True,
        help="The associate who looks after this member.",
    )
    tsl_tier_id = fields.Many2one(
        "tsl.member.tier", string="Tier", index=True, tracking=True
    )
    tsl_tier_date = fields.Date(string="Tier Since")
    tsl_renewal_qualified = fields.Boolean(
        string="Qualifies for Renewal",
        readonly=True,
        help="Spend of the last 12 months meets the tier's renewal qualification.",
    )
    tsl_gender = fields.Selection(
        [("female", "Female"), ("male", "Male"), ("other", "Other")], string="Gender"
    )
    tsl_referrer_id = fields.Many2one("res.partner", string="Referred By", index=True)

    # ---- card (M3) ----------------------------------------------------------
    tsl_card_delivery = fields.Selection(
        [("store", "Pickup at Store"), ("mail", "Mail Delivery")],
        string="Card Delivery",
    )
    tsl_card_state = fields.Selection(
        [
            ("temporary", "Temporary Card"),
            ("preparing", "Being Prepared"),
            ("collected", "Collected"),
            ("mailed", "Mailed"),
        ],
        string="Card",
        copy=False,
        tracking=True,
    )
    tsl_card_ready_date = fields.Date(string="Card Ready On", copy=False)

    # ---- birthday and special dates (M6) -----------------------------------
    tsl_birthday_calendar = fields.Selection(
        CALENDARS, string="Birthday Calendar", default="solar"
    )
    tsl_birth_month = fields.Integer(string="Birthday Month")
    tsl_birth_day = fields.Integer(string="Birthday Day")
    tsl_birth_year = fields.Integer(string="Birth Year")
    tsl_birth_leap_month = fields.Boolean(
        string="Birthday in Leap Month", help="Lunar birthdays in a leap month (闰月)."
    )
    tsl_birthday_last = fields.Date(
        string="Last Birthday", compute="_compute_tsl_birthday", store=True
    )
    tsl_birthday_next = fields.Date(
        string="Next Birthday", compute="_compute_tsl_birthday", store=True, index=True
    )
    tsl_birthday_this_month = fields.Boolean(
        string="Birthday This Month",
        compute="_compute_tsl_birthday_this_month",
        search="_search_tsl_birthday_this_month",
    )
    tsl_special_date_ids = fields.One2many(
        "tsl.special.date", "partner_id", string="Special Dates"
    )
    tsl_next_special_date = fields.Date(
        string="Next Special Date",
        compute="_compute_tsl_next_special_date",
        store=True,
        index=True,
    )
    tsl_special_date_soon = fields.Boolean(
        string="Special Date in the Next 7 Days",
        compute="_compute_tsl_special_date_soon",
        search="_search_tsl_special_date_soon",
    )

    # ---- phone quality (M7) -------------------------------------------------
    tsl_phone_normalized = fields.Char(
        string="Normalised Phone",
        compute="_compute_tsl_phone_normalized",
        store=True,
        index=True,
        help="E.164 form of the mobile (or phone) used to find members.",
    )
    tsl_phone_state = fields.Selection(
        PHONE_STATES,
        string="Phone Quality",
        compute="_compute_tsl_phone_state",
        store=True,
        readonly=False,
        tracking=True,
    )
    tsl_duplicate_count = fields.Integer(
        string="Same Phone", compute="_compute_tsl_duplicate_count"
    )
    tsl_name_key = fields.Char(
        compute="_compute_tsl_name_key",
        store=True,
        help="Lower-case name used by the indexed name-prefix search.",
    )

    # ---- consent (M2, M8) ---------------------------------------------------
    tsl_consent_signature = fields.Image(
        string="Consent Signature", max_width=1024, max_height=512, copy=False
    )
    tsl_consent_paper = fields.Boolean(
        string="Signed Paper Form",
        copy=False,
        help="The member signed the paper application form (入会申请表).",
    )
    tsl_consent_date = fields.Datetime(string="Consent Signed On", copy=False)
    tsl_consent_ids = fields.One2many(
        "tsl.member.consent", "partner_id", string="Contact Consents"
    )

    # ---- grade (M5) ---------------------------------------------------------
    tsl_grade = fields.Selection(GRADES, string="Grade", index=True, tracking=True)
    tsl_grade_date = fields.Date(string="Grade Since", readonly=True)
    tsl_grade_points = fields.Float(
        string="Grading Points", digits=(16, 0), readonly=True
    )
    tsl_grade_override_until = fields.Date(
        string="Manual Grade Until",
        readonly=True,
        help="A manual grade holds until this date: the nightly job leaves it.",
    )
    tsl_grade_change_ids = fields.One2many(
        "tsl.grade.change", "partner_id", string="Grade History"
    )
    tsl_spend_12m = fields.Monetary(
        string="Spend (12 Months)", readonly=True, currency_field="currency_id"
    )
    tsl_total_spend = fields.Monetary(
        string="Total Spend", readonly=True, currency_field="currency_id"
    )
    tsl_orders_12m = fields.Integer(string="Purchases (12 Months)", readonly=True)
    tsl_orders_prev_12m = fields.Integer(
        string="Purchases (Previous 12 Months)", readonly=True
    )
    tsl_first_purchase_date = fields.Date(string="First Purchase", readonly=True)
    tsl_last_purchase_date = fields.Date(string="Last Purchase", readonly=True)

    # ---- deposits (M9) ------------------------------------------------------
    tsl_deposit_ids = fields.One2many("tsl.deposit", "partner_id", string="Deposits")
    tsl_deposit_count = fields.Integer(compute="_compute_tsl_deposit_count")

    _sql_constraints = [
        (
            "tsl_member_number_uniq",
            "unique(tsl_member_number)",
            "This member number is already used.",
        ),
        (
            "tsl_birth_month_range",
            "CHECK(tsl_birth_month IS NULL OR tsl_birth_month BETWEEN 0 AND 12)",
            "The birthday month must be between 1 and 12.",
        ),
        (
            "tsl_birth_day_range",
            "CHECK(tsl_birth_day IS NULL OR tsl_birth_day BETWEEN 0 AND 31)",
            "The birthday day must be between 1 and 31.",
        ),
    ]

    def init(self):
        res = super().init()
        # The POS member search uses a prefix LIKE on the lower-case name.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS res_partner_tsl_name_key_prefix_idx "
            "ON res_partner (tsl_name_key text_pattern_ops) "
            "WHERE tsl_member_state IS NOT NULL"
        )
        # ... and pages through the matches in name order without sorting them
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS res_partner_tsl_name_key_order_idx "
            "ON res_partner (tsl_name_key, id) "
            "WHERE tsl_member_state IS NOT NULL"
        )
        # The nightly job's full pass reads these columns of every member:
        # from this narrow index (index-only scan, in id order) instead of
        # the wide table (about a tenth of the pages at 1M members).
        self.env.cr.execute("DROP INDEX IF EXISTS res_partner_tsl_night_idx")
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS res_partner_tsl_nightly_idx "
                "ON res_partner (id) INCLUDE (%s) "
                "WHERE tsl_member_state IS NOT NULL",
                SQL(", ").join(SQL.identifier(col) for col in NIGHTLY_COLUMNS),
            )
        )
        # The incremental night finds its members through these (each serves
        # one reason a member may change tonight, see _tsl_nightly_scope).
        for name, definition in (
            ("write_date", "(write_date) WHERE tsl_member_state IS NOT NULL"),
            (
                "ungraded",
                "(id) WHERE tsl_member_state IS NOT NULL AND tsl_grade IS NULL",
            ),
            (
                "grade_date",
                "(tsl_grade_date) WHERE tsl_member_state IS NOT NULL",
            ),
            (
                "override",
                "(tsl_grade_override_until) "
                "WHERE tsl_grade_override_until IS NOT NULL",
            ),
            ("enrol_date", "(tsl_enrol_date) WHERE tsl_member_state IS NOT NULL"),
        ):
            self.env.cr.execute(
                SQL(
                    "CREATE INDEX IF NOT EXISTS %s ON res_partner %s",
                    SQL.identifier(f"res_partner_tsl_{name}_idx"),
                    SQL(definition),
                )
            )
        return res

    # ------------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------------
    @api.depends(
        "tsl_birthday_calendar",
        "tsl_birth_month",
        "tsl_birth_day",
        "tsl_birth_leap_month",
    )
    def _compute_tsl_birthday(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.tsl_birthday_last, partner.tsl_birthday_next = last_and_next(
                partner.tsl_birthday_calendar or "solar",
                partner.tsl_birth_month,
                partner.tsl_birth_day,
                today,
                partner.tsl_birth_leap_month,
            )

    @api.model
    def _tsl_month_bounds(self, ref=None):
        ref = ref or fields.Date.context_today(self)
        start = ref.replace(day=1)
        return start, start + relativedelta(months=1)

    def _compute_tsl_birthday_this_month(self):
        start, end = self._tsl_month_bounds()
        for partner in self:
            partner.tsl_birthday_this_month = any(
                d and start <= d < end
                for d in (partner.tsl_birthday_last, partner.tsl_birthday_next)
            )

    def _search_tsl_birthday_this_month(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(_("Unsupported search on the birthday filter."))
        start, end = self._tsl_month_bounds()
        domain = [
            "|",
            "&",
            ("tsl_birthday_next", ">=", start),
            ("tsl_birthday_next", "<", end),
            "&",
            ("tsl_birthday_last", ">=", start),
            ("tsl_birthday_last", "<", end),
        ]
        positive = (operator == "=") == value
        return domain if positive else ["!", *domain]

    @api.depends("tsl_special_date_ids.next_date")
    def _compute_tsl_next_special_date(self):
        for partner in self:
            dates = partner.tsl_special_date_ids.mapped("next_date")
            partner.tsl_next_special_date = (
                min(d for d in dates if d) if any(dates) else False
            )

    def _compute_tsl_special_date_soon(self):
        today = fields.Date.context_today(self)
        limit = today + timedelta(days=7)
        for partner in self:
            partner.tsl_special_date_soon = any(
                d and today <= d <= limit
                for d in (partner.tsl_birthday_next, partner.tsl_next_special_date)
            )

    def _search_tsl_special_date_soon(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(_("Unsupported search on the special-date filter."))
        today = fields.Date.context_today(self)
        limit = today + timedelta(days=7)
        domain = [
            "|",
            "&",
            ("tsl_birthday_next", ">=", today),
            ("tsl_birthday_next", "<=", limit),
            "&",
            ("tsl_next_special_date", ">=", today),
            ("tsl_next_special_date", "<=", limit),
        ]
        positive = (operator == "=") == value
        return domain if positive else ["!", *domain]

    @api.depends("mobile", "phone")
    def _compute_tsl_phone_normalized(self):
        for partner in self:
            e164, _valid = normalize_phone(
                partner.mobile or partner.phone, partner._tsl_phone_region()
            )
            partner.tsl_phone_normalized = e164

    @api.depends("mobile", "phone")
    def _compute_tsl_phone_state(self):
        for partner in self:
            raw = partner.mobile or partner.phone
            if not raw:
                partner.tsl_phone_state = False
                continue
            _e164, valid = normalize_phone(raw, partner._tsl_phone_region())
            partner.tsl_phone_state = "valid" if valid else "invalid_format"

    def _tsl_phone_region(self):
        return (self.env.company.tsl_phone_region or "CN").upper()

    @api.model
    def _tsl_member_by_phone(self, raw, states=None):
        """``(member, e164, valid)`` for a phone typed in any format, read in
        the company's phone region: the oldest member (in ``states`` when
        given) with that number, or an empty recordset."""
        e164, valid = normalize_phone(raw or "", self._tsl_phone_region())
        if not e164:
            return self.browse(), e164, valid
        domain = [("tsl_phone_normalized", "=", e164)]
        domain += (
            [("tsl_member_state", "in", list(states))]
            if states
            else [("tsl_member_state", "!=", False)]
        )
        member = self.sudo().search(domain, order="id", limit=1)
        return self.browse(member.id), e164, valid

    @api.depends("name")
    def _compute_tsl_name_key(self):
        for partner in self:
            partner.tsl_name_key = self._tsl_name_key(partner.name)

    @api.model
    def _tsl_name_key(self, name):
        return " ".join((name or "").lower().split()) or False

    def _compute_tsl_duplicate_count(self):
        phones = [p for p in self.mapped("tsl_phone_normalized") if p]
        counts = {}
        if phones:
            counts = dict(
                self.with_context(active_test=False)._read_group(
                    [("tsl_phone_normalized", "in", phones)],
                    ["tsl_phone_normalized"],
                    ["__count"],
                )
            )
        for partner in self:
            count = counts.get(partner.tsl_phone_normalized, 0)
            partner.tsl_duplicate_count = max(count - 1, 0)

    def _compute_tsl_deposit_count(self):
        counts = dict(
            self.env["tsl.deposit"]._read_group(
                [("partner_id", "in", self.ids), ("state", "=", "deposited")],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.tsl_deposit_count = counts.get(partner, 0)

    @api.constrains("tsl_birth_month", "tsl_birth_day", "tsl_birthday_calendar")
    def _check_tsl_birthday(self):
        for partner in self:
            if partner.tsl_birth_day and not partner.tsl_birth_month:
                raise ValidationError(_("A birthday day needs its month."))
            if (
                partner.tsl_birthday_calendar == "lunar"
                and partner.tsl_birth_day
                and partner.tsl_birth_day > 30
            ):
                raise ValidationError(_("A lunar month has at most 30 days."))
            if (
                partner.tsl_birth_leap_month
                and partner.tsl_birthday_calendar != "lunar"
            ):
                raise ValidationError(
                    _("Only a lunar birthday can be in a leap month.")
                )

    # ------------------------------------------------------------------------
    # enrolment (M2)
    # ------------------------------------------------------------------------
    @api.model
    def _tsl_enrolment_requirements(self):
        """(label, test) pairs; test(values) is True when the item is given."""
        return [
            (_("Name"), lambda v: bool((v.get("name") or "").strip())),
            (_("Gender"), lambda v: bool(v.get("tsl_gender"))),
            (_("Birthday month"), lambda v: bool(v.get("tsl_birth_month"))),
            (
                _("Phone"),
                lambda v: bool((v.get("mobile") or v.get("phone") or "").strip()),
            ),
            (_("Address line"), lambda v: bool((v.get("street") or "").strip())),
            (_("Postal code"), lambda v: bool((v.get("zip") or "").strip())),
            (
                _("Consent signature"),
                lambda v: bool(
                    v.get("tsl_consent_signature") or v.get("tsl_consent_paper")
                ),
            ),
        ]

    @api.model
    def _tsl_check_enrolment_values(self, values):
        """Raise one ValidationError naming every missing item, and refuse a
        phone that is not a phone or that another member already uses."""
        missing = [
            label
            for label, given in self._tsl_enrolment_requirements()
            if not given(values)
        ]
        if missing:
            raise ValidationError(
                _(
                    "The enrolment cannot be saved. Please fill in: %(fields)s.",
                    # translators: separator of the list of missing fields
                    fields=_(", ").join(missing),
                )
            )
        raw_phone = values.get("mobile") or values.get("phone")
        e164, valid = normalize_phone(raw_phone, self._tsl_phone_region())
        if not valid:
            raise ValidationError(
                _("The phone number %(phone)s is not a valid number.", phone=raw_phone)
            )
        duplicate = self.sudo().search(
            [
                ("tsl_phone_normalized", "=", e164),
                ("tsl_member_state", "!=", False),
                ("id", "not in", values.get("_ids", [])),
            ],
            limit=1,
        )
        if duplicate:
            raise ValidationError(
                _(
                    "The phone number %(phone)s already belongs to member "
                    "%(number)s (%(name)s). Serve that member instead of "
                    "enrolling again.",
                    phone=raw_phone,
                    number=duplicate.tsl_member_number,
                    name=duplicate.name,
                )
            )

    @api.model
    def _tsl_enrolment_defaults(self, store=None, source="store"):
        """Values every new member gets, whichever screen enrols them."""
        user = self.env.user
        store = store or user.tsl_store_id
        today = fields.Date.context_today(self)
        return {
            "tsl_member_state": "temporary",
            "tsl_member_number": self.env["ir.sequence"].next_by_code("tsl.member"),
            "tsl_enrol_date": today,
            "tsl_temporary_date": today,
            "tsl_enrol_store_id": store.id,
            "tsl_store_id": store.id,
            "tsl_associate_id": user.id
            if user.has_group("tsl_crm.group_tsl_associate")
            else False,
            "tsl_card_state": "temporary",
            "tsl_card_delivery": self.env.company.tsl_card_delivery,
            "tsl_consent_date": fields.Datetime.now(),
            "tsl_consent_ids": [
                (0, 0, {"channel": channel, "consent": True, "source": source})
                for channel, _label in CHANNELS
            ],
        }

    @api.model
    def tsl_enrol(self, values, store_id=False, source="store"):
        """Enrol a new member from any screen (back office, POS, import).

        ``values`` holds the form: name, tsl_gender, tsl_birth_month,
        tsl_birth_day, mobile/phone, street, zip, tsl_consent_signature or
        tsl_consent_paper, optional special dates and channels opted out
        (``tsl_opt_out_channels``: list of channel codes).
        Returns the new member.
        """
        values = dict(values)
        opt_out = values.pop("tsl_opt_out_channels", []) or []
        self._tsl_check_enrolment_values(values)
        store = self.env["tsl.store"].browse(store_id) if store_id else None
        vals = {**self._tsl_enrolment_defaults(store, source), **values}
        if opt_out:
            for command in vals["tsl_consent_ids"]:
                command[2]["consent"] = command[2]["channel"] not in opt_out
        partner = self.create(vals)
        partner._tsl_after_enrol()
        return partner

    def action_tsl_enrol(self):
        """Back office: turn existing contacts into temporary members."""
        for partner in self:
            if partner.tsl_member_state:
                raise ValidationError(
                    _("%(name)s is already a member.", name=partner.display_name)
                )
            values = {
                name: partner[name]
                for name in (
                    "name",
                    "tsl_gender",
                    "tsl_birth_month",
                    "mobile",
                    "phone",
                    "street",
                    "zip",
                    "tsl_consent_signature",
                    "tsl_consent_paper",
                )
            }
            values["_ids"] = partner.ids
            self._tsl_check_enrolment_values(values)
            partner.write(self._tsl_enrolment_defaults(partner.tsl_store_id or None))
        self._tsl_after_enrol()
        return True

    def _tsl_after_enrol(self):
        """Hook: the loyalty addon hands out the welcome kit here."""
        for partner in self:
            partner.message_post(
                body=_(
                    "Enrolled as temporary member %(number)s at %(store)s.",
                    number=partner.tsl_member_number,
                    store=partner.tsl_store_id.display_name or "-",
                )
            )

    # ------------------------------------------------------------------------
    # lifecycle (M1, M3)
    # ------------------------------------------------------------------------
    def _tsl_make_formal(self):
        """Temporary members who reached the threshold become formal: the card
        is prepared and an activity reminds the associate on the pickup day."""
        members = self.filtered(lambda p: p.tsl_member_state == "temporary")
        if not members:
            return members
        company = self.env.company
        today = fields.Date.context_today(self)
        ready = today + timedelta(days=company.tsl_card_pickup_days)
        members.write(
            {
                "tsl_member_state": "formal",
                "tsl_formal_date": today,
                "tsl_card_state": "preparing",
                "tsl_card_ready_date": ready,
            }
        )
        activity_type = self.env.ref("tsl_crm.mail_activity_type_card_pickup")
        model_id = self.env["ir.model"]._get_id("res.partner")
        activities = []
        for member in members:
            user = member.tsl_associate_id or member.tsl_store_id.manager_ids[:1]
            delivery = member.tsl_card_delivery or company.tsl_card_delivery
            activities.append(
                {
                    "res_model_id": model_id,
                    "res_id": member.id,
                    "activity_type_id": activity_type.id,
                    "date_deadline": ready,
                    "automated": True,
                    "user_id": (user or self.env.user).id,
                    "summary": _("Mail the member card")
                    if delivery == "mail"
                    else _("Member card ready for pickup"),
                }
            )
        # a reminder in the associate's activities, not an e-mail per member
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(activities)
        body = _(
            "Became a formal member: the card will be ready on %(date)s.", date=ready
        )
        members._message_log_batch(bodies=dict.fromkeys(members.ids, body))
        return members

    def action_tsl_card_collected(self):
        self.write({"tsl_card_state": "collected"})
        self.activity_feedback(["tsl_crm.mail_activity_type_card_pickup"])
        return True

    def action_tsl_card_mailed(self):
        self.write({"tsl_card_state": "mailed"})
        self.activity_feedback(["tsl_crm.mail_activity_type_card_pickup"])
        return True

    def tsl_set_phone_state(self, state):
        """Follow-up outcomes (wrong number, empty number, refused) land here."""
        if state not in dict(PHONE_STATES):
            raise ValidationError(_("Unknown phone state %(state)s.", state=state))
        self.write({"tsl_phone_state": state})
        return True

    # ------------------------------------------------------------------------
    # member search (POS, hotline)
    # ------------------------------------------------------------------------
    @api.model
    def _tsl_member_search_domain(self, query):
        """Indexed lookups only: exact normalised phone, exact member number,
        or a name prefix — never an ilike over five columns."""
        query = (query or "").strip()
        if not query:
            return [("id", "=", 0)]
        domain = [("tsl_member_state", "!=", False)]
        if MEMBER_NUMBER_RE.match(query):
            return domain + [("tsl_member_number", "=", query.upper())]
        if looks_like_phone(query):
            e164, _valid = normalize_phone(query, self._tsl_phone_region())
            digits = re.sub(r"\D", "", query)
            return domain + [
                "|",
                ("tsl_phone_normalized", "=", e164 or "-"),
                ("tsl_member_number", "=", digits),
            ]
        key = (self._tsl_name_key(query) or "").translate(str.maketrans("", "", "\\%_"))
        if not key:
            return [("id", "=", 0)]
        return domain + [("tsl_name_key", "=like", f"{key}%")]

    @api.model
    def tsl_search_members(self, query, limit=20, offset=0):
        """A page of members matching ``query`` (phone, member number or name
        prefix), ordered by name."""
        return self.search(
            self._tsl_member_search_domain(query),
            limit=limit,
            offset=offset,
            order="tsl_name_key, id",
        )

    def action_tsl_view_duplicates(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tsl_crm.tsl_member_action"
        )
        action["domain"] = [("tsl_phone_normalized", "=", self.tsl_phone_normalized)]
        action["context"] = {}
        return action

    def action_tsl_view_deposits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tsl_crm.tsl_deposit_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_tsl_override_grade(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "tsl.grade.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.ids},
        }

    # ------------------------------------------------------------------------
    # grades (M5)
    # ------------------------------------------------------------------------
    def tsl_override_grade(self, grade, reason):
        """Manual override with a reason; holds for the configured months."""
        if not self.env.user.has_group("tsl_crm.group_tsl_store_manager"):
            raise AccessError(_("Only a store manager can override a member's grade."))
        if not (reason or "").strip():
            raise ValidationError(_("A manual grade change needs a reason."))
        if grade not in GRADE_RANK:
            raise ValidationError(_("Unknown grade %(grade)s.", grade=grade))
        today = fields.Date.context_today(self)
        until = today + relativedelta(months=self.env.company.tsl_grade_override_months)
        changes = self.env["tsl.grade.change"].create(
            [
                {
                    "partner_id": partner.id,
                    "old_grade": partner.tsl_grade,
                    "new_grade": grade,
                    "change_type": "manual",
                    "state": "done",
                    "reason": reason,
                    "points": partner.tsl_grade_points,
                    "decided_by_id": self.env.uid,
                    "decided_date": fields.Datetime.now(),
                }
                for partner in self
            ]
        )
        # Pending proposals are superseded by the manager's decision.
        self.env["tsl.grade.change"].search(
            [("partner_id", "in", self.ids), ("state", "=", "proposed")]
        ).write({"state": "rejected", "reason": _("Superseded by a manual grade")})
        self.sudo().write(
            {
                "tsl_grade": grade,
                "tsl_grade_date": today,
                "tsl_grade_override_until": until,
            }
        )
        changes._post_on_members()
        return changes

    @api.model
    def _tsl_grade_points_query(self, scoped=False):
        """Hook: the points grades are read from, as a query of rows
        (partner_id, points) for the members that have points (the others
        have 0), or None for the default: the spend of the last 12 months
        (1 point per currency unit) computed in the same pass as the
        statistics. tsl_loyalty returns its points ledger. ``scoped``: only
        the members of the temp table ``tsl_scope`` are needed."""
        return None

    @api.model
    def _tsl_grade_points_changes_query(self, since, last_today, today):
        """Hook: partner ids whose grading points may differ between the
        night of ``last_today`` and ``today`` for another reason than their
        purchases (those are found by :meth:`_tsl_purchase_changes_query`),
        or None when the points are the purchases themselves (the default).
        ``since``: rows written from then on are new."""
        return None

    @api.model
    def _tsl_formal_points_query(self):
        """Hook: (partner_id, points) of temporary members, the cumulative
        figure compared with the temporary→formal threshold. Without the
        loyalty addon: total spend; tsl_loyalty reads all points earned."""
        return SQL(
            "SELECT id AS partner_id, COALESCE(tsl_total_spend, 0) AS points "
            "FROM res_partner WHERE tsl_member_state = 'temporary'"
        )

    @api.model
    def _tsl_purchase_query(self):
        """Hook: one row per purchase (partner_id, date_order, amount)."""
        return SQL(
            """
            SELECT partner_id, date_order, amount_total AS amount
              FROM pos_order
             WHERE state IN ('paid', 'done', 'invoiced') AND partner_id IS NOT NULL
            UNION ALL
            SELECT partner_id, date_order, amount_total AS amount
              FROM sale_order
             WHERE state = 'sale' AND partner_id IS NOT NULL
            """
        )

    @api.model
    def _tsl_purchase_changes_query(self, since):
        """Hook: partner ids of the purchases written (created, paid,
        confirmed, cancelled) from ``since`` on, whatever their state."""
        return SQL(
            """
            SELECT partner_id FROM pos_order
             WHERE write_date >= %(since)s AND partner_id IS NOT NULL
            UNION ALL
            SELECT partner_id FROM sale_order
             WHERE write_date >= %(since)s AND partner_id IS NOT NULL
            """,
            since=since,
        )

    @api.model
    def _tsl_touch_former_customers(self, orders, new_partner_id=None):
        """``orders`` leave their customer (another one is set, or they are
        deleted): the former member's figures change although only the order
        is written. Stamp those members as written, so that the next
        incremental night reads them (see :meth:`_tsl_nightly_scope`)."""
        former = orders.filtered(
            lambda order: order.partner_id and order.partner_id.id != new_partner_id
        ).partner_id
        if not former:
            return
        self.flush_model(["write_date"])
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET write_date = now() AT TIME ZONE 'UTC' "
                "WHERE id = ANY(%s) AND tsl_member_state IS NOT NULL",
                former.ids,
            )
        )
        former.invalidate_recordset(["write_date"])

    @api.model
    def _cron_tsl_member_nightly(self, today=None):
        """Nightly: purchase statistics, grades, temporary→formal, lapse,
        renewal qualification and special-date roll-over, all set-based.

        One pass reads the members once (``_tsl_nightly_snapshot``) and
        keeps only the members with something to do tonight; then each of
        them is written once (``_tsl_nightly_write``). Most nights are
        incremental (``_tsl_nightly_scope``): only the members whose orders,
        points or record changed since the last night, or whose dates cross
        a 12/24-month, downgrade, lapse or override limit today, are read;
        every ``tsl_crm.nightly_full_days`` days (default 7), after a change
        of the grading settings and on the first night, all members are."""
        today = today or fields.Date.context_today(self)
        self.env.cr.execute("SELECT now() AT TIME ZONE 'UTC'")
        started = self.env.cr.fetchone()[0]
        scope = self._tsl_nightly_scope(today)
        self._tsl_nightly_snapshot(today, scoped=scope is not None)
        stats = self._tsl_nightly_write(today)
        stats["formal"] = len(self._tsl_promote_temporary_members())
        stats["dates"] = self._tsl_roll_special_dates(today)
        stats["scope"] = "all" if scope is None else scope
        self.env.cr.execute("DROP TABLE IF EXISTS tsl_scope")
        self._tsl_nightly_mark(today, started, full=scope is None)
        _logger.info("TSL nightly member job: %s", stats)
        return stats

    @api.model
    def _tsl_nightly_fingerprint(self):
        """What the last night's results depend on besides the data: when it
        changes, the next night reads all members."""
        company = self.env.company
        return json.loads(
            json.dumps(
                [
                    company.id,
                    company.tsl_grade_method,
                    company.tsl_grade_a_points,
                    company.tsl_grade_b_points,
                    company.tsl_grade_a_ratio,
                    company.tsl_grade_b_ratio,
                    company.tsl_downgrade_months,
                    company.tsl_frequency_drop_percent,
                    company.tsl_lapse_months,
                    self._tsl_grade_points_query() is None,
                ]
            )
        )

    @api.model
    def _tsl_nightly_marker(self):
        raw = self.env["ir.config_parameter"].sudo().get_param(NIGHTLY_MARKER)
        try:
            marker = json.loads(raw) if raw else None
            return marker and {
                "today": fields.Date.to_date(marker["today"]),
                "full": fields.Date.to_date(marker["full"]),
                "started": datetime.fromisoformat(marker["started"]),
                "key": marker["key"],
            }
        except (ValueError, KeyError, TypeError):
            _logger.warning("TSL nightly marker unreadable, full pass: %r", raw)
            return None

    @api.model
    def _tsl_nightly_mark(self, today, started, full):
        marker = self._tsl_nightly_marker()
        self.env["ir.config_parameter"].sudo().set_param(
            NIGHTLY_MARKER,
            json.dumps(
                {
                    "today": str(today),
                    "full": str(today if full or not marker else marker["full"]),
                    "started": str(started),
                    "key": self._tsl_nightly_fingerprint(),
                }
            ),
        )

    @api.model
    def _tsl_nightly_scope(self, today):
        """Build the temp table ``tsl_scope`` (id) of the members to read
        tonight and return their number, or None for a full pass: no
        previous night, grading settings changed, ranking grades (a rank
        depends on every member), a clock moved back, the last full pass
        ``tsl_crm.nightly_full_days`` days ago or more, or the context key
        ``tsl_nightly_full``.

        The scope is every member that a full pass could change tonight:
        orders or points written since the last night started (less
        ``NIGHTLY_SINCE_MARGIN``); orders and points crossing the 12- and
        24-month limits between the last night and today, and the orders of
        the days the downgrade and lapse limits pass (a last purchase then
        crosses them); members edited since, without a grade, with an open
        proposal, of an edited tier, or whose enrolment (no purchase), grade
        date or manual grade crosses the lapse, downgrade or override limit.
        Each part is one index range. Orders moved to another customer or
        deleted stamp their former member as written
        (:meth:`_tsl_touch_former_customers`); SQL edits that skip write_date
        wait for the next full pass."""
        company = self.env.company
        marker = self._tsl_nightly_marker()
        full_days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("tsl_crm.nightly_full_days", 7)
        )
        if (
            self.env.context.get("tsl_nightly_full")
            or not marker
            or marker["key"] != self._tsl_nightly_fingerprint()
            or company.tsl_grade_method == "ranking"
            or today < marker["today"]
            or (today - marker["full"]).days >= full_days
        ):
            return None
        for model in ("pos.order", "sale.order", "tsl.grade.change", "tsl.member.tier"):
            self.env[model].flush_model()
        self.flush_model()
        last = marker["today"]
        since = marker["started"] - NIGHTLY_SINCE_MARGIN

        def months_ago(day, months):
            return day - relativedelta(months=months)

        down, lapse = company.tsl_downgrade_months, company.tsl_lapse_months
        member = SQL("SELECT id FROM res_partner WHERE tsl_member_state IS NOT NULL")
        parts = [
            # orders written since: new, paid, confirmed, cancelled
            self._tsl_purchase_changes_query(since),
            # orders leaving the 12- or 24-month windows tonight, and the
            # orders of the day the downgrade and lapse limits pass (a last
            # purchase on that day crosses them)
            SQL(
                "SELECT partner_id FROM (%s) pu WHERE %s",
                self._tsl_purchase_query(),
                SQL(" OR ").join(
                    SQL(
                        "(date_order >= %s AND date_order < %s)",
                        months_ago(last, months),
                        months_ago(today, months),
                    )
                    for months in sorted({12, 24, down, lapse})
                ),
            ),
            # members edited since, new ones, manual grades expiring tonight,
            # grades as old as the downgrade limit, members without purchase
            # enrolled as long ago as the lapse limit, members of an edited tier
            SQL("%s AND write_date >= %s", member, since),
            SQL("%s AND tsl_grade IS NULL", member),
            SQL(
                "SELECT id FROM res_partner WHERE tsl_grade_override_until >= %s "
                "AND tsl_grade_override_until < %s",
                last,
                today,
            ),
            SQL(
                "%s AND tsl_grade_date > %s AND tsl_grade_date <= %s",
                member,
                months_ago(last, down),
                months_ago(today, down),
            ),
            SQL(
                "%s AND tsl_enrol_date >= %s AND tsl_enrol_date < %s",
                member,
                months_ago(last, lapse),
                months_ago(today, lapse),
            ),
            SQL("SELECT partner_id FROM tsl_grade_change WHERE state = 'proposed'"),
        ]
        tiers = (
            self.env["tsl.member.tier"]
            .sudo()
            .with_context(active_test=False)
            .search([("write_date", ">=", since)])
        )
        if tiers:
            parts.append(SQL("%s AND tsl_tier_id = ANY(%s)", member, tiers.ids))
        points = self._tsl_grade_points_changes_query(since, last, today)
        if points is not None:
            parts.append(points)
        cr = self.env.cr
        cr.execute("DROP TABLE IF EXISTS tsl_scope")
        # a few index ranges: compiling them (JIT) or starting parallel
        # workers costs more than running them
        cr.execute("SET LOCAL jit = off")
        cr.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cr.execute(
            SQL(
                "CREATE TEMP TABLE tsl_scope ON COMMIT DROP AS "
                "SELECT DISTINCT partner_id AS id FROM (%s) s(partner_id) "
                "WHERE partner_id IS NOT NULL",
                SQL(" UNION ALL ").join(SQL("(%s)", part) for part in parts),
            )
        )
        count = cr.rowcount
        cr.execute("RESET jit")
        cr.execute("RESET max_parallel_workers_per_gather")
        cr.execute("CREATE UNIQUE INDEX ON tsl_scope (id)")
        cr.execute("ANALYZE tsl_scope")
        return count

    def _tsl_refresh_purchase_stats(self, today):
        """Purchase statistics only (spend, counts, first/last purchase),
        for callers that need fresh figures outside the nightly job."""
        self._tsl_nightly_snapshot(today)
        return self._tsl_nightly_write(today, stats_only=True)["stats"]

    def _tsl_nightly_snapshot(self, today, scoped=False):
        """Build the temp table ``tsl_night``: one row per member whose
        statistics, grading points, grade, state or renewal flag change
        tonight, or who has (or may get) an upgrade proposal, with the old
        and new values. Reads ``res_partner`` once and the orders once: all
        of them, or with ``scoped`` those of the members in ``tsl_scope``
        (see :meth:`_tsl_nightly_scope`)."""
        for model in ("pos.order", "sale.order", "tsl.grade.change"):
            self.env[model].flush_model()
        self.flush_model()
        cr = self.env.cr
        company = self.env.company
        d12 = today - relativedelta(months=12)
        d24 = today - relativedelta(months=24)
        down_since = today - relativedelta(months=company.tsl_downgrade_months)
        lapse_since = today - relativedelta(months=company.tsl_lapse_months)
        points_query = self._tsl_grade_points_query(scoped=scoped)
        aggregates = SQL(
            """SUM(amount) FILTER (WHERE date_order >= %(d12)s) AS spend_12m,
               SUM(amount) AS total_spend,
               COUNT(*) FILTER (WHERE date_order >= %(d12)s AND amount > 0)
                   AS orders_12m,
               COUNT(*) FILTER (WHERE date_order >= %(d24)s
                                  AND date_order < %(d12)s AND amount > 0)
                   AS orders_prev,
               MIN(date_order)::date AS first_purchase,
               (MAX(date_order) FILTER (WHERE amount > 0))::date AS last_purchase""",
            d12=d12,
            d24=d24,
        )
        if scoped:
            # member by member: the join condition reaches the orders' partner
            # index inside each branch of the purchases (a join with the scope
            # would hash the whole order table)
            members = SQL("tsl_scope s JOIN res_partner m ON m.id = s.id")
            agg = SQL(
                """SELECT s.id AS partner_id, x.*
                     FROM tsl_scope s
                    CROSS JOIN LATERAL (SELECT %s FROM (%s) pu
                                         WHERE pu.partner_id = s.id) x""",
                aggregates,
                self._tsl_purchase_query(),
            )
        else:
            members = SQL("res_partner m")
            agg = SQL(
                "SELECT partner_id, %s FROM (%s) pu GROUP BY partner_id",
                aggregates,
                self._tsl_purchase_query(),
            )
        if points_query is None:
            points, points_join = SQL("COALESCE(agg.spend_12m, 0)"), SQL("")
        else:
            points = SQL("COALESCE(pts.points, 0)")
            points_join = SQL(
                "LEFT JOIN (%s) pts ON pts.partner_id = m.id", points_query
            )
        if company.tsl_grade_method == "ranking":
            a = (company.tsl_grade_a_ratio or 0.0) / 100.0
            b = a + (company.tsl_grade_b_ratio or 0.0) / 100.0
            target = SQL(
                """CASE WHEN %(p)s > 0 AND percent_rank() OVER w < %(a)s THEN 'A'
                        WHEN %(p)s > 0 AND percent_rank() OVER w < %(b)s THEN 'B'
                        ELSE 'C' END""",
                p=points,
                a=a,
                b=b,
            )
            window = SQL(
                "WINDOW w AS (PARTITION BY COALESCE(t.is_brand_tier, FALSE) "
                "ORDER BY %s DESC)",
                points,
            )
        else:
            target = SQL(
                """CASE WHEN %(p)s >= %(a)s THEN 'A'
                        WHEN %(p)s >= %(b)s THEN 'B' ELSE 'C' END""",
                p=points,
                a=company.tsl_grade_a_points,
                b=company.tsl_grade_b_points,
            )
            window = SQL("")
        cr.execute("DROP TABLE IF EXISTS tsl_night")
        # the per-member aggregate must not spill to disk (the planner cannot
        # estimate the groups of a UNION ALL), and compiling the expressions
        # (JIT) costs more than it saves on one pass: local to this statement
        cr.execute("SET LOCAL work_mem = '256MB'")
        cr.execute("SET LOCAL jit = off")
        cr.execute(
            SQL(
                """
            CREATE TEMP TABLE tsl_night ON COMMIT DROP AS
            WITH agg AS (%(agg)s),
            proposed AS (
                SELECT DISTINCT partner_id FROM tsl_grade_change
                 WHERE state = 'proposed'
            ),
            raw AS (
                SELECT m.id, m.tsl_member_state AS state,
                       m.tsl_enrol_date AS enrol_date,
                       m.tsl_grade AS grade, m.tsl_grade_date AS grade_date,
                       (m.tsl_grade_override_until IS NOT NULL
                        AND m.tsl_grade_override_until >= %(today)s) AS locked,
                       m.tsl_store_id AS store_id, m.tsl_area_id AS area_id,
                       m.tsl_associate_id AS associate_id,
                       t.id AS tier_id, COALESCE(t.renewal_amount, 0) AS renewal_amount,
                       m.tsl_renewal_qualified AS old_renewal,
                       COALESCE(m.tsl_spend_12m, 0) AS old_spend_12m,
                       COALESCE(m.tsl_total_spend, 0) AS old_total_spend,
                       COALESCE(m.tsl_orders_12m, 0) AS old_orders_12m,
                       COALESCE(m.tsl_orders_prev_12m, 0) AS old_orders_prev,
                       m.tsl_first_purchase_date AS old_first,
                       m.tsl_last_purchase_date AS old_last,
                       COALESCE(m.tsl_grade_points, 0) AS old_points,
                       COALESCE(agg.spend_12m, 0) AS spend_12m,
                       COALESCE(agg.total_spend, 0) AS total_spend,
                       COALESCE(agg.orders_12m, 0) AS orders_12m,
                       COALESCE(agg.orders_prev, 0) AS orders_prev,
                       agg.first_purchase, agg.last_purchase,
                       %(points)s AS points,
                       %(target)s AS target,
                       proposed.partner_id IS NOT NULL AS has_proposal
                  FROM %(members)s
                  LEFT JOIN agg ON agg.partner_id = m.id
                  LEFT JOIN tsl_member_tier t ON t.id = m.tsl_tier_id
                  LEFT JOIN proposed ON proposed.partner_id = m.id
                  %(points_join)s
                 WHERE m.tsl_member_state IS NOT NULL
                 %(window)s
            ),
            decided AS (
                SELECT raw.*,
                       CASE WHEN grade IS NULL THEN target
                            WHEN grade IN ('A', 'B') AND NOT locked
                             AND grade_date <= %(down_since)s
                             AND (last_purchase IS NULL
                                  OR last_purchase < %(down_since)s
                                  OR (orders_prev > 0
                                      AND orders_12m * 100
                                          < orders_prev * %(drop_pct)s))
                            THEN CASE grade WHEN 'A' THEN 'B' ELSE 'C' END
                            ELSE grade END AS new_grade,
                       CASE WHEN state IN ('temporary', 'formal')
                             AND COALESCE(last_purchase, enrol_date) < %(lapse_since)s
                            THEN 'lapsed'
                            WHEN state = 'lapsed' AND last_purchase >= %(lapse_since)s
                            THEN 'formal'
                            ELSE state END AS new_state,
                       CASE WHEN tier_id IS NULL THEN old_renewal
                            ELSE spend_12m >= renewal_amount END AS new_renewal,
                       (old_spend_12m <> spend_12m OR old_total_spend <> total_spend
                        OR old_orders_12m <> orders_12m
                        OR old_orders_prev <> orders_prev
                        OR old_first IS DISTINCT FROM first_purchase
                        OR old_last IS DISTINCT FROM last_purchase) AS stats_changed
                  FROM raw
            )
            SELECT * FROM decided
             WHERE stats_changed OR old_points <> points
                OR new_grade IS DISTINCT FROM grade OR new_state <> state
                OR new_renewal IS DISTINCT FROM old_renewal OR has_proposal
                OR (grade IS NOT NULL AND NOT locked
                    AND %(target_rank)s > %(grade_rank)s)
            """,
                agg=agg,
                members=members,
                today=today,
                points=points,
                target=target,
                points_join=points_join,
                window=window,
                down_since=down_since,
                drop_pct=company.tsl_frequency_drop_percent,
                lapse_since=lapse_since,
                target_rank=_grade_rank_sql("target", None),
                grade_rank=_grade_rank_sql("grade", None),
            )
        )
        cr.execute("RESET work_mem")
        cr.execute("RESET jit")
        cr.execute("CREATE UNIQUE INDEX ON tsl_night (id)")
        cr.execute("ANALYZE tsl_night")

    def _tsl_nightly_write(self, today, stats_only=False):
        """Apply ``tsl_night``: one UPDATE of the members that change, the
        grade history (initial grades, downgrades, upgrade proposals for the
        store manager), lapse and reactivation notes. ``stats_only`` writes
        the purchase statistics and nothing else."""
        cr = self.env.cr
        company = self.env.company
        uid = self.env.uid
        stats_sql = SQL(
            """tsl_spend_12m = n.spend_12m, tsl_total_spend = n.total_spend,
               tsl_orders_12m = n.orders_12m, tsl_orders_prev_12m = n.orders_prev,
               tsl_first_purchase_date = n.first_purchase,
               tsl_last_purchase_date = n.last_purchase"""
        )
        if stats_only:
            cr.execute(
                SQL(
                    "UPDATE res_partner p SET %s FROM tsl_night n "
                    "WHERE p.id = n.id AND n.stats_changed",
                    stats_sql,
                )
            )
            count = cr.rowcount
            cr.execute("DROP TABLE IF EXISTS tsl_night")
            self.invalidate_model()
            return {"stats": count}
        cr.execute("SELECT count(*) FILTER (WHERE stats_changed) FROM tsl_night")
        result = {"stats": cr.fetchone()[0]}
        # 1. each member that changes is written once
        cr.execute(
            SQL(
                """
            UPDATE res_partner p
               SET %(stats)s,
                   tsl_grade_points = n.points,
                   tsl_grade = n.new_grade,
                   tsl_grade_date = CASE WHEN n.new_grade IS DISTINCT FROM n.grade
                                         THEN %(today)s ELSE p.tsl_grade_date END,
                   tsl_renewal_qualified = n.new_renewal,
                   tsl_member_state = n.new_state,
                   tsl_lapsed_date = CASE WHEN n.new_state = n.state
                                          THEN p.tsl_lapsed_date
                                          WHEN n.new_state = 'lapsed' THEN %(today)s
                                          END
              FROM tsl_night n
             WHERE p.id = n.id
               AND (n.stats_changed OR n.old_points <> n.points
                    OR n.new_grade IS DISTINCT FROM n.grade
                    OR n.new_state <> n.state
                    OR n.new_renewal IS DISTINCT FROM n.old_renewal)
            """,
                stats=stats_sql,
                today=today,
            )
        )
        # 2. the grade history: initial grades and downgrades are done
        cr.execute(
            SQL(
                """
            INSERT INTO tsl_grade_change
                   (partner_id, old_grade, new_grade, change_type, state, points,
                    reason, date, store_id, area_id, associate_id,
                    create_uid, create_date, write_uid, write_date)
            SELECT id, grade, new_grade,
                   CASE WHEN grade IS NULL THEN 'initial' ELSE 'downgrade' END,
                   'done', points,
                   CASE WHEN grade IS NULL THEN NULL
                        WHEN last_purchase IS NULL OR last_purchase < %(since)s
                        THEN %(no_purchase)s ELSE %(drop)s END,
                   now() AT TIME ZONE 'UTC', store_id, area_id, associate_id,
                   %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
              FROM tsl_night
             WHERE new_grade IS DISTINCT FROM grade
            RETURNING change_type
            """,
                since=today - relativedelta(months=company.tsl_downgrade_months),
                no_purchase=_(
                    "No purchase for %(months)s months",
                    months=company.tsl_downgrade_months,
                ),
                drop=_("Purchase frequency dropped"),
                uid=uid,
            )
        )
        types = [row[0] for row in cr.fetchall()]
        result["initial"] = types.count("initial")
        result["downgraded"] = types.count("downgrade")
        # 3. open proposals that no longer qualify are withdrawn, the others
        #    follow the latest target
        target_rank = _grade_rank_sql("target")
        grade_rank = _grade_rank_sql("grade")
        cr.execute(
            SQL(
                """
            UPDATE tsl_grade_change c
               SET state = 'rejected', reason = %(reason)s,
                   write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
              FROM tsl_night g
             WHERE c.partner_id = g.id AND c.state = 'proposed'
               AND (%(target_rank)s <= %(grade_rank)s OR g.locked)
            """,
                reason=_("No longer qualifies"),
                uid=uid,
                target_rank=target_rank,
                grade_rank=grade_rank,
            )
        )
        cr.execute(
            SQL(
                """
            UPDATE tsl_grade_change c
               SET new_grade = g.target, points = g.points,
                   write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
              FROM tsl_night g
             WHERE c.partner_id = g.id AND c.state = 'proposed'
               AND (c.new_grade IS DISTINCT FROM g.target
                    OR c.points IS DISTINCT FROM g.points)
            """,
                uid=uid,
            )
        )
        # 4. upgrades proposed to the store manager
        cr.execute(
            SQL(
                """
            INSERT INTO tsl_grade_change
                   (partner_id, old_grade, new_grade, change_type, state, points,
                    reason, date, store_id, area_id, associate_id,
                    create_uid, create_date, write_uid, write_date)
            SELECT g.id, g.grade, g.target, 'upgrade', 'proposed', g.points,
                   %(reason)s, now() AT TIME ZONE 'UTC', g.store_id, g.area_id,
                   g.associate_id, %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s,
                   now() AT TIME ZONE 'UTC'
              FROM tsl_night g
             WHERE g.grade IS NOT NULL AND NOT g.locked
               AND %(target_rank)s > %(grade_rank)s
               AND NOT EXISTS (SELECT 1 FROM tsl_grade_change c
                                WHERE c.partner_id = g.id AND c.state = 'proposed')
               -- a manager's rejection stands until the member buys again
               AND NOT EXISTS (SELECT 1 FROM tsl_grade_change c
                                WHERE c.partner_id = g.id
                                  AND c.state = 'rejected' AND c.new_grade = g.target
                                  AND c.decided_by_id IS NOT NULL
                                  AND c.decided_date::date >= COALESCE(
                                      g.last_purchase, '1900-01-01'))
            """,
                reason=_("Points reached the next grade"),
                uid=uid,
                target_rank=target_rank,
                grade_rank=grade_rank,
            )
        )
        result["proposed"] = cr.rowcount
        # 5. lapses and reactivations in the chatter
        cr.execute(
            "SELECT new_state, array_agg(id) FROM tsl_night "
            "WHERE new_state <> state GROUP BY new_state"
        )
        moved = dict(cr.fetchall())
        lapsed, reactivated = moved.get("lapsed", []), moved.get("formal", [])
        self._tsl_log_sql(
            lapsed,
            _(
                "Lapsed: no purchase for %(months)s months.",
                months=company.tsl_lapse_months,
            ),
        )
        self._tsl_log_sql(reactivated, _("Reactivated: bought again after lapsing."))
        cr.execute(
            "SELECT count(*) FROM tsl_night "
            "WHERE new_renewal IS DISTINCT FROM old_renewal"
        )
        result["renewal"] = cr.fetchone()[0]
        result["lapsed"], result["reactivated"] = len(lapsed), len(reactivated)
        cr.execute("DROP TABLE IF EXISTS tsl_night")
        self.invalidate_model()
        self.env["tsl.grade.change"].invalidate_model()
        return result

    @api.model
    def _tsl_promote_temporary_members(self):
        threshold = self.env.company.tsl_formal_points_threshold
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
            SELECT p.id FROM (%(points)s) pts
              JOIN res_partner p ON p.id = pts.partner_id
             WHERE p.tsl_member_state = 'temporary' AND pts.points >= %(threshold)s
            """,
                points=self._tsl_formal_points_query(),
                threshold=threshold,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        return self.browse(ids)._tsl_make_formal()

    @api.model
    def _tsl_log_sql(self, partner_ids, body):
        """Log one chatter note on many members with a single INSERT."""
        if not partner_ids:
            return
        self.env["mail.message"].flush_model()
        subtype = self.env.ref("mail.mt_note").id
        author = self.env.user.partner_id.id
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO mail_message
                   (model, res_id, body, message_type, subtype_id, author_id,
                    date, create_uid, create_date, write_uid, write_date)
            SELECT 'res.partner', pid, %(body)s, 'notification', %(subtype)s,
                   %(author)s, now() AT TIME ZONE 'UTC', %(uid)s,
                   now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
              FROM unnest(%(ids)s) AS pid
            """,
                body=f"<p>{body}</p>",
                subtype=subtype,
                author=author,
                uid=self.env.uid,
                ids=list(partner_ids),
            )
        )

    @api.model
    def _tsl_roll_special_dates(self, today):
        """Move passed birthdays and special dates to their next occurrence.

        Occurrences depend only on (calendar, month, day, leap): they are
        computed once per distinct combination in Python (lunar conversion),
        then applied to all rows with one UPDATE … FROM (VALUES …)."""
        self.flush_model()
        SpecialDate = self.env["tsl.special.date"]
        SpecialDate.flush_model()
        cr = self.env.cr
        total, rolled = 0, []
        for table, cal, month, day, leap, last, nxt, extra in (
            (
                "res_partner",
                "tsl_birthday_calendar",
                "tsl_birth_month",
                "tsl_birth_day",
                "tsl_birth_leap_month",
                "tsl_birthday_last",
                "tsl_birthday_next",
                "AND tsl_birth_month > 0",
            ),
            (
                "tsl_special_date",
                "calendar",
                "month",
                "day",
                "is_leap_month",
                "last_date",
                "next_date",
                "",
            ),
        ):
            ident = SQL.identifier
            cr.execute(
                SQL(
                    """
                SELECT DISTINCT COALESCE(%(cal)s, 'solar'), %(month)s,
                       COALESCE(%(day)s, 0), COALESCE(%(leap)s, FALSE)
                  FROM %(table)s
                 WHERE (%(nxt)s IS NULL OR %(nxt)s < %(today)s) %(extra)s
                """,
                    cal=ident(cal),
                    month=ident(month),
                    day=ident(day),
                    leap=ident(leap),
                    table=ident(table),
                    nxt=ident(nxt),
                    today=today,
                    extra=SQL(extra),
                )
            )
            combos = cr.fetchall()
            if not combos:
                continue
            values = []
            for c_cal, c_month, c_day, c_leap in combos:
                if not c_month:
                    continue
                c_last, c_next = last_and_next(c_cal, c_month, c_day, today, c_leap)
                values.append(
                    SQL(
                        "(%s, %s, %s, %s, %s::date, %s::date)",
                        c_cal,
                        c_month,
                        c_day,
                        c_leap,
                        c_last or None,
                        c_next or None,
                    )
                )
            if not values:
                continue
            cr.execute(
                SQL(
                    """
                UPDATE %(table)s t
                   SET %(last)s = v.last_date, %(nxt)s = v.next_date
                  FROM (VALUES %(values)s)
                       AS v(cal, month, day, leap, last_date, next_date)
                 WHERE COALESCE(t.%(cal)s, 'solar') = v.cal AND t.%(month)s = v.month
                   AND COALESCE(t.%(day)s, 0) = v.day
                   AND COALESCE(t.%(leap)s, FALSE) = v.leap
                   AND (t.%(nxt)s IS NULL OR t.%(nxt)s < %(today)s)
                %(returning)s
                """,
                    table=ident(table),
                    last=ident(last),
                    nxt=ident(nxt),
                    cal=ident(cal),
                    month=ident(month),
                    day=ident(day),
                    leap=ident(leap),
                    values=SQL(", ").join(values),
                    today=today,
                    returning=SQL(
                        "RETURNING t.partner_id" if table == "tsl_special_date" else ""
                    ),
                )
            )
            total += cr.rowcount
            if table == "tsl_special_date":
                rolled = list({row[0] for row in cr.fetchall()})
        # the nearest special date of the members whose rows rolled (the ORM
        # keeps it up to date otherwise: stored compute)
        if rolled:
            cr.execute(
                SQL(
                    """
                UPDATE res_partner p SET tsl_next_special_date = s.next_date
                  FROM (SELECT partner_id, MIN(next_date) AS next_date
                          FROM tsl_special_date
                         WHERE partner_id = ANY(%(ids)s)
                         GROUP BY partner_id) s
                 WHERE p.id = s.partner_id
                   AND p.tsl_next_special_date IS DISTINCT FROM s.next_date
                """,
                    ids=rolled,
                )
            )
        self.invalidate_model()
        SpecialDate.invalidate_model()
        return total

    # ------------------------------------------------------------------------
    # data protection (M8): exports are logged, store roles may not export
    # ------------------------------------------------------------------------
    def export_data(self, fields_to_export):
        members = self.filtered("tsl_member_state")
        if members:
            if self.env.user._tsl_is_store_role_only():
                raise AccessError(
                    _(
                        "Store staff may not export member lists. "
                        "Ask HQ CRM for an export."
                    )
                )
            self.env["tsl.export.log"].sudo()._tsl_log(
                "res.partner", fields_to_export, len(self), "export"
            )
        return super().export_data(fields_to_export)

    # ---- demo data ----------------------------------------------------------
    # Used only by demo/res_partner_demo.xml, once, at install with demo data.
    @api.model
    def _tsl_demo_generate_members(self, count=300):
        """Create ``count`` deterministic demo members (``random.Random(42)``)
        over the demo stores and their associates: solar and lunar birthdays,
        special dates, unique Chinese mobiles, addresses, consents and
        confirmed sale orders of the demo products (``TSL-*``, ``SAXX-*``) over
        the last four years. Status, tier and card follow the purchases as if
        the nightly job had run every night: run it afterwards to grade."""
        import random  # demo only

        env = self.env
        stores = env["tsl.store"].search(
            [("code", "in", ["SH01", "SH02", "HZ01", "BJ01", "BJ02"])]
        )
        staff = {s: (s.associate_ids - s.manager_ids).sorted("login") for s in stores}
        products = env["product.product"].search(
            [
                "|",
                ("default_code", "=like", "TSL-%"),
                ("default_code", "=like", "SAXX-%"),
            ],
            order="list_price, id",
        )
        stores = stores.filtered(lambda s: staff[s] and s.warehouse_id)
        if not stores or not products:
            return self.browse()
        members = self.with_context(active_test=False).search(
            [("tsl_member_state", "!=", False)]
        )
        pool = {
            "rng": random.Random(42),
            "today": fields.Date.context_today(self),
            "stores": stores,
            "staff": staff,
            "products": products,
            # cheaper pieces sell more often
            "weights": [max(p.list_price, 1.0) ** -0.7 for p in products],
            "names": set(members.mapped("name")),
            "phones": set(members.mapped("tsl_phone_normalized")),
            "surnames": "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩"
            "冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪"
            "范金石廖贾夏方白邹孟熊秦邱江尹薛段雷侯龙史陶贺顾毛郝龚邵万"
            "钱严戴",
            "female": "丽 静 敏 燕 艳 娟 霞 芳 娜 婷 雪 琳 洁 颖 慧 莉 倩 晶 "
            "佳怡 梦琪 思雨 欣怡 雨桐 紫涵 诗涵 晓燕 丽娟 秀英 美玲 海燕 "
            "雅琴 文静 玉兰 晓琳 嘉欣".split(),
            "male": "伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 浩 宇 建华 志强 "
            "俊杰 子轩 浩然 文博 国栋 晓东 立新".split(),
        }
        rows = sorted(
            (self._tsl_demo_member_row(pool, n) for n in range(1, count + 1)),
            key=lambda row: row[0],
        )
        for row in rows:  # member numbers follow the enrolment order
            row[3]["tsl_member_number"] = env["ir.sequence"].next_by_code("tsl.member")
        quiet = {
            "tracking_disable": True,
            "mail_create_nolog": True,
            "mail_create_nosubscribe": True,
        }
        consents = [row[3].pop("tsl_consent_ids") for row in rows]
        partners = self.with_context(**quiet).create([row[3] for row in rows])
        self._tsl_demo_insert_consents(partners, consents)
        # the purchases: confirmed sale orders shipped from the store
        rng = pool["rng"]
        order_vals, order_dates = [], []
        for partner, (_enrol, orders, store, vals) in zip(partners, rows, strict=True):
            for day, product in orders:
                order_vals.append(
                    {
                        "partner_id": partner.id,
                        "user_id": vals["tsl_associate_id"],
                        "warehouse_id": store.warehouse_id.id,
                        "order_line": [(0, 0, {"product_id": product.id})],
                    }
                )
                order_dates.append(
                    f"{day} {rng.randint(2, 12):02d}:{rng.randint(0, 59):02d}:00"
                )
        sale_orders = env["sale.order"].with_context(**quiet).create(order_vals)
        # store sales, carried out of the shop years ago: no delivery to make
        sale_orders.with_context(skip_procurement=True).action_confirm()
        for order, date_order in zip(sale_orders, order_dates, strict=True):
            order.date_order = date_order
        _logger.info(
            "TSL demo: %s members, %s sale orders", len(partners), len(sale_orders)
        )
        return partners

    @api.model
    def _tsl_demo_member_row(self, pool, seq):
        """One generated member: (enrol date, [(date, product)], store, values)."""
        env, rng, today = self.env, pool["rng"], pool["today"]
        company = env.company
        gender = "female" if rng.random() < 0.78 else "male"
        name = False
        while not name or name in pool["names"]:
            name = rng.choice(pool["surnames"]) + rng.choice(pool[gender])
        pool["names"].add(name)
        e164 = False
        while not e164 or e164 in pool["phones"]:
            digits = rng.choice(
                "130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 "
                "159 166 176 177 178 180 181 182 183 185 186 187 188 189 199".split()
            ) + "".join(rng.choices("0123456789", k=8))
            mobile = f"{digits[:3]} {digits[3:7]} {digits[7:]}"
            e164, valid = normalize_phone(mobile, "CN")
            e164 = valid and e164
        pool["phones"].add(e164)
        store = rng.choice(pool["stores"])
        associate = rng.choice(pool["staff"][store])
        enrol = today - timedelta(days=int(1460 * rng.random() ** 1.3))
        # purchases, the first one usually on the enrolment day
        old = (today - enrol).days > 730
        orders = []
        for k in range(
            rng.choices([0, 1, 2, 3], [10, 30, 35, 25] if old else [25, 48, 19, 8])[0]
        ):
            if k == 0 and rng.random() < 0.8:
                day = enrol
            else:
                day = today - timedelta(
                    days=int((today - enrol).days * rng.random() ** 1.6)
                )
            orders.append((day, rng.choices(pool["products"], pool["weights"])[0]))
        orders.sort(key=lambda order: order[0])
        first = orders[0][1] if orders else False
        brand = bool(first and first.default_code.startswith("SAXX"))
        tier = first and env["tsl.member.tier"]._tsl_tier_for_amount(
            first.list_price, brand
        )
        state, formal_date, lapsed_date = self._tsl_demo_status(enrol, orders, today)
        delivery = "mail" if rng.random() < 0.15 else "store"
        state_xmlid, city, zip_prefix, streets = {
            "Hangzhou": (
                "base.state_cn_ZJ",
                "杭州",
                "310",
                "上城区延安路 西湖区文三路 拱墅区湖墅南路",
            ),
            "Beijing": (
                "base.state_cn_BJ",
                "北京",
                "100",
                "东城区王府井大街 西城区西单北大街 朝阳区建国路 " "海淀区中关村大街",
            ),
        }.get(
            store.city,
            (
                "base.state_cn_SH",
                "上海",
                "200",
                "黄浦区南京东路 静安区南京西路 徐汇区肇嘉浜路 "
                "长宁区延安西路 浦东新区张杨路",
            ),
        )
        calendar = "lunar" if rng.random() < 0.3 else "solar"
        enrol_dt = f"{enrol} 0{rng.randint(2, 9)}:{rng.randint(10, 59)}:00"
        values = {
            "name": name,
            "tsl_gender": gender,
            "mobile": mobile,
            "email": rng.random() < 0.4 and f"member{seq:03d}@example.com",
            "street": f"{rng.choice(streets.split())} {rng.randint(1, 1999)} 号 "
            f"{rng.randint(1, 30)} 号楼 {rng.randint(1, 32)}0{rng.randint(1, 8)} 室",
            "city": city,
            "zip": f"{zip_prefix}{rng.randint(0, 299):03d}",
            "state_id": env.ref(state_xmlid).id,
            "country_id": env.ref("base.cn").id,
            "tsl_birthday_calendar": calendar,
            "tsl_birth_year": rng.randint(1958, 2003),
            "tsl_birth_month": rng.randint(1, 12),
            "tsl_birth_day": rng.random() >= 0.05
            and rng.randint(1, 30 if calendar == "lunar" else 28),
            "tsl_member_state": state,
            "tsl_enrol_date": enrol,
            "tsl_temporary_date": enrol,
            "tsl_formal_date": formal_date,
            "tsl_lapsed_date": lapsed_date,
            "tsl_enrol_store_id": store.id,
            "tsl_store_id": store.id,
            "tsl_associate_id": associate.id,
            "tsl_tier_id": (tier or env.ref("tsl_crm.tsl_member_tier_select")).id,
            "tsl_tier_date": orders[0][0] if orders else enrol,
            "tsl_card_delivery": delivery,
            "tsl_card_state": (delivery == "mail" and "mailed" or "collected")
            if formal_date
            else "temporary",
            "tsl_card_ready_date": formal_date
            and formal_date + timedelta(days=company.tsl_card_pickup_days),
            "tsl_consent_paper": True,
            "tsl_consent_date": enrol_dt,
            "tsl_consent_ids": [
                (
                    0,
                    0,
                    {
                        "channel": channel,
                        "consent": rng.random() >= opt_out,
                        "source": "pos" if rng.random() < 0.2 else "store",
                        "date": enrol_dt,
                        "user_id": associate.id,
                    },
                )
                for channel, opt_out in (
                    ("sms", 0.06),
                    ("phone", 0.04),
                    ("email", 0.08),
                    ("mail", 0.1),
                )
            ],
            "tsl_special_date_ids": [
                (0, 0, self._tsl_demo_special_date(pool, gender))
                for _k in range(rng.choices([0, 1, 2], [70, 22, 8])[0])
            ],
        }
        return enrol, orders, store, values

    @api.model
    def _tsl_demo_insert_consents(self, partners, consents):
        """Bulk insert of the generated consents: through the ORM each row
        posts its own chatter note (1,200 notes, 12 s of install time), so
        one note per member is logged instead."""
        values = [
            SQL(
                "(%s, %s, %s, %s::timestamp, %s, %s, %s)",
                partner.id,
                vals["channel"],
                vals["consent"],
                vals["date"],
                vals["source"],
                vals["user_id"],
                partner.tsl_store_id.id,
            )
            for partner, commands in zip(partners, consents, strict=True)
            for _command, _id, vals in commands
        ]
        self.env["tsl.member.consent"].flush_model()
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO tsl_member_consent
                   (partner_id, channel, consent, date, source, user_id, store_id,
                    create_uid, create_date, write_uid, write_date)
            SELECT v.*, %(uid)s, now() AT TIME ZONE 'UTC',
                   %(uid)s, now() AT TIME ZONE 'UTC'
              FROM (VALUES %(values)s) AS v
            """,
                uid=self.env.uid,
                values=SQL(", ").join(values),
            )
        )
        self.env["tsl.member.consent"].invalidate_model()
        partners.invalidate_recordset(["tsl_consent_ids"])
        self._tsl_log_sql(
            partners.ids, "Contact consents recorded from the signed enrolment form."
        )

    @api.model
    def _tsl_demo_status(self, enrol, orders, today):
        """(state, formal date, lapsed date) the nightly job would have left:
        formal once 12 months' spend reaches the threshold (those who reached
        it in the last 3 days are left for tonight's job), lapsed after the lapse
        period without purchase."""
        company = self.env.company
        formal_date = lapsed_date = False
        for day, _product in orders:
            since = day - relativedelta(months=12)
            spend = sum(p.list_price for d, p in orders if since < d <= day)
            if spend >= company.tsl_formal_points_threshold:
                formal_date = day
                break
        if formal_date and formal_date >= today - timedelta(days=3):
            formal_date = False
        state = "formal" if formal_date else "temporary"
        last = max([enrol] + [day for day, _product in orders])
        if last + relativedelta(months=company.tsl_lapse_months) < today:
            state = "lapsed"
            lapsed_date = last + relativedelta(months=company.tsl_lapse_months)
        return state, formal_date, lapsed_date

    @api.model
    def _tsl_demo_special_date(self, pool, gender):
        rng = pool["rng"]
        kind = rng.choice(["wedding", "child_birthday", "partner_birthday", "dating"])
        person = False
        if kind == "child_birthday":
            person = rng.choice(
                "朵朵 乐乐 豆豆 果果 晨晨 悦悦 小宝 安安 糖糖 一一".split()
            )
        elif kind == "partner_birthday":
            other = "male" if gender == "female" else "female"
            person = rng.choice(pool["surnames"]) + rng.choice(pool[other])
        lunar = kind.endswith("birthday") and rng.random() < 0.3
        return {
            "date_type": kind,
            "person_name": person,
            "calendar": "lunar" if lunar else "solar",
            "month": rng.randint(1, 12),
            "day": rng.randint(1, 28),
            "year": rng.randint(2005, 2022)
            if kind == "child_birthday"
            else rng.randint(1995, 2023),
        }
