#!/usr/bin/env bash
# Section 1.3.5: services for things outside the cluster: manual Endpoints, and ExternalName aliases.
source "$(dirname "$0")/lib.sh"

# A service without a selector gets no Endpoints from Kubernetes: you create them yourself.
cat > external.yaml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: cyberchef-service
spec:
  ports:
  - port: 80
---
apiVersion: v1
kind: Endpoints
metadata:
  name: cyberchef-service
subsets:
  - addresses:
    - ip: 11.11.11.11 # Ip of endpoint that the service will forward connections to
    - ip: 22.22.22.22
    ports:
    - port: 80
YAML
run minikctl apply -f external.yaml
run minikctl get endpoints cyberchef-service
check "the manual endpoints are kept" contains "$(minikctl get endpoints cyberchef-service)" "11.11.11.11:80,22.22.22.22:80"

# Pods created after the service see it in their environment, and connections are balanced
# between the two external addresses (simulated hosts: see `minikctl external-hosts list`).
run minikctl run client --image=curlimages/curl --command -- sleep infinity
run minikctl exec client -- printenv CYBERCHEF_SERVICE_SERVICE_HOST
out=$(for i in $(seq 16); do minikctl exec client -- curl -s http://cyberchef-service; done)
echo "$out" | sort | uniq -c
check "both external endpoints answered" test "$(sort -u <<<"$out" | wc -l)" -ge 2

# An alias for an external service: ExternalName is a DNS CNAME, no cluster IP, no proxying.
cat > externalname.yaml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: cyberchef-external
spec:
  type: ExternalName
  externalName: someapi.somecompany.com # API Endpoint
  ports:
  - port: 80
YAML
run minikctl apply -f externalname.yaml
run minikctl get svc cyberchef-external
run minikctl nslookup cyberchef-external
check "a CNAME to the external name" contains "$(minikctl nslookup cyberchef-external)" "canonical name = someapi.somecompany.com"
run minikctl exec client -- curl -s http://cyberchef-external.default.svc.cluster.local/
