#!/usr/bin/env bash
# Sourced by demo.sh and test.sh: start Kafka and Redis with the project's scripts unless they already run,
# wait until both answer, and stop on exit only what this shell started.
# With VNER_WITH_LLM=1 (test.sh sets it) also the local LLM server (deploy/local/llm_server.sh: portable build
# cached as a wheel under ~/.cache/pip, smoke-tested) for tests/engine/annotate/test_real_llm.py.
started_kafka=0; started_redis=0; started_llm=0
vner_services_down() {
  [[ $started_llm -eq 1 ]] && bash deploy/local/llm_server.sh stop || true
  [[ $started_kafka -eq 1 ]] && bash deploy/local/kafka.sh stop || true
  [[ $started_redis -eq 1 ]] && bash deploy/local/redis.sh stop || true
}
trap vner_services_down EXIT
if ! bash deploy/local/kafka.sh status >/dev/null 2>&1; then bash deploy/local/kafka.sh start; started_kafka=1; fi
if ! bash deploy/local/redis.sh status >/dev/null 2>&1; then bash deploy/local/redis.sh start; started_redis=1; fi
if [[ "${VNER_WITH_LLM:-0}" == 1 ]] && ! bash deploy/local/llm_server.sh status >/dev/null 2>&1; then
  bash deploy/local/llm_server.sh start; started_llm=1
fi
bash deploy/local/kafka.sh wait
bash deploy/local/redis.sh wait
