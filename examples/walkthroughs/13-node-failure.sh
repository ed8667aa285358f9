#!/usr/bin/env bash
# (beyond the tutorial) A node failure, as the node lifecycle controller of Kubernetes 1.32
# handles it: the kubelet stops posting status; 50 s later (--node-monitor-grace-period, 50s since 1.32) the
# node is NotReady with the node.kubernetes.io/unreachable taints and its pods are not ready
# (out of the Endpoints); 300 s later (the DefaultTolerationSeconds toleration) they are
# evicted and their ReplicaSet replaces them on the other nodes. Then the node comes back,
# and a new node joins.
source "$(dirname "$0")/lib.sh"

run minikctl create deployment web --image=nginx --replicas=4 --port=80
run minikctl expose deployment web --port=80
run minikctl get pods -o wide
run minikctl get pod -l app=web -o jsonpath='{.items[0].spec.tolerations}'
echo

# 1. The worker's kubelet stops (as `docker stop minikctl-worker` on kind).
run minikctl cluster node stop minikctl-worker
victim=$(minikctl get pods -l app=web --field-selector spec.nodeName=minikctl-worker -o jsonpath='{.items[0].metadata.name}')
fails minikctl exec "$victim" -- echo hello
run minikctl clock advance 50s
run minikctl get nodes
check "the worker is NotReady" contains "$(minikctl get nodes)" "minikctl-worker          NotReady"
run minikctl describe node minikctl-worker
check "unreachable taints" contains "$(minikctl describe node minikctl-worker)" "node.kubernetes.io/unreachable:NoExecute"
# Still Running, but not ready: the service sends them nothing.
run minikctl get endpoints web -o yaml
check "its pods are notReadyAddresses" contains "$(minikctl get endpoints web -o jsonpath='{.subsets[0].notReadyAddresses[*].nodeName}')" "minikctl-worker"
run minikctl get events --field-selector reason=NodeNotReady

# 2. 300 s later the taint-eviction-controller deletes them; the ReplicaSet replaces them.
run minikctl clock advance 5m
run minikctl get pods -o wide
check "no web pod left on the worker" test -z "$(minikctl get pods -l app=web --field-selector spec.nodeName=minikctl-worker -o name)"
check "4 web pods again" test "$(minikctl get pods -l app=web -o name | wc -l)" -eq 4
run minikctl get events --field-selector reason=TaintManagerEviction

# 3. The kubelet comes back: Ready, taints removed; the scheduler may use the node again.
run minikctl cluster node start minikctl-worker
run minikctl get nodes
check "the worker is Ready" contains "$(minikctl get nodes)" "minikctl-worker          Ready"
run minikctl scale deployment web --replicas=6
run minikctl get pods -o wide

# 4. A new worker joins (the next kind name, pod CIDR /24 and address); one is removed.
run minikctl cluster node add
run minikctl get nodes -o wide
check "a fourth worker node" contains "$(minikctl get node minikctl-worker3 -o jsonpath='{.spec.podCIDR}')" "10.244.3.0/24"
run minikctl cluster node remove minikctl-worker2
run minikctl get pods -o wide
check "6 web pods, none on the removed node" test "$(minikctl get pods -l app=web -o wide | grep -c minikctl-worker2 || true)" -eq 0
fails minikctl cluster node remove minikctl-control-plane
