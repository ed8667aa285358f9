"""The mutating admission plugins kube-apiserver 1.32 runs on a pod create, after defaulting
and before validation (the order of the apiserver's create handler).

- ServiceAccount (plugin/pkg/admission/serviceaccount/admission.go): a pod without
  ``serviceAccountName`` gets ``default``; the ServiceAccount must exist (a pod naming a
  missing one is Forbidden, ``error looking up service account NS/NAME: serviceaccount
  "NAME" not found``); unless ``automountServiceAccountToken`` is false on the pod (first)
  or on the ServiceAccount, the projected ``kube-api-access-xxxxx`` volume
  (TokenVolumeSource: token 3607 s, kube-root-ca.crt's ca.crt, the namespace) is added and
  mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount in every container
  that has no mount there yet.
- DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds): a pod that does
  not tolerate node.kubernetes.io/not-ready / unreachable NoExecute gets both for 300 s.

The ServiceAccount lookup is one indexed get per pod; a transaction keeps the accounts it
found (a bulk apply of pods in one namespace looks the account up once).
"""

from __future__ import annotations

DEFAULT_SERVICE_ACCOUNT = "default"
VOLUME_PREFIX = "kube-api-access-"
TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
ROOT_CA_CONFIGMAP = "kube-root-ca.crt"
WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 3607  # pkg/serviceaccount WarnOnlyBoundTokenExpirationSeconds
DEFAULT_TOLERATION_SECONDS = 300
_CACHE = "_service_accounts"


def admit_pod(api, pod: dict) -> None:
    """Both plugins, in the order kube-apiserver enables them. Raises Forbidden."""
    spec = pod.get("spec")
    if not isinstance(spec, dict):
        return  # validation reports it
    meta = pod.get("metadata") or {}
    if "kubernetes.io/config.mirror" not in (meta.get("annotations") or {}):
        _service_account(api, pod, spec)
    _default_toleration_seconds(spec)


def forget(api, namespace: str, name: str) -> None:
    """A ServiceAccount changed: drop what this transaction kept of it."""
    cache = api.__dict__.get(_CACHE)
    if cache:
        cache.pop((namespace, name), None)


def _lookup(api, namespace: str, name: str) -> dict | None:
    cache = api.__dict__.setdefault(_CACHE, {})
    key = (namespace, name)
    sa = cache.get(key)
    if sa is None:
        sa = api.store.get("serviceaccounts", namespace, name)
        if sa is None and name == DEFAULT_SERVICE_ACCOUNT:
            # getServiceAccount retries the default account for a while: the serviceaccounts
            # controller creates it as soon as the namespace exists.
            # (A store made before these controllers existed gets its root CA here too.)
            from minikctl.controllers import rootca, serviceaccount

            serviceaccount.ensure(api, namespace)
            rootca.sync(api, namespace)
            sa = api.store.get("serviceaccounts", namespace, name)
        if sa is not None:
            cache[key] = sa
    return sa


def _forbidden_name(meta: dict) -> str:
    """admission.extractResourceName: the name, else the generateName (the apiserver generates
    the name after admission), else Unknown."""
    name = meta.get("name") or ""
    gen = meta.get("generateName") or ""
    if gen and name.startswith(gen) and len(name) == len(gen) + 5:
        return gen
    return name or gen or "Unknown"


def _service_account(api, pod: dict, spec: dict) -> None:
    from minikctl.api.errors import Forbidden

    meta = pod.get("metadata") or {}
    ns = meta.get("namespace") or "default"
    if not isinstance(spec.get("serviceAccountName"), str) or not spec.get("serviceAccountName"):
        spec["serviceAccountName"] = DEFAULT_SERVICE_ACCOUNT
    name = spec["serviceAccountName"]
    spec["serviceAccount"] = name  # v1 conversion: DeprecatedServiceAccount mirrors the name
    sa = _lookup(api, ns, name)
    if sa is None:
        raise Forbidden(f'pods "{_forbidden_name(meta)}" is forbidden: error looking up service account '
                        f'{ns}/{name}: serviceaccount "{name}" not found')
    if _should_automount(sa, spec):
        _mount_token(spec)
    if not spec.get("imagePullSecrets") and sa.get("imagePullSecrets"):
        spec["imagePullSecrets"] = [{"name": (r or {}).get("name", "")} for r in sa["imagePullSecrets"]]


def _should_automount(sa: dict, spec: dict) -> bool:
    """shouldAutomount: the pod's preference wins, then the ServiceAccount's, else true."""
    if isinstance(spec.get("automountServiceAccountToken"), bool):
        return spec["automountServiceAccountToken"]
    if isinstance(sa.get("automountServiceAccountToken"), bool):
        return sa["automountServiceAccountToken"]
    return True


def token_volume_source() -> dict:
    """TokenVolumeSource (defaultMode set explicitly, see kubernetes#104464)."""
    return {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS, "path": "token"}},
        {"configMap": {"name": ROOT_CA_CONFIGMAP, "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
        {"downwardAPI": {"items": [{"path": "namespace",
                                    "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
    ]}


def _mount_token(spec: dict) -> None:
    """mountServiceAccountToken."""
    from minikctl.api.server import rand_suffix

    volumes = spec.get("volumes")
    if not isinstance(volumes, list):
        volumes = []
    volume_name = ""
    for v in volumes:
        if isinstance(v, dict) and isinstance(v.get("name"), str) and v["name"].startswith(VOLUME_PREFIX):
            volume_name = v["name"]
            break
    has_volume = bool(volume_name)
    if not volume_name:
        volume_name = VOLUME_PREFIX + rand_suffix(5)
    needs_volume = False
    for key in ("initContainers", "containers"):
        for c in spec.get(key) or []:
            if not isinstance(c, dict):
                continue
            mounts = c.get("volumeMounts")
            if not isinstance(mounts, list):
                mounts = []
            if any(isinstance(m, dict) and m.get("mountPath") == TOKEN_MOUNT_PATH for m in mounts):
                continue  # an existing mount at the default path prevents the token's
            mounts.append({"name": volume_name, "readOnly": True, "mountPath": TOKEN_MOUNT_PATH})
            c["volumeMounts"] = mounts
            needs_volume = True
    if not has_volume and needs_volume:
        volumes.append({"name": volume_name, "projected": token_volume_source()})
        spec["volumes"] = volumes


def _default_toleration_seconds(spec: dict) -> None:
    tolerations = spec.get("tolerations")
    if tolerations is not None and not isinstance(tolerations, list):
        return  # validation reports it
    tolerations = list(tolerations or [])
    not_ready = unreachable = False
    for t in tolerations:
        if not isinstance(t, dict):
            continue
        key, effect = t.get("key") or "", t.get("effect") or ""
        if key in ("node.kubernetes.io/not-ready", "") and effect in ("NoExecute", ""):
            not_ready = True
        if key in ("node.kubernetes.io/unreachable", "") and effect in ("NoExecute", ""):
            unreachable = True
    if not_ready and unreachable:
        return
    if not not_ready:
        tolerations.append({"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                            "tolerationSeconds": DEFAULT_TOLERATION_SECONDS})
    if not unreachable:
        tolerations.append({"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
                            "tolerationSeconds": DEFAULT_TOLERATION_SECONDS})
    spec["tolerations"] = tolerations
