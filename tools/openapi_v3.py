#!/usr/bin/env python3
"""Regenerate minikctl/api/openapi_v3/: the Kubernetes 1.32 OpenAPI v3 documents that minikctl ships.

Source: kubernetes/kubernetes, branch release-1.32, folder api/openapi-spec/v3 (the documents kube-apiserver
serves at /openapi/v3/<path>; Apache-2.0, The Kubernetes Authors). Get it with e.g.

    git clone --depth 1 --branch release-1.32 --filter=blob:none --sparse https://github.com/kubernetes/kubernetes
    git -C kubernetes sparse-checkout set api/openapi-spec/v3
    python3 tools/openapi_v3.py kubernetes/api/openapi-spec/v3

SRC may also be a tree laid out as api/v1.json, apis/apps/v1.json (sigs.k8s.io/kubectl-validate's
pkg/openapiclient/builtins/1.32, which holds the same release-1.32 documents).

Each document is kept whole (paths and components.schemas, upstream key order), re-serialised without
whitespace and gzip'd with a zero mtime so that regenerating is byte-for-byte reproducible.
Only the group-versions in GROUP_VERSIONS are shipped: those of the kinds minikctl serves (api/kinds.py)
and of the kinds its generators and commands are about to serve.
"""

from __future__ import annotations

import gzip
import json
import os
import sys

GROUP_VERSIONS = (
    "v1", "apps/v1", "batch/v1", "networking.k8s.io/v1", "discovery.k8s.io/v1", "storage.k8s.io/v1",
    "autoscaling/v1", "autoscaling/v2", "policy/v1", "rbac.authorization.k8s.io/v1", "scheduling.k8s.io/v1",
    "coordination.k8s.io/v1", "events.k8s.io/v1",
)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "minikctl", "api", "openapi_v3")


def _source(src: str, gv: str) -> str:
    path = "api/" + gv if "/" not in gv else "apis/" + gv
    for cand in (os.path.join(src, path.replace("/", "__") + "_openapi.json"), os.path.join(src, path + ".json")):
        if os.path.exists(cand):
            return cand
    raise SystemExit(f"{src}: no OpenAPI v3 document for {gv}")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    from minikctl.api.openapi import file_name  # the loader's naming, one place

    os.makedirs(OUT, exist_ok=True)
    for gv in GROUP_VERSIONS:
        with open(_source(argv[0], gv), encoding="utf-8") as f:
            doc = json.load(f)
        if "components" not in doc or "paths" not in doc:
            raise SystemExit(f"{gv}: not an OpenAPI v3 document")
        data = json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()
        target = os.path.join(OUT, file_name(gv))
        with open(target, "wb") as f:
            f.write(gzip.compress(data, 9, mtime=0))
        print(f"{gv}: {len(doc['components']['schemas'])} schemas, {len(doc['paths'])} paths -> {target}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    sys.exit(main(sys.argv[1:]))
