"""Commands of the RBAC area (issue 12), added to the one command table (see commands.py):
auth can-i | whoami, and the create generators role, clusterrole, rolebinding, clusterrolebinding."""

from __future__ import annotations

from minikctl.cli.commands import (ALL_NS, COMMANDS, DRY_RUN, FILENAME, NO_HEADERS, OUTPUT, RECURSIVE, SAVE_CONFIG,
                                   VALIDATE, _add)
from minikctl.cli.parser import Command, Flag

AS = Flag(("--as",), "as", help="Username to impersonate for the operation. User could be a regular user or a "
          "service account in a namespace.")
AS_GROUP = Flag(("--as-group",), "as_group", "list", None, "Group to impersonate for the operation, this flag can "
                "be repeated to specify multiple groups.")

_add(Command(
    "auth", "cmd_auth:help", "Inspect authorization", "minikctl auth (can-i|reconcile|whoami)", subcommands={
        "can-i": Command(
            "can-i", "cmd_auth:can_i", "Check whether an action is allowed",
            "minikctl auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL]",
            (ALL_NS, AS, AS_GROUP,
             Flag(("-q", "--quiet"), "quiet", "bool", False, "If true, suppress output and just return the exit code."),
             Flag(("--subresource",), "subresource", help="SubResource such as pod/log or deployment/scale"),
             Flag(("--list",), "list", "bool", False, "If true, prints all allowed actions."),
             Flag(("--no-headers",), "no_headers", "bool", False,
                  "If true, prints allowed actions without headers"))),
        "reconcile": Command(
            "reconcile", "cmd_auth_reconcile:reconcile",
            "Reconciles rules for RBAC role, role binding, cluster role, and cluster role binding objects",
            "minikctl auth reconcile -f FILENAME",
            (FILENAME, RECURSIVE, OUTPUT, DRY_RUN,
             Flag(("--remove-extra-permissions",), "remove_extra_permissions", "bool", False,
                  "If true, removes extra permissions added to roles"),
             Flag(("--remove-extra-subjects",), "remove_extra_subjects", "bool", False,
                  "If true, removes extra subjects added to rolebindings"))),
        "whoami": Command(
            "whoami", "cmd_auth:whoami", "Experimental: Check self subject attributes", "minikctl auth whoami",
            (AS, AS_GROUP, Flag(("-o", "--output"), "output", help="Output format. One of: (json, yaml)."))),
    }))
del NO_HEADERS

_common = (OUTPUT, DRY_RUN, VALIDATE, SAVE_CONFIG)
_VERB = Flag(("--verb",), "verb", "list", None, "Verb that applies to the resources contained in the rule")
_RESOURCE = Flag(("--resource",), "resource", "list", None, "Resource that the rule applies to")
_RESOURCE_NAME = Flag(("--resource-name",), "resource_name", "list", None,
                      "Resource in the white list that the rule applies to, repeat this flag for multiple items")
_SUBJECTS = (
    Flag(("--user",), "user", "list", None, "Usernames to bind to the role. The flag can be repeated to add multiple users."),
    Flag(("--group",), "group", "list", None, "Groups to bind to the role. The flag can be repeated to add multiple groups."),
    Flag(("--serviceaccount",), "serviceaccount", "list", None,
         "Service accounts to bind to the role, in the format <namespace>:<name>. The flag can be repeated to add "
         "multiple service accounts."),
)
_CLUSTERROLE = Flag(("--clusterrole",), "clusterrole", help="ClusterRole this RoleBinding should reference")

COMMANDS["create"].subcommands.update({
    "role": Command("role", "cmd_create_rbac:role", "Create a role with single rule",
                    "minikctl create role NAME --verb=verb --resource=resource.group/subresource "
                    "[--resource-name=resourcename] [--dry-run=server|client|none]",
                    _common + (_VERB, _RESOURCE, _RESOURCE_NAME)),
    "clusterrole": Command("clusterrole", "cmd_create_rbac:clusterrole", "Create a cluster role",
                           "minikctl create clusterrole NAME --verb=verb --resource=resource.group "
                           "[--resource-name=resourcename] [--dry-run=server|client|none]",
                           _common + (_VERB, _RESOURCE, _RESOURCE_NAME,
                                      Flag(("--non-resource-url",), "non_resource_url", "list", None,
                                           "A partial url that user should have access to."),
                                      Flag(("--aggregation-rule",), "aggregation_rule", "list", None,
                                           "An aggregation label selector for combining ClusterRoles."))),
    "rolebinding": Command("rolebinding", "cmd_create_rbac:rolebinding",
                           "Create a role binding for a particular role or cluster role",
                           "minikctl create rolebinding NAME --clusterrole=NAME|--role=NAME [--user=username] "
                           "[--group=groupname] [--serviceaccount=namespace:serviceaccountname] "
                           "[--dry-run=server|client|none]",
                           _common + (_CLUSTERROLE, Flag(("--role",), "role",
                                                         help="Role this RoleBinding should reference")) + _SUBJECTS),
    "clusterrolebinding": Command("clusterrolebinding", "cmd_create_rbac:clusterrolebinding",
                                  "Create a cluster role binding for a particular cluster role",
                                  "minikctl create clusterrolebinding NAME --clusterrole=NAME [--user=username] "
                                  "[--group=groupname] [--serviceaccount=namespace:serviceaccountname] "
                                  "[--dry-run=server|client|none]",
                                  _common + (Flag(("--clusterrole",), "clusterrole",
                                                  help="ClusterRole this ClusterRoleBinding should reference"),)
                                  + _SUBJECTS),
})
