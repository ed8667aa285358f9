"""Identity in the container, through the CLI: the `default` ServiceAccount of every namespace
(serviceaccounts controller), kube-root-ca.crt (root-ca-cert-publisher), the ServiceAccount and
DefaultTolerationSeconds admission plugins (plugin/pkg/admission/serviceaccount/admission.go,
plugin/pkg/admission/defaulttolerationseconds), and the token volume's files in the container."""

from __future__ import annotations

import base64
import json
import re

SA_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
BOOTSTRAP_NAMESPACES = ["default", "ingress-nginx", "kube-node-lease", "kube-public", "kube-system"]


def pod_json(mk, name: str, ns: str = "default") -> dict:
    r = mk(f"get pod {name} -n {ns} -o json")
    assert r.code == 0, r
    return json.loads(r.out)


def test_every_namespace_has_a_default_service_account_and_the_root_ca(cluster):
    r = cluster("get sa -A")
    assert r.out == "NAMESPACE         NAME      SECRETS   AGE\n" + "".join(
        f"{ns:<17} default   0         0s\n" for ns in BOOTSTRAP_NAMESPACES)
    assert cluster("get serviceaccounts").out == "NAME      SECRETS   AGE\ndefault   0         0s\n"
    assert cluster("get cm -n kube-public").out == "NAME               DATA   AGE\nkube-root-ca.crt   1      0s\n"
    cm = json.loads(cluster("get cm kube-root-ca.crt -o json").out)
    assert cm["data"]["ca.crt"].startswith("-----BEGIN CERTIFICATE-----\n")
    assert cm["metadata"]["annotations"] == {"kubernetes.io/description": (
        "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as "
        "the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of "
        "Kubernetes clusters.")}
    sa = json.loads(cluster("get sa default -o json").out)
    assert sorted(sa) == ["apiVersion", "kind", "metadata"] and sa["kind"] == "ServiceAccount"


def test_a_new_namespace_gets_them_and_a_deleted_one_comes_back(cluster):
    assert cluster(["apply", "-f", "-"], input="apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n").code == 0
    assert cluster("get sa -n team -o name").out == "serviceaccount/default\n"
    assert cluster("get cm -n team -o name").out == "configmap/kube-root-ca.crt\n"
    uid = json.loads(cluster("get sa default -n team -o json").out)["metadata"]["uid"]
    assert cluster("delete sa default -n team").out == 'serviceaccount "default" deleted\n'
    again = json.loads(cluster("get sa default -n team -o json").out)
    assert again["metadata"]["uid"] != uid
    assert cluster("delete cm kube-root-ca.crt -n team").code == 0
    assert cluster("get cm -n team -o name").out == "configmap/kube-root-ca.crt\n"
    # an edit is put back (data and the description annotation)
    r = cluster(["patch", "cm", "kube-root-ca.crt", "-n", "team", "-p", '{"data":{"ca.crt":"x"}}'])
    assert r.code == 0
    assert json.loads(cluster("get cm kube-root-ca.crt -n team -o json").out)["data"]["ca.crt"].startswith("-----BEGIN")
    # a namespace that goes away takes them along, and nothing recreates them
    assert cluster("delete ns team").code == 0
    assert cluster("get sa,cm -n team").err == "No resources found in team namespace.\n"


def test_a_pod_gets_the_default_account_the_token_volume_and_the_default_tolerations(cluster):
    assert cluster("run web --image=nginx").code == 0
    pod = pod_json(cluster, "web")
    spec = pod["spec"]
    assert spec["serviceAccountName"] == "default" and spec["serviceAccount"] == "default"
    [vol] = spec["volumes"]
    assert re.fullmatch(r"kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}", vol["name"])
    assert vol["projected"] == {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
        {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                    "path": "namespace"}]}}]}
    assert spec["containers"][0]["volumeMounts"] == [{"mountPath": SA_PATH, "name": vol["name"], "readOnly": True}]
    assert spec["tolerations"] == [
        {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
        {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}]
    # the files, in the container
    assert cluster(["exec", "web", "--", "ls", SA_PATH]).out == "ca.crt\nnamespace\ntoken\n"
    assert cluster(["exec", "web", "--", "cat", f"{SA_PATH}/namespace"]).out == "default"
    ca = json.loads(cluster("get cm kube-root-ca.crt -o json").out)["data"]["ca.crt"]
    assert cluster(["exec", "web", "--", "cat", f"{SA_PATH}/ca.crt"]).out == ca
    token = cluster(["exec", "web", "--", "cat", f"{SA_PATH}/token"]).out
    header, payload, _sig = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["alg"] == "RS256"
    assert claims["sub"] == "system:serviceaccount:default:default"
    assert claims["iss"] == "https://kubernetes.default.svc.cluster.local"
    assert claims["kubernetes.io"]["pod"] == {"name": "web", "uid": pod["metadata"]["uid"]}
    assert claims["kubernetes.io"]["warnafter"] == claims["iat"] + 3607
    sa_uid = json.loads(cluster("get sa default -o json").out)["metadata"]["uid"]
    assert claims["kubernetes.io"]["serviceaccount"] == {"name": "default", "uid": sa_uid}


def test_describe_pod_shows_the_identity_sections(cluster):
    assert cluster("run web --image=nginx").code == 0
    vol = pod_json(cluster, "web")["spec"]["volumes"][0]["name"]
    d = cluster("describe pod web").out
    assert "Service Account:  default\n" in d
    assert f"    Mounts:\n      {SA_PATH} from {vol} (ro)\n" in d
    assert ("Conditions:\n  Type                        Status\n  PodReadyToStartContainers   True \n") in d
    assert (f"Volumes:\n  {vol}:\n"
            "    Type:                    Projected (a volume that contains injected data from multiple sources)\n"
            "    TokenExpirationSeconds:  3607\n"
            "    ConfigMapName:           kube-root-ca.crt\n"
            "    ConfigMapOptional:       <nil>\n"
            "    DownwardAPI:             true\n"
            "QoS Class:                   BestEffort\n"
            "Node-Selectors:              <none>\n"
            "Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n"
            "                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n") in d


def test_automount_false_on_the_pod_or_the_account(cluster):
    pod = """apiVersion: v1
kind: Pod
metadata: {name: quiet}
spec:
  automountServiceAccountToken: false
  containers: [{name: c, image: nginx}]
"""
    assert cluster(["apply", "-f", "-"], input=pod).code == 0
    spec = pod_json(cluster, "quiet")["spec"]
    assert "volumes" not in spec and "volumeMounts" not in spec["containers"][0]
    assert spec["serviceAccountName"] == "default"
    r = cluster(["exec", "quiet", "--", "ls", SA_PATH])
    assert r.code == 2 and r.err == (f"ls: cannot access '{SA_PATH}': No such file or directory\n"
                                   "command terminated with exit code 2\n")
    sa = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: bot}\nautomountServiceAccountToken: false\n"
    assert cluster(["apply", "-f", "-"], input=sa).out == "serviceaccount/bot created\n"
    bot = pod.replace("name: quiet", "name: bot").replace("  automountServiceAccountToken: false\n",
                                                          "  serviceAccountName: bot\n")
    assert cluster(["apply", "-f", "-"], input=bot).code == 0
    spec = pod_json(cluster, "bot")["spec"]
    assert "volumes" not in spec and spec["serviceAccount"] == "bot"
    # the pod's own preference wins over the account's
    loud = bot.replace("name: bot}", "name: loud}").replace("  serviceAccountName: bot\n",
                                                              "  serviceAccountName: bot\n  automountServiceAccountToken: true\n")
    assert cluster(["apply", "-f", "-"], input=loud).code == 0
    assert cluster(["exec", "loud", "--", "cat", f"{SA_PATH}/namespace"]).out == "default"


def test_a_pod_naming_a_missing_account_is_forbidden_and_nothing_is_stored(cluster, tmp_path):
    p = tmp_path / "p.yaml"
    p.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  serviceAccountName: nope\n"
                 "  containers: [{name: a, image: nginx}]\n")
    r = cluster(["apply", "-f", str(p)])
    assert r.code == 1 and r.out == ""
    assert r.err == (f'Error from server (Forbidden): error when creating "{p}": pods "x" is forbidden: '
                     'error looking up service account default/nope: serviceaccount "nope" not found\n')
    r = cluster(["create", "-f", "-"], input=p.read_text())
    assert r.code == 1 and r.err == ('Error from server (Forbidden): error when creating "STDIN": pods "x" is forbidden: '
                                     'error looking up service account default/nope: serviceaccount "nope" not found\n')
    assert cluster("get pods").err == "No resources found in default namespace.\n"
    # the deprecated serviceAccount field is an alias of serviceAccountName
    r = cluster(["apply", "-f", "-"], input=p.read_text().replace("serviceAccountName", "serviceAccount"))
    assert 'error looking up service account default/nope: serviceaccount "nope" not found' in r.err


def test_a_replicaset_refused_for_want_of_its_account_creates_pods_once_it_exists(cluster):
    assert cluster("create deployment web --image=nginx").code == 0
    r = cluster(["patch", "deploy", "web", "-p", '{"spec":{"template":{"spec":{"serviceAccountName":"builder"}}}}'])
    assert r.code == 0
    ev = json.loads(cluster("get events --field-selector reason=FailedCreate -o json").out)["items"]
    rs = ev[0]["involvedObject"]["name"]
    assert ev[0]["message"] == (f'Error creating: pods "{rs}-" is forbidden: error looking up service account '
                                'default/builder: serviceaccount "builder" not found')
    assert cluster(["apply", "-f", "-"], input="apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: builder}\n").code == 0
    pods = json.loads(cluster(f"get pods -l pod-template-hash={rs.rsplit('-', 1)[1]} -o json").out)["items"]
    assert [p["spec"]["serviceAccountName"] for p in pods] == ["builder"]
    # the template keeps both fields, as the apiserver's v1 conversion writes them
    tpl = json.loads(cluster("get deploy web -o json").out)["spec"]["template"]["spec"]
    assert tpl["serviceAccountName"] == tpl["serviceAccount"] == "builder"


def test_describe_serviceaccount(cluster):
    sa = ("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: bot, labels: {team: a}}\n"
          "secrets: [{name: nothere}]\nimagePullSecrets: [{name: regcred}]\n")
    assert cluster(["apply", "-f", "-"], input=sa).code == 0
    assert cluster("describe sa bot").out == (
        "Name:                bot\n"
        "Namespace:           default\n"
        "Labels:              team=a\n"
        "Annotations:         <none>\n"
        "Image pull secrets:  regcred (not found)\n"
        "Mountable secrets:   nothere (not found)\n"
        "Tokens:              <none>\n"
        "Events:              <none>\n")
    # the account's imagePullSecrets reach the pods that use it
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  serviceAccountName: bot\n  containers: [{name: a, image: nginx}]\n"
    assert cluster(["apply", "-f", "-"], input=pod).code == 0
    assert pod_json(cluster, "p")["spec"]["imagePullSecrets"] == [{"name": "regcred"}]


def test_bad_service_account_input_is_refused_unchanged(cluster):
    r = cluster(["apply", "-f", "-"], input="apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: Bad_Name}\n")
    assert r.code == 1 and r.out == ""
    assert r.err.startswith('The ServiceAccount "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ')
    r = cluster(["apply", "-f", "-"],
                input="apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: x}\nautomountServiceAccountToken: maybe\n")
    assert r.code == 1 and "automountServiceAccountToken" in r.err and r.out == ""
    assert cluster("get sa -o name").out == "serviceaccount/default\n"


def test_create_serviceaccount_and_its_alias(cluster):
    assert cluster("create serviceaccount builder").out == "serviceaccount/builder created\n"
    assert cluster("create sa deployer").out == "serviceaccount/deployer created\n"
    r = cluster("create serviceaccount builder")
    assert r.code == 1 and r.err == 'error: failed to create serviceaccount: serviceaccounts "builder" already exists\n'
    assert cluster("create serviceaccount ci --dry-run=client -o yaml").out == (
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  creationTimestamp: null\n  name: ci\n")
    assert cluster("get sa -o name").out == ("serviceaccount/builder\nserviceaccount/default\n"
                                             "serviceaccount/deployer\n")
    # the other create aliases go through the same lookup
    assert cluster("create ns team").out == "namespace/team created\n"
    assert cluster("get sa -n team -o name").out == "serviceaccount/default\n"


def test_an_account_changed_in_the_same_apply_is_seen_by_the_next_pod(cluster):
    docs = """apiVersion: v1
kind: ServiceAccount
metadata: {name: bot}
---
apiVersion: v1
kind: Pod
metadata: {name: first}
spec:
  serviceAccountName: bot
  containers: [{name: c, image: nginx}]
"""
    later = docs.replace("metadata: {name: bot}", "metadata: {name: bot}\nautomountServiceAccountToken: false")
    later = later.replace("name: first", "name: second")
    r = cluster(["apply", "-f", "-"], input=docs + "---\n" + later)  # one transaction
    assert r.out == "serviceaccount/bot created\npod/first created\nserviceaccount/bot configured\npod/second created\n"
    assert "volumes" in pod_json(cluster, "first")["spec"]
    assert "volumes" not in pod_json(cluster, "second")["spec"]
