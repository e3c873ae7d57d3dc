"""Smoke test of a built worker image against the local Kafka and Redis (run by ``deploy/image.sh smoke``).

Runs on the host with the project's venv (confluent-kafka): the container is started through the same engine
command line image.sh uses (``VNER_ENGINE_CMD``, e.g. ``podman --runtime runc``), as uid 10001 with a read-only
root filesystem, tmpfs for /tmp and the cache folder, the model folder mounted read-only and the host network.
Sample messages go in, enriched records come back (read_committed), the image's own HEALTHCHECK command and
``/metrics`` are checked, and SIGTERM must stop it with exit code 0 within the grace period.

``gpu`` first checks the image's CUDA wiring (providers listed, every CUDA library resolves), then runs the same
stream check on a model (the demo model, else a tiny random one), which on a machine without a GPU must fall
back to the CPU and say so in the log. Exit code 0 only if every check passed; the last line says what ran.
"""

from __future__ import annotations

import json
import os
import shlex
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "streams" / "data" / "sample_messages.jsonl"
GRACE_S = 40.0  # > the runner's 20 s finish-or-abort wait on SIGTERM + batch wait, as the Helm chart requires
CUDA_PROVIDER = "CUDAExecutionProvider"
# ldd on the CUDA provider may miss only the driver library, which the NVIDIA container toolkit mounts
DRIVER_LIBS = ("libcuda.so.1", "libnvidia-ml.so.1")


class SmokeError(RuntimeError):
    """A check failed; the message says which."""


def engine() -> list[str]:
    return shlex.split(os.environ.get("VNER_ENGINE_CMD", "podman"))


def sh(*args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([*engine(), *args], capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise SmokeError(f"{' '.join(args[:3])}... exited {proc.returncode}: {proc.stderr.strip()[-2000:]}")
    return proc


def step(msg: str) -> None:
    print(f"[smoke] {msg}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_get(url: str, timeout: float = 4) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except OSError:
        return 0, ""


def samples(n: int) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [
        {"id": r["id"], "text": r["text"], "domain": r.get("domain", "customer_service")} for r in rows[:n]
    ]


def demo_model() -> Path | None:
    """The demo model's ONNX folder (``vner demo`` builds it) when it is there, else None."""
    from vner.commands.demo_cmd import demo_model_dir

    onnx = demo_model_dir() / "onnx"
    return onnx if (onnx / "vner_meta.json").is_file() and any(onnx.glob("model*.onnx")) else None


def tiny_model(out: Path) -> Path:
    """A tiny random model exported like a real one (tests' fixture): enough to load it on CUDA or CPU."""
    sys.path.insert(0, str(ROOT))
    from vner.engine.training.export import export_model

    from tests.engine.tiny_model import make_tiny_model

    src = make_tiny_model(out / "torch")
    export_model(src, out / "onnx", int8=True)
    return out / "onnx"


def image_user(image: str) -> str:
    return sh("image", "inspect", "--format", "{{.Config.User}}", image).stdout.strip()


def healthcheck_argv(image: str) -> list[str]:
    """The image's HEALTHCHECK test as an argv (``["CMD", ...]`` form)."""
    raw = sh("image", "inspect", "--format", "{{json .Config.Healthcheck}}", image).stdout.strip()
    test = (json.loads(raw) or {}).get("Test") if raw and raw != "null" else None
    if not test or test[0] != "CMD":
        raise SmokeError(f"{image} has no exec-form HEALTHCHECK (got {raw!r}): build with --format docker")
    return list(test[1:])


def run_stream_check(image: str, *, model_dir: Path | None, n: int, expect_log: str | None) -> dict[str, Any]:
    """Start the worker container on fresh topics, push ``n`` samples through it, check it, stop it."""
    from confluent_kafka import Consumer
    from vner.streams.admin import ensure_topics, produce_docs

    brokers = os.environ.get("VNER_SMOKE_BROKERS", f"127.0.0.1:{os.environ.get('VNER_KAFKA_PORT', '9092')}")
    redis_url = os.environ.get(
        "VNER_SMOKE_REDIS_URL", f"redis://127.0.0.1:{os.environ.get('VNER_REDIS_PORT', '6379')}/0"
    )
    rid = time.strftime("%H%M%S") + "-" + uuid.uuid4().hex[:6]
    topics = {k: f"vner.smoke.{rid}.{k}" for k in ("in", "out", "dlq")}
    conf = {"bootstrap.servers": brokers}
    ensure_topics(conf, topics.values(), partitions=2)
    port = free_port()
    name = f"vner-smoke-{rid}"
    env = {
        "VNER_BROKERS": brokers,
        "VNER_INPUT_TOPIC": topics["in"],
        "VNER_OUTPUT_TOPIC": topics["out"],
        "VNER_DLQ_TOPIC": topics["dlq"],
        "VNER_GROUP_ID": f"vner-smoke-{rid}",
        "VNER_TRANSACTIONAL_ID": f"vner-smoke-{rid}-0",
        "VNER_METRICS_PORT": str(port),
        "VNER_REDIS_URL": redis_url,
        "VNER_LOG_LEVEL": "info",
    }
    argv = ["run", "-d", "--name", name, "--user", "10001:10001", "--read-only"]
    argv += ["--tmpfs", "/tmp:rw,mode=1777", "--tmpfs", "/home/vner/.cache:rw,mode=1777", "--network", "host"]
    if model_dir is not None:
        argv += ["-v", f"{model_dir}:/models/vner:ro"]
        env["VNER_MODEL_DIR"] = "/models/vner"
    for k, v in env.items():
        argv += ["-e", f"{k}={v}"]
    step(f"run {image} as 10001, read-only root, model {model_dir or '(none: rules only)'}, metrics :{port}")
    sh(*argv, image)
    result: dict[str, Any] = {"container": name}
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while http_get(base + "/healthz")[0] != 200:
            if sh("inspect", "--format", "{{.State.Running}}", name).stdout.strip() != "true":
                code = sh("inspect", "--format", "{{.State.ExitCode}}", name).stdout.strip()
                hint = " (SIGSEGV: see deploy/README.md, smoke gpu)" if code == "139" else ""
                raise SmokeError(f"the container exited with code {code} before /healthz answered{hint}")
            if time.monotonic() > deadline:
                raise SmokeError("/healthz did not answer 200 within 180 s")
            time.sleep(0.5)
        uid = sh("exec", name, "id", "-u").stdout.strip()
        if uid != "10001":
            raise SmokeError(f"the worker runs as uid {uid}, not 10001")
        if sh("exec", name, "touch", "/opt/vner/probe", check=False).returncode == 0:
            raise SmokeError("the root filesystem is writable")
        docs = samples(n)
        produce_docs(conf, topics["in"], docs)
        step(f"published {len(docs)} sample messages to {topics['in']}")
        got: dict[str, dict[str, Any]] = {}
        dead = 0
        c = Consumer(
            {
                "bootstrap.servers": brokers,
                "group.id": f"vner-smoke-reader-{rid}",
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,
                "isolation.level": "read_committed",
            }
        )
        c.subscribe([topics["out"], topics["dlq"]])
        t0 = time.monotonic()
        try:
            while len(got) + dead < len(docs):
                if time.monotonic() - t0 > 180:
                    raise SmokeError(
                        f"only {len(got)} records (+{dead} dead letters) of {len(docs)} after 180 s"
                    )
                for m in c.consume(num_messages=100, timeout=0.5):
                    if m.error():
                        continue
                    if m.topic() == topics["dlq"]:
                        dead += 1
                    else:
                        rec = json.loads(m.value() or b"{}")
                        got[str(rec.get("id"))] = rec
                if sh("inspect", "--format", "{{.State.Running}}", name).stdout.strip() != "true":
                    raise SmokeError("the container exited while records were expected")
        finally:
            c.close()
        result["seconds"] = time.monotonic() - t0
        if dead or set(got) != {str(d["id"]) for d in docs}:
            raise SmokeError(f"{len(got)} enriched records and {dead} dead letters for {len(docs)} messages")
        if not all(isinstance(r.get("entities"), list) for r in got.values()):
            raise SmokeError("an output record has no entities list")
        n_ents = sum(len(r["entities"]) for r in got.values())
        if n_ents == 0:
            raise SmokeError("no entity found in any sample message")
        step(
            f"{len(got)} enriched records back (read_committed), {n_ents} entities, {result['seconds']:.1f} s"
        )
        result.update(records=len(got), entities=n_ents)

        hc = healthcheck_argv(image)
        proc = sh("exec", name, *hc, check=False)
        if proc.returncode != 0:
            raise SmokeError(f"the image's HEALTHCHECK command failed: {proc.stderr.strip()[-500:]}")
        if engine()[0] == "podman":
            proc = sh("healthcheck", "run", name, check=False)
            if proc.returncode != 0:
                raise SmokeError(f"podman healthcheck run: {proc.stdout.strip()} {proc.stderr.strip()}")
        status, body = http_get(base + "/metrics")
        produced = [ln for ln in body.splitlines() if ln.startswith("vner_records_produced_total ")]
        if status != 200 or not produced or float(produced[0].split()[1]) < len(docs):
            raise SmokeError(f"/metrics: status {status}, vner_records_produced_total {produced}")
        step(f"HEALTHCHECK command ok, /metrics ok ({produced[0]})")

        t0 = time.monotonic()
        sh("kill", "--signal", "TERM", name)
        try:
            code = sh("wait", name, timeout=GRACE_S).stdout.strip().splitlines()[-1]
        except subprocess.TimeoutExpired as exc:
            raise SmokeError(f"still running {GRACE_S:.0f} s after SIGTERM") from exc
        result["stop_seconds"] = time.monotonic() - t0
        if code != "0":
            raise SmokeError(f"exit code {code} after SIGTERM (expected 0)")
        step(f"SIGTERM: exit 0 in {result['stop_seconds']:.1f} s")
        logs = sh("logs", name).stdout + sh("logs", name).stderr
        result["logs"] = logs
        if expect_log is not None and expect_log.lower() not in logs.lower():
            raise SmokeError(f"the worker's log does not say {expect_log!r}")
        return result
    except BaseException:
        logs = sh("logs", name, check=False)
        print(f"[smoke] --- container log (tail) ---\n{(logs.stdout + logs.stderr)[-4000:]}", file=sys.stderr)
        raise
    finally:
        sh("rm", "-f", name, check=False)


def check_gpu_wiring(image: str) -> None:
    """CUDAExecutionProvider listed; the CUDA provider library and every CUDA/cuDNN library resolve.

    The TensorRT provider library that the wheel also ships is not checked: TensorRT is not in the image.
    """
    py = "import onnxruntime as o; print(o.get_available_providers())"
    out = sh("run", "--rm", "--entrypoint", "python3", image, "-c", py).stdout.strip()
    if CUDA_PROVIDER not in out:
        raise SmokeError(f"onnxruntime in {image} lists {out}, no {CUDA_PROVIDER}")
    step(f"providers: {out}")
    script = r"""
set -e
capi="$(python3 -c 'import onnxruntime, os; print(os.path.join(os.path.dirname(onnxruntime.__file__), "capi"))')"
for f in "$capi"/libonnxruntime_providers_cuda.so "$capi"/libonnxruntime_providers_shared.so $(echo "$LD_LIBRARY_PATH" | tr ':' '\n' | while read -r d; do
    [ -d "$d" ] && ls "$d"/*.so* 2>/dev/null; done); do
  ldd "$f" | sed "s|^|$f: |"
done
"""
    out = sh("run", "--rm", "--entrypoint", "sh", image, "-c", script, timeout=300).stdout
    lines = out.splitlines()
    checked = {ln.split(":", 1)[0] for ln in lines}
    if not any(p.endswith("libonnxruntime_providers_cuda.so") for p in checked):
        raise SmokeError("libonnxruntime_providers_cuda.so not found in the image")
    missing = [ln for ln in lines if "not found" in ln and not any(d in ln for d in DRIVER_LIBS)]
    if missing:
        raise SmokeError("unresolved libraries:\n" + "\n".join(missing[:20]))
    step(f"ldd: {len(checked)} CUDA provider / CUDA / cuDNN libraries, none unresolved (driver aside)")


def main(variant: str) -> int:
    image = os.environ["VNER_IMAGE"]
    size = os.environ.get("VNER_IMAGE_SIZE", "?")
    n = int(os.environ.get("VNER_SMOKE_MESSAGES", "12"))
    user = image_user(image)
    if user.split(":")[0] in ("", "0", "root"):
        raise SmokeError(f"{image} runs as {user or 'root'}")
    forced = os.environ.get("VNER_SMOKE_MODEL_DIR")
    model: Path | None = None if forced == "none" else Path(forced) if forced else demo_model()
    if variant == "cpu":
        res = run_stream_check(image, model_dir=model, n=n, expect_log=None)
        what = "model " + str(model) if model else "rules only"
    else:
        check_gpu_wiring(image)
        with tempfile.TemporaryDirectory(prefix="vner-smoke-model-") as tmp:
            if model is None:
                step("no demo model: exporting a tiny random model to load on CUDA/CPU")
                model = tiny_model(Path(tmp))
            os.chmod(tmp, 0o755)
            res = run_stream_check(
                image, model_dir=model, n=n, expect_log=os.environ.get("VNER_SMOKE_GPU_LOG")
            )
        fallback = [ln for ln in res["logs"].splitlines() if CUDA_PROVIDER in ln or "cuda" in ln.lower()]
        for ln in fallback[:5]:
            step(f"log: {ln.strip()[:300]}")
        what = f"model {model}"
    print(
        f"smoke {variant} OK: {res['records']} enriched records ({res['entities']} entities, {what}), "
        f"HEALTHCHECK + /metrics ok, SIGTERM exit 0 in {res['stop_seconds']:.1f} s; image {image} {size}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("cpu", "gpu"):
        sys.exit("usage: image_smoke.py cpu|gpu (run by deploy/image.sh smoke)")
    try:
        sys.exit(main(sys.argv[1]))
    except SmokeError as exc:
        print(f"smoke {sys.argv[1]} FAILED: {exc}", file=sys.stderr, flush=True)
        sys.exit(1)
