{{- define "covenant-hub.labels" -}}
app.kubernetes.io/part-of: covenant-hub
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{/* Liveness and readiness on a service's own port: ready means processing (docs/hub.md). */}}
{{- define "covenant-hub.probes" -}}
livenessProbe:
  httpGet: {path: /actuator/health/liveness, port: http}
  initialDelaySeconds: 30
  periodSeconds: 10
  failureThreshold: 6
readinessProbe:
  httpGet: {path: /actuator/health/readiness, port: http}
  initialDelaySeconds: 10
  periodSeconds: 5
{{- end -}}

{{/* Kafka over SASL/OAUTHBEARER as the service's own Keycloak client (application-sasl.yaml). */}}
{{- define "covenant-hub.kafkaEnv" -}}
- name: SPRING_PROFILES_ACTIVE
  value: sasl
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ .root.Values.kafka.bootstrapServers | quote }}
- name: KAFKA_TOKEN_ENDPOINT
  value: {{ .root.Values.kafka.tokenEndpoint | quote }}
- name: KAFKA_CLIENT_ID
  value: {{ .clientId | quote }}
- name: KAFKA_CLIENT_SECRET
  valueFrom:
    secretKeyRef: {name: {{ .secret | quote }}, key: kafka-client-secret}
- name: KEYCLOAK_ISSUER
  value: {{ .root.Values.keycloakIssuer | quote }}
{{- end -}}
