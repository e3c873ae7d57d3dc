#!/usr/bin/env bash
# Single-node Apache Kafka 4.x (KRaft) on 127.0.0.1:9092 for tests, CI and the demo.
# Jars come from Maven Central via a throwaway pom project, cached in ~/.cache/vner/kafka/<version>/libs.
# Usage: deploy/local/kafka.sh install|start|stop|status|wait|restart
set -euo pipefail

KAFKA_VERSION="${VNER_KAFKA_VERSION:-4.3.1}"
LOG4J_VERSION="${VNER_LOG4J_VERSION:-2.25.4}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${VNER_KAFKA_CACHE:-$HOME/.cache/vner/kafka/$KAFKA_VERSION}"
LIBS="$CACHE/libs"
VAR="${VNER_VAR_DIR:-$ROOT/var}/kafka"
DATA="$VAR/data"
CONF="$VAR/server.properties"
LOG4J="$VAR/log4j2.properties"
PIDFILE="$VAR/kafka.pid"
LOGFILE="$VAR/kafka.out"
PORT="${VNER_KAFKA_PORT:-9092}"
CPORT="${VNER_KAFKA_CONTROLLER_PORT:-9093}"
HEAP="${VNER_KAFKA_HEAP:--Xmx512m}"
PY="${VNER_PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || PY=python3

log() { echo "[kafka.sh] $*" >&2; }

install() {
  if [ -f "$LIBS/.complete" ]; then log "jars cached in $LIBS"; return 0; fi
  command -v java >/dev/null || { log "java 17+ is required (apt-get install -y openjdk-17-jre-headless)"; exit 1; }
  command -v mvn >/dev/null || { log "maven is required (apt-get install -y maven)"; exit 1; }
  local proj; proj="$(mktemp -d)"
  cat >"$proj/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>vner.local</groupId><artifactId>kafka-runtime</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <!-- Kafka 4.x logs through slf4j 1.7: bind it to the log4j2 core Kafka already brings -->
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$LOG4J_VERSION</version></dependency>
  </dependencies>
</project>
POM
  mkdir -p "$LIBS"
  log "resolving org.apache.kafka:kafka_2.13:$KAFKA_VERSION runtime jars"
  mvn -q -B -f "$proj/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIBS"
  rm -rf "$proj"
  ls "$LIBS"/kafka_2.13-*.jar >/dev/null
  touch "$LIBS/.complete"
  log "installed $(ls "$LIBS" | wc -l) jars into $LIBS"
}

write_config() {
  mkdir -p "$DATA"
  cat >"$CONF" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CPORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CPORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
transaction.max.timeout.ms=900000
auto.create.topics.enable=true
PROPS
  cat >"$LOG4J" <<L4J
status = warn
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = $VAR/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.kafkaorg.name = org.apache.kafka
logger.kafkaorg.level = WARN
L4J
}

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

java_run() {
  java $HEAP -Djava.awt.headless=true -Dlog4j2.configurationFile="$LOG4J" -cp "$LIBS/*" "$@"
}

# A KRaft cluster id: 16 random bytes, URL-safe base64 without padding (22 characters). Made in bash, not by a
# Python or JVM process that may fail to start on a loaded box; start_once runs inside `if`, where `set -e` is
# off, so every step checks its own result (an empty id once made every later attempt fail the same way).
new_cluster_id() {
  head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'
}

format_storage() {
  local id=""
  [ -s "$VAR/cluster.id" ] && id="$(cat "$VAR/cluster.id")"
  if [ "${#id}" -ne 22 ]; then
    id="$(new_cluster_id)"
    if [ "${#id}" -ne 22 ]; then log "could not make a cluster id (got '${id}')"; return 1; fi
    printf '%s\n' "$id" >"$VAR/cluster.id.tmp" && mv "$VAR/cluster.id.tmp" "$VAR/cluster.id" || return 1
  fi
  if ! java_run kafka.tools.StorageTool format -t "$id" -c "$CONF" --ignore-formatted >>"$LOGFILE" 2>&1; then
    log "formatting $DATA failed; see $LOGFILE"; return 1
  fi
}

ready() {
  "$PY" - "$PORT" <<'PYEOF' >/dev/null 2>&1
import sys
from confluent_kafka.admin import AdminClient
md = AdminClient({"bootstrap.servers": f"127.0.0.1:{sys.argv[1]}", "socket.timeout.ms": 2000}).list_topics(timeout=3)
sys.exit(0 if md.brokers else 1)
PYEOF
}

wait_ready() {
  local deadline=$(( $(date +%s) + ${1:-60} ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if ready; then log "ready on 127.0.0.1:$PORT"; return 0; fi
    running || { log "broker process exited; see $LOGFILE and $VAR/server.log"; return 1; }
    sleep 1
  done
  log "not ready after ${1:-60}s"; return 1
}

start_once() {
  write_config || return 1
  format_storage || return 1
  nohup bash -c "exec java $HEAP -Djava.awt.headless=true -Dlog4j2.configurationFile='$LOG4J' -cp '$LIBS/*' kafka.Kafka '$CONF'" \
    >>"$LOGFILE" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  wait_ready "${VNER_KAFKA_START_TIMEOUT:-90}"
}

start() {
  if running && ready; then log "already running (pid $(cat "$PIDFILE"))"; return 0; fi
  running && stop
  # a broker this script did not start (another checkout's, a system one) already has the port: use it, as
  # redis.sh does, rather than launch a JVM that cannot bind; `stop` will not stop it
  if ready; then log "a broker not started from $VAR already answers on 127.0.0.1:$PORT; using it"; return 0; fi
  install
  mkdir -p "$VAR"
  local attempt
  for attempt in 1 2 3; do
    if start_once; then return 0; fi
    log "start attempt $attempt failed (slow quorum formation?); retrying"
    stop || true
  done
  log "could not start Kafka; last log lines:"; tail -n 30 "$LOGFILE" >&2 || true
  return 1
}

stop() {
  if ! running; then rm -f "$PIDFILE"; log "not running"; return 0; fi
  local pid; pid="$(cat "$PIDFILE")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then log "forcing stop"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$PIDFILE"
  log "stopped"
}

status() {
  if running && ready; then echo "kafka: running (pid $(cat "$PIDFILE")) on 127.0.0.1:$PORT"; return 0; fi
  if running; then echo "kafka: process up (pid $(cat "$PIDFILE")) but not ready"; return 1; fi
  echo "kafka: stopped"; return 3
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  wait) wait_ready "${2:-60}" ;;
  *) echo "usage: $0 install|start|stop|restart|status|wait [seconds]" >&2; exit 2 ;;
esac
