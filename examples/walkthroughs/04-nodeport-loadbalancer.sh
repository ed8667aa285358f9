#!/usr/bin/env bash
# Section 1.3.6.1-2: exposing services to external clients with NodePort and LoadBalancer services.
source "$(dirname "$0")/lib.sh"

run minikctl create deployment cyberchef --image=mpepping/cyberchef --replicas=2 --port=8000

# cyberchef_nodeport.yml as the tutorial writes it: `app: cyberchef` is not indented under
# `selector:`, so it lands in spec, which has no such field.
cat > cyberchef_nodeport_seed.yml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: cyberchef-nodeport
spec:
  type: NodePort
  ports:
  - port: 80
    targetPort: 8000
    nodePort: 30123
  selector:
  app: cyberchef
YAML
fails minikctl apply -f cyberchef_nodeport_seed.yml
# Fixed indentation:
sed 's/^  app: cyberchef/    app: cyberchef/' cyberchef_nodeport_seed.yml > cyberchef_nodeport.yml
run minikctl apply -f cyberchef_nodeport.yml
run minikctl get svc cyberchef-nodeport
check "node port 30123" contains "$(minikctl get svc cyberchef-nodeport)" "80:30123/TCP"

# Every node answers on the node port, from outside the cluster:
for ip in $(minikctl get nodes -o jsonpath='{.items[*].status.addresses[?(@.type=="InternalIP")].address}'); do
  out=$(minikctl curl -s "http://$ip:30123/")
  check "node $ip:30123 reaches CyberChef" contains "$out" "CyberChef"
  echo "$ip:30123 -> $(head -2 <<<"$out" | tail -1)"
done
# A cluster IP is not reachable from outside the cluster:
IP=$(minikctl get svc cyberchef-nodeport -o jsonpath='{.spec.clusterIP}')
fails minikctl curl -s --max-time 2 "http://$IP/"

# The tutorial's `kubectl expose ... --targetPort=8000`: the flag is --target-port.
fails minikctl expose deployment cyberchef --type=NodePort --port=80 --targetPort=8000
run minikctl expose deployment cyberchef --type=NodePort --port=80 --target-port=8000
run minikctl get svc cyberchef

# externalTrafficPolicy: Local only sends to pods on the node that received the connection;
# a node without such a pod lets the connection hang (curl times out, exit 28).
run minikctl patch svc cyberchef-nodeport -p '{"spec":{"externalTrafficPolicy":"Local"}}'
run minikctl get pods -o wide
for ip in $(minikctl get nodes -o jsonpath='{.items[*].status.addresses[?(@.type=="InternalIP")].address}'); do
  node=$(minikctl get nodes -o jsonpath="{.items[?(@.status.addresses[0].address==\"$ip\")].metadata.name}")
  if minikctl get pods -l app=cyberchef --field-selector "spec.nodeName=$node" -o name | grep -q .; then
    run minikctl curl -s -o /dev/null -w '%{http_code}\n' "http://$ip:30123/"
  else
    code=0; minikctl curl -s --max-time 3 "http://$ip:30123/" || code=$?
    echo "$ip ($node, no local pod): curl exit code $code"
    check "no local pod: timeout" test "$code" -eq 28
  fi
done

# LoadBalancer: `kubectl edit service cyberchef` and change spec.type (here with an editor script).
cat > to-lb.sh <<'SH'
#!/bin/sh
sed -i 's/^  type: NodePort$/  type: LoadBalancer/' "$1"
SH
chmod +x to-lb.sh
EDITOR="$PWD/to-lb.sh" run minikctl edit service cyberchef
# "If you do a kubectl get services right away you'll see that the EXTERNAL-IP column for cyberchef
# now says pending. Wait a bit and you should see a public address": provisioning takes a few
# seconds of cluster time (on this walkthrough's manual clock, `clock advance` is the wait).
run minikctl get svc cyberchef
check "EXTERNAL-IP pending right away" contains "$(minikctl get svc cyberchef)" "<pending>"
run minikctl clock advance 5s
run minikctl get svc cyberchef
LB=$(minikctl get svc cyberchef -o jsonpath='{.status.loadBalancer.ingress[0].ip}')
check "an external IP from the load-balancer pool" test -n "$LB"
check "the load balancer reaches CyberChef" contains "$(minikctl curl -s "http://$LB/")" "CyberChef"

# The tutorial's cyberchef_loadbalancer.yml nests the selector under the port: refused with a hint.
cat > cyberchef_loadbalancer.yml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: cyberchef-lb
spec:
  type: LoadBalancer
  ports:
  - port: 80
    targetPort: 8000
    selector:
      app: cyberchef
YAML
fails minikctl apply -f cyberchef_loadbalancer.yml
