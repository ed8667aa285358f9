"""Init containers whose process polls (`until nslookup mysvc; do sleep 2; done`): simulated
again when a Service of the namespace changes.
"""

from __future__ import annotations

import json

from minikctl.kubelet.pods.images import resolve_image


POLLING_META = "kubelet:polling:"  # + namespace: JSON {"uid/container": [pod, containerID]}


def _polling(api, pod: dict, name: str, cid: str, on: bool) -> None:
    """Remember an init container whose process still runs after its simulated hour (a loop that
    polls: `until nslookup mysvc; do sleep 2; done`), per namespace."""
    m = pod["metadata"]
    key = POLLING_META + m.get("namespace", "default")
    raw = api.store.meta_get(key)
    items = json.loads(raw) if raw else {}
    k = f"{m['uid']}/{name}"
    if on:
        items[k] = [m["name"], cid]
    elif items.pop(k, None) is None:
        return
    if items:
        api.store.meta_set(key, json.dumps(items, sort_keys=True))
    else:
        api.store.meta_delete(key)


def retry_polling(api, namespace: str) -> None:
    """A Service of the namespace changed: an init container polling for one (the documentation's
    `until nslookup myservice; do sleep 2; done`) was simulated against the cluster as it was; its
    loop is simulated again from now, against the cluster as it is now (what it would print from
    now on replaces what was simulated ahead), so it ends once what it waits for exists."""
    raw = api.store.meta_get(POLLING_META + namespace)
    if not raw:
        return
    for k, (pod_name, cid) in sorted(json.loads(raw).items()):
        uid, _, cname = k.partition("/")
        pod = api.try_get("pods", namespace, pod_name)
        st = None
        if pod is not None and pod["metadata"]["uid"] == uid and not pod["metadata"].get("deletionTimestamp"):
            found = _statuses_of(pod, cname)
            st = found[0][found[1]] if found else None
        if st is None or st.get("containerID") != cid or "running" not in (st.get("state") or {}):
            _polling(api, {"metadata": {"name": pod_name, "uid": uid, "namespace": namespace}}, cname, cid, False)
            continue
        _repoll(api, pod, cname, st)


def _repoll(api, pod: dict, name: str, st: dict) -> None:
    from minikctl.images import catalog
    from minikctl.kubelet import envvars
    from minikctl.kubelet.exec import run_main_process

    c = _spec_container(pod, name) or {}
    img = resolve_image(api, c.get("image", ""))
    proc = catalog.main_process(img, c, dict(envvars.container_env(api, pod, name)))
    if not proc.get("argv"):
        return
    instance = int(st.get("restartCount") or 0)
    now = api.clock.timestamp()
    _drop_future_logs(api, pod, name, instance, now)
    res = run_main_process(api, pod, c, proc["argv"])
    uid = pod["metadata"]["uid"]
    if res["log"]:
        api.store.container_log_append_rows([(uid, name, instance, ts, ln) for ts, ln in res["log"]])
    if res["exitCode"] is None:
        return  # still polling
    _polling(api, pod, name, st.get("containerID", ""), False)
    _schedule_exit(api, pod, name, st.get("containerID", ""), now + float(res["after"] or 0), int(res["exitCode"]))
    if not res["after"]:
        _advance_pod(api, pod, now)


# The modules of this package call one another (a container's exit restarts it, a start
# schedules timers, ...): imported after every definition, so any import order works.
from minikctl.kubelet.pods.backoff import _schedule_exit  # noqa: E402
from minikctl.kubelet.pods.containers import _drop_future_logs, _spec_container, _statuses_of  # noqa: E402
from minikctl.kubelet.pods.timers import _advance_pod  # noqa: E402
