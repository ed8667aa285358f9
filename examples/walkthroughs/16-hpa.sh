#!/usr/bin/env bash
# (beyond the tutorial) The Kubernetes documentation's HorizontalPodAutoscaler walkthrough
# (https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale-walkthrough/),
# as written, on the cluster clock: php-apache scales out under the load generator's requests
# and back in once the load stops and the 5-minute stabilization window has passed.
#
# The load generator is a request loop (`while sleep 0.01; do wget ...; done`): minikctl runs it
# as a rate of requests toward the Service (50 requests/s, each costing php-apache ~13 ms of CPU),
# not request by request. In a terminal, the documentation's `kubectl run -i --tty ... --rm`
# streams "OK!OK!OK!..." until Ctrl-C, then deletes the pod; meanwhile, in another terminal,
# `minikctl clock advance 1m` and `minikctl get hpa` show the autoscaler at work. In a script (as
# here) there is no terminal to attach: the pod runs on detached and `delete pod` stops it.
source "$(dirname "$0")/lib.sh"

# 1. Run and expose php-apache (minikctl ships the documentation's manifest for this URL).
run minikctl apply -f https://k8s.io/examples/application/php-apache.yaml
run minikctl get deployment php-apache

# 2. Create the HorizontalPodAutoscaler: 50% of the requested CPU, between 1 and 10 replicas.
run minikctl autoscale deployment php-apache --cpu-percent=50 --min=1 --max=10
run minikctl get hpa
check "no metrics before the first sync" contains "$(minikctl get hpa)" "cpu: <unknown>/50%"
# The controller syncs every 15 s of cluster time; metrics-server has the pod's usage by then.
run minikctl clock advance 15s
run minikctl get hpa
check "idle: 0%" contains "$(minikctl get hpa)" "cpu: 0%/50%"

# 3. Increase the load (the documentation's command; detached here, see above).
run minikctl run -i --tty load-generator --rm --image=busybox:1.28 --restart=Never -- \
  /bin/sh -c "while sleep 0.01; do wget -q -O- http://php-apache; done"
run minikctl clock advance 1m
run minikctl get hpa php-apache
run minikctl top pods
run minikctl get deployment php-apache
check "scaled out to 7 replicas" contains "$(minikctl get deployment php-apache)" "7/7"
check "about 50% each" contains "$(minikctl get hpa php-apache)" "cpu: 47%/50%"
run minikctl describe hpa php-apache
check "rescale event" contains "$(minikctl describe hpa php-apache)" \
  "New size: 4; reason: cpu resource utilization (percentage of request) above target"

# 4. Stop generating load (Ctrl-C in the documentation): the load is gone at once...
run minikctl delete pod load-generator
run minikctl clock advance 1m
run minikctl get hpa php-apache
check "no load" contains "$(minikctl get hpa php-apache)" "cpu: 0%/50%"
check "still 7 during the stabilization window" contains "$(minikctl get deployment php-apache)" "7/7"
# ... and the replicas go back once no recommendation of the last 5 minutes was higher.
run minikctl clock advance 5m
run minikctl get hpa php-apache
run minikctl get deployment php-apache
check "back to 1 replica" contains "$(minikctl get deployment php-apache)" "1/1"
run minikctl get events --field-selector involvedObject.kind=HorizontalPodAutoscaler
check "scale-in event" contains "$(minikctl get events --field-selector involvedObject.kind=HorizontalPodAutoscaler)" \
  "New size: 1; reason: All metrics below target"

# 5. The autoscaler as YAML (autoscaling/v2), and what autoscale refuses.
run minikctl get hpa php-apache -o yaml
fails minikctl autoscale deployment php-apache --max=10
fails minikctl autoscale service php-apache --max=3
