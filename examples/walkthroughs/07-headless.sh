#!/usr/bin/env bash
# Section 1.3.8: a headless service lets DNS return every pod's IP.
source "$(dirname "$0")/lib.sh"

run minikctl create deployment cyberchef --image=mpepping/cyberchef --replicas=2 --port=8000
run minikctl expose deployment cyberchef --port=80 --target-port=8000

# The tutorial's manifest puts `selector:` at the top level, outside spec: refused.
cat > headless-seed.yaml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: cyberchef-headless
spec:
  clusterIP: None
  ports:
  - port: 80
    targetPort: 8000
selector:
  app: cyberchef
YAML
fails minikctl apply -f headless-seed.yaml
sed 's/^selector:/  selector:/; s/^  app: cyberchef/    app: cyberchef/' headless-seed.yaml > headless.yaml
run minikctl apply -f headless.yaml
run minikctl get svc cyberchef-headless

# A pod with DNS tools. `--generator=run-pod/v1` is long gone from kubectl; still accepted here, with a warning.
run minikctl run dnsutils --image=tutum/dnsutils --generator=run-pod/v1 --command -- sleep infinity
run minikctl exec dnsutils nslookup cyberchef-headless
out=$(minikctl exec dnsutils -- nslookup cyberchef-headless)
for ip in $(minikctl get pods -l app=cyberchef -o jsonpath='{.items[*].status.podIP}'); do
  check "pod $ip is an A record of the headless service" contains "$out" "Address: $ip"
done
run minikctl exec dnsutils nslookup cyberchef
IP=$(minikctl get svc cyberchef -o jsonpath='{.spec.clusterIP}')
check "the normal service resolves to its cluster IP" contains "$(minikctl exec dnsutils -- nslookup cyberchef)" "Address: $IP"
run minikctl exec dnsutils -- dig +short cyberchef-headless.default.svc.cluster.local
