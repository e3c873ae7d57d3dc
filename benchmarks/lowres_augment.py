"""Low-resource augmentation experiment (issue 7): does phase-2 augmentation help at a fraction of train?

One phase-1 run to convergence on a seeded fraction of the training corpus, then the *same* phase-2
budget from that checkpoint for every arm: the control (``none``: originals plus unchanged copies, so
the same documents and steps with no new text) and each augmentation recipe. Every arm selects its
best epoch on the first ``--select-limit`` dev documents; all are then scored on the full dev set and
on the dev documents that no arm selected on (the held-out rest), with micro and per-label F1 deltas
against its control: the ``none`` arm of the same phase-2 ``--seed`` and ``--lr``, else of the same seed (a
control itself against p1). Arms that differ only in ``--seed`` are summarised together: each seed's delta and the
mean. Where arms differ also in ``--lr``, a last table compares tuned with tuned: per seed, the recipe at the lr
the selection docs prefer against the control at the lr they prefer for it. Prints Markdown tables and writes
``results.json`` + ``results.md`` into ``--out``.

    python benchmarks/lowres_augment.py --train TRAIN --dev DEV --out RUNS \\
        --arm control=none --arm ms=mention,synonym --arm mrs=mention,recombine:0.3,synonym [--parallel 4]

Corpora are read from the paths given (PhoNER_COVID19 is never in this repository); models and the
held-out dev file are written under ``--out`` only. A finished phase 1 or arm is reused, so an
interrupted run continues where it stopped.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

VNER = [sys.executable, "-m", "vner.cli"]


def _run(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as fh:
        fh.write(("$ " + shlex.join(cmd) + "\n").encode())
        fh.flush()
        return subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env)  # the child keeps its copy


def _wait(procs: list[tuple[str, subprocess.Popen[bytes], Path]], mark: bool = False) -> None:
    """Wait for every process; a failure stops the run with its log's tail. ``mark``: write NAME.done."""
    for name, p, log in procs:
        if p.wait() != 0:
            tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise SystemExit(f"{name} failed (rc {p.returncode}); last lines of {log}:\n{tail}")
        if mark:
            log.with_suffix(".done").write_text(time.strftime("%Y-%m-%dT%H:%M:%S\n"), encoding="utf-8")


def _done(model: Path) -> bool:
    """A training run finished (its marker is written only after ``vner train`` exited 0)."""
    return model.with_name(model.name + ".done").exists()


def common_args(a: argparse.Namespace) -> list[str]:
    args = ["--train", str(a.train), "--dev", str(a.dev), "--train-fraction", str(a.fraction)]
    args += ["--fraction-seed", str(a.seed)]  # one subset for every arm, even one that sets its own --seed
    args += ["--seed", str(a.seed), "--batch-size", str(a.batch_size), "--dev-limit", str(a.select_limit)]
    return args + (["--freeze-embeddings"] if a.freeze_embeddings else [])


def phase1(a: argparse.Namespace) -> Path:
    p1 = a.out / "p1"
    if _done(p1):
        print(f"phase 1: reusing {p1}", file=sys.stderr)
        return p1
    cmd = [*VNER, "train", *common_args(a), "--out", str(p1), "--epochs", str(a.phase1_epochs)]
    cmd += [
        "--lr",
        str(a.phase1_lr),
        "--warmup-steps",
        str(a.phase1_warmup),
        "--patience",
        str(a.phase1_patience),
    ]
    if a.model:
        cmd += ["--model", str(a.model)]
    print(f"phase 1 -> {p1} (log {a.out / 'p1.log'})", file=sys.stderr)
    _wait([("p1", _run(cmd, a.out / "p1.log"), a.out / "p1.log")], mark=True)
    return p1


def arms(a: argparse.Namespace, p1: Path) -> dict[str, Path]:
    todo: list[tuple[str, list[str]]] = []
    out: dict[str, Path] = {}
    for name, recipe in a.arm:
        model = a.out / name
        out[name] = model
        if _done(model):
            print(f"arm {name}: reusing {model}", file=sys.stderr)
            continue
        cmd = [*VNER, "train", *common_args(a), "--model", str(p1), "--epochs", "0", "--out", str(model)]
        cmd += [
            "--phase2-epochs",
            str(a.phase2_epochs),
            "--patience",
            str(a.phase2_epochs),
            "--lr",
            str(a.phase2_lr),
        ]
        cmd += ["--warmup-steps", str(a.phase2_warmup), "--augment-copies", str(a.copies)]
        steps, *extra = shlex.split(recipe)
        cmd += ["--augment-rate", str(a.rate), "--augment", steps, *extra]  # an arm's own flags come last
        if a.parallel > 1:
            cmd += ["--threads", str(max(1, (os.cpu_count() or 1) // a.parallel))]
        todo.append((name, cmd))
    env = dict(os.environ, OMP_NUM_THREADS=str(max(1, (os.cpu_count() or 1) // a.parallel)))
    for i in range(0, len(todo), a.parallel):
        batch = [
            (n, _run(c, a.out / f"{n}.log", env), a.out / f"{n}.log") for n, c in todo[i : i + a.parallel]
        ]
        print(f"phase 2 arms {[n for n, *_ in batch]} running", file=sys.stderr)
        _wait(batch, mark=True)
    return out


def heldout_dev(a: argparse.Namespace) -> Path:
    """The dev documents after the first ``--select-limit`` (what no arm selected on), as vner JSONL."""
    from vner.engine.training.corpus import read_docs, write_docs

    path = a.out / "dev_heldout.jsonl"
    docs = read_docs(a.dev)[a.select_limit :]
    if not docs:
        raise SystemExit(f"--select-limit {a.select_limit} leaves no held-out dev documents")
    write_docs(docs, path, "jsonl")
    return path


def score(model: Path, splits: dict[str, Path], out: Path, name: str) -> dict[str, dict[str, Any]]:
    """``vner eval``'s scores (seqeval strict, torch) of ``model`` on each split, cached as JSON reports."""
    from vner.engine.evaluation.scoring import evaluate, write_reports
    from vner.engine.runtime.torch_tagger import TorchTagger
    from vner.engine.training.corpus import read_docs

    results: dict[str, dict[str, Any]] = {}
    tagger = None
    for split, data in splits.items():
        report = out / f"{name}.{split}.json"
        if not report.exists():
            tagger = tagger or TorchTagger.from_dir(model)
            result = evaluate(tagger, read_docs(data), name=f"{name}.{split}")
            result.update(model=str(model), backend="torch", data=str(data))
            write_reports(result, out, stem=f"{name}.{split}")
        results[split] = json.loads(report.read_text(encoding="utf-8"))
    return results


def arm_flag(recipe: str, flag: str, default: str) -> str:
    """The value of ``flag`` among an arm's own ``vner train`` flags (the last one wins), else ``default``."""
    words = shlex.split(recipe)[1:]
    value = default
    for i, w in enumerate(words):
        if w == flag and i + 1 < len(words):
            value = words[i + 1]
        elif w.startswith(flag + "="):
            value = w.split("=", 1)[1]
    return value


def without_flags(recipe: str, flags: tuple[str, ...]) -> str:
    """The arm's recipe with each of ``flags`` (and its value) dropped."""
    words = shlex.split(recipe)
    out: list[str] = []
    skip = False
    for w in words:
        if skip:
            skip = False
        elif w in flags:
            skip = True
        elif not any(w.startswith(f + "=") for f in flags):
            out.append(w)
    return shlex.join(out)


def without_seed(recipe: str) -> str:
    """The arm's recipe with its ``--seed`` dropped: arms equal under it differ only in their phase-2 seed."""
    return without_flags(recipe, ("--seed",))


def is_control(recipe: str) -> bool:
    """An arm whose recipe is ``none``: unchanged copies, the same steps, no new text."""
    return shlex.split(recipe)[0] == "none"


def pair_controls(arm_list: list[tuple[str, str]], default: str, seed: int, lr: float) -> dict[str, str]:
    """Each arm's control: a control arm (recipe ``none``) is compared with p1 (did its own steps pay?);
    any other arm with the one control arm of the same phase-2 seed and lr, else the one of the same seed (at
    another lr), else with ``default``."""
    controls = [(n, r) for n, r in arm_list if is_control(r)]

    def key(recipe: str) -> tuple[float, float]:
        return float(arm_flag(recipe, "--seed", str(seed))), float(arm_flag(recipe, "--lr", str(lr)))

    pairs: dict[str, str] = {}
    for name, recipe in arm_list:
        if is_control(recipe):
            pairs[name] = "p1"
            continue
        same = [n for n, r in controls if key(r) == key(recipe)]
        seed_only = [n for n, r in controls if key(r)[0] == key(recipe)[0]]
        pairs[name] = same[0] if len(same) == 1 else seed_only[0] if len(seed_only) == 1 else default
        if pairs[name] == name:  # the fallback control is this arm itself (no `none` arm at all)
            pairs[name] = "p1"
    return pairs


def label_f1(result: dict[str, Any], split: str, label: str) -> float:
    """One model's F1 of ``label`` on ``split`` (0 where the label never occurs there)."""
    return float(result[split]["per_label"].get(label, {}).get("f1", 0.0))


def table(results: dict[str, dict[str, Any]], pairs: dict[str, str], split: str) -> str:
    """One row per model: its F1 and, against its control (``pairs``), the micro and per-label F1 deltas."""
    labels = sorted({lab for r in results.values() for lab in r[split]["per_label"]})
    head = ["arm", "vs", "micro F1", "Δ", *labels]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, r in results.items():
        res = r[split]
        base_name = pairs.get(name)
        if base_name is None:  # p1: absolute per-label F1
            cells = [name, "", f"{res['f1']:.4f}", ""]
            cells += [f"{label_f1(r, split, lab):.3f}" for lab in labels]
        else:
            base = results[base_name][split]
            cells = [name, base_name, f"{res['f1']:.4f}", f"{100 * (res['f1'] - base['f1']):+.2f}"]
            cells += [
                f"{100 * (label_f1(r, split, lab) - label_f1(results[base_name], split, lab)):+.1f}"
                for lab in labels
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def over_seeds(
    results: dict[str, dict[str, Any]], arm_list: list[tuple[str, str]], pairs: dict[str, str], seed: int
) -> list[dict[str, Any]]:
    """Arms that differ only in ``--seed`` grouped: each seed's Δ against its own control, and the means."""
    groups: dict[str, list[str]] = {}
    for name, recipe in arm_list:
        if not is_control(recipe):
            groups.setdefault(without_seed(recipe), []).append(name)
    out: list[dict[str, Any]] = []
    recipes = dict(arm_list)
    for recipe, names in groups.items():
        row: dict[str, Any] = {"recipe": recipe, "arms": names, "controls": [pairs[n] for n in names]}
        row["seeds"] = [int(float(arm_flag(recipes[n], "--seed", str(seed)))) for n in names]
        for split in ("dev", "dev_heldout"):
            deltas = [100 * (results[n][split]["f1"] - results[pairs[n]][split]["f1"]) for n in names]
            row[split] = {
                "deltas": [round(d, 2) for d in deltas],
                "mean": round(sum(deltas) / len(deltas), 2),
            }
            labels = sorted({lab for n in names for lab in results[n][split]["per_label"]})
            row[split]["per_label_mean"] = {
                lab: round(
                    sum(
                        100 * (label_f1(results[n], split, lab) - label_f1(results[pairs[n]], split, lab))
                        for n in names
                    )
                    / len(names),
                    2,
                )
                for lab in labels
            }
        out.append(row)
    return out


def selection_f1(model: Path) -> float:
    """The F1 a run selected its model by (its best epoch on the selection docs; p1's own when none beat it)."""
    return float(json.loads((model / "best_dev_scores.json").read_text(encoding="utf-8"))["f1"])


def tuned(
    results: dict[str, dict[str, Any]],
    arm_list: list[tuple[str, str]],
    chosen_by: dict[str, float],
    seed: int,
    lr: float,
) -> list[dict[str, Any]]:
    """Each recipe against the control with the phase-2 lr *tuned* for both, per phase-2 seed.

    Where arms differ only in ``--lr`` (and ``--seed``), the one the selection docs prefer (``chosen_by``:
    each arm's selection F1, never a score on the evaluated docs) stands for its recipe at that seed, and the
    control is the best-selected ``none`` arm of the same seed at any lr: a tuned baseline against a tuned
    recipe, so a margin cannot come from an lr that suits one arm and starves the other. Only recipes whose
    arms span more than one lr, or seeds whose controls do, make a row."""
    key_seed = {n: int(float(arm_flag(r, "--seed", str(seed)))) for n, r in arm_list}
    key_lr = {n: float(arm_flag(r, "--lr", str(lr))) for n, r in arm_list}
    controls: dict[int, list[str]] = {}
    families: dict[str, dict[int, list[str]]] = {}
    for name, recipe in arm_list:
        if is_control(recipe):
            controls.setdefault(key_seed[name], []).append(name)
        else:
            family = without_flags(recipe, ("--seed", "--lr"))
            families.setdefault(family, {}).setdefault(key_seed[name], []).append(name)

    def best(names: list[str]) -> str:
        return max(names, key=lambda n: (chosen_by[n], -names.index(n)))  # ties: the first listed

    out: list[dict[str, Any]] = []
    for family, by_seed in families.items():
        seeds = [s for s in by_seed if s in controls]
        lrs = {key_lr[n] for s in seeds for n in by_seed[s] + controls[s]}
        if not seeds or len(lrs) < 2:
            continue
        picked = [best(by_seed[s]) for s in seeds]
        bases = [best(controls[s]) for s in seeds]
        row: dict[str, Any] = {
            "recipe": family,
            "seeds": seeds,
            "arms": picked,
            "controls": bases,
            "lrs": [key_lr[n] for n in picked],
            "control_lrs": [key_lr[n] for n in bases],
        }
        for split in ("dev", "dev_heldout"):
            deltas = [
                100 * (results[n][split]["f1"] - results[b][split]["f1"])
                for n, b in zip(picked, bases, strict=True)
            ]
            row[split] = {
                "deltas": [round(d, 2) for d in deltas],
                "mean": round(sum(deltas) / len(deltas), 2),
            }
        out.append(row)
    return out


def tuned_table(rows: list[dict[str, Any]]) -> str:
    head = [
        "recipe (lr tuned)",
        "seeds",
        "arm (lr) vs control (lr)",
        "Δ full dev",
        "mean",
        "Δ held-out",
        "mean",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        versus = ", ".join(
            f"{n} ({lr:g}) vs {b} ({blr:g})"
            for n, lr, b, blr in zip(r["arms"], r["lrs"], r["controls"], r["control_lrs"], strict=True)
        )
        cells = [f"`{r['recipe']}`", " / ".join(map(str, r["seeds"])), versus]
        for split in ("dev", "dev_heldout"):
            cells += [" / ".join(f"{d:+.2f}" for d in r[split]["deltas"]), f"**{r[split]['mean']:+.2f}**"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def seeds_table(rows: list[dict[str, Any]]) -> str:
    head = ["arms", "seeds", "Δ full dev", "mean", "Δ held-out dev", "mean"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [", ".join(r["arms"]), " / ".join(map(str, r["seeds"]))]
        for split in ("dev", "dev_heldout"):
            cells += [" / ".join(f"{d:+.2f}" for d in r[split]["deltas"]), f"**{r[split]['mean']:+.2f}**"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def parse_arm(text: str) -> tuple[str, str]:
    """``NAME=RECIPE [vner train flags]``: the flags (e.g. ``--augment-gazetteer JOB=jobs.txt``) are this arm's."""
    name, sep, recipe = text.partition("=")
    if not sep or not name.strip() or not recipe.strip() or "/" in name:
        raise argparse.ArgumentTypeError(f"--arm wants NAME=RECIPE (e.g. ms=mention,synonym), got {text!r}")
    try:
        steps = shlex.split(recipe)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"--arm {text!r}: {e}") from None
    if steps[0].startswith("-"):
        raise argparse.ArgumentTypeError(f"--arm {text!r}: the recipe (augmenters) comes before any flag")
    return name.strip(), recipe.strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--train", type=Path, required=True, help="training corpus (the fraction is drawn from it)"
    )
    ap.add_argument(
        "--dev", type=Path, required=True, help="dev corpus (selection on its head, rest held out)"
    )
    ap.add_argument("--out", type=Path, required=True, help="folder for models, logs and results")
    ap.add_argument(
        "--arm",
        type=parse_arm,
        action="append",
        required=True,
        help="NAME=RECIPE [vner train flags of this arm only], repeat",
    )
    ap.add_argument(
        "--control",
        default=None,
        help="control for arms without one of their own phase-2 seed and lr (default: the first `none` arm)",
    )
    ap.add_argument("--model", type=Path, default=None, help="backbone (default: vner's e5-small)")
    ap.add_argument("--fraction", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--select-limit", type=int, default=500, help="dev docs used for model selection")
    ap.add_argument("--freeze-embeddings", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--phase1-epochs", type=int, default=25)
    ap.add_argument("--phase1-lr", type=float, default=2e-4)
    ap.add_argument("--phase1-warmup", type=int, default=50)
    ap.add_argument("--phase1-patience", type=int, default=5)
    ap.add_argument("--phase2-epochs", type=int, default=4)
    ap.add_argument("--phase2-lr", type=float, default=5e-5)
    ap.add_argument("--phase2-warmup", type=int, default=20)
    ap.add_argument("--copies", type=int, default=4, help="augmented (or, for the control, unchanged) copies")
    ap.add_argument("--rate", type=float, default=0.5, help="default augmentation rate (NAME:RATE overrides)")
    ap.add_argument(
        "--parallel", type=int, default=1, help="arms trained at once (threads split between them)"
    )
    a = ap.parse_args(argv)
    names = [n for n, _ in a.arm]
    if len(set(names)) != len(names):
        ap.error("arm names must be unique")
    control = a.control or next((n for n, r in a.arm if is_control(r)), names[0])
    if control not in names:
        ap.error(f"--control {control!r} is not an arm")
    a.out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    p1 = phase1(a)
    models = {"p1": p1, **arms(a, p1)}
    held = heldout_dev(a)
    reports = a.out / "reports"
    results = {
        name: score(m, {"dev": a.dev, "dev_heldout": held}, reports, name) for name, m in models.items()
    }
    pairs = pair_controls(a.arm, control, a.seed, a.phase2_lr)
    ordered = {"p1": results["p1"], **{n: results[n] for n, _ in a.arm}}
    rows = over_seeds(ordered, a.arm, pairs, a.seed)
    tuned_rows = tuned(ordered, a.arm, {n: selection_f1(models[n]) for n, _ in a.arm}, a.seed, a.phase2_lr)
    md = [
        f"# Low-resource augmentation: {a.fraction:.0%} of {a.train.name}, seed {a.seed}",
        f"phase 2: {a.phase2_epochs} epochs, {a.copies} copies, rate {a.rate}, lr {a.phase2_lr}; "
        f"selection on the first {a.select_limit} dev docs. Δ: against the arm in `vs` (a control, `none`, "
        "against p1; any other arm against the control of its phase-2 seed and lr, else of its seed, else the first "
        "control)",
        "",
        *(f"- {n}: `{r}`" for n, r in a.arm),
        "",
        f"## full dev ({a.dev.name})",
        table(ordered, pairs, "dev"),
        "",
        f"## held-out dev (docs {a.select_limit}+, never used for selection)",
        table(ordered, pairs, "dev_heldout"),
        "",
        "## each recipe over its phase-2 seeds (Δ against the control of the same seed)",
        seeds_table(rows),
    ]
    if tuned_rows:
        md += [
            "",
            "## phase-2 lr tuned for each recipe and for the control (per seed, the lr the selection docs prefer)",
            tuned_table(tuned_rows),
        ]
    text = "\n".join(md) + "\n"
    print(text)
    (a.out / "results.md").write_text(text, encoding="utf-8")
    summary = {
        "train": str(a.train),
        "dev": str(a.dev),
        "arms": dict(a.arm),
        "control": control,
        "pairs": pairs,
        "over_seeds": rows,
        "tuned": tuned_rows,
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(a).items() if k != "arm"},
        "seconds": round(time.time() - t0, 1),
        "results": {
            n: {
                s: {"f1": r[s]["f1"], "per_label": {k: v["f1"] for k, v in r[s]["per_label"].items()}}
                for s in r
            }
            for n, r in ordered.items()
        },
    }
    (a.out / "results.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
