#!/usr/bin/env bash
# Section 1.3.4: discovering services through environment variables and through DNS.
source "$(dirname "$0")/lib.sh"

run minikctl create deployment cyberchef --image=mpepping/cyberchef --replicas=2 --port=8000
run minikctl expose deployment cyberchef --port=80 --target-port=8000

# Method 1: environment variables. The pods started before the service existed, so they only
# know the kubernetes service. The tutorial's `kubectl exec POD env` is the old form: kubectl 1.32
# refuses it; minikctl still runs it, with a notice that gives the 1.32 form (exec POD -- env).
OLD=$(minikctl get pods -l app=cyberchef -o jsonpath='{.items[0].metadata.name}')
run minikctl exec "$OLD" env
check "old pod has no CYBERCHEF_ vars" test -z "$(minikctl exec "$OLD" -- env | grep CYBERCHEF_ || true)"

# Delete the pod: its replacement is created after the service, and gets its variables.
run minikctl delete pod "$OLD"
NEW=""
for p in $(minikctl get pods -l app=cyberchef -o jsonpath='{.items[*].metadata.name}'); do
  if minikctl exec "$p" -- printenv CYBERCHEF_SERVICE_HOST >/dev/null 2>&1; then NEW=$p; fi
done
run minikctl exec "$NEW" -- env
IP=$(minikctl get svc cyberchef -o jsonpath='{.spec.clusterIP}')
check "CYBERCHEF_SERVICE_HOST is the cluster IP" test "$(minikctl exec "$NEW" -- printenv CYBERCHEF_SERVICE_HOST)" = "$IP"
check "CYBERCHEF_SERVICE_PORT is 80" test "$(minikctl exec "$NEW" -- printenv CYBERCHEF_SERVICE_PORT)" = "80"

# Method 2: DNS. Every pod's /etc/resolv.conf points at kube-dns and searches the namespace first.
run minikctl exec "$NEW" -- cat /etc/resolv.conf
run minikctl get svc kube-dns -n kube-system
# The tutorial writes `kubectl exec it cyberchef-973l2 bash`: the flag is -it, and the command goes after --.
fails minikctl exec it "$NEW" bash
out=$(minikctl exec -i "$NEW" -- bash <<'SH'
curl -s http://cyberchef.default.svc.cluster.local | head -2
curl -s http://cyberchef.default | head -2
curl -s http://cyberchef | head -2
SH
)
echo "$out"
check "FQDN, namespace-qualified and short names all reach CyberChef" test "$(grep -c 'CyberChef' <<<"$out")" -eq 3
run minikctl nslookup cyberchef
check "nslookup gives the cluster IP" contains "$(minikctl nslookup cyberchef)" "Address: $IP"
