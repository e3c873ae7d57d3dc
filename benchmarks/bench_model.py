"""Speed of the NER model against the HF pipeline baseline and raw ONNX Runtime, on two corpora in one run.

Rows (each method runs in its own subprocess, so peak RSS is its own):

* the Hugging Face ``pipeline`` on ``--baseline-model`` (the 12-layer fp32 checkpoint a user would run), per
  sentence (the baseline every ``×`` column divides by) and with ``batch_size``; torch batched on ``--model``
  (:class:`vner.engine.runtime.torch_tagger.TorchTagger`, length-bucketed);
* per ``--export`` directory (give it several times: teacher and student exports, each with its own int8
  recipe, named in the row): **raw ONNX Runtime**, the limit — the export's tokenizer and
  ``InferenceSession.run``, nothing else, with the session options vner's tagger uses — per sentence and in
  padded batches of ``--batch-size`` (sorted by length; for dynamic int8 a padded batch changes answers, so
  that row is a speed limit only), int8 and fp32; and **vner's tagger**
  (:class:`vner.engine.runtime.tagger.OnnxTagger` ``.predict``) on the same files, per sentence and batched
  (``tagger_int8_mixed``: dynamic int8 padded together instead of each sequence alone).

Every row: sentences/s, ms per call p50/p99 (a call is one sentence or one batch), ms per token (wall time /
tokens the model saw: the model's tokenizer run once per corpus, with special tokens, truncated at the model's
``max_length``; the same count for every method on that model), peak RSS, load time, × the per-sentence
pipeline, and for tagger rows ``tagger / raw`` (sentences/s of the tagger over raw ORT, same file, same call
shape). One table per corpus: ``--sentences`` (PhoNER test: a corpus file
:func:`vner.engine.training.corpus.read_docs` reads, or ``.txt`` one a line; first ``--n``) and ``--chat-n`` short
chat messages from the seeded generator :mod:`vner.engine.synth.generator`. A worker loads its model once and
runs the corpora in turn (chat first); its peak RSS is reset (``/proc/self/clear_refs``) before each corpus.
Writes ``<name>.json`` (machine, args, every row) and ``<name>.md`` to ``--out``; never the sentences.

    python benchmarks/bench_model.py --model S --baseline-model T --export S/onnx --export T/onnx \\
        --sentences test_syllable.json --n 600 --chat-n 300 --threads 2
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

MODEL_METHODS: tuple[str, ...] = ("pipeline", "pipeline_batch", "torch_batch")
EXPORT_METHODS: tuple[str, ...] = (
    "raw_int8_b1",
    "raw_int8_batch",
    "tagger_int8_b1",
    "tagger_int8_batch",
    "tagger_int8_mixed",
    "raw_fp32_b1",
    "raw_fp32_batch",
    "tagger_fp32_b1",
    "tagger_fp32_batch",
)
METHODS: tuple[str, ...] = MODEL_METHODS + EXPORT_METHODS
ALIASES = {  # the names of the previous version of this script
    "ort_int8_b1": "tagger_int8_b1",
    "ort_int8": "tagger_int8_batch",
    "ort_int8_mixed": "tagger_int8_mixed",
    "ort_fp32": "tagger_fp32_batch",
}
LABELS = {
    "pipeline": "HF pipeline, per sentence",
    "pipeline_batch": "HF pipeline, batch_size={bs}",
    "torch_batch": "torch, batch {bs}, length-bucketed",
    "raw_int8_b1": "raw ORT int8, per sentence",
    "raw_int8_batch": "raw ORT int8, padded batch {bs} (sorted)",
    "tagger_int8_b1": "vner tagger int8, per sentence",
    "tagger_int8_batch": "vner tagger int8, batch {bs}",
    "tagger_int8_mixed": "vner tagger int8, batch {bs} padded together",
    "raw_fp32_b1": "raw ORT fp32, per sentence",
    "raw_fp32_batch": "raw ORT fp32, padded batch {bs} (sorted)",
    "tagger_fp32_b1": "vner tagger fp32, per sentence",
    "tagger_fp32_batch": "vner tagger fp32, batch {bs}",
}
MODEL_FILE = {"int8": "model.int8.onnx", "fp32": "model.onnx"}
GOAL_SPEEDUP, GOAL_RAW_RATIO = 10.0, 0.9


# -- inputs --------------------------------------------------------------------------------------------------
def load_sentences(path: str | None, n: int, seed: int) -> list[str]:
    """``n`` synthetic chat messages when ``path`` is None, else the first ``n`` texts of the file (0 = all)."""
    if path is None:
        from vner.engine.synth.generator import SynthConfig, generate

        return [rec["text"] for rec in generate(SynthConfig(n=n, seed=seed))] if n else []
    p = Path(path)
    if p.suffix == ".txt":
        lines = [ln.strip() for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()]
    else:
        from vner.engine.training.corpus import read_docs

        lines = [d.text for d in read_docs(p)]
    return lines[:n] if n else lines


def corpora(args: argparse.Namespace) -> dict[str, list[str]]:
    """``chat`` (synthetic, run first: short) and ``sentences`` (``--sentences``), those that are not empty."""
    out = {"chat": load_sentences(None, args.chat_n, args.seed)}
    if args.sentences:
        out["sentences"] = load_sentences(args.sentences, args.n, args.seed)
    return {k: v for k, v in out.items() if v}


def corpus_label(key: str, args: argparse.Namespace) -> str:
    if key == "chat":
        return f"short chat messages (vner.engine.synth.generator, seed {args.seed})"
    return Path(args.sentences).name


def export_label(path: str) -> str:
    p = Path(path).resolve()
    return f"{p.parent.name}/{p.name}" if p.name == "onnx" else p.name


def method_needs(method: str) -> str | None:
    """The model file an export method reads (None for the checkpoint methods)."""
    if method in MODEL_METHODS:
        return None
    return MODEL_FILE["fp32" if "_fp32" in method else "int8"]


def check_exports(exports: Sequence[str], methods: Sequence[str]) -> list[dict[str, Any]]:
    """Describe every export; raise SystemExit naming the directory and the file when one is unusable."""
    from vner.engine.runtime.model_meta import ModelMetaError, int8_recipe_of, read_meta

    infos, seen = [], set()
    for i, d in enumerate(exports):
        root = Path(d)
        if not root.is_dir():
            raise SystemExit(f"--export {d}: not a directory (make one with `vner export MODEL`)")
        try:
            read_meta(root)
        except ModelMetaError as exc:
            raise SystemExit(f"--export {d}: {exc}") from exc
        if not any((root / f).is_file() for f in ("tokenizer.json", "tokenizer_config.json")):
            raise SystemExit(f"--export {d}: no tokenizer files (tokenizer.json / tokenizer_config.json)")
        files = sorted(p.name for p in root.glob("model*.onnx"))
        needed = {method_needs(m) for m in methods} - {None}
        missing = sorted(f for f in needed if f is not None and not (root / f).is_file())
        if missing:
            users = [m for m in methods if method_needs(m) in missing]
            raise SystemExit(
                f"--export {d}: lacks {', '.join(missing)} (present: {', '.join(files) or 'no model files'}), "
                f"needed by {', '.join(users)}: export it with `vner export` or leave them out of --methods"
            )
        label = export_label(d)
        if label in seen:
            label = f"{label}#{i}"
        seen.add(label)
        recipe = int8_recipe_of(root) if (root / MODEL_FILE["int8"]).is_file() else None
        infos.append({"label": label, "path": str(d), "int8_recipe": recipe, "files": files})
    return infos


def count_tokens(model_dir: str, texts: Sequence[str]) -> int:
    """Tokens the model sees for ``texts``: its tokenizer, special tokens included, truncated at max_length."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_dir)
    enc = tok(list(texts), truncation=True, max_length=_max_length(model_dir, tok))
    return sum(len(ids) for ids in enc["input_ids"])


def _max_length(model_dir: str, tok: Any) -> int:
    from vner.engine.runtime.model_meta import ModelMetaError, read_meta

    try:
        return read_meta(model_dir).max_length
    except ModelMetaError:
        return min(int(getattr(tok, "model_max_length", 512) or 512), 512)


# -- measuring (worker side) ---------------------------------------------------------------------------------
def _percentile(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))]


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark to the current RSS (Linux >= 4.0); False where that is impossible."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def peak_rss_mb(resettable: bool) -> float:
    if resettable:
        try:
            m = re.search(r"VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text())
            if m:
                return int(m.group(1)) / 1024
        except OSError:
            pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ort_session(export: str, precision: str, threads: int) -> Any:
    """An ONNX Runtime session built exactly as :meth:`OnnxTagger.from_dir` builds its own."""
    import onnxruntime as ort
    from vner.engine.runtime.providers import choose_plan, present_model_files, usable_providers

    plan = choose_plan(
        available_providers=usable_providers(ort.get_available_providers()),
        present_files=present_model_files(export),
        precision=precision,
        threads=threads,
    )
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = plan.intra_op_threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(
        str(Path(export) / plan.model_file), sess_options=opts, providers=list(plan.providers)
    )


def raw_ort(export: str, precision: str, threads: int) -> Callable[[list[str]], int]:
    """Tokenizer + ``session.run``: the least work that gets logits for a list of texts."""
    import numpy as np
    from transformers import AutoTokenizer

    session = ort_session(export, precision, threads)
    tok = AutoTokenizer.from_pretrained(export)
    max_length = _max_length(export, tok)
    names = [i.name for i in session.get_inputs()]

    def fn(batch: list[str]) -> int:
        enc = tok(batch, padding=True, truncation=True, max_length=max_length, return_tensors="np")
        ids = enc["input_ids"].astype(np.int64)
        feeds = {
            "input_ids": ids,
            "attention_mask": enc["attention_mask"].astype(np.int64),
            "token_type_ids": np.zeros_like(ids),
        }
        session.run(None, {k: feeds[k] for k in names})
        return 0

    return fn


def load_method(method: str, args: argparse.Namespace, export: str | None) -> tuple[Callable[..., Any], str]:
    """(call, kind): ``call(list_of_texts)`` returns entities per text (raw ORT: an int)."""
    bs = args.batch_size
    if method.startswith("pipeline"):
        import torch
        from transformers import pipeline

        torch.set_num_threads(args.threads)
        pipe = pipeline(
            "token-classification", model=args.baseline_model, aggregation_strategy="simple", device=-1
        )
        if method == "pipeline":
            return (lambda batch: [pipe(batch[0])]), "pipeline"
        return (lambda batch: pipe(batch, batch_size=bs)), "pipeline"
    if method == "torch_batch":
        import torch
        from vner.engine.runtime.torch_tagger import TorchTagger

        torch.set_num_threads(args.threads)
        return TorchTagger.from_dir(args.model, threads=args.threads, max_batch=bs).predict, "torch"
    assert export is not None
    precision = "fp32" if "_fp32" in method else "int8"
    if method.startswith("raw_"):
        return raw_ort(export, precision, args.threads), "raw"
    from vner.engine.runtime.tagger import OnnxTagger

    tagger = OnnxTagger.from_dir(
        export,
        precision=precision,
        threads=args.threads,
        max_batch=bs,
        batch_invariant=False if method == "tagger_int8_mixed" else None,
    )
    return tagger.predict, "tagger"


def calls_of(method: str, sentences: list[str], bs: int) -> list[list[str]]:
    if method == "pipeline" or method.endswith("_b1"):
        return [[s] for s in sentences]
    if method.startswith("raw_"):
        sentences = sorted(sentences, key=len)
    return [sentences[i : i + bs] for i in range(0, len(sentences), bs)]


def run_method(method: str, args: argparse.Namespace, export: str | None) -> list[dict[str, Any]]:
    """Load the method's model once, then per corpus: warm up, time every call; runs inside the worker."""
    t0 = time.perf_counter()
    fn, kind = load_method(method, args, export)
    load_s = time.perf_counter() - t0
    rows = []
    for key, sentences in corpora(args).items():
        resettable = reset_peak_rss()
        calls = calls_of(method, sentences, args.batch_size)
        for batch in calls[: args.warmup]:
            fn(batch)
        times, n_ents = [], 0
        start = time.perf_counter()
        for batch in calls:
            t = time.perf_counter()
            out = fn(batch)
            times.append((time.perf_counter() - t) * 1000)
            if kind != "raw":
                n_ents += sum(len(x) for x in out)
        wall = time.perf_counter() - start
        rows.append(
            {
                "corpus": key,
                "method": method,
                "sentences": len(sentences),
                "calls": len(calls),
                "entities": None if kind == "raw" else n_ents,
                "seconds": round(wall, 4),
                "sentences_per_s": round(len(sentences) / wall, 2),
                "ms_p50": round(_percentile(times, 50), 3),
                "ms_p99": round(_percentile(times, 99), 3),
                "load_s": round(load_s, 2),
                "peak_rss_mb": round(peak_rss_mb(resettable), 1),
            }
        )
    return rows


# -- report --------------------------------------------------------------------------------------------------
def _same_call(r: dict[str, Any]) -> tuple[str, str, str, bool]:
    """What a tagger row is compared on: corpus, export, precision, per sentence or batched."""
    return r["corpus"], r["export"], r["method"].split("_")[1], r["method"].endswith("_b1")


def finish_rows(rows: list[dict[str, Any]]) -> None:
    """Add ``x_pipeline`` and, on tagger rows, ``tagger_vs_raw`` (same corpus, export, precision, call shape)."""
    base = {r["corpus"]: r["sentences_per_s"] for r in rows if r["method"] == "pipeline"}
    raw = {_same_call(r): r["sentences_per_s"] for r in rows if r["method"].startswith("raw_")}
    for r in rows:
        b = base.get(r["corpus"])
        r["x_pipeline"] = round(r["sentences_per_s"] / b, 2) if b else None
        if r["method"].startswith("tagger_"):
            key = _same_call(r)
            r["tagger_vs_raw"] = round(r["sentences_per_s"] / raw[key], 3) if key in raw else None


def _fmt(x: float | None, spec: str, suffix: str = "") -> str:
    return "-" if x is None else f"{x:{spec}}{suffix}"


def goal_lines(rows: list[dict[str, Any]], corpus: str) -> list[str]:
    out = []
    for r in rows:
        if r["corpus"] != corpus or r["method"] != "tagger_int8_b1":
            continue
        parts = [f"{r['export']} [{r['int8_recipe'] or 'int8 recipe unrecorded'}], vner tagger per sentence:"]
        if r["x_pipeline"] is not None:
            met = "met" if r["x_pipeline"] >= GOAL_SPEEDUP else "NOT met"
            parts.append(f"{r['x_pipeline']:.1f}× the HF pipeline (goal {GOAL_SPEEDUP:g}×: {met})")
        if r.get("tagger_vs_raw") is not None:
            met = "met" if r["tagger_vs_raw"] >= GOAL_RAW_RATIO else "NOT met"
            parts.append(f"{r['tagger_vs_raw']:.2f} of raw ORT (goal {GOAL_RAW_RATIO:g}: {met})")
        out.append(f"- {parts[0]} " + "; ".join(parts[1:]))
    return out


def table(rows: list[dict[str, Any]], corpus: str, meta: dict[str, Any]) -> list[str]:
    info = meta["corpora"][corpus]
    lines = [
        f"## {info['label']}: {info['sentences']} sentences, {meta['threads']} threads",
        "",
        "| method | model | sentences/s | ms/call p50 | ms/call p99 | ms/token | peak RSS MB | load s "
        "| × pipeline | tagger / raw |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r["corpus"] != corpus:
            continue
        model = r["export"] + (f" [{r['int8_recipe']}]" if r["int8_recipe"] and "int8" in r["method"] else "")
        lines.append(
            f"| {r['label']} | {model} | {r['sentences_per_s']:.1f} | {r['ms_p50']:.2f} | {r['ms_p99']:.2f} | "
            f"{r['ms_per_token']:.3f} | {r['peak_rss_mb']:.0f} | {r['load_s']:.1f} | "
            f"{_fmt(r['x_pipeline'], '.1f', '×')} | {_fmt(r.get('tagger_vs_raw'), '.2f')} |"
        )
    goals = goal_lines(rows, corpus)
    return lines + ([""] + goals if goals else []) + [""]


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    m = meta["machine"]
    lines = [
        f"# bench_model: {meta['threads']} threads, batch {meta['batch_size']}, {m['processor'] or m['machine']}, "
        f"{m['cpu_count']} CPUs, onnxruntime {m['onnxruntime']}",
        "",
    ]
    for corpus in meta["corpora"]:
        lines += table(rows, corpus, meta)
    lines += [
        "ms/token: wall time / tokens the model's tokenizer makes of the corpus (special tokens included). "
        "raw ORT batches are sorted by length and padded: for dynamic int8 they change answers (speed limit only).",
        "",
        f"command: `{meta['command']}`",
        "",
    ]
    if meta.get("note"):
        lines += [f"note: {meta['note']}", ""]
    return "\n".join(lines)


def machine_info() -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    from vner.engine.runtime.providers import usable_cpus

    info: dict[str, Any] = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or "",
        "cpu_count": os.cpu_count(),
        "usable_cpus": usable_cpus(),
        "python": platform.python_version(),
    }
    import onnxruntime

    info["onnxruntime"] = onnxruntime.__version__
    for pkg in ("transformers", "torch"):
        try:
            info[pkg] = version(pkg)
        except PackageNotFoundError:
            info[pkg] = None
    try:
        model_name = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        if model_name:
            info["processor"] = model_name.group(1).strip()
    except OSError:
        pass
    return info


# -- main ----------------------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> tuple[argparse.ArgumentParser, argparse.Namespace]:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--model", required=True, help="vner model directory measured (torch checkpoint)")
    ap.add_argument(
        "--baseline-model",
        help="checkpoint the HF pipeline rows run on (the 12-layer teacher; default --model)",
    )
    ap.add_argument(
        "--export", action="append", default=[], help="`vner export` directory; repeat (default MODEL/onnx)"
    )
    ap.add_argument("--sentences", help="PhoNER test: .txt (one a line) or a corpus file read_docs reads")
    ap.add_argument("--n", type=int, default=600, help="first N of --sentences (0 = all)")
    ap.add_argument("--chat-n", type=int, default=300, help="synthetic short chat messages (0 = none)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the chat messages")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2, help="CPU threads per method (0: all usable)")
    ap.add_argument("--warmup", type=int, default=3, help="calls run before timing, per corpus")
    ap.add_argument("--methods", default=",".join(METHODS), help=f"comma list of {METHODS}")
    ap.add_argument("--out", default="benchmarks/results", help="directory for the JSON and Markdown")
    ap.add_argument("--name", default="bench_model", help="file name stem of the results")
    ap.add_argument("--note", default="", help="free text stored with the results (machine load, weights)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--worker-export", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if not args.threads:
        from vner.engine.runtime.providers import usable_cpus

        args.threads = usable_cpus()
    args.baseline_model = args.baseline_model or args.model
    args.export = args.export or [str(Path(args.model) / "onnx")]
    return ap, args


def main(argv: list[str] | None = None) -> int:
    ap, args = parse_args(argv)
    if args.worker:
        print(json.dumps(run_method(args.worker, args, args.worker_export)))
        return 0
    methods = [ALIASES.get(m.strip(), m.strip()) for m in args.methods.split(",") if m.strip()]
    methods = list(dict.fromkeys(methods))
    unknown = set(methods) - set(METHODS)
    if unknown:
        ap.error(f"unknown methods {sorted(unknown)}; choose from {METHODS}")
    texts = corpora(args)
    if not texts:
        ap.error("no sentences: give --sentences and/or --chat-n > 0")
    exports = check_exports(args.export, [m for m in methods if m in EXPORT_METHODS])
    if any(m in EXPORT_METHODS for m in methods) and not exports:
        ap.error("no --export")
    # (method, export info) jobs; tagger_int8_mixed is tagger_int8_batch itself on static int8
    jobs: list[tuple[str, dict[str, Any] | None]] = [(m, None) for m in methods if m in MODEL_METHODS]
    for e in exports:
        for m in methods:
            if m in EXPORT_METHODS and not (m == "tagger_int8_mixed" and e["int8_recipe"] == "static_qdq"):
                jobs.append((m, e))
    token_counts: dict[str, dict[str, int]] = {}  # model dir -> corpus -> tokens

    def tokens(model_dir: str, corpus: str) -> int:
        per = token_counts.setdefault(model_dir, {})
        if corpus not in per:
            per[corpus] = count_tokens(model_dir, texts[corpus])
        return per[corpus]

    argv_list = list(argv if argv is not None else sys.argv[1:])
    rows: list[dict[str, Any]] = []
    for m, e in jobs:
        cmd = [sys.executable, __file__, *argv_list, "--worker", m]
        if e is not None:
            cmd += ["--worker-export", e["path"]]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            where = f" on {e['path']}" if e else ""
            raise SystemExit(f"method {m}{where} failed (exit {proc.returncode})")
        model_dir = e["path"] if e else (args.baseline_model if m.startswith("pipeline") else args.model)
        for r in json.loads(proc.stdout.strip().splitlines()[-1]):
            n_tok = tokens(model_dir, r["corpus"])
            r.update(
                label=LABELS[m].format(bs=args.batch_size),
                export=e["label"] if e else Path(model_dir).resolve().name,
                export_path=e["path"] if e else model_dir,
                int8_recipe=e["int8_recipe"] if e else None,
                tokens=n_tok,
                ms_per_token=round(r["seconds"] * 1000 / n_tok, 4),
            )
            rows.append(r)
            print(f"{r['corpus']:<9} {r['label']:<44} {r['export']:<22} {r['sentences_per_s']:9.1f} sent/s  "
                  f"p50 {r['ms_p50']:8.2f} ms  p99 {r['ms_p99']:8.2f} ms  {r['ms_per_token']:7.3f} ms/tok  "
                  f"RSS {r['peak_rss_mb']:6.0f} MB", flush=True)  # fmt: skip
    order = {k: i for i, k in enumerate(["sentences", "chat"])}
    rows.sort(key=lambda r: order[r["corpus"]])  # stable: method order kept inside a corpus
    finish_rows(rows)
    meta = {
        "threads": args.threads,
        "batch_size": args.batch_size,
        "machine": machine_info(),
        "corpora": {
            k: {"label": corpus_label(k, args), "sentences": len(texts[k])}
            for k in sorted(texts, key=lambda k: order[k])
        },
        "exports": exports,
        "tokens": token_counts,
        "args": {k: v for k, v in vars(args).items() if not k.startswith("worker")},
        "note": args.note,
        "command": "python benchmarks/bench_model.py " + " ".join(argv_list),
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{args.name}.json").write_text(json.dumps({"meta": meta, "results": rows}, indent=2) + "\n")
    md = markdown(rows, meta)
    (out / f"{args.name}.md").write_text(md)
    print("\n" + md)
    print(f"wrote {out / args.name}.json and .md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
