# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

_logger = logging.getLogger(__name__)

SALE_STATES = ("paid", "done", "invoiced")


class TslFollowupPlan(models.AbstractModel):
    """The follow-up plans run by the crons: heartbeat flags (C3), the 1-3-5
    after-sale plan (C4) and the festival plans by grade (C5). Each step is
    a set-based selection; what was done is kept in ``tsl.followup.log`` so
    a re-run contacts nobody twice."""

    _name = "tsl.followup.plan"
    _description = "Follow-up Plans"

    # ------------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------------
    @api.model
    def _sms_blocked_clause(self, alias="p"):
        """SQL condition: the partner cannot get an SMS (no usable mobile, or
        opted out of SMS)."""
        p = SQL.identifier(alias)
        return SQL(
            """(%(p)s.tsl_phone_state IS NULL
                OR %(p)s.tsl_phone_state IN ('wrong_number', 'empty_number', 'refused')
                OR EXISTS (SELECT 1 FROM tsl_member_consent mc
                            WHERE mc.partner_id = %(p)s.id AND mc.channel = 'sms'
                              AND NOT mc.consent))""",
            p=p,
        )

    @api.model
    def _log_row(
        self,
        partner_id,
        store_id,
        plan,
        channel,
        date,
        state="done",
        grade=None,
        festival_id=None,
        pos_order_id=None,
        sale_order_id=None,
        amount=None,
        sms_id=None,
        mail_id=None,
        call_id=None,
        note=None,
    ):
        """One row for ``_insert_logs``, in its column order."""
        return (
            partner_id,
            store_id,
            plan,
            channel,
            date,
            grade,
            festival_id,
            pos_order_id,
            sale_order_id,
            amount,
            sms_id,
            mail_id,
            call_id,
            state,
            note,
        )

    @api.model
    def _insert_logs(self, rows, returning=False):
        """rows: tuples made by ``_log_row``. Rows already logged (same
        member, plan, channel, date and festival) are skipped. Returns the
        number of rows inserted or, with ``returning``, the ``(id,
        partner_id)`` of the rows inserted."""
        if not rows:
            return [] if returning else 0
        count, inserted = 0, []
        for chunk in split_every(5000, rows):
            self.env.cr.execute(
                SQL(
                    """
         INSERT INTO tsl_followup_log (partner_id, store_id, plan, channel, date, grade,
                                       festival_id, pos_order_id, sale_order_id, amount,
                                       sms_id, mail_id, call_id, state, note,
                                       create_uid, create_date, write_uid, write_date)
                SELECT v.*, %(uid)s, now() at time zone 'UTC', %(uid)s,
                       now() at time zone 'UTC'
                  FROM (VALUES %(values)s) AS v
               ON CONFLICT (partner_id, plan, channel, date, (COALESCE(festival_id, 0)))
                DO NOTHING
               %(returning)s
                """,
                    uid=self.env.uid,
                    values=SQL(", ").join(
                        SQL(
                            "(%s::int, %s::int, %s::varchar, %s::varchar, %s::date, "
                            "%s::varchar, %s::int, %s::int, %s::int, %s::numeric, "
                            "%s::int, %s::int, %s::int, %s::varchar, %s::varchar)",
                            *row,
                        )
                        for row in chunk
                    ),
                    returning=SQL("RETURNING id, partner_id") if returning else SQL(),
                )
            )
            count += self.env.cr.rowcount
            if returning:
                inserted += self.env.cr.fetchall()
        self.env["tsl.followup.log"].invalidate_model()
        return inserted if returning else count

    @api.model
    def _create_sms(self, template, records, partner_of, ctx=None):
        """Render ``template`` for ``records`` and queue one sms.sms each, in
        batches. Returns {record id: sms id}."""
        result = {}
        template = template.with_context(**(ctx or {}))
        for ids in split_every(1000, records.ids):
            bodies = template._render_field("body", list(ids), compute_lang=True)
            batch = records.browse(ids)
            vals = []
            for rec in batch:
                partner = partner_of(rec)
                vals.append(
                    {
                        "partner_id": partner.id,
                        "number": partner.tsl_phone_normalized
                        or partner.mobile
                        or partner.phone,
                        "body": bodies[rec.id],
                        "state": "outgoing",
                    }
                )
            smses = self.env["sms.sms"].sudo().create(vals)
            result.update(zip(batch.ids, smses.ids, strict=False))
        return result

    # ------------------------------------------------------------------------
    # heartbeat (C3)
    # ------------------------------------------------------------------------
    @api.model
    def _update_heartbeat(self, today):
        """Flag members not reached by phone in each of the last N months
        (default 3) running. Returns the members newly flagged."""
        company = self.env.company
        months = company.tsl_unreachable_months or 3
        month0 = today.replace(day=1) - relativedelta(months=months - 1)
        self.env["tsl.call"].flush_model()
        self.env["res.partner"].flush_model(["tsl_unreachable"])
        self.env.cr.execute(
            SQL(
                """
            UPDATE res_partner p
               SET tsl_unreachable = TRUE, tsl_unreachable_date = %(today)s
              FROM (SELECT c.partner_id
                      FROM tsl_call c
                     WHERE c.state = 'done'
                       AND COALESCE(c.date_done::date, c.week_start) >= %(month0)s
                       AND COALESCE(c.date_done::date, c.week_start) <= %(today)s
                     GROUP BY c.partner_id
                    HAVING count(DISTINCT date_trunc('month',
                                 COALESCE(c.date_done::date, c.week_start)))
                               FILTER (WHERE c.outcome = 'no_answer') >= %(months)s
                       AND bool_and(c.outcome <> 'reached')) u
             WHERE p.id = u.partner_id AND NOT COALESCE(p.tsl_unreachable, FALSE)
            RETURNING p.id
            """,
                today=today,
                month0=month0,
                months=months,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        self.env["res.partner"].invalidate_model(
            ["tsl_unreachable", "tsl_unreachable_date"]
        )
        partners = self.env["res.partner"].browse(ids)
        if partners:
            body = _(
                "Not reached by phone %(months)s months running: flagged unreachable; "
                "the next festival or promotion is the reason to call again.",
                months=months,
            )
            partners._message_log_batch(bodies=dict.fromkeys(partners.ids, body))
        return partners

    # ------------------------------------------------------------------------
    # the 1-3-5 plan (C4)
    # ------------------------------------------------------------------------
    @api.model
    def _cron_daily(self):
        today = fields.Date.context_today(self)
        self._run_after_sale(today)
        self._cron_festivals(today)
        return True

    @api.model
    def _run_after_sale(self, today):
        """Day 1: SMS with the points; day 3: satisfaction call with the care
        advice of what was bought; day 5: card pickup of the new formal
        members (tsl_crm's card-pickup activity, logged, not duplicated)."""
        return {
            "day1": self._after_sale_day1(today - timedelta(days=1)),
            "day3": self._after_sale_day3(today - timedelta(days=3), today),
            "day5": self._after_sale_day5(today),
        }

    @api.model
    def _sale_day_bounds(self, day):
        return (
            fields.Datetime.to_datetime(day),
            fields.Datetime.to_datetime(day + timedelta(days=1)),
        )

    @api.model
    def _sales_of_day(self, start, end, lines=False):
        """SQL: the sales of members between ``start`` and ``end``, point of
        sale and confirmed sales orders together, with the columns model,
        order_id, partner_id, name, date_order, amount (and categ_id, one
        row per product line, with ``lines``)."""
        branches = []
        for model, orders, order_lines, states, line_clause in (
            ("pos.order", "pos_order", "pos_order_line", SALE_STATES, SQL()),
            (
                "sale.order",
                "sale_order",
                "sale_order_line",
                ("sale",),
                SQL("AND l.display_type IS NULL"),
            ),
        ):
            line_joins = SQL(
                """
              LEFT JOIN %(order_lines)s l ON l.order_id = o.id %(line_clause)s
              LEFT JOIN product_product pp ON pp.id = l.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id""",
                order_lines=SQL.identifier(order_lines),
                line_clause=line_clause,
            )
            branches.append(
                SQL(
                    """
            SELECT %(model)s AS model, o.id AS order_id, o.partner_id, o.name,
                   o.date_order, o.amount_total AS amount %(categ)s
              FROM %(orders)s o %(line_joins)s
             WHERE o.date_order >= %(start)s AND o.date_order < %(end)s
               AND o.state IN %(states)s AND o.partner_id IS NOT NULL""",
                    model=model,
                    categ=SQL(", pt.categ_id") if lines else SQL(),
                    orders=SQL.identifier(orders),
                    line_joins=line_joins if lines else SQL(),
                    start=start,
                    end=end,
                    states=states,
                )
            )
        return SQL("(%s)", SQL(" UNION ALL ").join(branches))

    @api.model
    def _flush_sales(self):
        for model in (
            "pos.order",
            "pos.order.line",
            "sale.order",
            "sale.order.line",
            "res.partner",
        ):
            self.env[model].flush_model()

    @api.model
    def _after_sale_day1(self, sale_day):
        """One SMS with the points per member and sale day, whatever the
        member bought at the till and in sales orders that day. The SMS is
        rendered on the follow-up log row (amount of the day, store, date),
        so one template serves both kinds of sale."""
        self._flush_sales()
        self.env["tsl.followup.log"].flush_model()
        start, end = self._sale_day_bounds(sale_day)
        self.env.cr.execute(
            SQL(
                """
            SELECT o.partner_id, p.tsl_member_state, p.tsl_formal_date,
                   p.tsl_store_id, sum(o.amount),
                   (array_agg(o.order_id ORDER BY o.date_order DESC, o.order_id DESC)
                        FILTER (WHERE o.model = 'pos.order'))[1],
                   (array_agg(o.order_id ORDER BY o.date_order DESC, o.order_id DESC)
                        FILTER (WHERE o.model = 'sale.order'))[1]
              FROM %(sales)s o
              JOIN res_partner p ON p.id = o.partner_id
             WHERE p.tsl_member_state IN ('temporary', 'formal')
               AND NOT %(blocked)s
               AND NOT EXISTS (SELECT 1 FROM tsl_followup_log lg
                                WHERE lg.partner_id = p.id AND lg.plan = 'after_sale_1'
                                  AND lg.channel = 'sms' AND lg.date = %(day)s)
             GROUP BY o.partner_id, p.tsl_member_state, p.tsl_formal_date,
                      p.tsl_store_id
            """,
                sales=self._sales_of_day(start, end),
                blocked=self._sms_blocked_clause(),
                day=sale_day,
            )
        )
        rows = self.env.cr.fetchall()
        if not rows:
            return 0
        key_of, logs = {}, []
        for partner_id, state, formal_date, store_id, amount, pos_id, so_id in rows:
            key = state
            if state == "formal" and formal_date and formal_date >= sale_day:
                key = "new_formal"
            key_of[partner_id] = key
            logs.append(
                self._log_row(
                    partner_id,
                    store_id,
                    "after_sale_1",
                    "sms",
                    sale_day,
                    pos_order_id=pos_id,
                    sale_order_id=so_id,
                    amount=amount,
                )
            )
        # the rows first (a concurrent run inserts none of them twice), then
        # the SMS rendered on them
        inserted = self._insert_logs(logs, returning=True)
        groups = {}
        for log_id, partner_id in inserted:
            groups.setdefault(key_of[partner_id], []).append(log_id)
        Log = self.env["tsl.followup.log"].sudo()
        sms_of = {}
        for key, log_ids in groups.items():
            template = self.env.ref(f"tsl_callcenter.sms_template_after_sale_{key}")
            if template.model != "tsl.followup.log":
                raise UserError(
                    _(
                        "The SMS template %(template)s must apply to follow-up "
                        "contacts (tsl.followup.log): update the module.",
                        template=template.display_name,
                    )
                )
            sms_of.update(
                self._create_sms(
                    template, Log.browse(log_ids), lambda lg: lg.partner_id
                )
            )
        if sms_of:
            self.env.cr.execute(
                SQL(
                    """
                UPDATE tsl_followup_log lg SET sms_id = v.sms_id
                  FROM (VALUES %s) AS v (id, sms_id)
                 WHERE lg.id = v.id
                """,
                    SQL(", ").join(SQL("(%s, %s)", *item) for item in sms_of.items()),
                )
            )
            Log.invalidate_model(["sms_id"])
        return len(inserted)

    @api.model
    def _after_sale_day3(self, sale_day, today):
        CallList = self.env["tsl.call.list"]
        types = CallList._reason_types()
        if "after_sale" not in types:
            return 0
        CallList._stage_create()
        self._flush_sales()
        start, end = self._sale_day_bounds(sale_day)
        lang = self.env.lang or "en_US"
        self.env.cr.execute(
            SQL(
                """
         INSERT INTO tsl_call_stage (partner_id, reason_type_id, rdate, note, res_model,
                                        res_id, advice, phone_ok)
            SELECT o.partner_id, %(rt)s, %(day)s, string_agg(DISTINCT o.name, ', '),
                   (array_agg(o.model ORDER BY o.model, o.order_id DESC))[1],
                   (array_agg(o.order_id ORDER BY o.model, o.order_id DESC))[1],
                   string_agg(DISTINCT concat_ws(': ', c.name,
                      COALESCE(c.tsl_care_advice->>p.lang, c.tsl_care_advice->>%(lang)s,
                                c.tsl_care_advice->>'en_US')), E'\\n')
                       FILTER (WHERE c.tsl_care_advice IS NOT NULL),
                   FALSE
              FROM %(sales)s o
              JOIN res_partner p ON p.id = o.partner_id
              LEFT JOIN product_category c ON c.id = o.categ_id
             WHERE p.tsl_member_state IS NOT NULL AND p.tsl_store_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM tsl_followup_log lg
                                WHERE lg.partner_id = p.id AND lg.plan = 'after_sale_3'
                                  AND lg.channel = 'call' AND lg.date = %(day)s)
             GROUP BY o.partner_id
            """,
                rt=types["after_sale"].id,
                day=sale_day,
                lang=lang,
                sales=self._sales_of_day(start, end, lines=True),
            )
        )
        week_start = CallList._week_start_of(today)
        CallList._stage_apply(week_start)
        self.env.cr.execute(
            SQL(
                """
            SELECT c.partner_id, c.store_id, r.res_model, r.res_id, c.id
              FROM tsl_call c
              JOIN tsl_call_reason r ON r.call_id = c.id AND r.reason_type_id = %(rt)s
             WHERE c.week_start = %(ws)s AND r.date = %(day)s
            """,
                rt=types["after_sale"].id,
                ws=week_start,
                day=sale_day,
            )
        )
        logs = [
            self._log_row(
                partner_id,
                store_id,
                "after_sale_3",
                "call",
                sale_day,
                pos_order_id=order_id if model == "pos.order" else None,
                sale_order_id=order_id if model == "sale.order" else None,
                call_id=call_id,
                state="todo",
            )
            for partner_id, store_id, model, order_id, call_id in self.env.cr.fetchall()
        ]
        return self._insert_logs(logs)

    @api.model
    def _after_sale_day5(self, today):
        """New formal members whose card is ready today: tsl_crm scheduled the
        card-pickup activity when they became formal; it is logged here as the
        plan's day-5 step, not created again."""
        self.env["res.partner"].flush_model()
        self.env["mail.activity"].flush_model()
        activity_type = self.env.ref("tsl_crm.mail_activity_type_card_pickup")
        self.env.cr.execute(
            SQL(
                """
            SELECT p.id, p.tsl_store_id, p.tsl_formal_date
              FROM res_partner p
             WHERE p.tsl_card_ready_date = %(today)s AND p.tsl_card_state = 'preparing'
               AND p.tsl_member_state = 'formal'
               AND EXISTS (SELECT 1 FROM mail_activity a
                            WHERE a.res_model = 'res.partner' AND a.res_id = p.id
                              AND a.activity_type_id = %(type)s)
            """,
                today=today,
                type=activity_type.id,
            )
        )
        logs = [
            self._log_row(
                partner_id,
                store_id,
                "after_sale_5",
                "activity",
                today,
                state="todo",
            )
            for partner_id, store_id, _formal in self.env.cr.fetchall()
        ]
        return self._insert_logs(logs)

    # ------------------------------------------------------------------------
    # festival plans by grade (C5)
    # ------------------------------------------------------------------------
    @api.model
    def _cron_festivals(self, today):
        """Run the plan of every festival whose date is within its lead days."""
        total = 0
        for festival in self.env["tsl.festival"].search([]):
            day = festival._next_occurrence(today)
            if day and day - timedelta(days=festival.lead_days) <= today:
                total += self._run_festival(festival, day)
        return total

    @api.model
    def _run_festival(self, festival, day):
        """Each grade gets the channels of its company's contact plan by
        grade (``tsl.grade.contact.plan``; the seeds: A a call, reason
        festival in this week's list, and a gift to deliver; B an SMS and an
        invitation to collect a gift; C an SMS, a card and an e-mail with the
        points); non-members of the stores: the non-member SMS.
        Consent is honoured per channel. Returns the contacts logged."""
        if not day:
            return 0
        self.env["tsl.call.list"]._flush_sources()
        cr = self.env.cr
        prof = (
            SQL("AND p.tsl_profession = %s", festival.profession)
            if festival.profession
            else SQL("")
        )
        done = SQL(
            """NOT EXISTS (SELECT 1 FROM tsl_followup_log lg
                            WHERE lg.partner_id = p.id AND lg.plan = 'festival'
                              AND lg.festival_id = %s AND lg.date = %s)""",
            festival.id,
            day,
        )
        cr.execute(
            SQL(
                """
            SELECT p.id, p.tsl_store_id, p.tsl_grade, NOT %(blocked)s,
                   p.email IS NOT NULL AND p.email <> '' AND NOT EXISTS (
                       SELECT 1 FROM tsl_member_consent mc WHERE mc.partner_id = p.id
                          AND mc.channel = 'email' AND NOT mc.consent)
              FROM res_partner p
             WHERE p.active AND p.tsl_member_state IN ('temporary', 'formal')
               AND p.tsl_store_id IS NOT NULL AND p.tsl_grade IN ('A', 'B', 'C')
               %(prof)s AND %(done)s
            """,
                blocked=self._sms_blocked_clause(),
                prof=prof,
                done=done,
            )
        )
        members = cr.fetchall()
        # the channels of each grade: the company's plan (seeds' defaults
        # for a grade it does not set), read once per run
        channels_of = self.env["tsl.grade.contact.plan"]._channels_by_grade(
            festival.company_id
        )
        logs = []
        Partner = self.env["res.partner"].sudo()
        ctx = {"tsl_festival_name": festival.name}
        sms_ids, email_ids, call_ids = [], [], []
        for partner_id, store_id, grade, sms_ok, email_ok in members:
            channels = channels_of[grade]
            for channel in channels:
                if channel == "sms":
                    if sms_ok:
                        sms_ids.append(partner_id)
                elif channel == "email":
                    if email_ok:
                        email_ids.append(partner_id)
                elif channel == "call":
                    call_ids.append(partner_id)
                else:
                    logs.append(
                        self._log_row(
                            partner_id,
                            store_id,
                            "festival",
                            channel,
                            day,
                            grade=grade,
                            festival_id=festival.id,
                            state="todo",
                        )
                    )
        grade_of = {m[0]: (m[1], m[2]) for m in members}
        # SMS to members
        if sms_ids and festival.member_sms_template_id:
            sms_map = self._create_sms(
                festival.member_sms_template_id,
                Partner.browse(sms_ids),
                lambda p: p,
                ctx,
            )
            for partner_id, sms_id in sms_map.items():
                store_id, grade = grade_of[partner_id]
                logs.append(
                    self._log_row(
                        partner_id,
                        store_id,
                        "festival",
                        "sms",
                        day,
                        grade=grade,
                        festival_id=festival.id,
                        sms_id=sms_id,
                    )
                )
        # e-mail with the points
        if email_ids and festival.mail_template_id:
            template = festival.mail_template_id.with_context(**ctx)
            for ids in split_every(500, email_ids):
                mail_ids = template.send_mail_batch(list(ids))
                for partner_id, mail in zip(ids, mail_ids, strict=False):
                    store_id, grade = grade_of[partner_id]
                    logs.append(
                        self._log_row(
                            partner_id,
                            store_id,
                            "festival",
                            "email",
                            day,
                            grade=grade,
                            festival_id=festival.id,
                            mail_id=mail.id,
                        )
                    )
        # calls for grade A, in this week's list
        if call_ids:
            logs += self._festival_calls(festival, day, call_ids, grade_of)
        # non-members of the stores (prospects): the non-member SMS
        if festival.guest_sms_template_id:
            logs += self._festival_guests(festival, day, prof, done, ctx)
        return self._insert_logs(logs)

    @api.model
    def _festival_calls(self, festival, day, call_ids, grade_of):
        """Grade A: the festival reason on this week's call of each member."""
        cr = self.env.cr
        today = fields.Date.context_today(self)
        logs = []
        CallList = self.env["tsl.call.list"]
        types = CallList._reason_types()
        if "festival" in types:
            CallList._stage_create()
            cr.execute(
                SQL(
                    """
                INSERT INTO tsl_call_stage (partner_id, reason_type_id, rdate, note,
                                            res_model, res_id, phone_ok)
                SELECT pid, %(rt)s, %(day)s, %(note)s, 'tsl.festival', %(fid)s, FALSE
                  FROM unnest(%(ids)s) AS pid
                """,
                    rt=types["festival"].id,
                    day=day,
                    note=_(
                        "%(festival)s: greeting call and a gift to deliver",
                        festival=festival.name,
                    ),
                    fid=festival.id,
                    ids=call_ids,
                )
            )
            week_start = CallList._week_start_of(today)
            CallList._stage_apply(week_start)
            cr.execute(
                SQL(
                    """
                SELECT c.partner_id, c.id FROM tsl_call c
                  JOIN tsl_call_reason r ON r.call_id = c.id
                 WHERE c.week_start = %(ws)s AND r.reason_type_id = %(rt)s
                   AND c.partner_id = ANY(%(ids)s)
                """,
                    ws=week_start,
                    rt=types["festival"].id,
                    ids=call_ids,
                )
            )
            for partner_id, call_id in cr.fetchall():
                store_id, grade = grade_of[partner_id]
                logs.append(
                    self._log_row(
                        partner_id,
                        store_id,
                        "festival",
                        "call",
                        day,
                        grade=grade,
                        festival_id=festival.id,
                        call_id=call_id,
                        state="todo",
                    )
                )
        return logs

    @api.model
    def _festival_guests(self, festival, day, prof, done, ctx):
        """The store's contacts that are not members: the non-member SMS."""
        cr = self.env.cr
        Partner = self.env["res.partner"].sudo()
        logs = []
        cr.execute(
            SQL(
                """
            SELECT p.id FROM res_partner p
             WHERE p.active AND p.tsl_member_state IS NULL
               AND p.tsl_store_id IS NOT NULL AND NOT %(blocked)s %(prof)s
               AND %(done)s
            """,
                blocked=self._sms_blocked_clause(),
                prof=prof,
                done=done,
            )
        )
        guest_ids = [r[0] for r in cr.fetchall()]
        if guest_ids:
            guests = Partner.browse(guest_ids)
            sms_map = self._create_sms(
                festival.guest_sms_template_id, guests, lambda p: p, ctx
            )
            store_of = {g.id: g.tsl_store_id.id for g in guests}
            for partner_id, sms_id in sms_map.items():
                logs.append(
                    self._log_row(
                        partner_id,
                        store_of[partner_id],
                        "festival",
                        "sms",
                        day,
                        festival_id=festival.id,
                        sms_id=sms_id,
                    )
                )
        return logs
