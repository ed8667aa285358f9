"""Commands of the incluster area, added to the one command table (see commands.py)."""

from __future__ import annotations

from minikctl.cli.commands import _add  # noqa: F401
from minikctl.cli.parser import Command, Flag  # noqa: F401

# ------------------------------------------------------------------ network (cmd_net)
_FROM = Flag(("--from",), "from_pod", help="run the tool inside this pod (its DNS settings, /etc/hosts and image)")
_QTYPE = Flag(("--type", "-t"), "type", help="record type: A, SRV, CNAME, PTR, TXT, ANY")
_add(Command("nslookup", "cmd_net:nslookup", "Look up a name in the cluster's DNS, as nslookup in a pod prints it",
             "minikctl nslookup NAME [SERVER] [--from POD] [-n NAMESPACE] [--type A|SRV|CNAME|PTR]",
             (_FROM, _QTYPE)))
_add(Command("dig", "cmd_net:dig", "Query the cluster's DNS, as dig in a pod prints it",
             "minikctl dig [@SERVER] NAME [TYPE] [+short] [+search] [-x IP] [--from POD] [-n NAMESPACE]",
             (_FROM, _QTYPE, Flag(("-x",), "reverse", help="reverse lookup of an IPv4 address (PTR)"))))
_add(Command("curl", "cmd_net:curl", "Send an HTTP request from outside the cluster (or from a pod with --from)",
             "minikctl curl URL [-H 'Name: value'] [-k] [-v] [-s] [-S] [-I] [-i] [-L] [-f] "
             "[--resolve HOST:PORT:ADDR] [-o /dev/null] [-w FORMAT] [--max-time S] [--connect-timeout S] "
             "[-X METHOD] [-d DATA]",
             (_FROM,
              Flag(("-v", "--verbose"), "verbose", "bool", False, "show the connection, TLS and HTTP exchange"),
              Flag(("-s", "--silent"), "silent", "bool", False, "no progress meter or error messages"),
              Flag(("-S", "--show-error"), "show_error", "bool", False, "show errors even with -s"),
              Flag(("-k", "--insecure"), "insecure", "bool", False, "accept any server certificate"),
              Flag(("-I", "--head"), "head", "bool", False, "send HEAD and show the response headers"),
              Flag(("-i", "--include"), "include", "bool", False, "include the response headers in the output"),
              Flag(("-L", "--location"), "location", "bool", False, "follow redirects"),
              Flag(("-f", "--fail"), "fail", "bool", False, "fail (exit 22) on HTTP errors"),
              Flag(("--http1.1",), "http1_1", "bool", False, "use HTTP/1.1 over TLS"),
              Flag(("--no-progress-meter",), "no_meter", "bool", False, "no progress meter"),
              Flag(("-H", "--header"), "header", "list", None, "extra request header, e.g. -H 'Host: a.example.com'"),
              Flag(("--resolve",), "resolve", "list", None, "HOST:PORT:ADDR: use ADDR for HOST on PORT"),
              Flag(("-d", "--data"), "data", "list", None, "POST data"),
              Flag(("-o", "--output"), "output", help="/dev/null (discard the body) or - (stdout)"),
              Flag(("-w", "--write-out"), "write_out", help="print after the transfer, e.g. '%{http_code}\\n'"),
              Flag(("-m", "--max-time"), "max_time", help="give up after S seconds"),
              Flag(("--connect-timeout",), "connect_timeout", help="give up connecting after S seconds"),
              Flag(("-X", "--request"), "request", help="request method"),
              Flag(("-A", "--user-agent"), "user_agent", help="User-Agent header"),
              Flag(("--cacert",), "cacert", help="(not simulated)"),
              Flag(("--max-redirs",), "max_redirs", help="maximum redirects with -L"))))
_add(Command("hosts", "cmd_net:hosts_list", "Your machine's name table for the emulated cluster (the seed's /etc/hosts)",
             "minikctl hosts (list | add IP NAME... | remove NAME...)", subcommands={
                 "list": Command("list", "cmd_net:hosts_list", "Show the names mapped on your machine",
                                 "minikctl hosts list"),
                 "add": Command("add", "cmd_net:hosts_add", "Map names to an address, as a line in /etc/hosts",
                                "minikctl hosts add IP NAME [NAME...]"),
                 "remove": Command("remove", "cmd_net:hosts_remove", "Remove names from the table",
                                   "minikctl hosts remove NAME [NAME...]", aliases=("rm",)),
             }))
_add(Command("external-hosts", "cmd_net:external_list", "The simulated hosts outside the cluster (DNS and HTTP)",
             "minikctl external-hosts (list | add -f FILE)", subcommands={
                 "list": Command("list", "cmd_net:external_list", "Show the simulated external hosts",
                                 "minikctl external-hosts list"),
                 "add": Command("add", "cmd_net:external_add", "Add or override external hosts from a YAML file",
                                "minikctl external-hosts add -f FILE",
                                (Flag(("-f", "--filename"), "filename", "list", None, "YAML file with hosts: [...]"),)),
             }))

# ------------------------------------------------------------- node side (exec, logs, image)
_CONTAINER = Flag(("-c", "--container"), "container",
                  help="container name; if omitted, use the kubectl.kubernetes.io/default-container annotation "
                       "or the first container in the pod")
_add(Command("exec", "cmd_exec:run", "Execute a command in a container",
             "minikctl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]",
             (_CONTAINER,
              Flag(("-i", "--stdin"), "stdin", "bool", False, "pass stdin to the container"),
              Flag(("-t", "--tty"), "tty", "bool", False, "stdin is a TTY"),
              Flag(("-q", "--quiet"), "quiet", "bool", False, "only print output from the remote session"),
              Flag(("--pod-running-timeout",), "pod_running_timeout", "str", "1m0s",
                   "time to wait for a pod to be running (pods start at once here)"))))
_add(Command("logs", "cmd_logs:run", "Print the logs for a container in a pod",
             "minikctl logs [-f] [-p] (POD | TYPE/NAME | -l SELECTOR) [-c CONTAINER]",
             (_CONTAINER,
              Flag(("--tail",), "tail", "int", -1, "lines of recent log file to display; -1 shows all"),
              Flag(("-p", "--previous"), "previous", "bool", False,
                   "print the logs for the previous instance of the container"),
              Flag(("-f", "--follow"), "follow", "bool", False,
                   "stream the logs (on a manual clock: the logs so far; on the wall clock: until the container ends)"),
              Flag(("--since",), "since", "str", None, "only logs newer than a relative duration like 5s, 2m, or 3h"),
              Flag(("--since-time",), "since_time", "str", None, "only logs after an RFC3339 date"),
              Flag(("--timestamps",), "timestamps", "bool", False, "include timestamps on each line"),
              Flag(("--all-containers",), "all_containers", "bool", False, "get all containers' logs in the pod(s)"),
              Flag(("--prefix",), "prefix", "bool", False, "prefix each line with the pod and container name"),
              Flag(("-l", "--selector"), "selector", help="logs of every pod with these labels (10 lines each)"),
              Flag(("-q", "--quiet"), "quiet", "bool", False, "do not print the default-container notice"))))
_IMAGE_FILE = Flag(("-f", "--filename"), "filename", "list", None, "YAML file with one image or images: [...]")
_add(Command("image", "cmd_image:help", "The image catalog: what each image has, serves and logs",
             "minikctl image (list | show NAME | add -f FILE | remove NAME)", subcommands={
                 "list": Command("list", "cmd_image:list_", "List the images the emulator knows (built-in and yours)",
                                 "minikctl image list [-o wide|yaml|json]",
                                 (Flag(("-o", "--output"), "output", help="wide | yaml | json | name"),),
                                 aliases=("ls",)),
                 "show": Command("show", "cmd_image:show", "Show an image as the emulator resolves it",
                                 "minikctl image show NAME [-o yaml|json]",
                                 (Flag(("-o", "--output"), "output", "str", "yaml", "yaml | json"),)),
                 "add": Command("add", "cmd_image:add", "Add or override images from a YAML file",
                                "minikctl image add -f FILE", (_IMAGE_FILE,)),
                 "remove": Command("remove", "cmd_image:remove", "Remove an image you added",
                                   "minikctl image remove NAME", aliases=("rm", "delete")),
             }))
