{{/*
Names, labels and the pieces every Deployment shares. Components: edge, router, connector,
dlr-dispatcher; their values live under edge, router, connector and dlrDispatcher.
*/}}

{{- define "smsgw.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: the release name when it already contains the chart name. */}}
{{- define "smsgw.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* A component's object name: <fullname>-<component>. Call with (dict "root" $ "component" "edge"). */}}
{{- define "smsgw.componentName" -}}
{{- printf "%s-%s" (include "smsgw.fullname" .root | trunc 48 | trimSuffix "-") .component }}
{{- end }}

{{- define "smsgw.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels that select a component's pods. */}}
{{- define "smsgw.selectorLabels" -}}
app.kubernetes.io/name: {{ include "smsgw.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Every object's labels. */}}
{{- define "smsgw.labels" -}}
helm.sh/chart: {{ include "smsgw.chart" .root }}
{{ include "smsgw.selectorLabels" . }}
app.kubernetes.io/part-of: smsgw
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end }}

{{- define "smsgw.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "smsgw.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "smsgw.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret the edge's certificate is mounted from. */}}
{{- define "smsgw.tlsSecretName" -}}
{{- if .Values.tls.existingSecret }}
{{- .Values.tls.existingSecret }}
{{- else }}
{{- default (printf "%s-tls" (include "smsgw.fullname" .)) .Values.tls.certManager.secretName }}
{{- end }}
{{- end }}

{{/* ceil(shutdownGraceMs / 1000) + preStopSeconds + 5 s to exit: kubelet's clock starts before preStop. */}}
{{- define "smsgw.terminationGracePeriodSeconds" -}}
{{- add (div (add (int .shutdownGraceMs) 999) 1000) (int .preStopSeconds) 5 }}
{{- end }}

{{/* NATS_URL: from nats.url, or from a Secret when the URL carries credentials. */}}
{{- define "smsgw.natsUrlEnv" -}}
- name: NATS_URL
{{- if .Values.nats.existingSecret }}
  valueFrom:
    secretKeyRef:
      name: {{ .Values.nats.existingSecret }}
      key: {{ .Values.nats.existingSecretKey }}
{{- else }}
  value: {{ .Values.nats.url | quote }}
{{- end }}
{{- end }}

{{/* The pod and container security settings of every pod the chart makes. */}}
{{- define "smsgw.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "smsgw.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end }}

{{/*
A service's Deployment. Call with (dict "root" $ "component" "edge" "values" .Values.edge
"env" <list of env entries> "ports" <list of container ports> "volumes" <list> "volumeMounts" <list>).
"service" (default: the component) is the image argument and SERVICE_NAME: connectors are
components connector-<name> of the service connector.
*/}}
{{- define "smsgw.deployment" -}}
{{- $root := .root }}
{{- $v := .values }}
{{- $service := .service | default .component }}
{{- $ctx := dict "root" $root "component" .component }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "smsgw.componentName" $ctx }}
  labels:
    {{- include "smsgw.labels" $ctx | nindent 4 }}
spec:
  replicas: {{ $v.replicas }}
  revisionHistoryLimit: 5
  # One pod at a time, and never fewer ready pods than asked for: the new pod is ready before an old one drains.
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  selector:
    matchLabels:
      {{- include "smsgw.selectorLabels" $ctx | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "smsgw.labels" $ctx | nindent 8 }}
        {{- with $root.Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        prometheus.io/scrape: 'true'
        prometheus.io/port: '9090'
        prometheus.io/path: /metrics
        {{- with $root.Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "smsgw.serviceAccountName" $root }}
      automountServiceAccountToken: false
      # No *_SERVICE_HOST / *_PORT variables: the services read only their own.
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ include "smsgw.terminationGracePeriodSeconds" $v }}
      securityContext:
        {{- include "smsgw.podSecurityContext" $root | nindent 8 }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      {{- with $root.Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      affinity:
        {{- if $v.affinity }}
        {{- toYaml $v.affinity | nindent 8 }}
        {{- else if eq $v.antiAffinity "hard" }}
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - topologyKey: kubernetes.io/hostname
              labelSelector:
                matchLabels:
                  {{- include "smsgw.selectorLabels" $ctx | nindent 18 }}
        {{- else }}
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels:
                    {{- include "smsgw.selectorLabels" $ctx | nindent 20 }}
        {{- end }}
      containers:
        - name: {{ $service }}
          image: {{ include "smsgw.image" $root }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args: [{{ $service }}]
          env:
            - name: SERVICE_NAME
              value: {{ $service }}
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: LOG_LEVEL
              value: {{ $root.Values.logLevel }}
            {{- include "smsgw.natsUrlEnv" $root | nindent 12 }}
            - name: NATS_REPLICAS
              value: {{ $root.Values.nats.replicas | quote }}
            - name: SHUTDOWN_GRACE
              value: {{ int $v.shutdownGraceMs | quote }}
            - name: OTEL_SERVICE_NAME
              value: {{ $service }}
            {{- with $root.Values.otel.endpoint }}
            - name: OTEL_EXPORTER_OTLP_ENDPOINT
              value: {{ . | quote }}
            - name: OTEL_EXPORTER_OTLP_PROTOCOL
              value: {{ $root.Values.otel.protocol }}
            - name: OTEL_TRACES_SAMPLER
              value: parentbased_traceidratio
            - name: OTEL_TRACES_SAMPLER_ARG
              value: {{ $root.Values.otel.sampleRatio | toString | quote }}
            {{- end }}
            {{- with .env }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
            {{- range $name, $value := $v.env }}
            - name: {{ $name }}
              value: {{ $value | quote }}
            {{- end }}
          ports:
            - name: admin
              containerPort: 9090
              protocol: TCP
            {{- with .ports }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          # /livez answers while the event loop does, NATS or not: a NATS outage makes pods unready, never restarts them.
          startupProbe:
            httpGet: { path: /livez, port: admin }
            periodSeconds: 2
            timeoutSeconds: 2
            failureThreshold: 30
          livenessProbe:
            httpGet: { path: /livez, port: admin }
            periodSeconds: 10
            timeoutSeconds: 2
            failureThreshold: 3
          readinessProbe:
            httpGet: { path: /readyz, port: admin }
            periodSeconds: 5
            timeoutSeconds: 2
            failureThreshold: 2
          lifecycle:
            # Endpoints are removed asynchronously: keep serving while load balancers catch up, then SIGTERM.
            preStop:
              exec:
                command: [sleep, {{ int $v.preStopSeconds | quote }}]
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- include "smsgw.containerSecurityContext" $root | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- with .volumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
        {{- with .volumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
{{- end }}

{{/* A component's PodDisruptionBudget (voluntary evictions: node drains, cluster upgrades). */}}
{{- define "smsgw.pdb" -}}
{{- $ctx := dict "root" .root "component" .component }}
{{- if .values.pdb.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "smsgw.componentName" $ctx }}
  labels:
    {{- include "smsgw.labels" $ctx | nindent 4 }}
spec:
  maxUnavailable: {{ .values.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "smsgw.selectorLabels" $ctx | nindent 6 }}
{{- end }}
{{- end }}

{{/*
The DLR backlog limits the topology Job applies (DLR_BACKLOG_MAX, DLR_PRIORITY_BACKLOG_MAX,
DLR_BACKLOG_MAX_AGE): topology.dlrBacklog, else what dlrDispatcher.env says (where they were set
before the provisioner owned them), else unset (the defaults). One dict of strings; empty = unset.
*/}}
{{- define "smsgw.dlrBacklogLimits" -}}
{{- $b := .Values.topology.dlrBacklog }}
{{- $old := .Values.dlrDispatcher.env | default dict }}
{{- $max := "" }}
{{- if $b.max }}{{ $max = toString (int $b.max) }}{{ else if $old.DLR_BACKLOG_MAX }}{{ $max = toString $old.DLR_BACKLOG_MAX }}{{ end }}
{{- $prio := "" }}
{{- if $b.priorityMax }}{{ $prio = toString (int $b.priorityMax) }}{{ else if $old.DLR_PRIORITY_BACKLOG_MAX }}{{ $prio = toString $old.DLR_PRIORITY_BACKLOG_MAX }}{{ end }}
{{- $age := "" }}
{{- if $b.maxAge }}{{ $age = toString $b.maxAge }}{{ else if $old.DLR_BACKLOG_MAX_AGE }}{{ $age = toString $old.DLR_BACKLOG_MAX_AGE }}{{ end }}
{{- toJson (dict "DLR_BACKLOG_MAX" $max "DLR_PRIORITY_BACKLOG_MAX" $prio "DLR_BACKLOG_MAX_AGE" $age) }}
{{- end }}

{{/*
The connector bucket TTLs the topology Job applies (CONNECTOR_SMPP_UPSTREAM_ID_TTL, CONNECTOR_HEALTH_TTL):
topology.connectorBuckets, else what the connectors said before the provisioner owned them, so an
upgrade keeps its TTLs: connector.env, then each connectors[].settings in order (the current name,
then the old one: SMPP_UPSTREAM_ID_TTL_MS, CONNECTOR_HEALTH_TTL_MS), else unset (the defaults). One
dict of strings; empty = unset.
*/}}
{{- define "smsgw.connectorBucketTtls" -}}
{{- $b := .Values.topology.connectorBuckets }}
{{- $sources := list (.Values.connector.env | default dict) }}
{{- range $c := .Values.connectors }}{{ $sources = append $sources ($c.settings | default dict) }}{{ end }}
{{- $names := dict "CONNECTOR_SMPP_UPSTREAM_ID_TTL" (list $b.upstreamIdTtl "SMPP_UPSTREAM_ID_TTL_MS") "CONNECTOR_HEALTH_TTL" (list $b.healthTtl "CONNECTOR_HEALTH_TTL_MS") }}
{{- $out := dict }}
{{- range $name, $spec := $names }}
{{- $value := toString (index $spec 0 | default "") }}
{{- range $src := $sources }}
{{- if not $value }}
{{- $value = toString (index $src $name | default (index $src (index $spec 1)) | default "") }}
{{- end }}
{{- end }}
{{- $_ := set $out $name $value }}
{{- end }}
{{- toJson $out }}
{{- end }}
