{{/* Names, labels and the checks that make a bad configuration fail at render time. */}}

{{- define "vner.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "vner.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "vner.selectorLabels" -}}
app.kubernetes.io/name: {{ include "vner.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "vner.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "vner.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: worker
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "vner.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "vner.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "vner.image" -}}
{{- $variant := ternary "gpu" "cpu" .Values.gpu.enabled -}}
{{- $tag := default (printf "%s-%s" .Chart.AppVersion $variant) .Values.image.tag -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}

{{/* Longest time a worker may need after SIGTERM, in whole seconds (rounded up). */}}
{{- define "vner.shutdownBudget" -}}
{{- $waitS := div (add .Values.batch.maxWaitMs 999) 1000 -}}
{{- add $waitS .Values.batch.timeoutSeconds .Values.shutdownMarginSeconds -}}
{{- end -}}

{{- define "vner.validate" -}}
{{- $budget := include "vner.shutdownBudget" . | int -}}
{{- if le (int .Values.terminationGracePeriodSeconds) $budget -}}
{{- fail (printf "terminationGracePeriodSeconds (%d) must be greater than batch.maxWaitMs + batch.timeoutSeconds + shutdownMarginSeconds (%d s): a worker stopping mid-batch would be killed before it commits" (int .Values.terminationGracePeriodSeconds) $budget) -}}
{{- end -}}
{{- if and (eq .Values.engine "faust") (eq .Values.kafka.delivery "exactly_once") -}}
{{- fail "engine=faust supports kafka.delivery=at_least_once only (use engine=confluent for exactly_once)" -}}
{{- end -}}
{{- if and (ne .Values.autoscaling.mode "none") (gt (int .Values.autoscaling.maxReplicas) (int .Values.kafka.inputPartitions)) -}}
{{- fail (printf "autoscaling.maxReplicas (%d) exceeds kafka.inputPartitions (%d): extra consumers in one group sit idle" (int .Values.autoscaling.maxReplicas) (int .Values.kafka.inputPartitions)) -}}
{{- end -}}
{{- if and (ne .Values.autoscaling.mode "none") (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) -}}
{{- fail "autoscaling.minReplicas must not exceed autoscaling.maxReplicas" -}}
{{- end -}}
{{- if and (hasPrefix "SASL" .Values.kafka.securityProtocol) (not .Values.kafka.sasl.existingSecret) -}}
{{- fail (printf "kafka.securityProtocol=%s needs kafka.sasl.existingSecret (the name of a Secret with the SASL credentials)" .Values.kafka.securityProtocol) -}}
{{- end -}}
{{- if and (eq .Values.model.source "pvc") (not .Values.model.existingClaim) -}}
{{- fail "model.source=pvc needs model.existingClaim" -}}
{{- end -}}
{{- range $k, $v := .Values.settings -}}
{{- if not (regexMatch "^VNER_[A-Z0-9_]+$" $k) -}}
{{- fail (printf "settings key %q must look like VNER_UPPER_CASE" $k) -}}
{{- end -}}
{{- if regexMatch "(^|_)(PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIALS?|API_KEY)(_|$)" $k -}}
{{- fail (printf "settings key %q looks like a secret: put it in a Secret and reference it (kafka.sasl.existingSecret / redis.existingSecret)" $k) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Non-secret settings of the worker, as VNER_* variables (the ConfigMap's data). */}}
{{- define "vner.settingsEnv" -}}
VNER_ENGINE: {{ .Values.engine | quote }}
VNER_KAFKA_BOOTSTRAP_SERVERS: {{ .Values.kafka.bootstrapServers | quote }}
VNER_INPUT_TOPIC: {{ .Values.kafka.inputTopic | quote }}
VNER_OUTPUT_TOPIC: {{ .Values.kafka.outputTopic | quote }}
VNER_DLQ_TOPIC: {{ .Values.kafka.dlqTopic | quote }}
VNER_GROUP_ID: {{ .Values.kafka.consumerGroup | quote }}
VNER_DELIVERY: {{ .Values.kafka.delivery | quote }}
VNER_KAFKA_SECURITY_PROTOCOL: {{ .Values.kafka.securityProtocol | quote }}
{{- if hasPrefix "SASL" .Values.kafka.securityProtocol }}
VNER_KAFKA_SASL_MECHANISM: {{ .Values.kafka.saslMechanism | quote }}
{{- end }}
{{- with .Values.kafka.tls }}
{{- if .existingSecret }}
VNER_KAFKA_SSL_CA_LOCATION: {{ printf "/etc/vner/kafka-tls/%s" .caKey | quote }}
{{- if .certKey }}
VNER_KAFKA_SSL_CERTIFICATE_LOCATION: {{ printf "/etc/vner/kafka-tls/%s" .certKey | quote }}
{{- end }}
{{- if .keyKey }}
VNER_KAFKA_SSL_KEY_LOCATION: {{ printf "/etc/vner/kafka-tls/%s" .keyKey | quote }}
{{- end }}
{{- end }}
{{- end }}
VNER_REDIS_URL: {{ ternary .Values.redis.url "" .Values.redis.enabled | quote }}
VNER_CACHE_TTL_S: {{ .Values.redis.cacheTtlSeconds | toString | quote }}
VNER_BATCH_MAX_RECORDS: {{ .Values.batch.maxRecords | toString | quote }}
VNER_BATCH_MAX_TOKENS: {{ .Values.batch.maxTokens | toString | quote }}
VNER_BATCH_MAX_WAIT_MS: {{ .Values.batch.maxWaitMs | toString | quote }}
VNER_BATCH_TIMEOUT_S: {{ .Values.batch.timeoutSeconds | toString | quote }}
VNER_MODEL_DIR: {{ ternary "" .Values.model.path (eq .Values.model.source "none") | quote }}
VNER_DEVICE: {{ ternary "cuda" "cpu" .Values.gpu.enabled | quote }}
VNER_METRICS_PORT: {{ .Values.metrics.port | toString | quote }}
VNER_DOMAINS_DIR: "/etc/vner/domains"
{{- end -}}
