#!/usr/bin/env bash
# Section 1.3: the Service object, testing it from inside the cluster, session affinity, multiple ports.
source "$(dirname "$0")/lib.sh"

# The tutorial's `kubectl run --replicas` made a Deployment in kubectl <= 1.17; minikctl does the same, and its
# notice says that kubectl 1.32 refuses the line (unknown flag: --replicas) and which command to use instead.
run minikctl run cyberchef --image=mpepping/cyberchef --replicas=3 --port=8000 --labels="ver=1, env=dev"

# cyberchef_service.yml, as the tutorial writes it. Its selector (app: cyberchef) matches none of the
# pods, which `run` labelled ver=1, env=dev: minikctl warns that the endpoints will be empty.
cat > cyberchef_service.yml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: cyberchef
spec:
  ports:
  - port: 80 # Host Port
    targetPort: 8000 # Container Port
  selector:
    app: cyberchef
YAML
out=$(minikctl create -f ./cyberchef_service.yml 2>&1); echo "$out"
check "the empty-selector warning" contains "$out" "selects no pods"
run minikctl get svc -o wide
run minikctl get endpoints cyberchef
check "no endpoints yet" contains "$(minikctl get endpoints cyberchef)" "<none>"

# Fix: give the pods the label the service selects (or change the service's selector).
run minikctl label pods -l ver=1 app=cyberchef
run minikctl get endpoints cyberchef
check "three endpoints" test "$(minikctl get endpoints cyberchef -o jsonpath='{.subsets[0].addresses[*].ip}' | wc -w)" -eq 3

# 1.3.1 Testing the service from within the cluster: curl its cluster IP from one of the pods.
POD=$(minikctl get pods -l app=cyberchef -o jsonpath='{.items[0].metadata.name}')
IP=$(minikctl get svc cyberchef -o jsonpath='{.spec.clusterIP}')
out=$(minikctl exec "$POD" -- curl -s "http://$IP"); head -3 <<<"$out"
check "CyberChef answers" contains "$out" "CyberChef - The Cyber Swiss Army Knife"

# 1.3.2 Session affinity: a second service with sessionAffinity: ClientIP always answers from the same pod.
cat > affinity.yaml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: cyberchef-sticky
spec:
  sessionAffinity: ClientIP
  ports:
  - port: 80
    targetPort: 8000
  selector:
    app: cyberchef
YAML
run minikctl apply -f affinity.yaml
run minikctl get svc cyberchef-sticky -o jsonpath='{.spec.sessionAffinityConfig.clientIP.timeoutSeconds}{"\n"}'
count() { minikctl logs "$1" | grep -c '"GET /"' || true; }
PODS=$(minikctl get pods -l app=cyberchef -o jsonpath='{.items[*].metadata.name}')
declare -A before
for p in $PODS; do before[$p]=$(count "$p"); done
for i in 1 2 3 4 5; do minikctl exec "$POD" -- curl -s -o /dev/null http://cyberchef-sticky; done
# Each pod's access log shows which pod served the requests: one pod served all five.
served=0
for p in $PODS; do
  n=$(( $(count "$p") - ${before[$p]} ))
  echo "$p served $n request(s)"
  if [ "$n" -gt 0 ]; then served=$((served + 1)); fi
done
check "one pod served every sticky request" test "$served" -eq 1

# 1.3.3 Multiple ports in one service: every port needs a name.
cat > multiport.yaml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: cyberchef-multi
spec:
  ports:
  - name: http
    port: 80
    targetPort: 8080
  - name: https
    port: 443
    targetPort: 8443
  selector:
    app: cyberchef
YAML
run minikctl apply -f multiport.yaml
run minikctl get svc cyberchef-multi
# Without names the API server refuses it, as a real one does:
cat > unnamed.yaml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: cyberchef-unnamed
spec:
  ports:
  - port: 80
    targetPort: 8080
  - port: 443
    targetPort: 8443
  selector:
    app: cyberchef
YAML
fails minikctl apply -f unnamed.yaml
