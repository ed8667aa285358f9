"""Small differences from kubectl 1.32 found by tests/parity (each test names the kubectl source
it follows; the expected texts are kubectl 1.32's for the same command line)."""

from __future__ import annotations


def test_get_one_missing_object_structured_prints_only_the_error(cluster):
    # get.go printGeneric: one TYPE NAME implies a single item: its error alone, no empty List
    r = cluster("get svc nope -o yaml")
    assert (r.code, r.out, r.err) == (1, "", 'Error from server (NotFound): services "nope" not found\n')
    r = cluster("get svc nope other -o yaml")  # two names: the empty List, then the errors
    assert r.code == 1 and r.out.startswith("apiVersion: v1\nitems: []\nkind: List\n")


def test_get_ignore_not_found_prints_nothing(cluster):
    # get.go: "No resources found" only when not ignoring NotFound; printGeneric prints nothing
    for line in ("get deploy nope --ignore-not-found", "get deploy -l app=nope --ignore-not-found",
                 "get deploy nope -o yaml --ignore-not-found", "get deploy -l app=nope -o json --ignore-not-found"):
        r = cluster(line)
        assert (r.code, r.out, r.err) == (0, "", ""), line


def test_resource_with_a_group_that_does_not_map(cluster):
    # apimachinery schema.ParseResourceArg + the RESTMapper: the group (or version.group) must be the
    # resource's; kubectl then names only the resource part
    for word, res in (("deploy.nope", "deploy"), ("pods.v1", "pods"), ("svc.v2", "svc"),
                      ("cronjobs.v2.batch", "cronjobs"), ("deployment.extensions", "deployment")):
        r = cluster(f"get {word}")
        assert (r.code, r.out, r.err) == (1, "", f'error: the server doesn\'t have a resource type "{res}"\n'), word
    for word in ("deploy.apps", "Deployment.apps", "deployments.v1.apps", "cronjobs.v1.batch",
                 "ingresses.networking.k8s.io", "ing.networking"):
        assert cluster(f"get {word}").code == 0, word


def test_overrides_that_are_not_an_object(cluster):
    # cmdutil.Merge (kubectl run / expose --overrides): kubectl 1.32's messages, never an internal error
    typemeta = ('struct { APIVersion string "json:\\"apiVersion,omitempty\\""; '
                'Kind string "json:\\"kind,omitempty\\"" }')
    for value, err in (("bogus", "error: Invalid JSON Patch\n"), ('\'"x"\'', "error: Invalid JSON Patch\n"),
                       ("'[1]'", "error: couldn't get version/kind; json parse error: json: cannot unmarshal array "
                                 f"into Go value of type {typemeta}\n")):
        r = cluster(f"run web --image=nginx --overrides={value} --dry-run=client")
        assert (r.code, r.out, r.err) == (1, "", err), value


def test_create_job_from_something_else(cluster):
    # create_job.go: the builder reads --from, then the object must be a *v1.CronJob
    cluster("create deployment web --image=nginx")
    for src, err in (("deployment/web", "error: unknown object type *v1.Deployment\n"),
                     ("nightly", 'error: the server doesn\'t have a resource type "nightly"\n'),
                     ("cronjob", "error: resource(s) were provided, but no name was specified\n"),
                     ("cronjob/nope", 'Error from server (NotFound): cronjobs.batch "nope" not found\n')):
        r = cluster(f"create job manual --from={src} --dry-run=client")
        assert (r.code, r.out, r.err) == (1, "", err), src


def test_create_cronjob_restart_is_the_servers_to_check(cluster):
    # create_cronjob.go sets restartPolicy as given; the apiserver refuses Always
    r = cluster("create cronjob c --image=busybox --schedule='0 * * * *' --restart=Always --dry-run=client -o yaml")
    assert r.code == 0 and "restartPolicy: Always\n" in r.out
    r = cluster("create cronjob c --image=busybox --schedule='0 * * * *' --restart=Always")
    assert r.code == 1 and 'Unsupported value: "Always": supported values: "OnFailure", "Never"' in r.err


def test_delete_flag_errors_and_force(cluster):
    cluster("run box --image=busybox --restart=Never -- sleep 3600")
    r = cluster("delete pods --all -l run=box --dry-run=client")  # resource.Builder SelectAllParam
    assert (r.code, r.out, r.err) == (1, "", "error: setting 'all' parameter but found a non empty selector. \n")
    r = cluster("delete pod box --cascade=Foreground --dry-run=client")  # GetCascadingStrategy: exact names
    assert (r.code, r.out, r.err) == (
        1, "", 'error: invalid cascade value (Foreground). Must be "background", "foreground", or "orphan"\n')
    r = cluster("delete pod box --cascade=F --dry-run=client")
    assert (r.code, r.out, r.err) == (0, 'pod "box" deleted (dry run)\n', "warning: --cascade=F is deprecated "
                                      "(boolean value) and can be replaced with --cascade=orphan.\n")
    r = cluster("delete pod box --force --dry-run=client")  # delete.go PrintObj: grace period 0
    assert r.out == 'pod "box" force deleted (dry run)\n'


def test_duration_flags_are_checked_when_parsed(cluster):
    # pflag's DurationVar: time.ParseDuration while flags are parsed, so the flag-error form (See --help)
    for line in ("wait --for=condition=Ready pod/box --timeout=abc", "scale deploy web --replicas=2 --timeout=abc"):
        r = cluster(line)
        cmd = line.split()[0]
        assert (r.code, r.out, r.err) == (1, "", 'error: invalid argument "abc" for "--timeout" flag: time: invalid '
                                          f"duration \"abc\"\nSee 'minikctl {cmd} --help' for usage.\n"), line


BUILDER_NO_RESOURCES = ("error: You must provide one or more resources by argument or filename.\n"
                        "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                        "   '<resource> <name>'\n   '<resource>'\n")


def test_set_local_with_resource_arguments(cluster):
    # set env / set serviceaccount: the Local() builder reads only -f (resource.Builder's error);
    # set selector: its own "--filename when --local" error
    for line in ("set serviceaccount deploy web builder --local -o yaml", "set env deploy web A=1 --local -o yaml"):
        r = cluster(line)
        assert (r.code, r.out, r.err) == (1, "", BUILDER_NO_RESOURCES), line
    r = cluster("set selector svc web app=x --local -o yaml")
    assert (r.code, r.out, r.err) == (1, "", "error: you must specify resources by --filename when --local is set.\n"
                                      "Example resource specifications include:\n   '-f rsrc.yaml'\n"
                                      "   '--filename=rsrc.json'\n")


def test_config_set_unknown_top_level_field(mk, tmp_path):
    # navigation_step_parser.go: no field of api.Config has that json name
    kc = tmp_path / "kc"
    kc.write_text("apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n")
    for line in (f"config set nope.a.b x --kubeconfig={kc}", f"config unset nope.a.b --kubeconfig={kc}"):
        r = mk(line)
        assert (r.code, r.out, r.err) == (1, "", "error: unable to parse nope.a.b after [] at api.Config\n"), line


def test_replace_client_dry_run_prints_the_file(cluster, tmp_path):
    # replace.go: a client dry run prints each object as read (namespace defaulted); nothing is read
    f = tmp_path / "cm.yaml"
    f.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nothere\ndata:\n  a: \"1\"\n")
    r = cluster(f"replace -f {f} --dry-run=client -o yaml")
    assert (r.code, r.err) == (0, "")
    assert r.out == 'apiVersion: v1\ndata:\n  a: "1"\nkind: ConfigMap\nmetadata:\n  name: nothere\n  namespace: default\n'
    assert cluster(f"replace -f {f} --dry-run=client").out == "configmap/nothere replaced (dry run)\n"


def test_api_resources_verbs_is_a_string_slice(cluster):
    # pflag StringSliceVar: --verbs=get,list is two verbs
    r = cluster("api-resources --verbs=get,list --api-group=apps -o name")
    assert (r.code, r.out, r.err) == (0, "controllerrevisions.apps\ndaemonsets.apps\ndeployments.apps\n"
                                      "replicasets.apps\nstatefulsets.apps\n", "")


def test_create_and_run_flag_errors(cluster):
    r = cluster("create service externalname ext --dry-run=client")  # cobra MarkFlagRequired
    assert (r.code, r.out, r.err) == (1, "", 'error: required flag(s) "external-name" not set\n')
    r = cluster("create secret tls t --cert=nope.crt --key=nope.key --dry-run=client")  # create_secret_tls.go readFile
    assert (r.code, r.out, r.err) == (1, "", "error: Cannot read file nope.crt, open nope.crt: no such file or directory\n")
    r = cluster("run web --image=nginx -i --dry-run=client")  # run.go: cmdutil.UsageErrorf
    assert (r.code, r.out, r.err) == (1, "", "error: --dry-run=[server|client] can't be used with attached containers "
                                      "options (--attach, --stdin, or --tty)\nSee 'minikctl run -h' for help and examples\n")


def test_patch_client_dry_run_is_patched_by_the_client(cluster):
    # patch.go getPatchedJSON: --dry-run=client applies the patch in kubectl, with its own errors
    cluster("create deployment web --image=nginx")
    for args, err in (("-p bogus", "invalid JSON document"), ("--type=merge -p bogus", "Invalid JSON Patch"),
                      ("--type=json -p '{}'", "json: cannot unmarshal object into Go value of type jsonpatch.Patch"),
                      ("--type=merge -p '[1]'", "json: cannot unmarshal array into Go value of type unstructured.detector"),
                      ("--type=json -p '[{\"op\":\"remove\",\"path\":\"/spec/nope\"}]'",
                       "error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value")):
        r = cluster(f"patch deploy web {args} --dry-run=client")
        assert (r.code, r.out, r.err) == (1, "", f"error: {err}\n"), args


def test_scale_client_dry_run_of_any_kind(cluster):
    # scale.go: a client dry run prints the object as read and never asks for the scale subresource
    cluster("create configmap cfg --from-literal=a=1")
    assert cluster("scale cm cfg --replicas=1 --dry-run=client -o name").out == "configmap/cfg\n"
    r = cluster("scale cm cfg --replicas=1")
    assert (r.code, r.err) == (1, "Error from server (NotFound): the server could not find the requested resource\n")


def test_jsonpath_filter_skips_items_without_the_field(cluster):
    # client-go jsonpath evalFilter: len(lefts) == 0 -> continue (only several values are an error)
    cluster("run a --image=nginx --labels=app=web")
    cluster("run b --image=nginx")  # its labels have no app
    r = cluster("""get pods -o jsonpath='{.items[?(@.metadata.labels.app=="web")].metadata.name}'""")
    assert (r.code, r.out, r.err) == (0, "a", "")


def test_short_name_ev_warns_of_events_k8s_io_once(cluster):
    # client-go restmapper/shortcut.go expandResourceShortcut: events.k8s.io/v1 Events also have the
    # short name `ev` (served since issue 14), so kubectl 1.32 warns once per command
    warn = 'Warning: short name "ev" could also match lower priority resource events.events.k8s.io\n'
    r = cluster("get ev -n nowhere")
    assert (r.code, r.err) == (0, warn + "No resources found in nowhere namespace.\n")
    r = cluster("get ev,ev -n nowhere")
    assert r.err.count("Warning:") == 1
    r = cluster("get events -n nowhere")
    assert "Warning" not in r.err
    r = cluster("get hpa -n nowhere")  # autoscaling/v1's hpa is the same group and resource: no warning
    assert "Warning" not in r.err
