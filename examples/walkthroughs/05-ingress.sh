#!/usr/bin/env bash
# Section 1.3.6.3: Ingress: one address for many services, by host and path, and TLS.
source "$(dirname "$0")/lib.sh"

run minikctl create deployment cyberchef --image=mpepping/cyberchef --port=8000
run minikctl create deployment linkding --image=sissbruecker/linkding --port=9090
run minikctl expose deployment cyberchef --name=cyberchef-nodeport --type=NodePort --port=80 --target-port=8000
run minikctl expose deployment cyberchef --port=80 --target-port=8000
run minikctl expose deployment linkding --port=80 --target-port=9090

# The tutorial's Ingress, as written: extensions/v1beta1 (gone since Kubernetes 1.22) with
# `serviceName` not indented under `backend:`. minikctl refuses the indentation mistake...
cat > cyberchef-ingress-seed.yaml <<'YAML'
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: cyberchef
spec:
  rules:
  - host: cyberchef.example.com
    http:
      paths:
      - path: /
        backend:
        serviceName: cyberchef-nodeport
        servicePort: 80
YAML
fails minikctl apply -f cyberchef-ingress-seed.yaml
# ...and converts the old API version to networking.k8s.io/v1, with a warning, once it is indented.
cat > cyberchef-ingress.yaml <<'YAML'
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: cyberchef
spec:
  rules:
  - host: cyberchef.example.com
    http:
      paths:
      - path: /
        backend:
          serviceName: cyberchef-nodeport
          servicePort: 80
YAML
run minikctl apply -f cyberchef-ingress.yaml
run minikctl get ingresses
ADDR=$(minikctl get ingress cyberchef -o jsonpath='{.status.loadBalancer.ingress[0].ip}')
check "the ingress has an address" test -n "$ADDR"

# "Make sure you add this to your hosts file": minikctl keeps that table for its external client.
run minikctl hosts add "$ADDR" cyberchef.example.com apps.example.com linkding.example.com
check "by host name" contains "$(minikctl curl -s http://cyberchef.example.com/)" "CyberChef"
check "an unknown host gets the default backend's 404" contains "$(minikctl curl -s -H 'Host: other.example.com' "http://$ADDR/")" "404 Not Found"

# Several services behind one host, by path; and different hosts for different services.
cat > fanout.yaml <<'YAML'
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: apps
spec:
  ingressClassName: nginx
  rules:
  - host: apps.example.com
    http:
      paths:
      - path: /cyberchef
        pathType: Prefix
        backend:
          service:
            name: cyberchef
            port:
              number: 80
      - path: /linkding
        pathType: Prefix
        backend:
          service:
            name: linkding
            port:
              number: 80
  - host: linkding.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: linkding
            port:
              number: 80
YAML
run minikctl apply -f fanout.yaml
run minikctl get ingress apps
# The ingress forwards the path unchanged: CyberChef and linkding have no page at /cyberchef or
# /linkding, so each app answers 404 itself (a real ingress-nginx needs a rewrite-target
# annotation for that). Their access logs show the routing worked:
run minikctl curl -s http://apps.example.com/cyberchef
run minikctl curl -s -o /dev/null -w '%{http_code}\n' http://apps.example.com/linkding
run minikctl logs deploy/cyberchef --tail=1
check "path /cyberchef reached cyberchef" contains "$(minikctl logs deploy/cyberchef)" "GET /cyberchef"
check "path /linkding reached linkding" contains "$(minikctl logs deploy/linkding)" "GET /linkding"
# linkding answers / with a redirect to its login page: the host rule reached it.
check "host linkding.example.com" test "$(minikctl curl -s -o /dev/null -w '%{http_code}' http://linkding.example.com/)" = 302

# TLS. The tutorial's openssl lines have two slips (`--out` and a missing `-key`); corrected:
openssl genrsa -out tls.key 2048 2>/dev/null
openssl req -new -x509 -key tls.key -out tls.cert -days 360 -subj /CN=cyberchef.example.com 2>/dev/null
run minikctl create secret tls tls-secret --cert=tls.cert --key=tls.key
cat > cyberchef-ingress-tls.yaml <<'YAML'
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: cyberchef
spec:
  tls:
  - hosts:
    - cyberchef.example.com
    secretName: tls-secret
  rules:
  - host: cyberchef.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: cyberchef-nodeport
            port:
              number: 80
YAML
run minikctl apply -f cyberchef-ingress-tls.yaml
run minikctl get ingress cyberchef
out=$(minikctl curl -k -v https://cyberchef.example.com/cyberchef 2>&1 || true)
grep -E '^\* +(subject|issuer|start date|expire date)|^> GET|^< HTTP' <<<"$out"
check "the served certificate is ours" contains "$out" "subject: CN=cyberchef.example.com"
# Without -k, curl refuses a self-signed certificate (exit 60):
code=0; minikctl curl -s https://cyberchef.example.com/ >/dev/null 2>&1 || code=$?
echo "without -k: curl exit code $code"
check "self-signed refused" test "$code" -eq 60
# Plain HTTP to a TLS host is redirected (ingress-nginx's ssl-redirect):
run minikctl curl -s -o /dev/null -w '%{http_code}\n' http://cyberchef.example.com/
