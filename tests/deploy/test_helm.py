"""The Helm chart ``helm/vner``, checked with the real helm binary and the Kubernetes schemas.

``helm lint --strict`` and ``helm template`` run for the default, GPU and KEDA values; every rendered core
object is validated strictly against the Kubernetes OpenAPI schemas bundled in kubernetes-validate (offline),
for the oldest and newest Kubernetes the chart claims; the tests then assert on the rendered objects.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest
import yaml

from tests.deploy.chart import (
    CHART,
    CRD_KINDS,
    KUBE_VERSIONS,
    SECRET_KEY,
    VALUES,
    helm,
    one,
    render,
    render_fails,
    secret_settings,
    settings,
    vals,
    worker,
)
from tests.deploy.conftest import kubernetes_validate as kube_validator


@pytest.mark.parametrize("name", list(VALUES))
def test_lint_strict(name: str) -> None:
    args = ["lint", "--strict", str(CHART)]
    if VALUES[name]:
        args += ["-f", str(VALUES[name])]
    out = helm(*args).stdout
    assert "0 chart(s) failed" in out


@pytest.mark.parametrize("kube", KUBE_VERSIONS)
@pytest.mark.parametrize("name", list(VALUES))
def test_rendered_objects_match_kubernetes_schemas(name: str, kube: str) -> None:
    kubernetes_validate = kube_validator()
    docs = render(vals(name), kube=kube)
    validated = 0
    for doc in docs:
        if doc["kind"] in CRD_KINDS:
            continue
        kubernetes_validate.validate(doc, kube, strict=True)
        validated += 1
    kinds = {d["kind"] for d in docs}
    assert {"Deployment", "ConfigMap", "Service", "PodDisruptionBudget", "ServiceAccount"} <= kinds
    assert validated >= 6


def test_schema_validation_catches_a_broken_object() -> None:
    """The validator is not a rubber stamp: a wrong field type in the rendered Deployment is refused."""
    kubernetes_validate = kube_validator()
    dep = yaml.safe_load(yaml.safe_dump(one(render(), "Deployment")))
    dep["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = "nine-one-oh-eight"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(dep, "1.31.0", strict=True)


def test_gpu_request_only_when_enabled() -> None:
    cpu, gpu = render(), render(vals("gpu"))
    cpu_res, gpu_res = worker(cpu)["resources"], worker(gpu)["resources"]
    assert "nvidia.com/gpu" not in cpu_res.get("limits", {})
    assert "nvidia.com/gpu" not in cpu_res.get("requests", {})
    assert gpu_res["limits"]["nvidia.com/gpu"] == 1
    assert gpu_res["requests"]["nvidia.com/gpu"] == 1
    cpu_pod = one(cpu, "Deployment")["spec"]["template"]["spec"]
    gpu_pod = one(gpu, "Deployment")["spec"]["template"]["spec"]
    assert "nodeSelector" not in cpu_pod and "tolerations" not in cpu_pod
    assert gpu_pod["nodeSelector"] == {"nvidia.com/gpu.present": "true"}
    assert any(t["key"] == "nvidia.com/gpu" for t in gpu_pod["tolerations"])
    assert worker(cpu)["image"].endswith("-cpu") and worker(gpu)["image"].endswith("-gpu")


def test_gpu_count_is_a_value() -> None:
    docs = render(vals("gpu"), sets=("gpu.count=2",))
    assert worker(docs)["resources"]["limits"]["nvidia.com/gpu"] == 2


@pytest.mark.parametrize("name", list(VALUES))
def test_no_secret_values_in_configmaps(name: str) -> None:
    docs = render(vals(name))
    assert not [d for d in docs if d["kind"] == "Secret"], (
        "the chart must reference Secrets, never create them"
    )
    for cm in (d for d in docs if d["kind"] == "ConfigMap"):
        for key, value in (cm.get("data") or {}).items():
            assert not SECRET_KEY.search(key), f"{cm['metadata']['name']}: {key} looks like a secret"
            assert key not in secret_settings(), f"{key} is a secret StreamSettings field"
            assert "@" not in str(value) or not str(value).startswith("redis"), f"credentials in {key}"


def test_secrets_are_referenced_by_name_only() -> None:
    docs = render(vals("gpu"))
    env = {e["name"]: e for e in worker(docs)["env"]}
    for var, secret in (
        ("VNER_SASL_USERNAME", "vner-kafka-sasl"),
        ("VNER_SASL_PASSWORD", "vner-kafka-sasl"),
        ("VNER_REDIS_URL", "vner-redis"),
    ):
        assert "value" not in env[var]
        assert env[var]["valueFrom"]["secretKeyRef"]["name"] == secret
    assert "VNER_REDIS_URL" not in settings(docs), "the Redis URL comes from the Secret only"
    pod = one(docs, "Deployment")["spec"]["template"]["spec"]
    tls = next(v for v in pod["volumes"] if v["name"] == "kafka-tls")
    assert tls["secret"]["secretName"] == "vner-kafka-tls"
    assert settings(docs)["VNER_SSL_CA_LOCATION"] == "/etc/vner/kafka-tls/ca.crt"
    assert "env" not in worker(render())


@pytest.mark.parametrize(
    ("sets", "message"),
    [
        (("settings.VNER_KAFKA_SASL_PASSWORD=hunter2",), "VNER_KAFKA_SASL_PASSWORD"),
        (("settings.VNER_HF_TOKEN=hunter2",), "VNER_HF_TOKEN"),
        (("redis.url=redis://user:hunter2@redis:6379/0",), "redis/url"),
        (("kafka.securityProtocol=SASL_SSL",), "kafka.sasl.existingSecret"),
    ],
)
def test_secret_values_are_refused(sets: tuple[str, ...], message: str) -> None:
    err = render_fails(*sets)
    assert message in err
    assert "hunter2" not in err or "redis" in message


def test_secret_check_holds_without_the_values_schema() -> None:
    """The template's own check refuses secret-looking settings even with schema validation skipped."""
    args = ["template", "r1", str(CHART), "--kube-version", "1.31.0", "--skip-schema-validation"]
    proc = helm(*args, "--set", "settings.VNER_SSL_KEY_PASSWORD=hunter2", check=False)
    assert proc.returncode != 0 and "looks like a secret" in proc.stderr
    ok = settings(render(sets=("settings.VNER_TOKENIZER_THREADS=2",)))
    assert ok["VNER_TOKENIZER_THREADS"] == "2"


@pytest.mark.parametrize("name", list(VALUES))
def test_termination_grace_covers_the_longest_batch(name: str) -> None:
    """Grace > the batcher's max wait + the runner's own bound on SIGTERM (the value the chart sets)."""
    docs = render(vals(name))
    finish_s = float(settings(docs)["VNER_SHUTDOWN_TIMEOUT_S"])
    grace = one(docs, "Deployment")["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
    batch_wait_s = math.ceil(int(settings(docs)["VNER_BATCH_MAX_WAIT_MS"]) / 1000)
    assert grace > batch_wait_s + finish_s


def test_short_termination_grace_fails_the_render() -> None:
    err = render_fails("terminationGracePeriodSeconds=25", "batch.timeoutSeconds=20")
    assert "terminationGracePeriodSeconds (25)" in err
    err = render_fails("batch.timeoutSeconds=120")  # grace 60 stays, the batch grows past it
    assert "must be greater than" in err
    longer = settings(render(sets=("batch.timeoutSeconds=45", "terminationGracePeriodSeconds=90")))
    assert longer["VNER_SHUTDOWN_TIMEOUT_S"] == "45"


@pytest.mark.parametrize("name", list(VALUES))
def test_security_context(name: str) -> None:
    docs = render(vals(name))
    pod = one(docs, "Deployment")["spec"]["template"]["spec"]
    sc = worker(docs)["securityContext"]
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] > 0
    assert sc["runAsNonRoot"] is True
    assert sc["allowPrivilegeEscalation"] is False
    assert sc["readOnlyRootFilesystem"] is True
    assert sc["capabilities"]["drop"] == ["ALL"]
    assert pod["automountServiceAccountToken"] is False
    mounts = {m["mountPath"]: m["name"] for m in worker(docs)["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    for path in ("/tmp", "/home/vner/.cache"):
        assert "emptyDir" in volumes[mounts[path]], f"{path} must be a writable emptyDir"


def test_root_or_writable_root_fs_is_refused() -> None:
    assert "readOnlyRootFilesystem" in render_fails("securityContext.readOnlyRootFilesystem=false")
    assert "runAsNonRoot" in render_fails("podSecurityContext.runAsNonRoot=false")


@pytest.mark.parametrize("name", list(VALUES))
def test_probes_and_metrics_port(name: str) -> None:
    docs = render(vals(name))
    c = worker(docs)
    port = c["ports"][0]
    assert port["name"] == "metrics" and str(port["containerPort"]) == settings(docs)["VNER_METRICS_PORT"]
    assert c["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "metrics"}
    assert c["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "metrics"}
    assert c["startupProbe"]["httpGet"]["path"] == "/healthz"
    ann = one(docs, "Deployment")["spec"]["template"]["metadata"]["annotations"]
    assert ann["prometheus.io/scrape"] == "true" and ann["prometheus.io/port"] == str(port["containerPort"])


def test_service_monitor_selects_the_metrics_service() -> None:
    docs = render(vals("gpu"))
    sm, svc = one(docs, "ServiceMonitor"), one(docs, "Service")
    assert sm["apiVersion"] == "monitoring.coreos.com/v1"
    assert sm["spec"]["endpoints"][0]["port"] == svc["spec"]["ports"][0]["name"] == "metrics"
    assert sm["spec"]["selector"]["matchLabels"].items() <= svc["metadata"]["labels"].items()
    assert sm["metadata"]["labels"]["release"] == "prometheus"
    assert not [d for d in render() if d["kind"] == "ServiceMonitor"]


def test_topics_and_group_are_values() -> None:
    docs = render(sets=("kafka.inputTopic=in.x", "kafka.outputTopic=out.x", "kafka.consumerGroup=g-x"))
    s = settings(docs)
    assert (s["VNER_INPUT_TOPIC"], s["VNER_OUTPUT_TOPIC"], s["VNER_GROUP_ID"]) == ("in.x", "out.x", "g-x")
    assert "bad topic" in render_fails("kafka.inputTopic=bad topic")


def test_domain_schemas_are_mounted_from_a_configmap(tmp_path: Path) -> None:
    from vner.rules.schema import load_schema

    docs = render(vals("gpu"))
    cm = one(docs, "ConfigMap", "r1-vner-domains")
    schema_file = tmp_path / "telecom.yaml"
    schema_file.write_text(cm["data"]["telecom.yaml"], encoding="utf-8")
    assert load_schema(schema_file).name == "telecom"  # the example schema is a valid domain
    mounts = {m["name"]: m for m in worker(docs)["volumeMounts"]}
    assert mounts["domains"]["mountPath"] == "/etc/vner/domains" and mounts["domains"]["readOnly"] is True
    served = json.loads(settings(docs)["VNER_DOMAINS"])
    assert served == ["covid19", "/etc/vner/domains/telecom.yaml"]
    assert one(render(), "ConfigMap", "r1-vner-domains")["data"] == {}


def test_model_from_a_volume_claim() -> None:
    docs = render(vals("gpu"))
    pod = one(docs, "Deployment")["spec"]["template"]["spec"]
    claim = next(v for v in pod["volumes"] if v["name"] == "model")["persistentVolumeClaim"]
    assert claim == {"claimName": "vner-model", "readOnly": True}
    assert "model.existingClaim" in render_fails("model.source=pvc")


@pytest.mark.parametrize("name", list(VALUES))
def test_rendered_env_is_accepted_by_stream_settings(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every variable the chart sets is a StreamSettings field, and together they load and validate."""
    from vner.streams.settings import StreamSettings, load_settings

    docs = render(vals(name))
    env = dict(settings(docs))
    for e in worker(docs).get("env", []):
        ref = e["valueFrom"]["secretKeyRef"]
        env[e["name"]] = "redis://:pw@redis:6379/0" if e["name"] == "VNER_REDIS_URL" else f"<{ref['key']}>"
    fields = {f"VNER_{f.upper()}" for f in StreamSettings.model_fields}
    assert set(env) <= fields, f"not StreamSettings fields: {sorted(set(env) - fields)}"
    for key in [k for k in os.environ if k.startswith("VNER_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    s = load_settings()
    assert s.input_topic == env["VNER_INPUT_TOPIC"] and s.group_id == env["VNER_GROUP_ID"]
    assert s.batch_max_wait_ms == int(env["VNER_BATCH_MAX_WAIT_MS"])
    assert s.shutdown_timeout_s == float(env["VNER_SHUTDOWN_TIMEOUT_S"]) > 0
    assert s.metrics_port == int(env["VNER_METRICS_PORT"])
