#!/usr/bin/env bash
# (beyond the tutorial) A NetworkPolicy that blocks and then allows traffic: the data plane
# enforces it as a policy-enforcing CNI does; a dropped connection times out (curl exit 28),
# it is not refused; DNS to kube-dns is traffic too.
source "$(dirname "$0")/lib.sh"

run minikctl create deployment web --image=nginx --port=80
run minikctl expose deployment web --port=80
run minikctl run client --image=curlimages/curl --labels=role=client -- sleep infinity
run minikctl run stranger --image=curlimages/curl -- sleep infinity
run minikctl clock advance 30s
run minikctl get pods --show-labels

# Without policies every pod reaches every pod.
run minikctl exec client -- curl -s -o /dev/null -w '%{http_code}\n' http://web
check "open before any policy" test "$(minikctl exec client -- curl -s -o /dev/null -w '%{http_code}' http://web)" = 200

# 1. Default deny: a policy that selects every pod of the namespace and allows no ingress.
cat > deny.yaml <<'YAML'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
spec:
  podSelector: {}
  policyTypes:
  - Ingress
YAML
run minikctl apply -f deny.yaml
run minikctl get netpol
# The SYN is dropped: curl waits for --connect-timeout and gives up with 28 (simulated: no real wait).
fails minikctl exec client -- curl -sS --connect-timeout 2 http://web
out=$(minikctl exec client -- curl -sS --connect-timeout 2 http://web 2>&1 || true)
check "curl times out (28), not refused" contains "$out" "curl: (28) Connection timed out after 2001 milliseconds"

# 2. Allow the pods labelled role=client (and only them) to reach web on port 80.
cat > allow.yaml <<'YAML'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-allow-clients
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - from:
    - podSelector:
        matchLabels:
          role: client
    ports:
    - port: 80
YAML
run minikctl apply -f allow.yaml
run minikctl describe networkpolicy web-allow-clients
run minikctl exec client -- curl -s -o /dev/null -w '%{http_code}\n' http://web
check "client allowed" test "$(minikctl exec client -- curl -s -o /dev/null -w '%{http_code}' http://web)" = 200
fails minikctl exec stranger -- curl -sS --connect-timeout 2 http://web

# 3. Egress: deny everything the client sends... which breaks DNS too.
cat > egress.yaml <<'YAML'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: client-egress
spec:
  podSelector:
    matchLabels:
      role: client
  policyTypes:
  - Egress
YAML
run minikctl apply -f egress.yaml
fails minikctl exec client -- curl -sS http://web
out=$(minikctl exec client -- curl -sS http://web 2>&1 || true)
check "no DNS: curl cannot resolve" contains "$out" "curl: (6) Could not resolve host: web"

# ... so allow DNS to kube-dns (UDP and TCP 53 in kube-system) and web itself.
cat > egress.yaml <<'YAML'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: client-egress
spec:
  podSelector:
    matchLabels:
      role: client
  policyTypes:
  - Egress
  egress:
  - to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: kube-system
      podSelector:
        matchLabels:
          k8s-app: kube-dns
    ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
  - to:
    - podSelector:
        matchLabels:
          app: web
YAML
run minikctl apply -f egress.yaml
run minikctl exec client -- curl -s -o /dev/null -w '%{http_code}\n' http://web
check "client allowed again" test "$(minikctl exec client -- curl -s -o /dev/null -w '%{http_code}' http://web)" = 200
# the internet is not in the egress rules
fails minikctl exec client -- curl -sS --connect-timeout 2 http://example.com

# Deleting the policies opens everything again.
run minikctl delete networkpolicy default-deny-ingress web-allow-clients client-egress
run minikctl exec stranger -- curl -s -o /dev/null -w '%{http_code}\n' http://web
check "open after delete" test "$(minikctl exec stranger -- curl -s -o /dev/null -w '%{http_code}' http://web)" = 200
