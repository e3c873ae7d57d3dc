"""The Grafana dashboard and the Prometheus alert rules query only metrics (and labels) the worker exports (issue 23)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from vner.streams.metrics import StreamMetrics

from tests.deploy.chart import CHART, VALUES, one, render

DASHBOARD = CHART / "dashboards" / "vner-stream.json"
METRIC = re.compile(r"\b(vner_[a-z_]+)")
BY = re.compile(r"\bby \(([a-z_, ]+)\)")
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"), "gauge": ("",)}


def exported() -> dict[str, set[str]]:
    """Every series name a worker's registry can expose -> the label names it carries."""
    m = StreamMetrics()
    out: dict[str, set[str]] = {}
    for collector in m.registry._collector_to_names:  # the metric objects themselves (labelled or not)
        labels = set(getattr(collector, "_labelnames", ()))
        for family in collector.describe():
            for suffix in SUFFIXES[family.type]:
                out[family.name + suffix] = labels | ({"le"} if suffix == "_bucket" else set())
    return out


def check_expr(expr: str, known: dict[str, set[str]]) -> None:
    names = METRIC.findall(expr)
    assert names, f"no vner metric in {expr!r}"
    for name in names:
        assert name in known, f"{name} (in {expr!r}) is not exported by the worker"
    labels = set().union(*(known[n] for n in names))
    for group in BY.findall(expr):
        for label in (x.strip() for x in group.split(",")):
            assert label in labels, f"'by ({label})' in {expr!r}: no such label on {names}"


def test_exported_names_are_what_the_registry_exposes() -> None:
    known = exported()
    m = StreamMetrics()
    m.dead_lettered.labels(reason="too_large").inc()
    m.batch_size.observe(3)
    m.set_ready(True)
    text = m.exposition().decode()
    assert 'vner_records_dead_lettered_total{reason="too_large"} 1.0' in text
    assert 'vner_batch_records_bucket{le="4.0"} 1.0' in text
    assert m.value("vner_ready") == 1.0
    for name in (
        "vner_records_dead_lettered_total",
        "vner_batch_records_bucket",
        "vner_ready",
        "vner_cache_up",
    ):
        assert name in known
    assert known["vner_records_dead_lettered_total"] == {"reason"}
    assert "vner_records_consumed" not in known and "vner_nonexistent_total" not in known


def test_every_dashboard_query_names_an_exported_metric() -> None:
    dash: dict[str, Any] = json.loads(DASHBOARD.read_text("utf-8"))
    known = exported()
    panels = dash["panels"]
    assert len(panels) >= 8
    seen: set[str] = set()
    for panel in panels:
        assert panel["targets"], f"panel {panel['title']!r} has no query"
        for target in panel["targets"]:
            check_expr(target["expr"], known)
            assert 'namespace=~"$namespace"' in target["expr"]
            seen.update(METRIC.findall(target["expr"]))
    # what the issue asks the dashboard to show
    for wanted in (
        "vner_records_consumed_total",
        "vner_consumer_lag",
        "vner_batch_records_bucket",
        "vner_queue_seconds_bucket",
        "vner_compute_seconds_bucket",
        "vner_records_dead_lettered_total",
        "vner_cache_requests_total",
        "vner_cache_up",
    ):
        assert wanted in seen, f"the dashboard does not show {wanted}"


def test_a_wrong_metric_or_label_is_caught() -> None:
    known = exported()
    with pytest.raises(AssertionError, match="not exported"):
        check_expr("sum(rate(vner_records_consumd_total[5m]))", known)
    with pytest.raises(AssertionError, match="no such label"):
        check_expr("sum by (topic) (rate(vner_records_dead_lettered_total[5m]))", known)


def test_alert_rules_render_when_enabled_and_query_exported_metrics() -> None:
    docs = render(str(VALUES["gpu"]))
    rule = one(docs, "PrometheusRule")
    assert rule["apiVersion"] == "monitoring.coreos.com/v1"
    rules = rule["spec"]["groups"][0]["rules"]
    assert [r["alert"] for r in rules] == [
        "VnerConsumerLagGrowing",
        "VnerDeadLetterRateHigh",
        "VnerWorkerNotReady",
        "VnerRedisCacheDown",
    ]
    known = exported()
    for r in rules:
        check_expr(r["expr"], known)
        assert r["for"] == "10m" and r["labels"]["severity"]
    assert "> 50000" in rules[0]["expr"]  # helm/vner/ci/gpu-values.yaml lagThreshold
    assert "0.05 *" in rules[1]["expr"]


def test_dashboard_configmap_carries_the_file_and_both_are_off_by_default() -> None:
    docs = render(str(VALUES["gpu"]))
    cm = one(docs, "ConfigMap", "r1-vner-dashboard")
    assert cm["metadata"]["labels"]["grafana_dashboard"] == "1"
    assert json.loads(cm["data"]["vner-stream.json"]) == json.loads(DASHBOARD.read_text("utf-8"))
    default = render()
    assert not [d for d in default if d["kind"] == "PrometheusRule"]
    assert not [d for d in default if d["metadata"]["name"].endswith("-dashboard")]
