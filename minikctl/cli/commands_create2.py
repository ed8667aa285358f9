"""More create generators (issue 12), added to the one command table (see commands.py): ingress, token,
secret docker-registry, and configmap / secret generic with --from-env-file, --from-file=DIR, binaryData and
--append-hash (handlers: cli/cmd_create_more.py)."""

from __future__ import annotations

from minikctl.cli.commands import COMMANDS, DRY_RUN, OUTPUT, SAVE_CONFIG, VALIDATE
from minikctl.cli.parser import Command, Flag

_common = (OUTPUT, DRY_RUN, VALIDATE, SAVE_CONFIG)
_APPEND_HASH = Flag(("--append-hash",), "append_hash", "bool", False, "Append a hash of the object to its name.")
_FROM_LITERAL = Flag(("--from-literal",), "from_literal", "list", None,
                     "Specify a key and literal value to insert (i.e. mykey=somevalue)")
_FROM_FILE = Flag(("--from-file",), "from_file", "list", None,
                  "Key file can be specified using its file path, in which case file basename will be used as key, "
                  "or optionally with a key and file path, in which case the given key will be used.  Specifying a "
                  "directory will iterate each named file in the directory whose basename is a valid key.")
_FROM_ENV_FILE = Flag(("--from-env-file",), "from_env_file", "list", None,
                      "Specify the path to a file to read lines of key=val pairs (i.e. a Docker .env file).")

_create = COMMANDS["create"].subcommands
_create["configmap"] = Command(
    "configmap", "cmd_create_more:configmap", "Create a config map from a local file, directory or literal value",
    "minikctl create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none]",
    _common + (_FROM_LITERAL, _FROM_FILE, _FROM_ENV_FILE, _APPEND_HASH), aliases=("cm",))
_secret = _create["secret"].subcommands
_secret["generic"] = Command(
    "generic", "cmd_create_more:secret_generic", "Create a secret from a local file, directory, or literal value",
    "minikctl create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] "
    "[--dry-run=server|client|none]",
    _common + (_FROM_LITERAL, _FROM_FILE, _FROM_ENV_FILE, _APPEND_HASH,
               Flag(("--type",), "type", help="The type of secret to create")))
_secret["docker-registry"] = Command(
    "docker-registry", "cmd_create_more:secret_docker_registry", "Create a secret for use with a Docker registry",
    "minikctl create secret docker-registry NAME --docker-username=user --docker-password=password "
    "--docker-email=email [--docker-server=string] [--from-file=[key=]source] [--dry-run=server|client|none]",
    _common + (_FROM_FILE, _APPEND_HASH,
               Flag(("--docker-server",), "docker_server", help="Server location for Docker registry "
                    "(default https://index.docker.io/v1/)"),
               Flag(("--docker-username",), "docker_username", help="Username for Docker registry authentication"),
               Flag(("--docker-password",), "docker_password", help="Password for Docker registry authentication"),
               Flag(("--docker-email",), "docker_email", help="Email for Docker registry")))
_create["ingress"] = Command(
    "ingress", "cmd_create_more:ingress", "Create an ingress with the specified name",
    "minikctl create ingress NAME --rule=host/path=service:port[,tls[=secret]]",
    _common + (Flag(("--class",), "class", help="Ingress Class to be used"),
               Flag(("--rule",), "rule", "list", None, "Rule in format host/path=service:port[,tls=secretname]. "
                    "Paths containing the leading character '*' are considered pathType=Prefix. tls argument is "
                    "optional."),
               Flag(("--default-backend",), "default_backend",
                    help="Default service for backend, in format of svcname:port"),
               Flag(("--annotation",), "annotation", "list", None,
                    "Annotation to insert in the ingress object, in the format annotation=value")),
    aliases=("ing",))
_create["token"] = Command(
    "token", "cmd_create_more:token", "Request a service account token",
    "minikctl create token SERVICE_ACCOUNT_NAME",
    (Flag(("--duration",), "duration", help="Requested lifetime of the issued token. If not set or if set to 0, "
          "the lifetime will be determined by the server automatically."),
     Flag(("--audience",), "audience", "list", None, "Audience of the requested token. May be repeated."),
     Flag(("--bound-object-kind",), "bound_object_kind", help="Kind of an object to bind the token to. Supported "
          "kinds are Node, Pod, Secret. If set, --bound-object-name must be provided."),
     Flag(("--bound-object-name",), "bound_object_name", help="Name of an object to bind the token to."),
     Flag(("--bound-object-uid",), "bound_object_uid", help="UID of an object to bind the token to.")))
