#!/usr/bin/env bash
# (beyond the tutorial) Draining a node for maintenance with a PodDisruptionBudget, as kubectl
# 1.32's drain and the Eviction API do it: drain cordons the node, refuses (and lists) the pods
# it must not delete without a flag, evicts the others through the Eviction API, which refuses
# (429) an eviction the budget does not allow; kubectl retries it every 5 s (the cluster clock
# moves meanwhile) until the ReplicaSet's replacement on another node is ready.
source "$(dirname "$0")/lib.sh"

# Everything on minikctl-worker (worker2 cordoned meanwhile), so the drain has work to do.
run minikctl cordon minikctl-worker2
run minikctl create deployment web --image=nginx --replicas=3
run minikctl run debug --image=busybox -- sleep 3600
run minikctl uncordon minikctl-worker2
run minikctl get pods -o wide

# 1. A budget: at least 2 of the 3 web pods available at any time.
run minikctl create pdb web --selector=app=web --min-available=2
run minikctl get pdb
check "one disruption allowed" contains "$(minikctl get pdb web)" "web    2               N/A               1"
run minikctl describe pdb web

# 2. The first drain is refused: a bare pod has no controller to recreate it. The node stays cordoned.
fails minikctl drain minikctl-worker
check "the worker is cordoned" contains "$(minikctl get nodes)" "minikctl-worker          Ready,SchedulingDisabled"
check "nothing was evicted" test "$(minikctl get pods -l app=web --field-selector spec.nodeName=minikctl-worker -o name | wc -l)" -eq 3

# 3. With --force: one web pod goes at once, the next ones wait for the budget (429, retried after 5s).
run minikctl drain minikctl-worker --force --grace-period=5
check "no pod left on the worker" test -z "$(minikctl get pods --field-selector spec.nodeName=minikctl-worker -o name)"
check "3 web pods again, on worker2" test "$(minikctl get pods -l app=web --field-selector spec.nodeName=minikctl-worker2 -o name | wc -l)" -eq 3
check "the bare pod is gone for good" test -z "$(minikctl get pods debug -o name --ignore-not-found)"
run minikctl get pods -o wide
run minikctl get pdb

# 4. A budget that allows nothing: the drain gives up at --timeout.
run minikctl create pdb strict --selector=app=web --min-available=3 --dry-run=client -o yaml
run minikctl patch pdb web -p '{"spec":{"minAvailable":3}}'
run minikctl get pdb
fails minikctl drain minikctl-worker2 --timeout=12s

# 5. Maintenance done: the worker takes pods again.
run minikctl uncordon minikctl-worker2
run minikctl uncordon minikctl-worker
run minikctl get nodes
