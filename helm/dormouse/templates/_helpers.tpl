{{/*
Names are fixed, not prefixed by the release: Dormouse is installed once per cluster (its CRDs
and ClusterRoles are cluster-wide), and clients and the operator find the gateway Service by
this name.
*/}}
{{- define "dormouse.operator.name" -}}dormouse-operator{{- end }}
{{- define "dormouse.gateway.name" -}}dormouse-gateway{{- end }}

{{- define "dormouse.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: dormouse
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: dormouse
{{- end }}

{{/* Labels of one component; $ is the root context, .component its name (= its dormouse.io/role). */}}
{{- define "dormouse.componentLabels" -}}
{{ include "dormouse.labels" .root }}
app.kubernetes.io/component: {{ .component }}
dormouse.io/role: {{ .component }}
{{- end }}

{{- define "dormouse.selectorLabels" -}}
app.kubernetes.io/name: dormouse
app.kubernetes.io/instance: {{ .root.Release.Name }}
dormouse.io/role: {{ .component }}
{{- end }}

{{- define "dormouse.image" -}}
{{- $repo := .image.repository -}}
{{- if .root.Values.image.registry -}}{{- $repo = printf "%s/%s" .root.Values.image.registry $repo -}}{{- end -}}
{{ $repo }}:{{ .image.tag | default .root.Chart.AppVersion }}
{{- end }}

{{/* The restricted Pod Security profile, pod level. */}}
{{- define "dormouse.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* The restricted Pod Security profile, container level. */}}
{{- define "dormouse.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* The JVM writes only to /tmp; the root filesystem stays read-only. */}}
{{- define "dormouse.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- end }}

{{- define "dormouse.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{- define "dormouse.prometheusRuleEnabled" -}}
{{- $flag := .Values.monitoring.prometheusRule.enabled -}}
{{- if eq (toString $flag) "auto" -}}
{{- if .Capabilities.APIVersions.Has "monitoring.coreos.com/v1/PrometheusRule" }}true{{ end -}}
{{- else if $flag -}}true{{- end -}}
{{- end }}

{{- define "dormouse.gpuTiersRendered" -}}
{{- $mode := .Values.gpuTiersMode -}}
{{- if eq $mode "always" -}}true
{{- else if and (eq $mode "auto") (.Capabilities.APIVersions.Has "dormouse.io/v1alpha1/GpuTier") -}}true
{{- end -}}
{{- end }}

{{- define "dormouse.gateway.shutdownGrace" -}}
{{- $left := sub (sub (int .Values.gateway.terminationGracePeriodSeconds) (int .Values.gateway.preStopSleepSeconds)) 10 -}}
{{- max $left 1 -}}
{{- end }}

{{- define "dormouse.postgres.name" -}}dormouse-postgres{{- end }}

{{/* The Secret holding the ledger's user and password. */}}
{{- define "dormouse.ledger.secret" -}}
{{- .Values.ledger.postgres.existingSecret | default (include "dormouse.postgres.name" .) -}}
{{- end }}

{{/* The ledger's connection settings, as the operator and gateway read them (LedgerSettings). */}}
{{- define "dormouse.ledger.env" -}}
{{- if .Values.ledger.enabled }}
{{- $pg := .Values.ledger.postgres }}
- name: DORMOUSE_LEDGER_ENABLED
  value: "true"
- name: DORMOUSE_LEDGER_HOST
  value: {{ ternary (printf "%s.%s.svc" (include "dormouse.postgres.name" .) .Release.Namespace) $pg.host $pg.bundled | quote }}
- name: DORMOUSE_LEDGER_PORT
  value: {{ ternary 5432 $pg.port $pg.bundled | quote }}
- name: DORMOUSE_LEDGER_DATABASE
  value: {{ $pg.database | quote }}
- name: DORMOUSE_LEDGER_SSLMODE
  {{- /* The bundled server speaks plain TCP inside the namespace, behind its NetworkPolicy. */}}
  value: {{ ternary "disable" $pg.sslmode $pg.bundled | quote }}
- name: DORMOUSE_LEDGER_USER
  valueFrom:
    secretKeyRef:
      name: {{ include "dormouse.ledger.secret" . }}
      key: {{ $pg.userKey }}
- name: DORMOUSE_LEDGER_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "dormouse.ledger.secret" . }}
      key: {{ $pg.passwordKey }}
- name: DORMOUSE_LEDGER_SPOOL_DIR
  value: /var/lib/dormouse/spool
- name: DORMOUSE_LEDGER_USAGE_RETENTION_DAYS
  value: {{ .Values.ledger.usageRetentionDays | quote }}
{{- end }}
{{- end }}

{{- define "dormouse.ledger.volume" -}}
{{- if .Values.ledger.enabled }}
- name: ledger-spool
  emptyDir:
    sizeLimit: {{ .Values.ledger.spoolSizeLimit }}
{{- end }}
{{- end }}

{{- define "dormouse.ledger.mount" -}}
{{- if .Values.ledger.enabled }}
- name: ledger-spool
  mountPath: /var/lib/dormouse/spool
{{- end }}
{{- end }}
