"""A rewind after a failed commit asks the group for its committed offsets: while the broker is away that
request times out, and the runner must ask again (not die) until the broker is back, or give up clearly.

Found in CI under load: the broker-restart worker crashed on ``committed(timeout=30)`` -> ``_TIMED_OUT``.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from confluent_kafka import Consumer, KafkaException, TopicPartition
from vner.streams.admin import ensure_topics
from vner.streams.delivery import committed_offsets

from tests.streams.conftest import Broker

pytestmark = [pytest.mark.integration, pytest.mark.timeout(400)]


def test_committed_offsets_are_asked_again_until_the_broker_is_back(broker: Broker) -> None:
    topic = f"rewind.{uuid.uuid4().hex[:8]}"
    ensure_topics(broker.conf, [topic], partitions=1)
    consumer = Consumer({**broker.conf, "group.id": f"g-{topic}", "enable.auto.commit": False})
    try:
        consumer.commit(offsets=[TopicPartition(topic, 0, 7)], asynchronous=False)
        assert committed_offsets(consumer, [TopicPartition(topic, 0)])[0].offset == 7

        broker("stop")
        # no broker and little patience: the error surfaces, it is not swallowed
        with pytest.raises(KafkaException):
            committed_offsets(consumer, [TopicPartition(topic, 0)], attempt_s=1.0, give_up_s=2.0)
        # a stop request ends the waiting at once: the failed request is not asked again
        asked_again: list[str] = []
        with pytest.raises(KafkaException):
            committed_offsets(
                consumer,
                [TopicPartition(topic, 0)],
                attempt_s=1.0,
                stopping=lambda: True,
                on_retry=asked_again.append,
            )
        assert asked_again == []

        retries: list[str] = []
        restart = threading.Timer(5.0, broker, args=("start",))
        restart.start()
        try:
            got = committed_offsets(
                consumer, [TopicPartition(topic, 0)], attempt_s=2.0, give_up_s=240.0, on_retry=retries.append
            )
        finally:
            restart.join()
        assert got[0].offset == 7  # the same committed offset, read once the broker came back
        assert retries, "the first request, made with the broker down, should have been retried"
    finally:
        consumer.close()
