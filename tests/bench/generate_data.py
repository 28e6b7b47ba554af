#!/usr/bin/env python3
"""Fill a tsl_crm database with benchmark data: members, POS and sale orders.

    python3 tests/bench/generate_data.py -d tsl_bench [--members 1000000]

The database must have tsl_crm installed (without demo data).  The few
reference rows (areas, stores, sales associates, store managers, area
supervisors, one point of sale and its session) are created with the ORM;
the members, their special dates and their orders are inserted by plain,
set-based SQL (INSERT … SELECT over generate_series): no ORM call per record.
Everything runs in ONE transaction: on any error nothing is left behind.

What the members look like:

* names: Chinese names (surname drawn from the real frequency table —
  王 李 张 刘 陈 …, one or two given characters), ~5 % pinyin names
  ("Wang Fang") and ~3 % English + surname ("Emily Chen");
  tsl_name_key is the lower-case name;
* unique Chinese mobiles, typed in varied ways in `mobile`
  ('138 0013 8000', '+86 13800138000', '13800138000', '138-0013-8000', …);
  tsl_phone_normalized and phone_sanitized hold the E.164 form;
* tsl_member_number 'M' + 8 digits, increasing with the enrolment date (the
  ir.sequence is moved past them); the stock POS would put the card number
  in `barcode`, so it is there too;
* enrolment dates spread over 5 years; mostly formal members, temporary
  ones among the recent enrolments, some lapsed;
* tiers (Select … Star Diamond, SAXX brand tier), grade NULL so that the
  nightly job grades everybody on its first run;
* birthdays: 70 % solar, 30 % lunar (some in a leap month), a few month-only;
  last/next occurrence filled as the ORM compute would; ~10 % have one
  special date (wedding anniversary, child's birthday …);
* store, area and associate spread over the stores (500 in 20 areas by
  default), with a long tail of big and small stores.

Orders: ~3 POS orders per member on average (none for many, up to 40 for a
few), over the last 3 years and after enrolment (lapsed members only bought
more than 25 months ago), amounts log-normal around 1,200, ~2 % refunds,
plus ~10 % anonymous orders, plus sale orders for ~3 % of the members.

A marker (ir.config_parameter `tsl_bench.generated`) records what was
generated: a second run exits at once (drop the database to regenerate).
"""

import argparse
import json
import sys
import time
from contextlib import contextmanager
from datetime import date

from benchlib import open_registry

MARKER = "tsl_bench.generated"

# ---- names --------------------------------------------------------------------
# (surname, pinyin, share in % of the Chinese population)
SURNAMES = [
    ("王", "Wang", 7.12),
    ("李", "Li", 7.00),
    ("张", "Zhang", 6.74),
    ("刘", "Liu", 5.10),
    ("陈", "Chen", 4.61),
    ("杨", "Yang", 3.22),
    ("黄", "Huang", 2.45),
    ("赵", "Zhao", 2.00),
    ("吴", "Wu", 1.99),
    ("周", "Zhou", 1.87),
    ("徐", "Xu", 1.45),
    ("孙", "Sun", 1.38),
    ("马", "Ma", 1.29),
    ("朱", "Zhu", 1.28),
    ("胡", "Hu", 1.16),
    ("郭", "Guo", 1.13),
    ("何", "He", 1.06),
    ("林", "Lin", 1.02),
    ("高", "Gao", 1.00),
    ("罗", "Luo", 0.94),
    ("郑", "Zheng", 0.91),
    ("梁", "Liang", 0.89),
    ("谢", "Xie", 0.72),
    ("宋", "Song", 0.66),
    ("唐", "Tang", 0.65),
    ("许", "Xu", 0.64),
    ("韩", "Han", 0.63),
    ("邓", "Deng", 0.62),
    ("冯", "Feng", 0.62),
    ("曹", "Cao", 0.56),
    ("彭", "Peng", 0.55),
    ("曾", "Zeng", 0.55),
    ("肖", "Xiao", 0.53),
    ("田", "Tian", 0.52),
    ("董", "Dong", 0.51),
    ("潘", "Pan", 0.50),
    ("袁", "Yuan", 0.49),
    ("蔡", "Cai", 0.48),
    ("蒋", "Jiang", 0.48),
    ("余", "Yu", 0.48),
    ("于", "Yu", 0.47),
    ("杜", "Du", 0.46),
    ("叶", "Ye", 0.44),
    ("程", "Cheng", 0.44),
    ("魏", "Wei", 0.41),
    ("苏", "Su", 0.40),
    ("吕", "Lv", 0.40),
    ("丁", "Ding", 0.39),
    ("任", "Ren", 0.39),
    ("卢", "Lu", 0.37),
    ("姚", "Yao", 0.36),
    ("沈", "Shen", 0.35),
    ("钟", "Zhong", 0.34),
    ("姜", "Jiang", 0.33),
    ("崔", "Cui", 0.32),
    ("谭", "Tan", 0.32),
    ("陆", "Lu", 0.31),
    ("范", "Fan", 0.29),
    ("汪", "Wang", 0.29),
    ("廖", "Liao", 0.29),
    ("石", "Shi", 0.28),
    ("金", "Jin", 0.28),
    ("韦", "Wei", 0.27),
    ("贾", "Jia", 0.27),
    ("夏", "Xia", 0.26),
    ("付", "Fu", 0.26),
    ("方", "Fang", 0.26),
    ("邹", "Zou", 0.25),
    ("熊", "Xiong", 0.24),
    ("白", "Bai", 0.24),
    ("孟", "Meng", 0.24),
    ("秦", "Qin", 0.23),
    ("邱", "Qiu", 0.23),
    ("侯", "Hou", 0.23),
    ("江", "Jiang", 0.23),
    ("尹", "Yin", 0.22),
    ("薛", "Xue", 0.22),
    ("闫", "Yan", 0.22),
    ("段", "Duan", 0.21),
    ("雷", "Lei", 0.21),
    ("龙", "Long", 0.20),
    ("黎", "Li", 0.20),
    ("史", "Shi", 0.20),
    ("陶", "Tao", 0.19),
    ("贺", "He", 0.19),
    ("毛", "Mao", 0.18),
    ("郝", "Hao", 0.18),
    ("顾", "Gu", 0.18),
    ("龚", "Gong", 0.17),
    ("邵", "Shao", 0.17),
    ("万", "Wan", 0.17),
    ("覃", "Qin", 0.16),
    ("武", "Wu", 0.16),
    ("钱", "Qian", 0.16),
    ("戴", "Dai", 0.16),
    ("严", "Yan", 0.16),
    ("莫", "Mo", 0.15),
    ("孔", "Kong", 0.15),
    ("向", "Xiang", 0.15),
    ("常", "Chang", 0.15),
    ("欧阳", "Ouyang", 0.05),
    ("上官", "Shangguan", 0.01),
    ("司马", "Sima", 0.01),
]
GIVEN = (
    "伟wei 芳fang 娜na 敏min 静jing 丽li 强qiang 磊lei 军jun 洋yang 勇yong "
    "艳yan 杰jie 娟juan 涛tao 明ming 超chao 秀xiu 兰lan 霞xia 平ping 刚gang "
    "桂gui 英ying 华hua 玉yu 萍ping 红hong 建jian 文wen 辉hui 力li 斌bin 鹏peng "
    "宇yu 浩hao 凯kai 晨chen 欣xin 怡yi 婷ting 雪xue 琳lin 晶jing 妍yan 佳jia "
    "嘉jia 子zi 梓zi 涵han 轩xuan 睿rui 博bo 思si 雨yu 萱xuan 诗shi 可ke 欢huan "
    "瑶yao 琪qi 慧hui 淑shu 珍zhen 莉li 燕yan 彤tong 颖ying 倩qian 蕾lei 薇wei "
    "菲fei 晓xiao 小xiao 海hai 波bo 峰feng 林lin 旭xu 东dong 亮liang 飞fei "
    "志zhi 国guo 俊jun 健jian 德de 家jia 梅mei 丹dan 玲ling 凤feng 春chun 秋qiu "
    "冬dong 月yue 云yun 青qing 清qing 晴qing 美mei 悦yue 安an 宁ning 心xin "
    "若ruo 一yi 依yi 沐mu 泽ze 宸chen 逸yi 然ran 诺nuo 馨xin 雅ya 婉wan 蓉rong "
    "舒shu 甜tian 恩en 乐le 天tian 新xin"
).split()
GIVEN_CN = [g[0] for g in GIVEN]
GIVEN_PY = [g[1:] for g in GIVEN]
ENGLISH = (
    "Emily Grace Vivian Cindy Jenny Amy Lily Coco Kevin David Jason Tony Michael Eric "
    "Sophia Angela Helen Queenie Winnie Yvonne Jessica Sandy Tiffany Crystal Ivy Fiona "
    "Karen Candy Peter Alex Bella Cherry Daisy Elaine Joyce Nancy Rita Sunny Tina Wendy"
).split()
# valid Chinese mobile prefixes (checked with phonenumbers)
MOBILE_PREFIXES = [
    130,
    131,
    132,
    133,
    134,
    135,
    136,
    137,
    138,
    139,
    147,
    150,
    151,
    152,
    153,
    155,
    156,
    157,
    158,
    159,
    166,
    176,
    177,
    178,
    180,
    181,
    182,
    183,
    184,
    185,
    186,
    187,
    188,
    189,
    191,
    198,
    199,
]
CITIES = [
    ("上海", "华东一区"),
    ("杭州", "华东二区"),
    ("南京", "华东三区"),
    ("苏州", "华东四区"),
    ("宁波", "华东五区"),
    ("合肥", "华东六区"),
    ("北京", "华北一区"),
    ("天津", "华北二区"),
    ("济南", "华北三区"),
    ("青岛", "华北四区"),
    ("广州", "华南一区"),
    ("深圳", "华南二区"),
    ("厦门", "华南三区"),
    ("福州", "华南四区"),
    ("成都", "西南一区"),
    ("重庆", "西南二区"),
    ("武汉", "华中一区"),
    ("长沙", "华中二区"),
    ("郑州", "华中三区"),
    ("西安", "西北一区"),
]
ROADS = (
    "人民路 中山路 解放路 建设路 和平路 长江路 南京路 淮海路 延安路 文化路 "
    "新华路 胜利路"
).split()


def log(msg):
    print(msg, flush=True)


@contextmanager
def step(name, timings):
    log(f"-- {name} …")
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    timings.append((name, elapsed))
    log(f"   {name}: {elapsed:.1f} s")


class Generator:
    def __init__(self, env, args):
        self.env = env
        self.cr = env.cr
        self.args = args
        self.today = date.fromisoformat(args.today) if args.today else date.today()
        self.timings = []

    # ---- helpers -------------------------------------------------------------
    def execute(self, query, params=None):
        self.cr.execute(query, params)
        return self.cr.rowcount

    def fetch1(self, query, params=None):
        self.cr.execute(query, params)
        return self.cr.fetchone()[0]

    def drop_indexes(self, table):
        """Drop the plain indexes of ``table`` (not the primary key nor the
        ones behind a constraint) and return their definitions."""
        self.cr.execute(
            """
            SELECT c.relname, pg_get_indexdef(i.indexrelid)
              FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                                WHERE k.conindid = i.indexrelid)
            """,
            [table],
        )
        defs = self.cr.fetchall()
        for name, _definition in defs:
            self.cr.execute(f'DROP INDEX "{name}"')
        return defs

    def create_indexes(self, defs):
        for _name, definition in defs:
            self.cr.execute(definition)

    # ---- steps ---------------------------------------------------------------
    def check(self):
        env = self.env
        module = env["ir.module.module"].search([("name", "=", "tsl_crm")])
        if module.state != "installed":
            raise SystemExit("tsl_crm is not installed in this database")
        done = env["ir.config_parameter"].sudo().get_param(MARKER)
        if done:
            log(f"data already generated ({done}); drop the database to regenerate")
            return False
        count = self.fetch1(
            "SELECT count(*) FROM res_partner WHERE tsl_member_state IS NOT NULL"
        )
        if count:
            raise SystemExit(
                f"the database already holds {count} members: use a fresh database"
            )
        return True

    def reference_data(self):
        """Areas, stores, users, point of sale: few rows, created by the ORM."""
        env = self.env(
            context=dict(
                self.env.context,
                tracking_disable=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
                mail_notrack=True,
                no_reset_password=True,
            )
        )
        n_stores = self.args.stores
        n_areas = min(self.args.areas, len(CITIES))
        areas = env["tsl.area"].create(
            [{"name": CITIES[i][1], "code": f"A{i + 1:02d}"} for i in range(n_areas)]
        )
        stores_vals = []
        for i in range(n_stores):
            area_idx = i % n_areas
            city = CITIES[area_idx][0]
            stores_vals.append(
                {
                    "name": f"{city}{i // n_areas + 1}号店",
                    "code": f"S{i + 1:04d}",
                    "area_id": areas[area_idx].id,
                    "city": city,
                }
            )
        stores = env["tsl.store"].create(stores_vals)
        ref = env.ref
        g_assoc = ref("tsl_crm.group_tsl_associate")
        g_manager = ref("tsl_crm.group_tsl_store_manager")
        g_super = ref("tsl_crm.group_tsl_area_supervisor")
        g_pos = ref("point_of_sale.group_pos_user")
        Users = env["res.users"]
        per_store = self.args.associates_per_store
        assoc_vals = []
        for s_idx, store in enumerate(stores):
            for k in range(per_store):
                assoc_vals.append(
                    {
                        "name": f"导购 {store.code}-{k + 1}",
                        "login": f"tsl_bench_assoc_{s_idx + 1:04d}_{k + 1}",
                        "groups_id": [(6, 0, [g_assoc.id, g_pos.id])],
                        "tsl_store_id": store.id,
                    }
                )
        associates = Users.create(assoc_vals)
        managers = Users.create(
            [
                {
                    "name": f"店长 {store.code}",
                    "login": f"tsl_bench_manager_{s_idx + 1:04d}",
                    "groups_id": [(6, 0, [g_manager.id, g_pos.id])],
                    "tsl_store_id": store.id,
                    "tsl_store_ids": [(6, 0, [store.id])],
                }
                for s_idx, store in enumerate(stores)
            ]
        )
        Users.create(
            [
                {
                    "name": f"督导 {area.code}",
                    "login": f"tsl_bench_supervisor_{a_idx + 1:02d}",
                    "groups_id": [(6, 0, [g_super.id, g_pos.id])],
                    "tsl_area_ids": [(6, 0, [area.id])],
                }
                for a_idx, area in enumerate(areas)
            ]
        )
        config = env["pos.config"].create(
            {"name": "TSL Bench", "tsl_store_id": stores[0].id}
        )
        self.admin_uid = env.ref("base.user_admin").id
        session = env["pos.session"].create(
            {"config_id": config.id, "user_id": self.admin_uid}
        )
        self.store_ids = stores.ids
        self.store_area_ids = [s.area_id.id for s in stores]
        self.store_cities = [s.city for s in stores]
        self.store_assoc_ids = [associates[i * per_store].id for i in range(n_stores)]
        self.store_assoc2_ids = [
            associates[i * per_store + per_store - 1].id for i in range(n_stores)
        ]
        self.config = config
        self.session = session
        self.warehouse_id = env["stock.warehouse"].search([], limit=1).id
        self.company = env.company
        tiers = env["tsl.member.tier"].search([])
        by_code = {t.code: t.id for t in tiers}
        weights = {"SEL": 70, "PRE": 18, "SPR": 6, "STD": 2, "SAXX": 4}
        self.tier_pick = [
            by_code[c] for c, w in weights.items() if c in by_code for _ in range(w)
        ]
        if not self.tier_pick:
            self.tier_pick = tiers.ids or [None]
        env.flush_all()
        log(
            f"   {len(areas)} areas, {len(stores)} stores, "
            f"{len(associates)} associates, {len(managers)} managers, "
            f"{len(areas)} supervisors, pos.config {config.id}, session {session.id}"
        )

    def birthday_table(self):
        """Every (calendar, month, day, leap) a member may have, with its last
        and next occurrence (as the ORM compute would give)."""
        from odoo.addons.tsl_crm.utils.special_dates import last_and_next

        rows = []
        for month in range(1, 13):
            for day in [0, *range(1, 32)]:
                if (
                    day
                    and day
                    > [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
                ):
                    continue
                rows.append(
                    (
                        "solar",
                        month,
                        day,
                        False,
                        *last_and_next("solar", month, day or None, self.today),
                    )
                )
            for day in [0, *range(1, 31)]:
                for leap in (False, True):
                    rows.append(
                        (
                            "lunar",
                            month,
                            day,
                            leap,
                            *last_and_next(
                                "lunar", month, day or None, self.today, leap
                            ),
                        )
                    )
        self.execute(
            """CREATE TEMP TABLE tsl_bench_bday
               (cal varchar, month int, day int, leap bool, last_date date,
                   next_date date)
               ON COMMIT DROP"""
        )
        from psycopg2.extras import execute_values

        execute_values(
            self.cr._obj,
            "INSERT INTO tsl_bench_bday VALUES %s",
            [
                (c, m, d, lp, last or None, nxt or None)
                for c, m, d, lp, last, nxt in rows
            ],
            page_size=2000,
        )
        self.execute("CREATE UNIQUE INDEX ON tsl_bench_bday (cal, month, day, leap)")
        self.execute("ANALYZE tsl_bench_bday")

    def member_attributes(self):
        """One temp row per member holding every random draw, so that the
        partner, special-date and order inserts agree with each other."""
        n = self.args.members
        sidx = []
        for i, (_cn, _py, share) in enumerate(SURNAMES):
            sidx += [i + 1] * max(1, round(share * 100))
        self.base_id = self.fetch1("SELECT COALESCE(MAX(id), 0) FROM res_partner") + 10
        days = 5 * 365
        self.execute(
            """
            CREATE TEMP TABLE tsl_bench_m ON COMMIT DROP AS
            SELECT g,
                   %(base)s + g AS id,
                   (%(sidx)s::int[])[1 + floor(random() * %(nsidx)s)::int] AS s,
                   1 + floor(random() * %(ng)s)::int AS g1,
                   1 + floor(random() * %(ng)s)::int AS g2,
                   1 + floor(random() * %(ne)s)::int AS e,
                   random() AS r_kind, random() AS r_len, random() AS r_fmt,
                   (%(pfx)s::int[])[1 + floor(random() * %(npfx)s)::int] AS pfx,
                   lpad(((g::bigint * 48271 + 12345) %% 100000000)::text, 8,
                       '0') AS suffix,
                   -- big stores and small ones: a skewed pick
                   1 + floor(%(nstores)s * power(random(), 1.4))::int AS st,
                   random() AS r_assoc,
                   (%(today)s::date - %(days)s + floor((g - 1)
                       * %(days)s::float / %(n)s)::int
                    + floor(random() * 3)::int) AS enrol,
                   random() AS r_state, random() AS r_state2,
                   (%(tiers)s::int[])[1 + floor(random() * %(ntiers)s)::int] AS tier,
                   CASE WHEN random() < 0.3 THEN 'lunar' ELSE 'solar' END AS cal,
                   1 + floor(random() * 12)::int AS bmonth,
                   random() AS r_bday, random() AS r_leap, random() AS r_nobday,
                   1950 + floor(random() * 56)::int AS byear,
                   random() AS r_gender, random() AS r_email,
                   1 + floor(random() * %(nroads)s)::int AS road,
                   1 + floor(random() * 999)::int AS house,
                   -- orders: exponential, mean ~3.0 after flooring
                   LEAST(40, floor(-ln(1 - random()) * 3.5))::int AS n_orders,
                   random() AS r_sale,
                   random() AS r_sd, 1 + floor(random() * 12)::int AS sd_month,
                   1 + floor(random() * 28)::int AS sd_day, random() AS r_sd_cal,
                   1 + floor(random() * 4)::int AS sd_type
              FROM generate_series(1, %(n)s) g
            """,
            {
                "base": self.base_id,
                "sidx": sidx,
                "nsidx": len(sidx),
                "ng": len(GIVEN),
                "ne": len(ENGLISH),
                "pfx": MOBILE_PREFIXES,
                "npfx": len(MOBILE_PREFIXES),
                "nstores": len(self.store_ids),
                "today": self.today,
                "days": days,
                "n": n,
                "tiers": self.tier_pick,
                "ntiers": len(self.tier_pick),
                "nroads": len(ROADS),
            },
        )
        # derived columns: state, birthday day/leap, special date
        self.execute(
            """
            CREATE TEMP TABLE tsl_bench_m2 ON COMMIT DROP AS
            SELECT m.*,
                   CASE WHEN m.enrol > %(today)s::date - 90 AND m.r_state < 0.7
                       THEN 'temporary'
                        WHEN m.r_state2 < 0.01 THEN 'temporary'
                        WHEN m.r_state2 < 0.07 THEN 'lapsed'
                        ELSE 'formal' END AS state,
                   CASE WHEN m.r_nobday < 0.05 THEN 0
                        WHEN m.cal = 'lunar' THEN 1 + floor(m.r_bday * 30)::int
                        ELSE 1 + floor(m.r_bday
                            * (ARRAY[31,29,31,30,31,30,31,31,30,31,30,31])[m.bmonth]
                        )::int
                   END AS bday,
                   (m.cal = 'lunar' AND m.r_leap < 0.04) AS bleap,
                   m.r_sd < 0.10 AS has_sd,
                   CASE WHEN m.r_sd_cal < 0.2 THEN 'lunar' ELSE 'solar' END AS sd_cal
              FROM tsl_bench_m m
            """,
            {"today": self.today},
        )
        self.execute("DROP TABLE tsl_bench_m")
        self.execute("ALTER TABLE tsl_bench_m2 RENAME TO tsl_bench_m")
        self.execute("ANALYZE tsl_bench_m")

    def members(self):
        n = self.args.members
        cr = self.cr
        self.execute("SELECT setval('res_partner_id_seq', %s)", [self.base_id + n + 1])
        company_id = self.company.id
        now = "now() AT TIME ZONE 'UTC'"
        self.execute(
            f"""
            INSERT INTO res_partner (
                id, name, complete_name, commercial_partner_id, active, type,
                    is_company,
                partner_share, employee, lang, tz, color, customer_rank, supplier_rank,
                autopost_bills, mobile, phone_sanitized, email, email_normalized,
                    street,
                city, zip, barcode, create_uid, write_uid, create_date, write_date,
                tsl_member_state, tsl_member_number, tsl_enrol_date, tsl_enrol_store_id,
                tsl_temporary_date, tsl_formal_date, tsl_lapsed_date, tsl_store_id,
                tsl_area_id, tsl_associate_id, tsl_tier_id, tsl_tier_date, tsl_gender,
                tsl_card_delivery, tsl_card_state, tsl_birthday_calendar,
                    tsl_birth_month,
                tsl_birth_day, tsl_birth_year, tsl_birth_leap_month, tsl_birthday_last,
                tsl_birthday_next, tsl_next_special_date, tsl_phone_normalized,
                tsl_phone_state, tsl_name_key, tsl_consent_paper, tsl_consent_date,
                tsl_renewal_qualified)
            SELECT x.id, x.name, x.name, x.id, TRUE, 'contact', FALSE,
                   TRUE, FALSE, 'en_US', 'Asia/Shanghai', 0, 0, 0,
                   'ask', x.mobile, x.e164, x.email, x.email, x.street,
                   x.city, x.zip, jsonb_build_object(%(company)s::text, x.number),
                   1, 1, x.enrol::timestamp + interval '3 hours', {now},
                   x.state, x.number, x.enrol, x.store_id,
                   x.enrol, CASE WHEN x.state <> 'temporary' THEN x.enrol + 5 END,
                   CASE WHEN x.state = 'lapsed' THEN %(today)s::date - 30 END,
                       x.store_id,
                   x.area_id, x.assoc_id, x.tier, x.enrol, x.gender,
                   'store', CASE x.state WHEN 'temporary' THEN 'temporary'
                       ELSE 'collected' END,
                   x.cal, x.bmonth,
                   NULLIF(x.bday, 0), x.byear, x.bleap, b.last_date,
                   b.next_date, sd.next_date, x.e164,
                   'valid', lower(x.name), TRUE, x.enrol::timestamp
                       + interval '3 hours',
                   FALSE
              FROM (
                SELECT m.*,
                       CASE WHEN m.r_kind < 0.92 THEN
                                (%(sn_cn)s::text[])[m.s] || (%(gn_cn)s::text[])[m.g1]
                                || CASE WHEN m.r_len < 0.7
                                    THEN (%(gn_cn)s::text[])[m.g2] ELSE '' END
                            WHEN m.r_kind < 0.97 THEN
                                (%(sn_py)s::text[])[m.s] || ' '
                                    || initcap((%(gn_py)s::text[])[m.g1]
                                || CASE WHEN m.r_len < 0.6
                                    THEN (%(gn_py)s::text[])[m.g2] ELSE '' END)
                            ELSE (%(en)s::text[])[m.e] || ' '
                                || (%(sn_py)s::text[])[m.s]
                       END AS name,
                       'M' || lpad(m.g::text, 8, '0') AS number,
                       '+86' || m.pfx || m.suffix AS e164,
                       CASE WHEN m.r_fmt < 0.35 THEN m.pfx || m.suffix
                            WHEN m.r_fmt < 0.55 THEN m.pfx || ' ' || left(m.suffix, 4)
                                || ' ' || right(m.suffix, 4)
                            WHEN m.r_fmt < 0.70 THEN '+86 ' || m.pfx || m.suffix
                            WHEN m.r_fmt < 0.80 THEN m.pfx || '-' || left(m.suffix, 4)
                                || '-' || right(m.suffix, 4)
                            WHEN m.r_fmt < 0.90 THEN '+86 ' || m.pfx || ' '
                                || left(m.suffix, 4) || ' ' || right(m.suffix, 4)
                            WHEN m.r_fmt < 0.95 THEN '0086 ' || m.pfx || m.suffix
                            ELSE '+86' || m.pfx || m.suffix
                       END AS mobile,
                       CASE WHEN m.r_email < 0.3
                            THEN lower((%(sn_py)s::text[])[m.s]
                                || (%(gn_py)s::text[])[m.g1]) || m.g || '@example.com'
                       END AS email,
                       (%(roads)s::text[])[m.road] || m.house || '号' AS street,
                       (%(cities)s::text[])[m.st] AS city,
                       (100000 + (m.g::bigint * 7919) %% 899999)::text AS zip,
                       (%(stores)s::int[])[m.st] AS store_id,
                       (%(areas)s::int[])[m.st] AS area_id,
                       CASE WHEN m.r_assoc < 0.55 THEN (%(assoc1)s::int[])[m.st]
                            WHEN m.r_assoc < 0.90 THEN (%(assoc2)s::int[])[m.st]
                       END AS assoc_id,
                       CASE WHEN m.r_gender < 0.72 THEN 'female'
                            WHEN m.r_gender < 0.99 THEN 'male'
                                ELSE 'other' END AS gender
                  FROM tsl_bench_m m
              ) x
              LEFT JOIN tsl_bench_bday b
                ON b.cal = x.cal AND b.month = x.bmonth AND b.day = x.bday
                    AND b.leap = x.bleap
              LEFT JOIN tsl_bench_bday sd
                ON x.has_sd AND sd.cal = x.sd_cal AND sd.month = x.sd_month
                   AND sd.day = x.sd_day AND NOT sd.leap
            """,
            {
                "company": company_id,
                "today": self.today,
                "sn_cn": [s[0] for s in SURNAMES],
                "sn_py": [s[1] for s in SURNAMES],
                "gn_cn": GIVEN_CN,
                "gn_py": GIVEN_PY,
                "en": ENGLISH,
                "roads": ROADS,
                "cities": self.store_cities,
                "stores": self.store_ids,
                "areas": self.store_area_ids,
                "assoc1": self.store_assoc_ids,
                "assoc2": self.store_assoc2_ids,
            },
        )
        log(f"   {cr.rowcount} members inserted")
        seq = self.env.ref("tsl_crm.seq_tsl_member", raise_if_not_found=False)
        if seq:
            seq.sudo().write({"number_next": n + 1})

    def special_dates(self):
        self.execute(
            """
            INSERT INTO tsl_special_date (partner_id, date_type, calendar, month, day,
                   is_leap_month, last_date, next_date, store_id,
                   create_uid, write_uid, create_date, write_date)
            SELECT m.id,
                (ARRAY['wedding','child_birthday','partner_birthday','dating'])[m.sd_type],
                   m.sd_cal, m.sd_month, m.sd_day, FALSE, b.last_date, b.next_date,
                   (%(stores)s::int[])[m.st], 1, 1, now() AT TIME ZONE 'UTC',
                   now() AT TIME ZONE 'UTC'
              FROM tsl_bench_m m
              JOIN tsl_bench_bday b ON b.cal = m.sd_cal AND b.month = m.sd_month
                                   AND b.day = m.sd_day AND NOT b.leap
             WHERE m.has_sd
            """,
            {"stores": self.store_ids},
        )
        log(f"   {self.cr.rowcount} special dates")

    def pos_orders(self):
        config, session = self.config, self.session
        common = {
            "session": session.id,
            "config": config.id,
            "company": self.company.id,
            "pricelist": config.pricelist_id.id or None,
            "uid": self.admin_uid,
            "today": self.today,
        }
        # member orders: after enrolment, within the last 3 years; lapsed
        # members stopped buying more than 25 months ago
        self.execute(
            """
            INSERT INTO pos_order (name, pos_reference, session_id, config_id,
                company_id,
                   pricelist_id, user_id, partner_id, date_order, amount_total,
                       amount_tax,
                   amount_paid, amount_return, currency_rate, state, sequence_number,
                   nb_print, to_invoice, is_tipped, tip_amount, has_deleted_line, uuid,
                   create_uid, write_uid, create_date, write_date)
            SELECT 'TSL Bench/' || o.m_g || '-' || o.k,
                   'Order ' || lpad(o.m_g::text, 8, '0') || '-' || lpad(o.k::text, 3,
                       '0'),
                   %(session)s, %(config)s, %(company)s, %(pricelist)s, %(uid)s, o.id,
                   o.d, o.amount, round(o.amount * 13 / 113, 2), o.amount, 0, 1,
                   CASE WHEN o.r_st < 0.9 THEN 'done' ELSE 'paid' END, o.k,
                   0, FALSE, FALSE, 0, FALSE, gen_random_uuid()::text,
                   %(uid)s, %(uid)s, o.d, o.d
              FROM (
                SELECT m.g AS m_g, k, m.id,
                       w.lo::timestamp + random() * (w.hi - w.lo) * interval '1 day'
                           + interval '2 hours' + random() * interval '12 hours' AS d,
                       CASE WHEN random() < 0.02 THEN -1 ELSE 1 END
                       * round(exp(ln(1200) + 0.9 * sqrt(-2 * ln(1 - random()))
                                    * cos(2 * pi() * random()))::numeric, 0) AS amount,
                       random() AS r_st
                  FROM tsl_bench_m m
                 CROSS JOIN LATERAL (
                    SELECT GREATEST(m.enrol, %(today)s::date - 1095) AS lo,
                           CASE WHEN m.state = 'lapsed' THEN %(today)s::date - 760
                                ELSE %(today)s::date END AS hi) w
                 CROSS JOIN LATERAL generate_series(1, m.n_orders) k
                 WHERE w.hi > w.lo
              ) o
            """,
            common,
        )
        member_orders = self.cr.rowcount
        anonymous = int(member_orders * self.args.anonymous_share)
        self.execute(
            """
            INSERT INTO pos_order (name, pos_reference, session_id, config_id,
                company_id,
                   pricelist_id, user_id, partner_id, date_order, amount_total,
                       amount_tax,
                   amount_paid, amount_return, currency_rate, state, sequence_number,
                   nb_print, to_invoice, is_tipped, tip_amount, has_deleted_line, uuid,
                   create_uid, write_uid, create_date, write_date)
            SELECT 'TSL Bench/walk-in-' || g, 'Order walk-in-' || g,
                   %(session)s, %(config)s, %(company)s, %(pricelist)s, %(uid)s, NULL,
                   o.d, o.amount, round(o.amount * 13 / 113, 2), o.amount, 0, 1, 'done',
                       g,
                   0, FALSE, FALSE, 0, FALSE, gen_random_uuid()::text,
                   %(uid)s, %(uid)s, o.d, o.d
              FROM generate_series(1, %(n)s) g
             CROSS JOIN LATERAL (
                SELECT (%(today)s::date - 1095)::timestamp + g * 0 * interval '1 day'
                       + random() * 1095 * interval '1 day' AS d,
                       round(exp(ln(800) + 0.8 * sqrt(-2 * ln(1 - random()))
                                 * cos(2 * pi() * random()))::numeric, 0) AS amount) o
            """,
            {**common, "n": anonymous},
        )
        log(f"   {member_orders} member POS orders, {self.cr.rowcount} anonymous")
        self.n_orders = member_orders + self.cr.rowcount

    def sale_orders(self):
        self.execute(
            """
            INSERT INTO sale_order (name, company_id, partner_id, partner_invoice_id,
                   partner_shipping_id, date_order, state, amount_untaxed, amount_tax,
                   amount_total, currency_id, currency_rate, user_id, warehouse_id,
                   picking_policy, invoice_status, require_signature, require_payment,
                   locked, prepayment_percent, create_uid, write_uid, create_date,
                       write_date)
            SELECT 'SB' || lpad(m.g::text, 8, '0'), %(company)s, m.id, m.id, m.id, o.d,
                   CASE WHEN m.r_sale < %(share)s * 0.9 THEN 'sale' ELSE 'cancel' END,
                   round(o.amount * 100 / 113, 2), o.amount - round(o.amount
                       * 100 / 113, 2),
                   o.amount, %(currency)s, 1, %(uid)s, %(warehouse)s, 'direct', 'no',
                   FALSE, FALSE, FALSE, 1.0, %(uid)s, %(uid)s, o.d, o.d
              FROM tsl_bench_m m
             CROSS JOIN LATERAL (
                SELECT GREATEST(m.enrol, %(today)s::date - 730)::timestamp
                       + random() * (%(today)s::date - GREATEST(m.enrol,
                           %(today)s::date - 730))
                         * interval '1 day' + interval '3 hours' AS d,
                       round(exp(ln(6000) + 0.7 * sqrt(-2 * ln(1 - random()))
                                 * cos(2 * pi() * random()))::numeric, 0) AS amount) o
             WHERE m.r_sale < %(share)s AND m.state <> 'lapsed'
            """,
            {
                "company": self.company.id,
                "currency": self.company.currency_id.id,
                "uid": self.admin_uid,
                "warehouse": self.warehouse_id or None,
                "today": self.today,
                "share": self.args.sale_share,
            },
        )
        log(f"   {self.cr.rowcount} sale orders")

    # ---- main ----------------------------------------------------------------
    def run(self):
        if not self.check():
            return 0
        t_all = time.perf_counter()
        cr = self.cr
        cr.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cr.execute("SET LOCAL work_mem = '256MB'")
        cr.execute("SELECT setseed(%s)", [((self.args.seed % 1000) / 1000.0)])
        with step("reference data (ORM: areas, stores, users, POS)", self.timings):
            self.reference_data()
        # foreign keys were checked by construction: skip their triggers
        try:
            cr.execute("SAVEPOINT srr")
            cr.execute("SET LOCAL session_replication_role = replica")
            cr.execute("RELEASE SAVEPOINT srr")
        except Exception:  # not a superuser: keep the triggers
            cr.execute("ROLLBACK TO SAVEPOINT srr")
            log("   (not superuser: foreign-key triggers stay on, slower)")
        with step("birthday occurrences (lunar/solar table)", self.timings):
            self.birthday_table()
        with step("random draws per member (temp table)", self.timings):
            self.member_attributes()
        with step("drop indexes of res_partner, pos_order, sale_order", self.timings):
            dropped = []
            for table in ("res_partner", "pos_order", "sale_order", "tsl_special_date"):
                dropped += self.drop_indexes(table)
        with step(f"insert {self.args.members} members", self.timings):
            self.members()
        with step("insert special dates", self.timings):
            self.special_dates()
        with step("insert POS orders", self.timings):
            self.pos_orders()
        with step("insert sale orders", self.timings):
            self.sale_orders()
        with step(f"recreate {len(dropped)} indexes", self.timings):
            self.create_indexes(dropped)
        cr.execute("SET LOCAL session_replication_role = origin")
        self.env["ir.config_parameter"].sudo().set_param(
            MARKER,
            json.dumps(
                {
                    "members": self.args.members,
                    "pos_orders": self.n_orders,
                    "today": str(self.today),
                    "seed": self.args.seed,
                }
            ),
        )
        self.env.flush_all()
        with step("commit", self.timings):
            cr.commit()
        with step("ANALYZE", self.timings):
            cr.execute("ANALYZE")
            cr.commit()
        total = time.perf_counter() - t_all
        log("\nGeneration timings")
        for name, secs in self.timings:
            log(f"  {name:<55} {secs:8.1f} s")
        log(f"  {'total':<55} {total:8.1f} s")
        cr.execute(
            """SELECT (SELECT count(*) FROM res_partner
                       WHERE tsl_member_state IS NOT NULL),
                      (SELECT count(*) FROM pos_order),
                          (SELECT count(*) FROM sale_order),
                      pg_size_pretty(pg_database_size(current_database()))"""
        )
        members, orders, sales, size = cr.fetchone()
        log(
            f"  members={members} pos_orders={orders} sale_orders={sales} "
            f"db_size={size}"
        )
        return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default="tsl_bench")
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--stores", type=int, default=500)
    parser.add_argument("--areas", type=int, default=20)
    parser.add_argument("--associates-per-store", type=int, default=2)
    parser.add_argument(
        "--anonymous-share",
        type=float,
        default=0.10,
        help="walk-in POS orders without member, as a share of the member orders",
    )
    parser.add_argument(
        "--sale-share",
        type=float,
        default=0.03,
        help="share of the members with one sale order",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--today", help="reference date (YYYY-MM-DD), default today")
    args = parser.parse_args(argv)
    if args.members < 1 or args.members > 99_999_999:
        parser.error("--members must be between 1 and 99,999,999")
    if not 1 <= args.areas <= len(CITIES) or args.stores < args.areas:
        parser.error(f"--areas must be 1..{len(CITIES)} and --stores >= --areas")

    from odoo import SUPERUSER_ID, api

    registry = open_registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        return Generator(env, args).run()


if __name__ == "__main__":
    sys.exit(main())
