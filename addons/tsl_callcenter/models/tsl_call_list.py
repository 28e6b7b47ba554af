# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

LIST_STATES = [("draft", "Draft"), ("open", "Open"), ("reported", "Reported")]


class TslCallList(models.Model):
    """The weekly call list of one store: one call per member carrying all
    the member's reasons of the week (C1, C2). Week 1 of a four-week cycle
    makes the first calls, weeks 2–3 retry the unreached, week 4 reports."""

    _name = "tsl.call.list"
    _description = "Weekly Call List"
    _inherit = ["mail.thread"]
    _order = "week_start desc, store_id"

    name = fields.Char(compute="_compute_name", store=True)
    store_id = fields.Many2one(
        "tsl.store", string="Store", required=True, index=True, ondelete="cascade"
    )
    area_id = fields.Many2one(related="store_id.area_id", store=True, index=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    week_start = fields.Date(required=True, index=True, help="Monday of the week.")
    week_end = fields.Date(compute="_compute_week_end", store=True, index=True)
    cycle_week = fields.Integer(
        compute="_compute_cycle_week",
        store=True,
        help="Week of the monthly cycle: 1 first calls, 2–3 retries, 4 results.",
    )
    state = fields.Selection(LIST_STATES, default="draft", required=True, tracking=True)
    call_ids = fields.One2many("tsl.call", "list_id", string="Calls")
    call_count = fields.Integer(compute="_compute_counts", string="Number of Calls")
    todo_count = fields.Integer(compute="_compute_counts", string="To Do")
    reached_count = fields.Integer(compute="_compute_counts", string="Reached")
    unreached_count = fields.Integer(compute="_compute_counts", string="Not Reached")
    class_a_count = fields.Integer(compute="_compute_counts", string="Class A")
    window_display = fields.Char(
        string="Call Windows", compute="_compute_window_display"
    )

    _sql_constraints = [
        (
            "store_week_uniq",
            "unique(store_id, week_start)",
            "A store has one call list per week.",
        ),
    ]

    @api.depends("store_id.code", "week_start")
    def _compute_name(self):
        for rec in self:
            if rec.week_start:
                year, week, _day = rec.week_start.isocalendar()
                rec.name = f"{rec.store_id.code or ''} {year}-W{week:02d}"
            else:
                rec.name = rec.store_id.code or ""

    @api.depends("week_start")
    def _compute_week_end(self):
        for rec in self:
            rec.week_end = rec.week_start and rec.week_start + timedelta(days=6)

    @api.depends("week_start")
    def _compute_cycle_week(self):
        for rec in self:
            rec.cycle_week = rec.week_start and self._cycle_week(rec.week_start)

    @api.model
    def _cycle_week(self, week_start):
        """Week of the month of the Monday: days 1–7 → 1 … days 22–31 → 4."""
        return min((week_start.day - 1) // 7 + 1, 4)

    def _compute_counts(self):
        data = {}
        for list_, state, outcome, call_class, count in self.env[
            "tsl.call"
        ]._read_group(
            [("list_id", "in", self.ids)],
            ["list_id", "state", "outcome", "call_class"],
            ["__count"],
        ):
            stats = data.setdefault(
                list_.id, dict.fromkeys(("all", "todo", "ok", "ko", "a"), 0)
            )
            stats["all"] += count
            stats["todo"] += count if state == "todo" else 0
            stats["ok"] += count if outcome == "reached" else 0
            stats["ko"] += count if outcome and outcome != "reached" else 0
            stats["a"] += count if call_class == "a" else 0
        for rec in self:
            stats = data.get(rec.id, {})
            rec.call_count = stats.get("all", 0)
            rec.todo_count = stats.get("todo", 0)
            rec.reached_count = stats.get("ok", 0)
            rec.unreached_count = stats.get("ko", 0)
            rec.class_a_count = stats.get("a", 0)

    def _compute_window_display(self):
        Window = self.env["tsl.call.window"]
        windows = Window.sudo().search([])
        for rec in self:
            rec.window_display = Window._display_for_store(rec.store_id, windows)

    @api.constrains("week_start")
    def _check_week_start(self):
        for rec in self:
            if rec.week_start and rec.week_start.weekday() != 0:
                raise ValidationError(
                    _(
                        "A call list week starts on a Monday, not on %(day)s.",
                        day=rec.week_start,
                    )
                )

    # ------------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------------
    def action_open(self):
        self.filtered(lambda r: r.state == "draft").write({"state": "open"})
        return True

    def action_report(self):
        self.write({"state": "reported"})
        return True

    def action_view_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tsl_callcenter.tsl_call_action"
        )
        action["domain"] = [("list_id", "=", self.id)]
        action["context"] = {"search_default_group_user": 1}
        return action

    @api.model
    def _week_start_of(self, day):
        return day - timedelta(days=day.weekday())

    # ------------------------------------------------------------------------
    # the weekly build (C1, C2, C3, C7)
    # ------------------------------------------------------------------------
    @api.model
    def _cron_build_week(self):
        """Monday cron: heartbeat flags, then this week's lists of all stores."""
        today = fields.Date.context_today(self)
        self.env["tsl.followup.plan"]._update_heartbeat(today)
        count = self._build_week(self._week_start_of(today))
        _logger.info("Call lists of the week of %s: %s calls", today, count)
        return count

    @api.model
    def _build_week(self, week_start, stores=None):
        """Build (or complete, when run again) the call lists of the week
        starting ``week_start`` for ``stores`` (default: all active stores).

        One set-based SELECT per reason fills a staging table; consent,
        heartbeat and the contact cap are applied to it; then one INSERT
        makes the lists, one the calls (one per member and week, best reason
        first) and one the reason lines. Returns the number of calls of the
        week in those stores."""
        if not week_start or week_start.weekday() != 0:
            raise UserError(_("The week of a call list starts on a Monday."))
        stores = stores if stores is not None else self.env["tsl.store"].search([])
        if not stores:
            return 0
        self._stage_create()
        self._stage_select(self._reason_queries(week_start, stores))
        self._stage_retries(week_start, stores)
        self._stage_apply(week_start, stores, all_stores_lists=True)
        cycle = self._cycle_week(week_start)
        if cycle in (1, 4):
            # week 4 reports the cycle's results; week 1 closes what is left
            self.env.cr.execute(
                SQL(
                    """
                UPDATE tsl_call_list
                   SET state = 'reported', write_date = now() at time zone 'UTC',
                       write_uid = %(uid)s
                 WHERE store_id = ANY(%(stores)s) AND week_start < %(ws)s
                   AND state IN ('draft', 'open')
                """,
                    uid=self.env.uid,
                    stores=stores.ids,
                    ws=week_start,
                )
            )
        self.invalidate_model()
        return self.env["tsl.call"].search_count(
            [("week_start", "=", week_start), ("store_id", "in", stores.ids)]
        )

    @api.model
    def _demo_build_week(self):
        """Demo data: this week's lists of the demo stores, a few outcomes."""
        week_start = self._week_start_of(fields.Date.context_today(self))
        self._build_week(week_start)
        outcomes = ["reached", "no_answer", "reached", "wrong_number"]
        for call_list in self.search([("week_start", "=", week_start)]):
            calls = call_list.call_ids.sorted("priority")[: len(outcomes)]
            for call, outcome in zip(calls, outcomes, strict=False):
                call.write(
                    {
                        "outcome": outcome,
                        "state": "done",
                        "date_done": fields.Datetime.now(),
                        "outcome_note": _("Demo outcome"),
                    }
                )
                call._apply_outcome_to_members()
        return True

    @api.model
    def _flush_sources(self):
        for model in (
            "res.partner",
            "res.users",
            "tsl.store",
            "tsl.special.date",
            "tsl.deposit",
            "tsl.member.consent",
            "tsl.points.move",
            "tsl.points.balance",
            "tsl.reward.campaign",
            "tsl.reward.band",
            "tsl.redemption.request",
            "tsl.referral.reward",
            "pos.order",
            "pos.order.line",
            "product.category",
            "tsl.call.reason.type",
            "tsl.store.event",
            "tsl.festival",
            "tsl.call.list",
            "tsl.call",
            "tsl.call.reason",
        ):
            self.env[model].flush_model()

    @api.model
    def _stage_create(self):
        self._flush_sources()
        self.env.cr.execute(
            SQL(
                """
            DROP TABLE IF EXISTS tsl_call_stage;
            CREATE TEMP TABLE tsl_call_stage (
                partner_id integer NOT NULL,
                reason_type_id integer NOT NULL,
                rdate date,
                note varchar,
                res_model varchar,
                res_id integer,
                prev_call_id integer,
                prev_user_id integer,
                attempt integer NOT NULL DEFAULT 1,
                advice text,
                -- the reason queries select callable members only
                -- (_member_clause); every other insert sets it FALSE
                phone_ok boolean NOT NULL DEFAULT TRUE,
                -- the member's store and associate, selected with the
                -- reason (_stage_apply fills them for rows staged without)
                store_id integer,
                associate_id integer
            ) ON COMMIT DROP
            """
            )
        )

    @api.model
    def _stage_select(self, queries):
        """Stage the rows of the reason queries.

        Each query fills a temporary table of its own by ``CREATE TABLE AS``,
        which PostgreSQL runs with a parallel plan like the plain SELECT (an
        ``INSERT … SELECT`` never is); one INSERT then moves the rows into
        the staging table."""
        cr = self.env.cr
        tables = []
        for index, (_code, query) in enumerate(queries):
            table = SQL.identifier(f"tsl_call_stage_{index}")
            cr.execute(
                SQL(
                    """
                DROP TABLE IF EXISTS %(table)s;
                CREATE TEMP TABLE %(table)s ON COMMIT DROP AS
                SELECT q.c1::integer AS partner_id, q.c2::integer AS reason_type_id,
                       q.c3::date AS rdate, q.c4::varchar AS note,
                       q.c5::varchar AS res_model, q.c6::integer AS res_id,
                       q.c7::integer AS store_id, q.c8::integer AS associate_id
                  FROM (%(query)s) AS q(c1, c2, c3, c4, c5, c6, c7, c8)
                """,
                    table=table,
                    query=query,
                )
            )
            tables.append(table)
        if not tables:
            return
        cr.execute(
            SQL(
                """
            INSERT INTO tsl_call_stage (partner_id, reason_type_id, rdate, note,
                                        res_model, res_id, store_id, associate_id)
            %(select)s;
            DROP TABLE %(tables)s
            """,
                select=SQL(" UNION ALL ").join(
                    SQL(
                        "SELECT partner_id, reason_type_id, rdate, note, res_model, "
                        "res_id, store_id, associate_id FROM %s",
                        table,
                    )
                    for table in tables
                ),
                tables=SQL(", ").join(tables),
            )
        )

    @api.model
    def _reason_types(self):
        return {t.code: t for t in self.env["tsl.call.reason.type"].sudo().search([])}

    @api.model
    def _member_clause(
        self, stores, alias="p", states=("temporary", "formal", "lapsed")
    ):
        """Members of ``stores`` with a number to call (phone quality, M7)."""
        p = SQL.identifier(alias)
        return SQL(
            "%(p)s.active AND %(p)s.tsl_member_state IN %(states)s "
            "AND %(p)s.tsl_store_id = ANY(%(stores)s) "
            "AND %(p)s.tsl_phone_state IN ('valid', 'invalid_format')",
            p=p,
            states=tuple(states),
            stores=stores.ids,
        )

    @api.model
    def _reason_queries(self, week_start, stores):
        """[(code, SELECT partner_id, reason_type_id, rdate, note, res_model,
        res_id, store_id, associate_id)] for the week (the last two: the
        member's store and associate): the bare selection of the reasons,
        also timed by the benchmark."""
        types = self._reason_types()
        ws, we = week_start, week_start + timedelta(days=6)
        company = stores[:1].company_id or self.env.company
        member = self._member_clause(stores)
        queries = []

        def window(code):
            lead = types[code].lead_days
            return ws + timedelta(days=lead), we + timedelta(days=lead)

        if "birthday" in types:
            start, end = window("birthday")
            queries.append(
                (
                    "birthday",
                    SQL(
                        """
                SELECT p.id, %(rt)s,
                       CASE WHEN p.tsl_birthday_next BETWEEN %(start)s AND %(end)s
                            THEN p.tsl_birthday_next ELSE p.tsl_birthday_last END,
                       CASE p.tsl_grade WHEN 'A' THEN %(a)s WHEN 'B' THEN %(b)s
                            ELSE %(c)s END,
                       NULL, NULL, p.tsl_store_id, p.tsl_associate_id
                  FROM res_partner p
                 WHERE %(member)s
                   AND (p.tsl_birthday_next BETWEEN %(start)s AND %(end)s
                        OR p.tsl_birthday_last BETWEEN %(start)s AND %(end)s)
                """,
                        rt=types["birthday"].id,
                        start=start,
                        end=end,
                        member=member,
                        a=_("Visit: cake, flowers, associate at home, SMS"),
                        b=_("Visit: cake, associate at home, SMS"),
                        c=_("Card by post, call, SMS"),
                    ),
                )
            )
        if "special_day" in types:
            start, end = window("special_day")
            labels = dict(
                self.env["tsl.special.date"]
                ._fields["date_type"]
                ._description_selection(self.env)
            )
            label_case = SQL(
                "CASE sd.date_type %s ELSE '' END",
                SQL(" ").join(SQL("WHEN %s THEN %s", k, v) for k, v in labels.items()),
            )
            queries.append(
                (
                    "special_day",
                    SQL(
                        """
                SELECT sd.partner_id, %(rt)s,
                       CASE WHEN sd.next_date BETWEEN %(start)s AND %(end)s
                            THEN sd.next_date ELSE sd.last_date END,
                       concat_ws(' ', %(label)s, sd.person_name),
                       'tsl.special.date', sd.id, p.tsl_store_id, p.tsl_associate_id
                  FROM tsl_special_date sd
                  JOIN res_partner p ON p.id = sd.partner_id
                 WHERE %(member)s
                   AND (sd.next_date BETWEEN %(start)s AND %(end)s
                        OR sd.last_date BETWEEN %(start)s AND %(end)s)
                """,
                        rt=types["special_day"].id,
                        start=start,
                        end=end,
                        label=label_case,
                        member=member,
                    ),
                )
            )
        if "renewal" in types:
            start, end = window("renewal")
            queries.append(
                (
                    "renewal",
                    SQL(
                        """
                SELECT p.id, %(rt)s, a.ann,
                       CASE WHEN p.tsl_renewal_qualified THEN %(ok)s ELSE %(ko)s END,
                       NULL, NULL, p.tsl_store_id, p.tsl_associate_id
                  FROM res_partner p
                 CROSS JOIN LATERAL (
                       SELECT (p.tsl_tier_date + make_interval(
                                   years => y - EXTRACT(YEAR FROM p.tsl_tier_date)::int
                               ))::date AS ann
                         FROM unnest(%(years)s::int[]) AS y) a
                 WHERE %(member)s AND p.tsl_tier_date IS NOT NULL
                   AND a.ann BETWEEN %(start)s AND %(end)s AND a.ann > p.tsl_tier_date
                """,
                        rt=types["renewal"].id,
                        years=sorted({start.year, end.year}),
                        start=start,
                        end=end,
                        member=self._member_clause(
                            stores, states=("temporary", "formal")
                        ),
                        ok=_("Qualifies for renewal: renewal coupon"),
                        ko=_("Not yet qualified: e-coupon"),
                    ),
                )
            )
        if "reward_application" in types:
            Campaign = self.env["tsl.reward.campaign"]
            Band = self.env["tsl.reward.band"]
            ctier = Campaign._fields["tier_ids"]
            btier = Band._fields["tier_ids"]
            queries.append(
                (
                    "reward_application",
                    SQL(
                        """
                SELECT DISTINCT ON (p.id, c.id) p.id, %(rt)s, c.date_to, NULL,
                       'tsl.reward.campaign', c.id, p.tsl_store_id, p.tsl_associate_id
                  FROM tsl_reward_campaign c
                  JOIN tsl_points_balance pb ON pb.year_id = c.points_year_id
                  JOIN res_partner p ON p.id = pb.partner_id
                  JOIN tsl_reward_band b ON b.campaign_id = c.id
                       AND pb.earned >= b.min_points
                       AND (COALESCE(b.max_points, 0) = 0 OR pb.earned < b.max_points)
                 WHERE c.state = 'open' AND c.company_id = %(company)s
                   AND (c.date_from BETWEEN %(ws)s AND %(we)s
                        OR c.date_to BETWEEN %(ws7)s AND %(we7)s)
                   AND %(member)s
                   AND (NOT EXISTS (SELECT 1 FROM %(crel)s r WHERE r.%(ccol1)s = c.id)
                        OR EXISTS (SELECT 1 FROM %(crel)s r WHERE r.%(ccol1)s = c.id
                                      AND r.%(ccol2)s = p.tsl_tier_id))
                   AND (NOT EXISTS (SELECT 1 FROM %(brel)s r WHERE r.%(bcol1)s = b.id)
                        OR EXISTS (SELECT 1 FROM %(brel)s r WHERE r.%(bcol1)s = b.id
                                      AND r.%(bcol2)s = p.tsl_tier_id))
                   AND NOT EXISTS (
                       SELECT 1 FROM tsl_redemption_request rq
                        WHERE rq.campaign_id = c.id AND rq.partner_id = p.id
                          AND rq.state NOT IN ('draft', 'cancelled', 'rejected'))
                 ORDER BY p.id, c.id
                """,
                        rt=types["reward_application"].id,
                        company=company.id,
                        ws=ws,
                        we=we,
                        ws7=ws + timedelta(days=7),
                        we7=we + timedelta(days=7),
                        member=self._member_clause(
                            stores, states=("temporary", "formal")
                        ),
                        crel=SQL.identifier(ctier.relation),
                        ccol1=SQL.identifier(ctier.column1),
                        ccol2=SQL.identifier(ctier.column2),
                        brel=SQL.identifier(btier.relation),
                        bcol1=SQL.identifier(btier.column1),
                        bcol2=SQL.identifier(btier.column2),
                    ),
                )
            )
        if "gift_collection" in types:
            queries.append(
                (
                    "gift_collection",
                    SQL(
                        """
                SELECT r.partner_id, %(rt)s, NULL::date, r.name,
                       'tsl.redemption.request', r.id, p.tsl_store_id,
                       p.tsl_associate_id
                  FROM tsl_redemption_request r
                  JOIN res_partner p ON p.id = r.partner_id
                 WHERE r.state = 'ready' AND %(member)s
                """,
                        rt=types["gift_collection"].id,
                        member=member,
                    ),
                )
            )
        if "referral" in types:
            queries.append(
                (
                    "referral",
                    SQL(
                        """
                SELECT rr.referrer_id, %(rt)s, rr.date, NULL,
                       'tsl.referral.reward', rr.id, p.tsl_store_id,
                       p.tsl_associate_id
                  FROM tsl_referral_reward rr
                  JOIN res_partner p ON p.id = rr.referrer_id
                 WHERE rr.state = 'earned' AND %(member)s
                """,
                        rt=types["referral"].id,
                        member=member,
                    ),
                )
            )
        if "reactivation" in types:
            months = company.tsl_reactivation_months or 12
            queries.append(
                (
                    "reactivation",
                    SQL(
                        """
                SELECT p.id, %(rt)s, p.tsl_last_purchase_date, %(note)s, NULL, NULL,
                       p.tsl_store_id, p.tsl_associate_id
                  FROM res_partner p
                 WHERE %(member)s
                   AND (p.tsl_last_purchase_date BETWEEN %(from)s AND %(to)s
                        OR p.tsl_lapsed_date BETWEEN %(ws)s AND %(we)s)
                """,
                        rt=types["reactivation"].id,
                        member=member,
                        note=_("No purchase for %(months)s months", months=months),
                        **{
                            "from": ws - relativedelta(months=months),
                            "to": we - relativedelta(months=months),
                        },
                        ws=ws,
                        we=we,
                    ),
                )
            )
        queries += self._reason_queries_dated(ws, we, stores, company, types)
        return queries

    @api.model
    def _reason_queries_dated(self, ws, we, stores, company, types):
        """Second half of :meth:`_reason_queries`: purchases, deposits,
        festivals and events."""
        member = self._member_clause(stores)
        queries = []

        def window(code):
            lead = types[code].lead_days
            return ws + timedelta(days=lead), we + timedelta(days=lead)

        if "maintenance" in types:
            # point of sale and confirmed sales orders alike: one reason per
            # order and maintenance period (two selections, each planned
            # with the date of its own orders)
            for model in ("sale.order", "sale.order.line"):
                self.env[model].flush_model()
            parts = []
            for model, order_table, line_table, line_clause, state_clause in (
                (
                    "pos.order",
                    "pos_order",
                    "pos_order_line",
                    SQL(""),
                    SQL("o.state IN ('paid', 'done', 'invoiced')"),
                ),
                (
                    "sale.order",
                    "sale_order",
                    "sale_order_line",
                    SQL("AND l.display_type IS NULL"),
                    SQL("o.state = 'sale'"),
                ),
            ):
                parts.append(
                    SQL(
                        """
                SELECT o.partner_id, %(rt)s,
                       (o.date_order + make_interval(months => mm.m))::date,
                       min(c.complete_name), %(model)s, o.id,
                       min(p.tsl_store_id), min(p.tsl_associate_id)
                  FROM (SELECT DISTINCT tsl_maintenance_months AS m
                          FROM product_category
                         WHERE tsl_maintenance_months > 0) mm
                  JOIN %(orders)s o
                    ON o.date_order >= %(ws)s::timestamp - make_interval(months => mm.m)
                   AND o.date_order < %(we1)s::timestamp - make_interval(months => mm.m)
                  JOIN res_partner p ON p.id = o.partner_id
                  JOIN %(lines)s l ON l.order_id = o.id %(line_clause)s
                  JOIN product_product pp ON pp.id = l.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN product_category c ON c.id = pt.categ_id
                       AND c.tsl_maintenance_months = mm.m
                 WHERE %(state_clause)s AND %(member)s
                 GROUP BY o.partner_id, o.id, mm.m
                """,
                        rt=types["maintenance"].id,
                        model=model,
                        orders=SQL.identifier(order_table),
                        lines=SQL.identifier(line_table),
                        line_clause=line_clause,
                        state_clause=state_clause,
                        ws=ws,
                        we1=we + timedelta(days=1),
                        member=member,
                    )
                )
            queries.append(("maintenance", SQL(" UNION ALL ").join(parts)))
        if "deposit_pickup" in types:
            start, end = window("deposit_pickup")
            queries.append(
                (
                    "deposit_pickup",
                    SQL(
                        """
                SELECT d.partner_id, %(rt)s, d.pickup_date, d.description,
                       'tsl.deposit', d.id, p.tsl_store_id, p.tsl_associate_id
                  FROM tsl_deposit d
                  JOIN res_partner p ON p.id = d.partner_id
                 WHERE d.state = 'deposited' AND d.pickup_date <= %(end)s AND %(member)s
                """,
                        rt=types["deposit_pickup"].id,
                        end=end,
                        member=member,
                    ),
                )
            )
        if "festival" in types:
            start, end = window("festival")
            values = []
            for fest in (
                self.env["tsl.festival"]
                .sudo()
                .search([("company_id", "=", company.id)])
            ):
                for day in fest._occurrences_between(start, end):
                    values.append(
                        SQL(
                            "(%s, %s::date, %s, %s::varchar)",
                            fest.id,
                            day,
                            fest.name,
                            fest.profession or None,
                        )
                    )
            # the grades called for a festival: the company's contact plan
            call_grades = [
                grade
                for grade, channels in self.env["tsl.grade.contact.plan"]
                ._channels_by_grade(company)
                .items()
                if "call" in channels
            ]
            if values:
                queries.append(
                    (
                        "festival",
                        SQL(
                            """
            SELECT DISTINCT ON (p.id) p.id, %(rt)s, f.day, f.name, 'tsl.festival',
                   f.fid, p.tsl_store_id, p.tsl_associate_id
                  FROM (VALUES %(values)s) AS f(fid, day, name, prof)
                  JOIN res_partner p ON (f.prof IS NULL OR p.tsl_profession = f.prof)
                 WHERE %(member)s
                   AND (p.tsl_grade = ANY(%(call_grades)s) OR p.tsl_unreachable)
                 ORDER BY p.id, f.day
                """,
                            rt=types["festival"].id,
                            call_grades=call_grades,
                            values=SQL(", ").join(values),
                            member=member,
                        ),
                    )
                )
        event_codes = [
            c
            for c in (
                "brand_event",
                "new_store",
                "roadshow",
                "special_event",
                "new_season",
            )
            if c in types
        ]
        if event_codes:
            rel = self.env["tsl.store.event"]._fields["store_ids"]
            event_types = SQL(", ").join(
                SQL("(%s, %s, %s)", code, types[code].id, types[code].lead_days)
                for code in event_codes
            )
            queries.append(
                (
                    "event",
                    SQL(
                        """
                SELECT p.id, t.rt, e.date, e.name->>'en_US', 'tsl.store.event', e.id,
                       p.tsl_store_id, p.tsl_associate_id
                  FROM tsl_store_event e
                  JOIN (VALUES %(types)s) AS t(code, rt, lead)
                       ON t.code = e.event_type
                      AND e.date BETWEEN %(ws)s::date + t.lead AND %(we)s::date + t.lead
                  JOIN res_partner p
                       ON (NOT EXISTS (SELECT 1 FROM %(rel)s r WHERE r.%(col1)s = e.id)
                           OR EXISTS (SELECT 1 FROM %(rel)s r WHERE r.%(col1)s = e.id
                                         AND r.%(col2)s = p.tsl_store_id))
             AND ((p.tsl_grade = 'A' AND e.grade_a) OR (p.tsl_grade = 'B' AND e.grade_b)
                           OR (p.tsl_grade = 'C' AND e.grade_c))
                 WHERE e.active AND e.company_id = %(company)s AND %(member)s
                """,
                        types=event_types,
                        ws=ws,
                        we=we,
                        rel=SQL.identifier(rel.relation),
                        col1=SQL.identifier(rel.column1),
                        col2=SQL.identifier(rel.column2),
                        company=company.id,
                        member=member,
                    ),
                )
            )
        if "special_event" in types:
            # store anniversaries (opening date), a week before, for A and B
            start, end = window("special_event")
            queries.append(
                (
                    "store_anniversary",
                    SQL(
                        """
                SELECT p.id, %(rt)s, a.ann, %(note)s, 'tsl.store', s.id,
                       p.tsl_store_id, p.tsl_associate_id
                  FROM tsl_store s
                 CROSS JOIN LATERAL (
                       SELECT (s.opening_date + make_interval(
                                   years => y - EXTRACT(YEAR FROM s.opening_date)::int
                               ))::date AS ann
                         FROM unnest(%(years)s::int[]) AS y) a
               JOIN res_partner p ON p.tsl_store_id = s.id AND p.tsl_grade IN ('A', 'B')
                 WHERE s.opening_date IS NOT NULL AND s.active
                   AND a.ann BETWEEN %(start)s AND %(end)s AND a.ann > s.opening_date
                   AND %(member)s
                """,
                        rt=types["special_event"].id,
                        years=sorted({start.year, end.year}),
                        start=start,
                        end=end,
                        note=_("Store anniversary"),
                        member=member,
                    ),
                )
            )
        return queries

    @api.model
    def _stage_retries(self, week_start, stores):
        """Weeks 2–3 of the cycle retry last week's unreached calls."""
        if self._cycle_week(week_start) not in (2, 3):
            return
        company = stores[:1].company_id or self.env.company
        self.env.cr.execute(
            SQL(
                """
        INSERT INTO tsl_call_stage (partner_id, reason_type_id, rdate, note,
               res_model, res_id, prev_call_id, prev_user_id, attempt, advice,
               phone_ok, store_id, associate_id)
        SELECT c.partner_id, r.reason_type_id, r.date, r.note, r.res_model,
               r.res_id, c.id, c.user_id, c.attempt_count + 1, c.care_advice,
               FALSE, p.tsl_store_id, p.tsl_associate_id
              FROM tsl_call c
              JOIN tsl_call_reason r ON r.call_id = c.id
              JOIN res_partner p ON p.id = c.partner_id
             WHERE c.week_start = %(prev)s AND c.store_id = ANY(%(stores)s)
               AND (c.outcome = 'no_answer' OR c.state = 'todo')
               AND c.attempt_count < %(max)s
            """,
                prev=week_start - timedelta(days=7),
                stores=stores.ids,
                max=company.tsl_retry_max or 3,
            )
        )

    @api.model
    def _stage_apply(self, week_start, stores=None, all_stores_lists=False):
        """Filter the staged reasons (heartbeat, consent, contact cap) and
        write them as calls of the week: one call per member."""
        cr = self.env.cr
        types = self._reason_types()
        company = (stores[:1].company_id if stores else False) or self.env.company
        ws, we = week_start, week_start + timedelta(days=6)
        uid = self.env.uid
        cr.execute(SQL("ANALYZE tsl_call_stage"))
        # heartbeat (C3): the unreachable are tried again only for a
        # festival or a promotion, which carries the heartbeat reason
        cr.execute(
            SQL(
                """
            DELETE FROM tsl_call_stage s
             USING res_partner p, tsl_call_reason_type t
             WHERE p.id = s.partner_id AND p.tsl_unreachable
               AND t.id = s.reason_type_id AND NOT COALESCE(t.promotion, FALSE)
            """
            )
        )
        if "heartbeat" in types:
            cr.execute(
                SQL(
                    """
                INSERT INTO tsl_call_stage (partner_id, reason_type_id, note,
                                            phone_ok, store_id, associate_id)
                SELECT DISTINCT s.partner_id, %(rt)s, %(note)s, FALSE,
                       p.tsl_store_id, p.tsl_associate_id
                  FROM tsl_call_stage s JOIN res_partner p ON p.id = s.partner_id
                 WHERE p.tsl_unreachable
                """,
                    rt=types["heartbeat"].id,
                    note=_("Unreachable for months: try again with this occasion"),
                )
            )
        # consent (M8) and phone quality (M7): no call without a usable number
        cr.execute(
            SQL(
                """
            DELETE FROM tsl_call_stage s
             USING res_partner p
             WHERE p.id = s.partner_id AND NOT s.phone_ok
               AND (p.tsl_phone_state IS NULL
                    OR p.tsl_phone_state IN ('wrong_number', 'empty_number', 'refused')
                    OR p.tsl_store_id IS NULL OR NOT p.active)
            """
            )
        )
        cr.execute(
            SQL(
                """
            DELETE FROM tsl_call_stage s
             USING tsl_member_consent mc
          WHERE mc.partner_id = s.partner_id AND mc.channel = 'phone' AND NOT mc.consent
            """
            )
        )
        # contact cap (C7): a member reached N times since his points last
        # grew is capped and falls back to a quarterly cadence: called again
        # only once his last reached call is a cap period (90 days) old;
        # points earned (or added) after the first of those calls lift the
        # cap. What the member waits for (cap-exempt reasons) is never held.
        since = ws - timedelta(days=company.tsl_contact_cap_days or 90)
        cr.execute(
            SQL(
                """
            WITH recent AS (
                -- reached within the cap period (the others are due anyway)
                SELECT DISTINCT r.partner_id FROM tsl_call r
                 WHERE r.outcome = 'reached' AND r.date_done >= %(since)s
                   AND r.week_start < %(ws)s
                   AND r.partner_id IN (SELECT partner_id FROM tsl_call_stage)
            ), growth AS (
                SELECT m.partner_id, max(m.date) AS last_growth
                  FROM tsl_points_move m JOIN recent USING (partner_id)
                 WHERE m.points > 0 AND m.move_type IN ('earn', 'adjust')
                 GROUP BY m.partner_id
            ), capped AS (
                -- reached N times since the points last grew
                SELECT c.partner_id
                  FROM tsl_call c
                  JOIN recent USING (partner_id)
                  LEFT JOIN growth g USING (partner_id)
                 WHERE c.outcome = 'reached' AND c.week_start < %(ws)s
                   AND (g.last_growth IS NULL OR c.date_done > g.last_growth)
                 GROUP BY c.partner_id
                HAVING count(*) >= %(cap)s
            )
            DELETE FROM tsl_call_stage s
             USING tsl_call_reason_type t, capped k
             WHERE t.id = s.reason_type_id AND NOT COALESCE(t.cap_exempt, FALSE)
               AND s.partner_id = k.partner_id
            """,
                since=since,
                ws=ws,
                cap=company.tsl_contact_cap or 3,
            )
        )
        # the member's store and associate of the rows staged without them
        # (one index probe each, never a scan of all the members)
        cr.execute(
            SQL(
                """
            UPDATE tsl_call_stage s
               SET (store_id, associate_id) = (
                       SELECT p.tsl_store_id, p.tsl_associate_id
                         FROM res_partner p WHERE p.id = s.partner_id)
             WHERE s.store_id IS NULL
            """
            )
        )
        # the lists
        store_filter = (
            SQL("s.id = ANY(%s)", stores.ids)
            if all_stores_lists and stores
            else SQL("s.id IN (SELECT st.store_id FROM tsl_call_stage st)")
        )
        cr.execute(
            SQL(
                """
         INSERT INTO tsl_call_list (store_id, area_id, company_id, week_start, week_end,
                                       cycle_week, name, state, create_uid, create_date,
                                       write_uid, write_date)
            SELECT s.id, s.area_id, s.company_id, %(ws)s, %(we)s, %(cycle)s,
                   concat_ws(' ', s.code, %(week)s), 'open',
                   %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
              FROM tsl_store s
             WHERE %(store_filter)s
            ON CONFLICT (store_id, week_start) DO NOTHING
            """,
                ws=ws,
                we=we,
                cycle=self._cycle_week(ws),
                week="%s-W%02d" % ws.isocalendar()[:2],
                uid=uid,
                store_filter=store_filter,
            )
        )
        # the calls, one per member with the class and priority of the best
        # reason, and their reason lines, in one statement: the members
        # without a call this week get a new one (plain INSERT: no conflict
        # to look for), those with one (a re-run, or a call made earlier in
        # the week by the follow-up plans) get their call updated and the
        # reasons it does not carry yet. The sorts of ~120,000 staged rows
        # fit in memory with a larger work_mem, set for this statement only.
        cr.execute(SQL("SELECT current_setting('work_mem')"))
        work_mem = cr.fetchone()[0]
        cr.execute(SQL("SET LOCAL work_mem = '64MB'"))
        cr.execute(
            SQL(
                """
        WITH a AS MATERIALIZED (
        SELECT m.*, l.id AS list_id, COALESCE(m.prev_user_id, u.id) AS user_id,
               old.id AS old_id
          FROM (SELECT s.partner_id, min(s.store_id) AS store_id,
                       min(s.associate_id) AS associate_id,
                       min(t.sequence) AS priority,
                       (array_agg(t.call_class ORDER BY t.sequence, t.id))[1]
                           AS call_class,
                       max(s.attempt) AS attempt,
                       max(s.prev_call_id) AS prev_call_id,
                       max(s.prev_user_id) AS prev_user_id,
                       string_agg(DISTINCT s.advice, E'\\n') AS advice
                  FROM tsl_call_stage s
                  JOIN tsl_call_reason_type t ON t.id = s.reason_type_id
                 GROUP BY s.partner_id) m
          JOIN tsl_call_list l
               ON l.store_id = m.store_id AND l.week_start = %(ws)s
          LEFT JOIN res_users u ON u.id = m.associate_id AND u.active
               AND (u.tsl_store_id IS NULL OR u.tsl_store_id = m.store_id)
          LEFT JOIN tsl_call old
               ON old.partner_id = m.partner_id AND old.week_start = %(ws)s
        ), new_calls AS (
        INSERT INTO tsl_call (list_id, store_id, partner_id,
               user_id, week_start, week_end, priority, call_class, state,
               attempt_count, previous_call_id, care_advice,
               create_uid, create_date, write_uid, write_date)
        SELECT a.list_id, a.store_id, a.partner_id, a.user_id, %(ws)s, %(we)s,
               a.priority, a.call_class, 'todo', a.attempt, a.prev_call_id,
               a.advice, %(uid)s, now() at time zone 'UTC', %(uid)s,
               now() at time zone 'UTC'
          FROM a
         WHERE a.old_id IS NULL
        RETURNING id, partner_id
        ), old_calls AS (
        UPDATE tsl_call c
           SET priority = LEAST(c.priority, a.priority),
               call_class = CASE WHEN a.priority < c.priority
                                 THEN a.call_class ELSE c.call_class END,
               care_advice = COALESCE(c.care_advice, a.advice),
               write_date = now() at time zone 'UTC'
          FROM a
         WHERE c.id = a.old_id
        RETURNING c.id, c.partner_id
        ), lines AS MATERIALIZED (
        SELECT s.partner_id, s.reason_type_id, min(t.sequence) AS sequence,
               min(s.rdate) AS date, string_agg(DISTINCT s.note, '; ') AS note,
               min(s.res_model) AS res_model, min(s.res_id) AS res_id
          FROM tsl_call_stage s
          JOIN tsl_call_reason_type t ON t.id = s.reason_type_id
         GROUP BY s.partner_id, s.reason_type_id
        ), new_lines AS (
        INSERT INTO tsl_call_reason (call_id, reason_type_id, sequence, date, note,
                                     res_model, res_id)
        SELECT c.id, r.reason_type_id, r.sequence, r.date, r.note, r.res_model,
               r.res_id
          FROM new_calls c JOIN lines r ON r.partner_id = c.partner_id
        )
        INSERT INTO tsl_call_reason (call_id, reason_type_id, sequence, date, note,
                                     res_model, res_id)
        SELECT c.id, r.reason_type_id, r.sequence, r.date, r.note, r.res_model,
               r.res_id
          FROM old_calls c JOIN lines r ON r.partner_id = c.partner_id
        ON CONFLICT (call_id, reason_type_id) DO NOTHING
            """,
                ws=ws,
                we=we,
                uid=uid,
            )
        )
        cr.execute(SQL("SELECT set_config('work_mem', %s, true)", work_mem))
        for model in ("tsl.call.list", "tsl.call", "tsl.call.reason"):
            self.env[model].invalidate_model()
        return True
