"""An emulated cluster: its store, configuration, clock and object API, and its bootstrap.

``Session`` is what every command opens. ``session.write()`` is one write
transaction: the command's writes, the allocations they cause and every
controller reconcile run inside it, then it commits (or nothing does).
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager

from minikctl.api.clock import Clock
from minikctl.api.errors import MinikctlError, StoreDamaged, UsageError
from minikctl.store.db import Store

DEFAULTS = {
    "name": "minikctl",
    "nodes": 3,
    "serviceCIDR": "10.96.0.0/12",
    "podCIDR": "10.244.0.0/16",
    "nodePortRange": "30000-32767",
    "clusterDomain": "cluster.local",
    "lbPool": "172.18.255.200/29",
    "nodeNetwork": "172.18.0.0/16",
    "kubernetesVersion": "v1.32.0",
    "allowUnknownImages": False,
    # cluster create --node-cpu / --node-memory: each node's capacity (= allocatable: kind's kubelet
    # reserves nothing and evicts on nodefs/imagefs only). kind's nodes report the host's; these
    # are an 8-core, 32 GB host's.
    "nodeCPU": "8",
    "nodeMemory": "32827164Ki",  # cluster create --allow-unknown-images: pulls of images the catalog lacks succeed
}


class ClusterExists(MinikctlError):
    pass


class Session:
    def __init__(self, store: Store):
        self.store = store
        self._config: dict | None = None
        self._api = None
        self._clock: Clock | None = None
        self._correlator = None  # the event correlator, carried across this command's transactions
        self._clock_warned = False
        self._show_managed = False

    @property
    def show_managed(self) -> bool:
        """Whether this session's reads and writes return metadata.managedFields (API.show_managed)."""
        return self._show_managed

    @show_managed.setter
    def show_managed(self, value: bool) -> None:
        self._show_managed = value
        if self._api is not None:
            self._api.show_managed = value

    # -------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | os.PathLike | None, *, bootstrap: bool = True) -> "Session":
        store = Store.open(path)
        s = cls(store)
        try:
            if bootstrap and store.meta_get("cluster") is None:
                with store.write():
                    if store.meta_get("cluster") is None:
                        s._bootstrap(dict(DEFAULTS), "wall")
            elif bootstrap and store.readonly is None:  # a read-only store is shown as it is
                try:
                    s.catch_up_pending()
                    s._catch_up_probes()
                    s._catch_up_kubelet()
                    if s._due("nodes:monitor-due"):  # issue 11 (w-node): controllers/nodemonitor.py DUE_META
                        from minikctl.controllers import nodemonitor

                        nodemonitor.catch_up(s)
                    if s._due("controllers:hpa-due"):  # issue 11 (w-hpa): controllers/hpa.py DUE_META
                        from minikctl.controllers import hpa

                        hpa.catch_up(s)
                    if s._due("controllers:lb-due"):  # issue 12 (w-help): controllers/loadbalancer.py DUE_META
                        from minikctl.controllers import loadbalancer

                        loadbalancer.catch_up(s)
                except StoreDamaged:
                    pass  # reads carry on where SQLite can answer; writes say the store is damaged
        except BaseException:
            store.close()  # the caller never gets the session to close
            raise
        return s

    def _catch_up_kubelet(self) -> None:
        """Kubelet timers (image-pull re-syncs, crash-loop back-offs) that fell due while no
        command ran (wall clock) (minikctl.kubelet.pods)."""
        if self._due("kubelet:due"):
            from minikctl.kubelet import pods

            pods.catch_up(self)

    def _catch_up_probes(self) -> None:
        """Probe ticks that fell due while no command ran (wall clock) (minikctl.kubelet.probes)."""
        if self._due("kubelet:probes-due"):
            from minikctl.kubelet import probes

            probes.catch_up(self)

    def _due(self, key: str) -> bool:
        """Whether the timer kept in meta KEY fell due: one meta read per command; the caller
        opens a write transaction only when something is due."""
        raw = self.store.meta_get(key)
        if raw is None:
            return False
        try:
            due = float(raw)
        except ValueError:
            due = 0.0
        return due <= self.clock.timestamp()

    @property
    def config(self) -> dict:
        if self._config is None:
            raw = self.store.meta_get("cluster")
            self._config = json.loads(raw) if raw else dict(DEFAULTS)
        return self._config

    @property
    def clock(self) -> Clock:
        if self._clock is None:
            self._clock = Clock.from_meta(self.store.meta_get("clock"))
            if self._clock.damage:
                self._repair_clock()
        return self._clock

    def _repair_clock(self) -> None:
        """A clock stored out of range or not a number (stores damaged before the clock was
        bounded hold ``manual:1e23``) is read repaired: say so once per command, and store the
        repaired value with the command's writes."""
        if not self._clock_warned:
            import sys

            self._clock_warned = True
            sys.stderr.write(f"Warning: {self._clock.damage}\n")
        if self.store.in_write:
            self.store.meta_set("clock", self._clock.to_meta())

    @property
    def api(self):
        if self._api is None:
            from minikctl.api.server import API

            self._api = API(self.store, self.clock, self.config)
            self._api.show_managed = self._show_managed  # issue 14: serve, --show-managed-fields
        return self._api

    @contextmanager
    def write(self, *, dry_run: bool = False, defer: bool = False):
        """One transaction: writes, then controllers until the queue drains, then commit.

        defer (apply, create -f): as kube-apiserver returns once the object is persisted and the
        controllers react asynchronously, a small write whose keys the controllers may see later
        (``_deferrable``) is committed with its queue kept in meta PENDING_META; the store is
        converged by a process the command starts as it exits (``converge_in_background``) or, at
        the latest, by the next command that opens it (``open``), before that command reads."""
        try:
            with self.store.write():
                # Re-read what a concurrent command may have changed since we opened.
                self._config = None
                self._clock = None
                self._api = None
                api = self.api
                api.dry_run = dry_run
                api.field_manager = getattr(self, "field_manager", None)  # issue 14 (w-ssa)
                if self._correlator is not None:
                    api._events = self._correlator  # one event recorder per command, as per process
                yield api
                if defer and not dry_run and _deferrable(api):
                    _persist_queue(self.store, api)
                    _DEFERRED.append(self.store._path)
                else:
                    self.reconcile()
                if dry_run:
                    raise _DryRun()
                self._correlator = api._events  # kept only from a transaction that commits
        except _DryRun:
            pass

    def reconcile(self) -> None:
        try:
            from minikctl.controllers import run_queue
        except ImportError:  # pragma: no cover
            return
        run_queue(self.api)

    def catch_up_pending(self) -> None:
        """Converge the store when a command returned before its controllers ran (PENDING_META):
        one meta read when nothing is pending. Every command that opens the store does this
        before it reads (Session.open), as does `serve` before each request and tick."""
        if self.store.meta_get(PENDING_META) is not None:
            self.converge()

    def converge(self) -> None:
        """Run the controllers on the work a deferred write left (PENDING_META), in one write
        transaction; a concurrent process that got there first leaves nothing to do."""
        with self.write() as api:
            raw = self.store.meta_get(PENDING_META)
            if raw is None:
                return
            self.store.meta_delete(PENDING_META)
            pending = json.loads(raw)
            for i, key in enumerate(pending["keys"]):
                key = tuple(key)
                if key not in api._queued:
                    api._queued.add(key)
                    api.queue.append(key)
                    api._prev[key] = pending["prev"][i]

    def close(self, *, leave_deferred: bool = False) -> None:
        """leave_deferred (the console script, after a deferred write): the connection stays open
        for the process to leave without closing it (converge_in_background)."""
        if leave_deferred and self.store._path in _DEFERRED:
            _LEFT_OPEN.append(self.store)
            return
        self.store.close()

    # ------------------------------------------------------------- bootstrap
    def create_cluster(self, options: dict, clock_mode: str = "wall") -> None:
        with self.store.write():
            if self.store.meta_get("cluster") is not None:
                raise ClusterExists(f"a cluster already exists in {self.store.path}; "
                                    "use 'minikctl cluster delete' first or choose another --state")
            self._bootstrap({**DEFAULTS, **{k: v for k, v in options.items() if v is not None}}, clock_mode)

    def _bootstrap(self, cfg: dict, clock_mode: str) -> None:
        import time

        from minikctl.allocators.ranges import CIDR

        start = cfg.pop("clockStart", None)  # nanoseconds, or None: the wall clock's time
        _validate_config(cfg)
        self.store.meta_set("cluster", json.dumps(cfg))
        if clock_mode == "manual":
            clock = Clock("manual", frozen=float(int(time.time())))
            if start is not None:
                clock.frozen_ns = start
        else:
            clock = Clock()
            if start is not None:
                clock.offset_ns = start - time.time_ns()
        self.store.meta_set("clock", clock.to_meta())
        self._config, self._clock, self._api = cfg, clock, None
        api = self.api
        for ns in ("default", "kube-node-lease", "kube-public", "kube-system"):
            api.create({"apiVersion": "v1", "kind": "Namespace",
                        "metadata": {"name": ns, "labels": {"kubernetes.io/metadata.name": ns}}})
        from minikctl.api.priority import ensure_system_classes  # issue 11 (w-quota): the apiserver's bootstrap hook

        ensure_system_classes(api)
        names = node_names(cfg["name"], int(cfg["nodes"]))
        for i, name in enumerate(names):
            api.create(build_node(cfg, name, i, self.clock.rfc3339(), control_plane=i == 0, tainted=len(names) > 1))
        svc_cidr = CIDR(cfg["serviceCIDR"])
        from minikctl.controllers import kubernetes_service

        api.create(kubernetes_service.service(cfg))
        api.create(kubernetes_service.endpoints(cfg))
        api.create(kubernetes_service.endpoint_slice(cfg))
        api.create({"apiVersion": "v1", "kind": "Service",
                    "metadata": {"name": "kube-dns", "namespace": "kube-system",
                                 "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true",
                                            "kubernetes.io/name": "CoreDNS"},
                                 "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"}},
                    "spec": {"clusterIP": svc_cidr.nth(10), "selector": {"k8s-app": "kube-dns"},
                             "ports": [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                                       {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                                       {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}]}})
        api.create({"apiVersion": "apps/v1", "kind": "Deployment",
                    "metadata": {"name": "coredns", "namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}},
                    "spec": {"replicas": 2, "selector": {"matchLabels": {"k8s-app": "kube-dns"}},
                             "template": {"metadata": {"labels": {"k8s-app": "kube-dns"}},
                                          "spec": {"priorityClassName": "system-cluster-critical",
                                                   "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"},
                                                                   {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}],
                                                   "containers": [{"name": "coredns", "image": "registry.k8s.io/coredns/coredns:v1.11.3",
                                                                   "args": ["-conf", "/etc/coredns/Corefile"],
                                                                   # kubeadm's CoreDNS manifest (as on kind's nodes)
                                                                   "resources": {"limits": {"memory": "170Mi"},
                                                                                 "requests": {"cpu": "100m", "memory": "70Mi"}},
                                                                   "ports": [{"containerPort": 53, "name": "dns", "protocol": "UDP"},
                                                                             {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                                                                             {"containerPort": 9153, "name": "metrics", "protocol": "TCP"}]}]}}}})
        api.create({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
                    "metadata": {"name": "nginx", "labels": {"app.kubernetes.io/component": "controller",
                                                             "app.kubernetes.io/name": "ingress-nginx"},
                                 "annotations": {"ingressclass.kubernetes.io/is-default-class": "true"}},
                    "spec": {"controller": "k8s.io/ingress-nginx"}})
        from minikctl.controllers.ingress import bootstrap_objects  # the built-in ingress-nginx controller

        for obj in bootstrap_objects(cfg):
            api.create(obj)
        # kind's default StorageClass (its local-path-storage manifest): claims without a class
        # get it, and a volume is provisioned on the node of their first pod (issue 11)
        api.create({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
                    "metadata": {"name": "standard",
                                 "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
                    "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete",
                    "volumeBindingMode": "WaitForFirstConsumer"})
        # issue 12 (w-rbac): the bootstrap RBAC policy kube-apiserver and kubeadm create (api/rbac_bootstrap.json)
        from minikctl.api.rbac import bootstrap_objects as rbac_bootstrap_objects

        for group in rbac_bootstrap_objects():
            for obj in group:
                api.create(obj)
        api.lb_immediate = True  # issue 12: the cluster comes up with its load balancers provisioned
        self.reconcile()


# ------------------------------------------------------------ deferred reconciliation
PENDING_META = "controllers:pending"  # {"keys": [[resource, ns, name], ...], "prev": [old object or null, ...]}
# Resources whose controllers may run after the command returns: nothing they do is printed by
# the command that wrote them (a new Service's "selects no pods" warning is, so Services are not).
DEFERRABLE = frozenset({"deployments", "configmaps", "secrets"})
DEFER_MAX_KEYS = 20  # a bigger write converges before it returns, as before
DEFER_MAX_REPLICAS = 20  # nor is a rollout of more pods than this left to the next command
_DEFERRED: list[str] = []  # stores this process left unconverged (converge_in_background)
_LEFT_OPEN: list = []  # their Store objects, kept open until the process leaves (Session.close)


def _deferrable(api) -> bool:
    keys = list(api.queue)
    if not keys or len(keys) > DEFER_MAX_KEYS or getattr(api, "_endpoints_empty_watch", None):
        return False
    replicas = 0
    for resource, ns, name in keys:
        if resource not in DEFERRABLE:
            return False
        if resource == "deployments":
            obj = api.peek(resource, ns, name)
            n = ((obj or {}).get("spec") or {}).get("replicas", 1)
            replicas += n if type(n) is int else DEFER_MAX_REPLICAS + 1
    return replicas <= DEFER_MAX_REPLICAS


def _persist_queue(store, api) -> None:
    """Keep the queue (and each key's previous object, which the controllers compare with) in
    meta, merged with any left before; quota usage is written now, as admission writes it."""
    import marshal
    import sys

    quota = sys.modules.get("minikctl.api.quota")
    if quota is not None:
        quota.flush(api)
    raw = store.meta_get(PENDING_META)
    pending = json.loads(raw) if raw else {"keys": [], "prev": []}
    seen = {tuple(k) for k in pending["keys"]}
    for key in list(api.queue):
        if key not in seen:
            prev = api._prev.get(key)
            pending["keys"].append(list(key))
            pending["prev"].append(marshal.loads(prev) if type(prev) is bytes else prev)
    store.meta_set(PENDING_META, json.dumps(pending, separators=(",", ":")))


def converge_in_background() -> bool:
    """After a command that deferred its controllers (Session.write(defer=True)) has printed
    everything: start a process, detached from the caller's terminal and pipes, that opens each
    such store (Session.open converges it) and exits. The caller gets its prompt back at once,
    as kubectl's does while the controller manager works; a command started meanwhile waits for
    the store's write lock, or converges the store itself if it gets there first.

    A fresh interpreter (posix_spawn), not a fork: the command's own SQLite connection is still
    open (Session.close(leave_deferred=True)), and a connection must not cross a fork. The caller
    then leaves with os._exit (cli/app.py), so that its connection is not closed: closing the last
    connection checkpoints the WAL into the file (two fsyncs), which the converging process does
    when it is done; a WAL left behind by a process that exits after its commit is as safe as any.
    Returns whether the process was started (else the next command converges the store).
    MINIKCTL_SYNC_CONTROLLERS=1 leaves the work to the next command."""
    paths = list(dict.fromkeys(_DEFERRED))
    _DEFERRED.clear()
    if not paths or os.environ.get("MINIKCTL_SYNC_CONTROLLERS") or not hasattr(os, "posix_spawn"):
        return False
    import sys

    # this very package, wherever it was imported from (a wheel, PYTHONPATH, an editable install)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    code = ("import sys; r = sys.argv[1]; r in sys.path or sys.path.insert(0, r); "
            "from minikctl.api.cluster import converge_main; converge_main(sys.argv[2:])")
    try:
        os.posix_spawn(sys.executable, [sys.executable, "-c", code, root, *paths], os.environ,
                       file_actions=[(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDWR, 0),
                                     (os.POSIX_SPAWN_DUP2, 0, 1), (os.POSIX_SPAWN_DUP2, 0, 2)],
                       setsid=True)
    except OSError:
        return False
    return True


def converge_main(paths: list[str]) -> None:
    """The converging process of converge_in_background: each store named on its command line,
    if it is still there (a `cluster delete` meanwhile leaves nothing to do, and nothing is
    created in its place)."""
    for path in paths:
        try:
            store = Store.open(path, create=False)
        except Exception:  # noqa: BLE001 - gone, or not a store any more
            continue
        try:
            if store.readonly is None and store.meta_get("cluster") is not None:
                Session(store).catch_up_pending()
        except Exception:  # noqa: BLE001 - the next command that opens the store converges it
            pass
        finally:
            store.close()


class _DryRun(Exception):
    """Raised inside a write transaction to roll it back after computing the result."""


def node_resources(cfg: dict) -> dict:
    """A kind node's status.capacity (its allocatable is the same): the host's CPUs and memory,
    the disk, hugepages of both sizes at 0 and the kubelet's default maxPods."""
    return {"cpu": str(cfg.get("nodeCPU", DEFAULTS["nodeCPU"])), "ephemeral-storage": "263174212Ki",
            "hugepages-1Gi": "0", "hugepages-2Mi": "0",
            "memory": str(cfg.get("nodeMemory", DEFAULTS["nodeMemory"])), "pods": "110"}


def build_node(cfg: dict, name: str, i: int, now: str, control_plane: bool = False, tainted: bool = False) -> dict:
    """The i-th node of a kind cluster as its kubelet registers it: kind's labels, the i-th /24 of
    the pod CIDR, the i-th address of the node network (from .2), healthy conditions. Used by the
    bootstrap and by `cluster node add` (issue 11)."""
    from minikctl.allocators.ranges import CIDR

    sub = _subnet24(CIDR(cfg["podCIDR"]), i)
    node_net = CIDR(cfg["nodeNetwork"])
    labels = {"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
              "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux"}
    spec: dict = {"podCIDR": sub, "podCIDRs": [sub], "providerID": f"kind://docker/{cfg['name']}/{name}"}
    if control_plane:
        labels["node-role.kubernetes.io/control-plane"] = ""
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
        if tainted:
            spec["taints"] = [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": labels,
            "annotations": {"node.alpha.kubernetes.io/ttl": "0"}}, "spec": spec,
            "status": {
                "addresses": [{"address": node_net.nth(2 + i), "type": "InternalIP"},
                              {"address": name, "type": "Hostname"}],
                "allocatable": node_resources(cfg),
                "capacity": node_resources(cfg),
                "conditions": [
                    {"type": t, "status": "False", "reason": r, "message": m,
                     "lastHeartbeatTime": now, "lastTransitionTime": now}
                    for t, r, m in (("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                                    ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                                    ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"))
                ] + [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                      "message": "kubelet is posting ready status", "lastHeartbeatTime": now, "lastTransitionTime": now}],
                "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
                "nodeInfo": {"architecture": "amd64", "bootID": "", "containerRuntimeVersion": "containerd://1.7.24",
                             "kernelVersion": "6.8.0-minikctl", "kubeProxyVersion": cfg["kubernetesVersion"],
                             "kubeletVersion": cfg["kubernetesVersion"], "machineID": "", "operatingSystem": "linux",
                             "osImage": "Debian GNU/Linux 12 (bookworm)", "systemUUID": ""},
            }}


def node_names(cluster: str, n: int) -> list[str]:
    names = [f"{cluster}-control-plane"]
    for i in range(1, n):
        names.append(f"{cluster}-worker" + (str(i) if i > 1 else ""))
    return names


def _subnet24(cidr, i: int) -> str:
    from minikctl.allocators.ranges import int_to_ip

    return f"{int_to_ip(cidr.base + i * 256)}/24"


def _validate_config(cfg: dict) -> None:
    from minikctl.allocators.ranges import CIDR

    try:
        n = int(cfg["nodes"])
    except (TypeError, ValueError):
        raise UsageError(f'invalid argument "{cfg["nodes"]}" for "--nodes" flag: must be a number') from None
    if not 1 <= n <= 100:
        raise UsageError("--nodes must be between 1 and 100")
    for key, flag in (("serviceCIDR", "--service-cidr"), ("podCIDR", "--pod-cidr")):
        try:
            CIDR(cfg[key])
        except ValueError:
            raise UsageError(f'invalid {flag} "{cfg[key]}": not an IPv4 CIDR') from None
    if CIDR(cfg["serviceCIDR"]).num < 16:
        raise UsageError(f'invalid --service-cidr "{cfg["serviceCIDR"]}": needs at least 16 addresses (a /28)')
    if CIDR(cfg["podCIDR"]).num < 256 * n:
        raise UsageError(f'invalid --pod-cidr "{cfg["podCIDR"]}": too small for {n} nodes with a /24 each')
    rng = str(cfg["nodePortRange"])
    try:
        lo, hi = (int(x) for x in rng.split("-"))
        if not (1 <= lo <= hi <= 65535):
            raise ValueError
    except ValueError:
        raise UsageError(f'invalid --node-port-range "{rng}": expected FROM-TO, e.g. 30000-32767') from None
    if cfg["lbPool"] not in ("none", None):
        try:
            CIDR(cfg["lbPool"])
        except ValueError:
            raise UsageError(f'invalid --lb-pool "{cfg["lbPool"]}": expected an IPv4 CIDR or none') from None
    _validate_node_resources(cfg)
    dom = str(cfg["clusterDomain"])
    import re

    if not re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", dom):
        raise UsageError(f'invalid --cluster-domain "{dom}": must be a DNS domain such as cluster.local')


def _validate_node_resources(cfg: dict) -> None:
    """--node-cpu: a whole number of CPUs (a kind node reports the host's cores); --node-memory: a
    resource quantity (4Gi, 8000Mi, 32827164Ki), stored as the kubelet reports it (canonical form)."""
    from minikctl.api.validation import quantity_value
    from minikctl.printers.describe import Quantity, quantity_string

    cpu = str(cfg.get("nodeCPU", DEFAULTS["nodeCPU"]))
    try:
        n = int(cpu)
    except ValueError:
        raise UsageError(f'invalid argument "{cpu}" for "--node-cpu" flag: must be a whole number of CPUs') from None
    if not 1 <= n <= 1024:
        raise UsageError("--node-cpu must be between 1 and 1024")
    cfg["nodeCPU"] = str(n)
    mem = str(cfg.get("nodeMemory", DEFAULTS["nodeMemory"]))
    v = quantity_value(mem)
    if v is None:
        raise UsageError(f'invalid argument "{mem}" for "--node-memory" flag: quantities must match the regular '
                         "expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    if not 64 * 2**20 <= v <= 2**50:
        raise UsageError(f'invalid --node-memory "{mem}": must be between 64Mi and 1Pi')
    cfg["nodeMemory"] = quantity_string(Quantity(int(v), "BinarySI"))  # cadvisor's bytes, as the kubelet reports them
