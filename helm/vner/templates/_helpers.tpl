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
{{- if regexMatch "(PASSWORD|PASSWD|SECRET|CREDENTIAL)|_(TOKEN|API_KEY)$" $k -}}
{{- fail (printf "settings key %q looks like a secret: put it in a Secret and reference it (kafka.sasl.existingSecret / redis.existingSecret)" $k) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Non-secret settings of the worker as VNER_* variables (StreamSettings fields; the ConfigMap's data). */}}
{{- define "vner.settingsEnv" -}}
VNER_BROKERS: {{ .Values.kafka.bootstrapServers | quote }}
VNER_INPUT_TOPIC: {{ .Values.kafka.inputTopic | quote }}
VNER_OUTPUT_TOPIC: {{ .Values.kafka.outputTopic | quote }}
VNER_DLQ_TOPIC: {{ .Values.kafka.dlqTopic | quote }}
VNER_GROUP_ID: {{ .Values.kafka.consumerGroup | quote }}
VNER_DELIVERY: {{ .Values.kafka.delivery | quote }}
VNER_SECURITY_PROTOCOL: {{ .Values.kafka.securityProtocol | quote }}
{{- if hasPrefix "SASL" .Values.kafka.securityProtocol }}
VNER_SASL_MECHANISM: {{ .Values.kafka.saslMechanism | quote }}
{{- end }}
{{- with .Values.kafka.tls }}
{{- if .existingSecret }}
VNER_SSL_CA_LOCATION: {{ printf "/etc/vner/kafka-tls/%s" .caKey | quote }}
{{- if .certKey }}
VNER_SSL_CERTIFICATE_LOCATION: {{ printf "/etc/vner/kafka-tls/%s" .certKey | quote }}
{{- end }}
{{- if .keyKey }}
VNER_SSL_KEY_LOCATION: {{ printf "/etc/vner/kafka-tls/%s" .keyKey | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- if not .Values.redis.enabled }}
VNER_REDIS_URL: ""
{{- else if not .Values.redis.existingSecret }}
VNER_REDIS_URL: {{ .Values.redis.url | quote }}
{{- end }}
VNER_CACHE_TTL_S: {{ .Values.redis.cacheTtlSeconds | toString | quote }}
VNER_BATCH_MAX_RECORDS: {{ .Values.batch.maxRecords | toString | quote }}
VNER_BATCH_TOKEN_BUDGET: {{ .Values.batch.maxTokens | toString | quote }}
VNER_BATCH_MAX_WAIT_MS: {{ .Values.batch.maxWaitMs | toString | quote }}
VNER_SHUTDOWN_TIMEOUT_S: {{ .Values.batch.timeoutSeconds | toString | quote }}
{{- if ne .Values.model.source "none" }}
VNER_MODEL_DIR: {{ .Values.model.path | quote }}
{{- end }}
VNER_METRICS_PORT: {{ .Values.metrics.port | toString | quote }}
VNER_DEFAULT_DOMAIN: {{ .Values.defaultDomain | quote }}
{{- $domains := list }}
{{- range .Values.domains }}{{ $domains = append $domains . }}{{ end }}
{{- range $name, $_ := .Values.domainSchemas }}{{ $domains = append $domains (printf "/etc/vner/domains/%s.yaml" $name) }}{{ end }}
VNER_DOMAINS: {{ $domains | toJson | quote }}
{{- end -}}

{{/* Env entries read from existing Secrets (SASL credentials, TLS key password, Redis URL). */}}
{{- define "vner.secretEnv" -}}
{{- with .Values.kafka.sasl }}
{{- if .existingSecret }}
- name: VNER_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret }}
      key: {{ .usernameKey }}
- name: VNER_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret }}
      key: {{ .passwordKey }}
{{- end }}
{{- end }}
{{- with .Values.kafka.tls }}
{{- if and .existingSecret .keyPasswordKey }}
- name: VNER_SSL_KEY_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret }}
      key: {{ .keyPasswordKey }}
{{- end }}
{{- end }}
{{- if and .Values.redis.enabled .Values.redis.existingSecret }}
- name: VNER_REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.redis.existingSecret }}
      key: {{ .Values.redis.urlKey }}
{{- end }}
{{- end -}}
