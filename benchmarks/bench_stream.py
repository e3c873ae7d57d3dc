"""End-to-end Kafka → vner → Kafka throughput and latency, next to the pure pipeline on the same records.

Three measurements in one run, on the same synthetic customer-service messages:

1. ``pipeline``: ``Pipeline.process`` in batches of ``--batch`` in this process (no Kafka): records/s.
2. ``capacity``: N records pre-loaded into the input topic, then a ``vner.streams.runner`` worker subprocess drains
   them; records/s between the first and the last output seen by a read_committed consumer. The ratio
   ``capacity / pipeline`` is the stream's efficiency (goal ≥ 0.85).
3. ``latency`` (with ``--rate``): the worker running, records published at the offered rate; p50/p95/p99 of
   (time the output became visible to a read_committed consumer) − (time the input was sent), and the achieved
   output rate. ``--rate half`` offers half the capacity just measured (the issue's load point).
   ``--sweep KEY=V1,V2,...`` repeats the latency run once per value of one worker setting (e.g.
   ``commit_interval_ms=20,100,500`` or ``batch_max_wait_ms=0,20,100``) to show the trade-off.

Needs the broker and Redis (``vner services start``). Prints a table and writes JSON (``--out``).
Example: ``python benchmarks/bench_stream.py --n 3000 --rate 300``;
``python benchmarks/bench_stream.py --n 2000 --rate half --sweep commit_interval_ms=20,100,500``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vner.streams.admin import ensure_topics, produce_docs  # noqa: E402
from vner.streams.stage import load_pipelines  # noqa: E402

TEMPLATES = (
    "Em gọi {phone} mãi không được, đơn {order} giao chưa ạ?",
    "Shop ơi hoàn giúp em {money} cho đơn {order} nhé, em chuyển khoản hôm qua rồi",
    "Số mới của em là {phone}, phí ship {money} đúng không ạ",
    "cho hỏi đơn hàng {order} khi nào tới, em cần gấp trước thứ 6",
    "Hôm qua chuyển khoản {money} rồi mà chưa thấy xác nhận, sđt {phone}, đơn {order}",
)


def make_docs(n: int, salt: str) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        text = TEMPLATES[i % len(TEMPLATES)].format(
            phone=f"09{(i * 7919) % 10**8:08d}", order=f"SPX{i:09d}VN", money=f"{(i % 90) + 10}k"
        )
        out.append({"id": f"{salt}-{i}", "text": f"{text} ({salt[:6]})", "meta": {"seq": i}})
    return out


def bench_pipeline(args: argparse.Namespace, docs: list[dict[str, Any]]) -> dict[str, Any]:
    pipes = load_pipelines(
        factory=args.factory,
        domains=[],
        default_domain=args.domain,
        model_dir=Path(args.model) if args.model else None,
    )
    pipe = pipes.by_domain[args.domain]
    ref = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    texts = [d["text"] for d in docs]
    pipe.process(texts[: args.batch], domain=args.domain, ref_time=ref)  # warm-up
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(0, len(texts), args.batch):
        pipe.process(texts[i : i + args.batch], domain=args.domain, ref_time=ref)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "records": len(texts),
        "seconds": round(secs, 3),
        "records_per_s": round(len(texts) / secs, 1),
        "cpu_ms_per_record": round(cpu * 1000.0 / len(texts), 4),
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its live child processes (stage processes), Linux /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        total += sum(cpu_seconds(int(c)) for c in task.read_text().split())
    return total


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process plus its live child processes (stage processes), MB; Linux."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    kb = next((int(ln.split()[1]) for ln in status.splitlines() if ln.startswith("VmHWM:")), 0)
    total = kb / 1024.0
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        total += sum(peak_rss_mb(int(c)) for c in task.read_text().split())
    return total


def start_worker(args: argparse.Namespace, tag: str, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VNER_")}
    env.update(
        VNER_BROKERS=args.brokers,
        VNER_INPUT_TOPIC=f"{tag}.in",
        VNER_OUTPUT_TOPIC=f"{tag}.out",
        VNER_DLQ_TOPIC=f"{tag}.dlq",
        VNER_GROUP_ID=tag,
        VNER_TRANSACTIONAL_ID=f"{tag}-bench",
        VNER_DELIVERY=args.delivery,
        VNER_BATCH_MAX_RECORDS=str(args.batch),
        VNER_PIPELINE_FACTORY=args.factory,
        VNER_DEFAULT_DOMAIN=args.domain,
        VNER_METRICS_PORT="0",
        VNER_LOG_LEVEL="warning",
    )
    for item in args.set:
        key, _, val = item.partition("=")
        env[f"VNER_{key.upper()}"] = val
    if args.model:
        env["VNER_MODEL_DIR"] = args.model
    if args.no_cache:
        env["VNER_REDIS_URL"] = ""
    with open(log, "ab") as fh:
        return subprocess.Popen(
            [sys.executable, "-m", "vner.streams.runner"], cwd=ROOT, env=env, stdout=fh, stderr=fh
        )


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()


def read_outputs(
    conf: dict[str, Any], topic: str, n: int, timeout_s: float, cpu_of: int | None = None
) -> list[tuple[float, dict[str, Any]]]:
    """(receive wall time, output doc) for n outputs, read_committed, as they become visible; with ``cpu_of``,
    the CPU seconds that process spent from the first to the last output come last as ``{"__cpu__": s}``."""
    from confluent_kafka import Consumer

    c = Consumer(
        {
            **conf,
            "group.id": f"bench-{uuid.uuid4().hex[:6]}",
            "auto.offset.reset": "earliest",
            "isolation.level": "read_committed",
            "enable.auto.commit": False,
            "fetch.wait.max.ms": 10,
        }
    )
    c.subscribe([topic])
    got: list[tuple[float, dict[str, Any]]] = []
    cpu: list[float] = []
    deadline = time.monotonic() + timeout_s
    try:
        while len(got) < n and time.monotonic() < deadline:
            for m in c.consume(num_messages=1000, timeout=0.05):
                if m.error() is None:
                    got.append((time.time(), json.loads(m.value() or b"null")))
            if cpu_of is not None and got and not cpu:
                cpu.append(cpu_seconds(cpu_of))
        if cpu_of is not None and cpu:
            cpu.append(cpu_seconds(cpu_of))
            got.append((cpu[0], {"__cpu__": cpu[1] - cpu[0]}))
    finally:
        c.close()
    return got


def bench_capacity(
    args: argparse.Namespace, docs: list[dict[str, Any]], conf: dict[str, Any]
) -> dict[str, Any]:
    tag = f"bench{uuid.uuid4().hex[:8]}"
    ensure_topics(conf, [f"{tag}.in", f"{tag}.out", f"{tag}.dlq"], partitions=args.partitions)
    produce_docs(conf, f"{tag}.in", docs)
    proc = start_worker(args, tag, args.log)
    try:
        got = read_outputs(conf, f"{tag}.out", len(docs), args.timeout, cpu_of=proc.pid)
        rss = peak_rss_mb(proc.pid)  # before SIGTERM: the worker's own high-water mark while it drained
    finally:
        stop(proc)
    cpu = got.pop()[1]["__cpu__"] if got and "__cpu__" in got[-1][1] else float("nan")
    if len(got) < 2:
        raise SystemExit(f"capacity run produced {len(got)} outputs; see {args.log}")
    span = got[-1][0] - got[0][0]
    rate = (len(got) - 1) / span if span > 0 else float("inf")
    return {
        "records": len(got),
        "seconds": round(span, 3),
        "records_per_s": round(rate, 1),
        "cpu_ms_per_record": round(cpu * 1000.0 / (len(got) - 1), 4),
        "worker_peak_rss_mb": round(rss, 1),
    }


def bench_latency(
    args: argparse.Namespace, docs: list[dict[str, Any]], conf: dict[str, Any], rate: float
) -> dict[str, Any]:
    tag = f"bench{uuid.uuid4().hex[:8]}"
    ensure_topics(conf, [f"{tag}.in", f"{tag}.out", f"{tag}.dlq"], partitions=args.partitions)
    proc = start_worker(args, tag, args.log)
    result: list[tuple[float, dict[str, Any]]] = []
    reader = threading.Thread(
        target=lambda: result.extend(read_outputs(conf, f"{tag}.out", len(docs), args.timeout))
    )
    try:
        produce_docs(conf, f"{tag}.in", [{"id": "warm", "text": "chào shop"}])
        read_outputs(conf, f"{tag}.out", 1, 60)  # worker joined and warm
        reader.start()
        from confluent_kafka import Producer

        p = Producer({**conf, "linger.ms": 0, "partitioner": "murmur2_random"})
        t0 = time.time()
        for i, d in enumerate(docs):
            due = t0 + i / rate
            if (wait := due - time.time()) > 0:
                time.sleep(wait)
            d = {**d, "meta": {**d["meta"], "sent": time.time()}}
            p.produce(f"{tag}.in", json.dumps(d, ensure_ascii=False).encode(), key=d["id"].encode())
            p.poll(0)
        p.flush(30)
        reader.join(args.timeout)
    finally:
        stop(proc)
    outs = [(t, o) for t, o in result if o["id"] != "warm"]
    lat = sorted((t - o["meta"]["sent"]) * 1000.0 for t, o in outs)
    if not lat:
        raise SystemExit(f"latency run produced no outputs; see {args.log}")
    span = outs[-1][0] - outs[0][0] if len(outs) > 1 else float("nan")

    def pct(q: float, xs: list[float] = lat) -> float:
        return round(xs[min(len(xs) - 1, int(q * len(xs)))], 1)

    inside = sorted(float(o["vner"]["timings_ms"]["total"]) for _t, o in outs)

    return {
        "offered_per_s": round(rate, 1),
        "records": len(outs),
        "achieved_per_s": round((len(outs) - 1) / span, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": round(lat[-1], 1),
        "mean_ms": round(statistics.fmean(lat), 1),
        "in_worker_p50_ms": pct(0.50, inside),
        "in_worker_p99_ms": pct(0.99, inside),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=3000, help="records per measurement")
    ap.add_argument(
        "--rate",
        default="0",
        help="offered records/s for the latency run; 'half': half the capacity (0: skip)",
    )
    ap.add_argument(
        "--sweep", default=None, metavar="KEY=V1,V2", help="one latency run per value of a worker setting"
    )
    ap.add_argument("--batch", type=int, default=64, help="max records per pipeline batch")
    ap.add_argument("--partitions", type=int, default=3)
    ap.add_argument("--delivery", default="exactly_once", choices=["exactly_once", "at_least_once"])
    ap.add_argument("--model", default=None, help="model dir (default: rules only)")
    ap.add_argument("--domain", default="customer_service")
    ap.add_argument("--factory", default="vner.engine.pipeline.hybrid:build_pipeline")
    ap.add_argument("--brokers", default="127.0.0.1:9092")
    ap.add_argument("--no-cache", action="store_true", help="run the worker without Redis")
    ap.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="worker setting, e.g. workers=1"
    )
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "bench_stream.json")
    ap.add_argument("--log", type=Path, default=ROOT / "benchmarks" / "results" / "bench_stream_worker.log")
    args = ap.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    conf = {"bootstrap.servers": args.brokers}
    salt = uuid.uuid4().hex  # fresh texts: nothing is served from an earlier run's cache

    docs = make_docs(args.n, salt)
    report: dict[str, Any] = {
        "host": {"cpus": os.cpu_count(), "python": platform.python_version(), "machine": platform.machine()},
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "pipeline": bench_pipeline(args, docs),
        "capacity": bench_capacity(args, docs, conf),
    }
    report["pipeline_after"] = bench_pipeline(args, docs)  # the box is shared: measure before and after
    best = max(report["pipeline"]["records_per_s"], report["pipeline_after"]["records_per_s"])
    report["efficiency"] = round(report["capacity"]["records_per_s"] / best, 3)
    report["cpu_efficiency"] = round(
        min(report["pipeline"]["cpu_ms_per_record"], report["pipeline_after"]["cpu_ms_per_record"])
        / report["capacity"]["cpu_ms_per_record"],
        3,
    )
    rate = report["capacity"]["records_per_s"] / 2 if args.rate == "half" else float(args.rate)
    if rate > 0:
        report["latency"] = bench_latency(args, make_docs(args.n, salt + "L"), conf, rate)
    if rate > 0 and args.sweep:
        key, _, values = args.sweep.partition("=")
        base, report["sweep"] = list(args.set), {}
        for val in values.split(","):
            args.set = [*base, f"{key}={val}"]
            report["sweep"][f"{key}={val}"] = bench_latency(
                args, make_docs(args.n, f"{salt}S{val}"), conf, rate
            )
        args.set = base
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    pa, pb, cap = report["pipeline"], report["pipeline_after"], report["capacity"]
    rows = [
        ("pipeline only, before / after (records/s)", f"{pa['records_per_s']} / {pb['records_per_s']}"),
        ("Kafka→Kafka capacity (records/s)", cap["records_per_s"]),
        ("efficiency vs best pipeline run (goal ≥ 0.85)", report["efficiency"]),
        (
            "CPU ms/record: pipeline / whole worker",
            f"{min(pa['cpu_ms_per_record'], pb['cpu_ms_per_record'])} / {cap['cpu_ms_per_record']}",
        ),
        ("CPU efficiency (pipeline CPU / worker CPU)", report["cpu_efficiency"]),
        ("worker peak RSS, capacity run (MB)", cap["worker_peak_rss_mb"]),
    ]
    if "latency" in report:
        lt = report["latency"]
        rows += [
            (f"offered / achieved at {lt['offered_per_s']:g}/s", f"{lt['achieved_per_s']}"),
            ("latency p50 / p95 / p99 (ms)", f"{lt['p50_ms']} / {lt['p95_ms']} / {lt['p99_ms']}"),
            (
                "in-worker (consumed→produced) p50 / p99 (ms)",
                f"{lt['in_worker_p50_ms']} / {lt['in_worker_p99_ms']}",
            ),
        ]
    for name, lt in report.get("sweep", {}).items():
        rows.append((f"  {name}: p50 / p95 / p99 (ms)", f"{lt['p50_ms']} / {lt['p95_ms']} / {lt['p99_ms']}"))
    width = max(len(r[0]) for r in rows)
    print(f"{'metric':<{width}}  value")
    for name, val in rows:
        print(f"{name:<{width}}  {val}")
    print(f"JSON: {args.out}")


if __name__ == "__main__":
    main()
