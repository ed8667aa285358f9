#!/usr/bin/env bash
# Config and identity in the container: ConfigMaps and Secrets in the environment, the
# missing-ConfigMap case (CreateContainerConfigError), and the pod's ServiceAccount token.
source "$(dirname "$0")/lib.sh"

cat > app.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
  - name: app
    image: nginx:1.27
    envFrom:
    - configMapRef:
        name: app-config
      prefix: APP_
    env:
    - name: DB_PASSWORD
      valueFrom:
        secretKeyRef: {name: db, key: password}
    - name: GREETING
      value: "log level $(APP_LEVEL) in $(MY_NS)"
    - name: MY_NS
      valueFrom:
        fieldRef: {fieldPath: metadata.namespace}
YAML

# The ConfigMap does not exist yet: the container cannot be configured, the pod never starts.
run minikctl apply -f app.yaml
run minikctl get pods
check "the pod waits with CreateContainerConfigError" \
  bash -c 'minikctl get pods app --no-headers | grep -q CreateContainerConfigError'
OUT=$(minikctl describe pod app)
check "describe shows the kubelet's error" contains "$OUT" 'Error: configmap "app-config" not found'
fails minikctl logs app

# Create what it needs: the kubelet's next sync starts the container.
run minikctl create configmap app-config --from-literal=LEVEL=debug
run minikctl get pods
check "still waiting for the Secret" \
  bash -c 'minikctl get pod app -o jsonpath="{.status.containerStatuses[0].state.waiting.message}" | grep -q "secret \"db\" not found"'
run minikctl create secret generic db --from-literal=password=s3cr3t
run minikctl get pods
check "the pod runs" bash -c 'minikctl get pods app --no-headers | grep -q "1/1 *Running"'
ENV=$(minikctl exec app -- env)
run minikctl exec app -- env
check "envFrom with its prefix" contains "$ENV" "APP_LEVEL=debug"
check "secretKeyRef" contains "$ENV" "DB_PASSWORD=s3cr3t"
# $(MY_NS) is defined after GREETING: it stays as written, as the kubelet expands only earlier variables
check "\$(VAR) expansion" contains "$ENV" 'GREETING=log level debug in $(MY_NS)'

# Identity: every namespace has a default ServiceAccount, and each pod gets its token.
run minikctl get sa -A
run minikctl exec app -- ls /var/run/secrets/kubernetes.io/serviceaccount
NS=$(minikctl exec app -- cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)
check "the token volume holds the namespace" test "$NS" = default
run minikctl describe pod app

# A pod naming an account that does not exist is refused by admission.
sed 's/^spec:/spec:\n  serviceAccountName: builder/; s/name: app$/name: app2/' app.yaml > app2.yaml
fails minikctl apply -f app2.yaml
run minikctl create serviceaccount builder
run minikctl apply -f app2.yaml
