"""Rule-stage throughput: messages per second per core on 100-300 character Vietnamese chat messages.

Generates seeded customer-service style messages (phones, money, dates, addresses, order codes, banks, e-mails
mixed with chat filler, some without diacritics, some NFD), runs ``RuleSet.analyze`` on one core and prints a
table; writes ``benchmarks/results/bench_rules.json``. Goal: >= 5,000 messages/s/core.

    python benchmarks/bench_rules.py                       # customer_service, 3,000 messages
    python benchmarks/bench_rules.py --domain all --n 2000
    python benchmarks/bench_rules.py --profile             # top functions by cumulative time
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import random
import statistics
import sys
import time
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vner.rules.ruleset import RuleSet  # noqa: E402
from vner.rules.schema import list_domains  # noqa: E402

GOAL = 5000.0
NAMES = ["Lan", "Tuấn", "Hương", "Minh", "Ngọc Anh", "Phương", "Dũng", "Thảo", "Quang Huy", "Mai"]
PLACES = ["quận Hoàn Kiếm, Hà Nội", "Q.3, TP.HCM", "phường 12, quận 10", "tỉnh Bình Dương", "Đà Nẵng",
          "huyện Gia Lâm", "thành phố Thủ Đức", "Cần Thơ", "tp hcm", "ha noi", "tỉnh Bà Rịa - Vũng Tàu"]  # fmt: skip
BANKS = ["Vietcombank", "VCB", "Techcombank", "BIDV", "Agribank", "MB Bank", "ngân hàng Á Châu", "TPBank"]
FILLER = ["dạ", "ạ", "nhé", "shop ơi", "em cảm ơn", "chị ơi", "bên mình", "giúp em với", "sao lâu vậy",
          "hàng bị móp", "check lại giúp em", "ok ạ", "mình muốn đổi size", "em chờ mãi"]  # fmt: skip
SENTENCES = [
    "shop ơi em đặt hàng mấy hôm rồi mà chưa thấy ai liên hệ giao", "hàng nhận được bị móp hộp, em muốn đổi trả",
    "cho em hỏi còn màu xanh size M không ạ", "bên mình có hỗ trợ kiểm tra hàng trước khi nhận không",
    "em muốn đổi địa chỉ nhận hàng được không shop", "sao đơn của em cứ báo đang vận chuyển mãi vậy",
    "dạ em cảm ơn shop, lần sau em sẽ ủng hộ tiếp", "áo mặc hơi chật, em muốn đổi sang size lớn hơn",
    "nhờ shop kiểm tra lại giúp em với, em cần gấp", "em chưa nhận được mã giảm giá như quảng cáo",
    "shipper gọi mà em bận không nghe máy kịp", "chất vải đẹp nhưng màu hơi khác so với hình",
]  # fmt: skip


def _phone(r: random.Random) -> str:
    prefix = r.choice(["091", "098", "097", "086", "032", "035", "070", "077", "083", "088", "090", "093"])
    d = "".join(r.choice("0123456789") for _ in range(7))
    style = r.randrange(4)
    if style == 0:
        return prefix + d
    if style == 1:
        return f"{prefix}{d[0]} {d[1:4]} {d[4:]}"  # 0912 345 678
    if style == 2:
        return f"+84 {prefix[1:]}.{d[:3]}.{d[3:]}"
    return f"{prefix}-{d[:3]}-{d[3:]}"


def _money(r: random.Random) -> str:
    return r.choice(
        [f"{r.randint(50, 999)}.000đ", f"{r.randint(1, 9)},{r.randint(1, 9)} triệu", f"{r.randint(10, 900)}k",
         f"{r.randint(1, 20)}.{r.randint(100, 999)}.000 VNĐ", f"{r.randint(5, 200)} USD", f"{r.randint(100, 999)} nghìn"]
    )  # fmt: skip


def _date(r: random.Random) -> str:
    return r.choice(
        [f"{r.randint(1, 28)}/{r.randint(1, 12)}/2026", "ngày mai", "hôm qua", f"thứ {r.randint(2, 7)} tuần sau",
         f"ngày {r.randint(1, 28)} tháng {r.randint(1, 12)}", f"{r.randint(7, 11)}h{r.choice(['', '30', '15'])}",
         f"{r.randint(2, 5)} ngày", "cuối tháng", f"lúc {r.randint(13, 21)}:00"]
    )  # fmt: skip


def _order(r: random.Random) -> str:
    shop = r.choice(["SPX", "GHN", "LEX", "ABC", "VN"])
    return f"{shop}{r.randint(10, 99)}{r.choice('123456789')}{r.randint(10_000_000, 99_999_999)}"


CLAUSES = [
    lambda r: f"sđt của em là {_phone(r)}",
    lambda r: f"gọi {_phone(r)} giúp em",
    lambda r: f"đơn {_order(r)} chưa giao",
    lambda r: f"mã đơn {_order(r)}",
    lambda r: f"tiền hàng {_money(r)} ship {_money(r)}",
    lambda r: f"em đã chuyển khoản {_money(r)} qua {r.choice(BANKS)}",
    lambda r: f"stk {r.randint(10**9, 10**10 - 1)} {r.choice(BANKS)}",
    lambda r: f"giao về {r.choice(PLACES)}",
    lambda r: f"địa chỉ số {r.randint(1, 300)} đường Lê Lợi, {r.choice(PLACES)}",
    lambda r: f"hẹn giao {_date(r)}",
    lambda r: f"em đặt từ {_date(r)} mà chưa nhận",
    lambda r: f"email {r.choice(['lan', 'tuan.nguyen', 'huong99'])}@gmail.com",
    lambda r: f"tên người nhận {r.choice(NAMES)}",
    lambda r: f"xem thêm https://shop.vn/sp/{r.randint(100, 9999)}",
    lambda r: " ".join(r.sample(FILLER, 3)),
    lambda r: f"mua {r.randint(1, 5)} cái áo size {r.choice('SML')}",
]


def make_messages(n: int, seed: int = 7, *, mix: str = "dense") -> list[str]:
    """``n`` chat messages of 100-300 characters; ~15 % without diacritics, ~10 % NFD, some odd spacing.

    ``dense``: every clause carries entities (about 7 per message, a worst case); ``chat``: ordinary chat
    sentences with 0-2 entity clauses per message.
    """
    from vner.rules.recognizers.gazetteer_match import fold

    if mix not in ("dense", "chat"):
        raise ValueError(f"mix must be dense or chat, got {mix!r}")
    r = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        target = r.randint(100, 300)
        msg = r.choice(FILLER).capitalize()
        budget = r.randint(0, 2) if mix == "chat" else 99
        while len(msg) < target:
            if budget > 0:
                clause = r.choice(CLAUSES)(r)
                budget -= 1
            else:
                clause = r.choice(SENTENCES) if mix == "chat" else r.choice(CLAUSES)(r)
            if len(msg) + 2 + len(clause) > 300:
                break
            msg += r.choice([", ", ". ", " - ", " "]) + clause
        if len(msg) < 100:
            continue
        roll = r.random()
        if roll < 0.15:
            msg = fold(msg)
        elif roll < 0.25:
            msg = unicodedata.normalize("NFD", msg)
        elif roll < 0.3:
            msg = msg.replace(" ", "  ", 3).replace(",", " ,\t", 1)
        out.append(msg)
    return out


def bench(domain: str, mix: str, msgs: list[str], *, repeat: int, ref: datetime) -> dict[str, object]:
    """Time ``RuleSet.analyze`` over ``msgs`` (CPU time of this process = one core)."""
    rs = RuleSet.for_domain(domain)
    for m in msgs[:200]:  # warm caches
        rs.analyze(m, ref_time=ref)
    lat: list[float] = []
    entities = 0
    t_start = time.process_time()
    w_start = time.perf_counter()
    for _ in range(repeat):
        for m in msgs:
            t0 = time.perf_counter()
            entities += len(rs.analyze(m, ref_time=ref))
            lat.append(time.perf_counter() - t0)
    cpu = time.process_time() - t_start
    wall = time.perf_counter() - w_start
    count = len(msgs) * repeat
    q = statistics.quantiles(lat, n=100)
    return {
        "domain": domain,
        "mix": mix,
        "mean_chars": round(statistics.fmean(len(m) for m in msgs), 1),
        "ruleset_version": rs.version,
        "recognizers": len(rs.describe()),
        "messages": count,
        "entities_per_message": round(entities / count, 2),
        "msg_per_s_per_core": round(count / cpu, 1),
        "msg_per_s_wall": round(count / wall, 1),
        "p50_us": round(q[49] * 1e6, 1),
        "p99_us": round(q[98] * 1e6, 1),
        "meets_goal": count / cpu >= GOAL,
    }


def breakdown(domain: str, msgs: list[str], *, ref: datetime) -> dict[str, float]:
    """CPU µs per message spent in each recognizer (run alone over normalised text) and in normalisation."""
    from vner.rules.normalize import normalize
    from vner.rules.recognizer import RuleContext

    rs = RuleSet.for_domain(domain)
    ctx = RuleContext(ref_time=ref, lang="vi", domain=domain)
    t0 = time.process_time()
    norm = [normalize(m).text for m in msgs]
    out = {"normalize (full)": (time.process_time() - t0) * 1e6 / len(msgs)}
    for row, (_, rec) in zip(rs.describe(), rs._recs, strict=True):
        t0 = time.process_time()
        for m in norm:
            rec.analyze(m, ctx)
        out[row["id"]] = (time.process_time() - t0) * 1e6 / len(msgs)
    return {k: round(v, 1) for k, v in out.items()}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--domain", default="customer_service", help="a domain name or 'all'")
    p.add_argument("--n", type=int, default=3000, help="messages to generate")
    p.add_argument(
        "--mix", default="both", choices=["dense", "chat", "both"], help="message mix (see make_messages)"
    )
    p.add_argument("--repeat", type=int, default=2, help="passes over the messages")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "bench_rules.json")
    p.add_argument("--profile", action="store_true", help="print the 25 most expensive functions and exit")
    p.add_argument("--no-breakdown", action="store_true", help="skip the per-recognizer cost table")
    args = p.parse_args(argv)
    mixes = ["dense", "chat"] if args.mix == "both" else [args.mix]
    corpora = {mix: make_messages(args.n, args.seed, mix=mix) for mix in mixes}
    ref = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)
    domains = list_domains() if args.domain == "all" else [args.domain]
    if args.profile:
        rs = RuleSet.for_domain(domains[0])
        prof = cProfile.Profile()
        prof.enable()
        for m in corpora[mixes[0]]:
            rs.analyze(m, ref_time=ref)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        return 0
    rows = [bench(d, mix, corpora[mix], repeat=args.repeat, ref=ref) for mix in mixes for d in domains]
    print(
        f"rule stage, {args.n} messages per mix (100-300 chars, seed {args.seed}), one core, goal {GOAL:,.0f}"
    )
    print(
        f"{'domain':<18}{'mix':<7}{'chars':>6}{'msg/s/core':>12}{'p50 µs':>9}{'p99 µs':>9}{'ents/msg':>9}  goal"
    )
    for row in rows:
        ok = "yes" if row["meets_goal"] else "NO"
        print(
            f"{row['domain']:<18}{row['mix']:<7}{row['mean_chars']:>6}{row['msg_per_s_per_core']:>12,.0f}"
            f"{row['p50_us']:>9}{row['p99_us']:>9}{row['entities_per_message']:>9}  {ok}"
        )
    costs: dict[str, dict[str, float]] = {}
    if not args.no_breakdown:
        shown = "customer_service" if "customer_service" in domains else domains[0]
        costs = {f"{shown}/{mix}": breakdown(shown, corpora[mix], ref=ref) for mix in mixes}
        names = list(next(iter(costs.values())))
        print(f"\nCPU µs per message per recognizer ({shown}, each run alone)")
        print(f"{'recognizer':<18}" + "".join(f"{k.split('/')[1]:>10}" for k in costs))
        for name in names:
            print(f"{name:<18}" + "".join(f"{c[name]:>10}" for c in costs.values()))
    result = {
        "benchmark": "rules",
        "stage": "rules only (not a whole worker: see bench_pipeline for end-to-end rates)",
        "goal_msg_per_s_per_core": GOAL,
        "seed": args.seed,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "load_average_1m": round(
            os.getloadavg()[0], 2
        ),  # other work on the box inflates CPU time per message
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "results": rows,
        "recognizer_us_per_message": costs,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
