#!/usr/bin/env bash
# (beyond the tutorial) StatefulSet with per-pod DNS: the Kubernetes documentation's
# "StatefulSet Basics" — stable names web-0, web-1, a headless governing Service that gives
# each pod its own DNS name, and a PersistentVolumeClaim per pod whose data outlives the pod.
source "$(dirname "$0")/lib.sh"

cat > web.yaml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  ports:
  - port: 80
    name: web
  clusterIP: None
  selector:
    app: nginx
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: "nginx"
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.24
        ports:
        - containerPort: 80
          name: web
        readinessProbe:
          exec:
            command: [ls, /tmp/ready]
          periodSeconds: 5
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ "ReadWriteOnce" ]
      resources:
        requests:
          storage: 1Gi
YAML
run minikctl apply -f web.yaml

# OrderedReady: web-1 is not created before web-0 is Running and Ready (its probe waits for /tmp/ready).
run minikctl get pods -l app=nginx
check "only web-0 exists while it is not ready" test "$(minikctl get pods -l app=nginx -o name)" = "pod/web-0"
run minikctl exec web-0 -- touch /tmp/ready
run minikctl clock advance 5s
run minikctl exec web-1 -- touch /tmp/ready
run minikctl clock advance 5s
run minikctl get statefulset web
check "both replicas are ready" contains "$(minikctl get sts web)" "web    2/2"

# Each pod's claim (www-web-0, www-web-1) was bound to a volume of the default StorageClass
# `standard` when the pod was scheduled (volumeBindingMode: WaitForFirstConsumer).
run minikctl get storageclass
run minikctl get pvc -l app=nginx
check "the claims are Bound" contains "$(minikctl get pvc www-web-0)" "Bound"

# Stable network identity: hostname, and a DNS name per pod through the headless Service.
for i in 0 1; do run minikctl exec "web-$i" -- sh -c 'hostname'; done
run minikctl run dnsutils --image=tutum/dnsutils --restart=Never --command -- sleep infinity
run minikctl exec dnsutils -- nslookup web-0.nginx
IP0=$(minikctl get pod web-0 -o jsonpath='{.status.podIP}')
check "web-0.nginx resolves to web-0's IP" contains "$(minikctl exec dnsutils -- nslookup web-0.nginx)" "Address: $IP0"
run minikctl exec dnsutils -- dig +short SRV _web._tcp.nginx.default.svc.cluster.local
check "one SRV record per pod" contains "$(minikctl exec dnsutils -- dig +short SRV _web._tcp.nginx.default.svc.cluster.local)" "web-1.nginx.default.svc.cluster.local."
run minikctl exec web-0 -- cat /etc/hosts

# Stable storage: write each pod's hostname into its volume, delete the pods, read it back.
for i in 0 1; do run minikctl exec "web-$i" -- sh -c 'echo "$(hostname)" > /usr/share/nginx/html/index.html'; done
run minikctl exec web-1 -- curl -s http://web-0.nginx
run minikctl delete pod -l app=nginx
run minikctl exec web-0 -- touch /tmp/ready
run minikctl clock advance 5s
run minikctl exec web-1 -- touch /tmp/ready
run minikctl clock advance 5s
run minikctl get pods -l app=nginx
run minikctl exec web-1 -- curl -s http://web-0.nginx
check "web-0's page survived the pod's deletion" test "$(minikctl exec web-1 -- curl -s http://web-0.nginx)" = "web-0"

# Scaling down removes the highest ordinal first; the claims stay (whenScaled: Retain).
run minikctl scale sts web --replicas=1
run minikctl get pods -l app=nginx
run minikctl get pvc
run minikctl describe statefulset web
