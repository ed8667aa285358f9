#!/usr/bin/env bash
# Section 1.3.9: the tutorial's troubleshooting list, each item shown going wrong and being checked.
source "$(dirname "$0")/lib.sh"

run minikctl create deployment web --image=luksa/kubia --replicas=2 --port=8080
run minikctl expose deployment web --port=80 --target-port=8080
run minikctl run client --image=curlimages/curl --command -- sleep infinity
IP=$(minikctl get svc web -o jsonpath='{.spec.clusterIP}')

# 1. Connect to the cluster IP from inside the cluster, not from outside:
run minikctl exec client -- curl -s "http://$IP"
fails minikctl curl -s --max-time 2 "http://$IP"

# 2. Don't ping the service IP: it is virtual, it never answers.
fails minikctl exec client -- ping -c 1 "$IP"
POD_IP=$(minikctl get pods -l app=web -o jsonpath='{.items[0].status.podIP}')
run minikctl exec client -- ping -c 1 "$POD_IP"

# 3./4. Readiness and endpoints: a service whose selector matches nothing has no endpoints.
run minikctl create service clusterip typo --tcp=80:8080
run minikctl get endpoints typo
run minikctl describe svc typo
fails minikctl exec client -- curl -sS http://typo

# 5. FQDN vs cluster IP: both work when DNS is right.
run minikctl exec client -- curl -s http://web.default.svc.cluster.local
fails minikctl exec client -- curl -sS http://web.wrongnamespace

# 6. Connect to the service port, not the target port:
fails minikctl exec client -- curl -sS --max-time 2 "http://$IP:8080"

# 7. Try the pod IP directly, on the container port:
run minikctl exec client -- curl -s "http://$POD_IP:8080"

# 8. An app that binds only to localhost is unreachable through the service. Define such an image:
cat > local-only.yaml <<'YAML'
name: example/local-only
description: an app that listens on 127.0.0.1 only
from: debian
bin: {/usr/bin: [curl]}
listen:
  - port: 8080
    address: 127.0.0.1
    http:
      routes:
        - path: /
          status: 200
          headers: {Content-Type: text/plain}
          body: "hello from {pod_name}\n"
YAML
run minikctl image add -f local-only.yaml
run minikctl create deployment local --image=example/local-only --port=8080
run minikctl expose deployment local --port=80 --target-port=8080
fails minikctl exec client -- curl -sS http://local
LPOD=$(minikctl get pods -l app=local -o jsonpath='{.items[0].metadata.name}')
run minikctl exec "$LPOD" -- curl -s http://localhost:8080/

# 9. A pod that never starts because of a misspelt image: the node cannot pull it (ErrImagePull),
# and the kubelet retries with a growing back-off (ImagePullBackOff: 10 s, 20 s, 40 s ... 5 min).
run minikctl create deployment chef --image=mpepping/cyberchf --port=8000
CPOD=$(minikctl get pods -l app=chef -o jsonpath='{.items[0].metadata.name}')
run minikctl get pods -l app=chef
check "the pull fails" contains "$(minikctl get pods -l app=chef --no-headers)" ErrImagePull
run minikctl clock advance 5s
run minikctl get pods -l app=chef
check "the kubelet backs off" contains "$(minikctl get pods -l app=chef --no-headers)" ImagePullBackOff
# describe says why: the registry has no such repository (a wrong tag would say "not found")
run minikctl describe pod "$CPOD"
check "describe shows the registry's answer" contains "$(minikctl describe pod "$CPOD")" "repository does not exist"
# Fix the image in the deployment's pod template: a new ReplicaSet's pods pull it and start.
run minikctl patch deployment chef --type=json \
  -p '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"mpepping/cyberchef"}]'
run minikctl get pods -l app=chef
check "the fixed pod runs" contains "$(minikctl get pods -l app=chef --no-headers)" "Running"

# 10. A container that starts and dies: its command fails (here it exits 1 after printing an
# error), the kubelet restarts it at once, then with a growing back-off (CrashLoopBackOff: 10 s,
# 20 s, 40 s ... 5 min). `logs --previous` shows what the dead instance printed, describe its exit code.
run minikctl run crasher --image=busybox -- sh -c 'echo "config file /etc/app.conf not found" >&2; exit 1'
run minikctl get pod crasher
check "the pod crash-loops" contains "$(minikctl get pod crasher --no-headers)" CrashLoopBackOff
run minikctl clock advance 1m
run minikctl get pod crasher
check "restarted at 0, 10 and 30 s" contains "$(minikctl get pod crasher --no-headers)" "3 (30s ago)"
run minikctl logs crasher --previous
check "the dead instance's output" contains "$(minikctl logs crasher --previous)" "config file /etc/app.conf not found"
run minikctl describe pod crasher
check "describe shows the exit code" contains "$(minikctl describe pod crasher)" "Exit Code:    1"
check "and the kubelet's back-off" contains "$(minikctl describe pod crasher)" "Back-off restarting failed container crasher"

# 11. A container over its memory limit: the kernel's OOM killer ends it (exit code 137, reason
# OOMKilled) and the kubelet restarts it with the same back-off. The Kubernetes docs' exercise:
# stress allocates 250M under a 100Mi limit.
cat > oom.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: memory-demo-2
spec:
  containers:
  - name: memory-demo-2-ctr
    image: polinux/stress
    resources:
      requests:
        memory: "50Mi"
      limits:
        memory: "100Mi"
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]
YAML
run minikctl apply -f oom.yaml
run minikctl get pod memory-demo-2
check "the container is OOM-killed" contains "$(minikctl get pod memory-demo-2 -o jsonpath='{.status.containerStatuses[0].lastState.terminated.reason}{.status.containerStatuses[0].state.terminated.reason}')" OOMKilled
run minikctl describe pod memory-demo-2
check "describe shows exit code 137" contains "$(minikctl describe pod memory-demo-2)" "Exit Code:    137"
run minikctl clock advance 1m
run minikctl get pod memory-demo-2
check "and it crash-loops" contains "$(minikctl get pod memory-demo-2 --no-headers)" "CrashLoopBackOff"

# 12. A pod whose ConfigMap does not exist: the kubelet cannot build the container's environment
# (CreateContainerConfigError) and says which object is missing; creating it starts the container.
run minikctl run needs-config --image=nginx --overrides='{"apiVersion":"v1","spec":{"containers":[{"name":"needs-config","image":"nginx","envFrom":[{"configMapRef":{"name":"app-settings"}}]}]}}'
run minikctl get pod needs-config
check "the container waits on its configuration" contains "$(minikctl get pod needs-config --no-headers)" CreateContainerConfigError
check "describe names the missing ConfigMap" contains "$(minikctl describe pod needs-config)" 'configmap "app-settings" not found'
run minikctl create configmap app-settings --from-literal=MODE=production
run minikctl get pod needs-config
check "it starts once the ConfigMap exists" contains "$(minikctl get pod needs-config --no-headers)" Running
run minikctl exec needs-config -- printenv MODE
