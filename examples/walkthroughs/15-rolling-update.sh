#!/usr/bin/env bash
# (beyond the tutorial) A rolling update and its undo, as the Kubernetes documentation's
# "Performing a Rolling Update" does it: `set image`, `rollout status` (which waits on the
# cluster clock: on this manual clock it advances it step by step), a typo in the image tag
# that stalls the rollout, `rollout undo`, `rollout history`, `rollout restart`, and `wait`.
source "$(dirname "$0")/lib.sh"

# 1. Three replicas whose readiness probe passes 5 s after they start.
cat > web.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  progressDeadlineSeconds: 60
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        readinessProbe:
          httpGet: {path: /, port: 80}
          initialDelaySeconds: 5
          periodSeconds: 5
YAML
run minikctl apply -f web.yaml
run minikctl rollout status deployment/web
run minikctl wait --for=condition=Available deployment/web
run minikctl get deploy,rs -o wide

# 2. The update: one new pod at a time (maxSurge 25%, maxUnavailable 25% of 3 replicas).
run minikctl set image deployment/web nginx=nginx:1.26
run minikctl annotate deployment/web kubernetes.io/change-cause="nginx 1.26"
run minikctl rollout status deployment/web
check "every pod runs nginx:1.26" test "$(minikctl get pods -l app=web -o jsonpath='{.items[*].spec.containers[0].image}')" = "nginx:1.26 nginx:1.26 nginx:1.26"
run minikctl rollout history deployment/web

# 3. A typo in the tag: the new pod cannot pull its image; the old pods keep serving.
run minikctl set image deployment/web nginx=nginx:1.266
run minikctl annotate deployment/web kubernetes.io/change-cause="nginx 1.266 (a typo)" --overwrite
fails minikctl rollout status deployment/web --timeout=30s
run minikctl get pods -l app=web
# maxUnavailable 25% of 3 rounds down to 0: all three old pods stay available
check "the old pods still serve" test "$(minikctl get deploy web -o jsonpath='{.status.availableReplicas}')" = 3
# after progressDeadlineSeconds the controller says so, and so does rollout status
fails minikctl rollout status deployment/web
run minikctl get deploy web -o jsonpath='{.status.conditions[?(@.type=="Progressing")].message}{"\n"}'

# 4. Undo: back to the previous revision (nginx 1.26), which becomes revision 4 (revision 2 is gone
#    from the list; its replica set keeps "2" in its revision-history annotation).
run minikctl rollout undo deployment/web
run minikctl rollout status deployment/web
run minikctl rollout history deployment/web
check "revision 4 is nginx 1.26" contains "$(minikctl rollout history deployment/web --revision=4)" "nginx:1.26"
fails minikctl rollout undo deployment/web --to-revision=2

# 5. Restart every pod (a restartedAt annotation in the template), pause and resume.
run minikctl rollout restart deployment/web
run minikctl rollout status deployment/web
run minikctl rollout pause deployment/web
run minikctl set env deployment/web MODE=blue
check "paused: no new replica set" test "$(minikctl get rs -o name | wc -l)" = 4
run minikctl rollout resume deployment/web
run minikctl rollout status deployment/web
run minikctl set env deployment/web --list
