"""The chart's scaling and availability: KEDA on consumer-group lag, HPA on an external lag metric, the
PodDisruptionBudget and rollout, and the engine/delivery rule."""

from __future__ import annotations

from tests.deploy.chart import one, render, render_fails, settings, vals, worker
from tests.deploy.conftest import kubernetes_validate as kube_validator


def test_keda_scales_on_the_groups_lag() -> None:
    docs = render(vals("keda"))
    so, dep = one(docs, "ScaledObject"), one(docs, "Deployment")
    assert so["apiVersion"] == "keda.sh/v1alpha1"
    assert so["spec"]["scaleTargetRef"]["name"] == dep["metadata"]["name"]
    assert "replicas" not in dep["spec"], "the autoscaler owns the replica count"
    trig = so["spec"]["triggers"][0]
    s = settings(docs)
    assert trig["type"] == "kafka"
    assert trig["metadata"]["consumerGroup"] == s["VNER_GROUP_ID"] == "vner-keda"
    assert trig["metadata"]["topic"] == s["VNER_INPUT_TOPIC"]
    assert trig["metadata"]["bootstrapServers"] == s["VNER_BROKERS"]
    assert int(trig["metadata"]["lagThreshold"]) == 2000
    assert trig["authenticationRef"]["name"] == "vner-kafka-trigger-auth"
    assert so["spec"]["minReplicaCount"] <= so["spec"]["maxReplicaCount"] <= 24
    assert "exceeds kafka.inputPartitions" in render_fails("autoscaling.maxReplicas=25", values=vals("keda"))
    assert not [d for d in render() if d["kind"] in ("ScaledObject", "HorizontalPodAutoscaler")]


def test_hpa_mode_renders_a_valid_external_metric_hpa() -> None:
    kubernetes_validate = kube_validator()
    docs = render(sets=("autoscaling.mode=hpa", "autoscaling.maxReplicas=6"))
    hpa = one(docs, "HorizontalPodAutoscaler")
    kubernetes_validate.validate(hpa, "1.31.0", strict=True)
    metric = hpa["spec"]["metrics"][0]["external"]["metric"]
    assert metric["selector"]["matchLabels"]["consumergroup"] == "vner-workers"
    assert hpa["spec"]["maxReplicas"] == 6 and "replicas" not in one(docs, "Deployment")["spec"]


def test_pdb_and_rollout_keep_consumers_available() -> None:
    docs = render()
    pdb, dep = one(docs, "PodDisruptionBudget"), one(docs, "Deployment")
    assert pdb["spec"]["maxUnavailable"] == 1
    assert pdb["spec"]["selector"]["matchLabels"] == dep["spec"]["selector"]["matchLabels"]
    assert dep["spec"]["strategy"]["rollingUpdate"]["maxSurge"] == 0


def test_engine_choice_and_faust_delivery_rule() -> None:
    assert "at_least_once only" in render_fails("engine=faust")
    docs = render(sets=("engine=faust", "kafka.delivery=at_least_once"))
    assert worker(docs)["args"] == ["--engine", "faust"]
    assert settings(docs)["VNER_DELIVERY"] == "at_least_once"
