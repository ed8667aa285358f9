"""The review kinds kube-apiserver serves create-only (nothing is stored): `minikctl api-resources`
and `minikctl serve`'s discovery list them as a kind cluster does; `minikctl serve` answers them
(apiserver/auth.py: pkg/registry/authorization/*/rest.go, pkg/registry/authentication/*/rest.go).
They are not in api/kinds.KINDS: nothing gets, lists or stores them."""

from __future__ import annotations

from minikctl.api.kinds import Kind

VERBS = ("create",)
KINDS: tuple[Kind, ...] = (
    Kind("SelfSubjectReview", "selfsubjectreviews", "selfsubjectreview", "authentication.k8s.io", "v1", False),
    Kind("TokenReview", "tokenreviews", "tokenreview", "authentication.k8s.io", "v1", False),
    Kind("LocalSubjectAccessReview", "localsubjectaccessreviews", "localsubjectaccessreview", "authorization.k8s.io",
         "v1", True),
    Kind("SelfSubjectAccessReview", "selfsubjectaccessreviews", "selfsubjectaccessreview", "authorization.k8s.io",
         "v1", False),
    Kind("SelfSubjectRulesReview", "selfsubjectrulesreviews", "selfsubjectrulesreview", "authorization.k8s.io", "v1",
         False),
    Kind("SubjectAccessReview", "subjectaccessreviews", "subjectaccessreview", "authorization.k8s.io", "v1", False),
)
PLURALS = {k.plural: k for k in KINDS}


def resolve(name: str) -> Kind | None:
    """A review kind by its plural, singular or kind name (lower case), optionally group-qualified."""
    low = name.lower()
    res, _, group = low.partition(".")
    for k in KINDS:
        if res in (k.plural, k.singular, k.kind.lower()) and group in ("", k.group, f"{k.version}.{k.group}"):
            return k
    return None
