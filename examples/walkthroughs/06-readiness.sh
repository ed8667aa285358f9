#!/usr/bin/env bash
# Section 1.3.7: readiness probes decide which pods are part of a service.
source "$(dirname "$0")/lib.sh"

# The tutorial's ReplicationController puts `spec:` at the wrong level (beside template instead of
# inside it) and elides the rest; the complete manifest:
cat > cyberchef-rc.yaml <<'YAML'
apiVersion: v1
kind: ReplicationController
metadata:
  name: cyberchef
spec:
  replicas: 2
  selector:
    app: cyberchef
  template:
    metadata:
      labels:
        app: cyberchef
    spec:
      containers:
      - name: cyberchef
        image: mpepping/cyberchef
        ports:
        - containerPort: 8000
        readinessProbe:
          exec:
            command:
            - ls
            - /var/ready
YAML
run minikctl apply -f cyberchef-rc.yaml
run minikctl expose rc cyberchef --port=80 --target-port=8000
run minikctl get pods
# No pod has /var/ready: none is ready, so the service has no ready endpoints.
run minikctl get endpoints cyberchef
check "no ready endpoint" test -z "$(minikctl get endpoints cyberchef -o jsonpath='{.subsets[*].addresses[*].ip}')"
POD=$(minikctl get pods -l app=cyberchef -o jsonpath='{.items[0].metadata.name}')
run minikctl describe pod "$POD"

# Make one pod ready: create the file, then let the next probe period (10 s) pass.
run minikctl exec "$POD" -- touch /var/ready
run minikctl clock advance 10s
run minikctl get pods
run minikctl get endpoints cyberchef
IP=$(minikctl get pod "$POD" -o jsonpath='{.status.podIP}')
check "the ready pod is an endpoint" test "$(minikctl get endpoints cyberchef -o jsonpath='{.subsets[*].addresses[*].ip}')" = "$IP"

# And out again when the file goes (after failureThreshold=3 failed probes).
run minikctl exec "$POD" -- rm /var/ready
run minikctl clock advance 30s
run minikctl get endpoints cyberchef
check "not ready again" test -z "$(minikctl get endpoints cyberchef -o jsonpath='{.subsets[*].addresses[*].ip}')"
