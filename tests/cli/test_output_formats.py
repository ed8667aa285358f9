"""-o on every command that prints objects, compared with the real kubectl 1.32.

Every expected (exit code, stdout, stderr) below was printed by kubectl 1.32 itself: offline
(create/run --dry-run=client, label/annotate/patch --local) or against a stub API server serving
the same Deployment `web` (apply/create -f --dry-run=client, scale, label, annotate, expose).
It covers json (typed objects in Go's struct order, unstructured ones sorted; <>& escaped), yaml
(--- between documents where kubectl's printer prints several, long strings folded as go-yaml
folds them), name, jsonpath*, go-template* and template*, --template, --allow-missing-template-keys,
kubectl's refusals ("unable to match a printer ...") and when each command makes them
(cli-runtime/pkg/genericclioptions/print_flags.go; kubectl/pkg/cmd/{create,run,expose,apply,
label,annotate,patch,scale,taint}).
"""

from __future__ import annotations

import shlex

import pytest

TWO = """apiVersion: v1
kind: ConfigMap
metadata:
  name: a
data:
  k: v
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
data:
  k: "<&>"
"""

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
"""

OFFLINE = [
    ('create deployment web --image=nginx --dry-run=client -o json', 0, '{\n    "kind": "Deployment",\n    "apiVersion": "apps/v1",\n    "metadata": {\n        "name": "web",\n        "creationTimestamp": null,\n        "labels": {\n            "app": "web"\n        }\n    },\n    "spec": {\n        "replicas": 1,\n        "selector": {\n            "matchLabels": {\n                "app": "web"\n            }\n        },\n        "template": {\n            "metadata": {\n                "creationTimestamp": null,\n                "labels": {\n                    "app": "web"\n                }\n            },\n            "spec": {\n                "containers": [\n                    {\n                        "name": "nginx",\n                        "image": "nginx",\n                        "resources": {}\n                    }\n                ]\n            }\n        },\n        "strategy": {}\n    },\n    "status": {}\n}\n', ''),
    ('create deployment web --image=nginx --replicas=3 --port=80 --dry-run=client -o json', 0, '{\n    "kind": "Deployment",\n    "apiVersion": "apps/v1",\n    "metadata": {\n        "name": "web",\n        "creationTimestamp": null,\n        "labels": {\n            "app": "web"\n        }\n    },\n    "spec": {\n        "replicas": 3,\n        "selector": {\n            "matchLabels": {\n                "app": "web"\n            }\n        },\n        "template": {\n            "metadata": {\n                "creationTimestamp": null,\n                "labels": {\n                    "app": "web"\n                }\n            },\n            "spec": {\n                "containers": [\n                    {\n                        "name": "nginx",\n                        "image": "nginx",\n                        "ports": [\n                            {\n                                "containerPort": 80\n                            }\n                        ],\n                        "resources": {}\n                    }\n                ]\n            }\n        },\n        "strategy": {}\n    },\n    "status": {}\n}\n', ''),
    ('create deployment web --image=nginx --image=redis --dry-run=client -o yaml', 0, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  strategy: {}\n  template:\n    metadata:\n      creationTimestamp: null\n      labels:\n        app: web\n    spec:\n      containers:\n      - image: nginx\n        name: nginx\n        resources: {}\n      - image: redis\n        name: redis\n        resources: {}\nstatus: {}\n', ''),
    ('create deployment web --image=nginx --dry-run=client -o name', 0, 'deployment.apps/web\n', ''),
    ('create deployment web --image=nginx --dry-run=client', 0, 'deployment.apps/web created (dry run)\n', ''),
    ('create deployment web --image=nginx --dry-run=client -o jsonpath={.spec.replicas}', 0, '1', ''),
    ('create deployment web --image=nginx --dry-run=client -o go-template={{.spec.replicas}}', 0, '1', ''),
    ('create deployment web --image=nginx --dry-run=client -o go-template={{.spec.nope.x}}', 0, '<no value>', ''),
    ('create deployment web --image=nginx --dry-run=client -o go-template={{.metadata.nope}} --allow-missing-template-keys=false', 1, 'Error executing template: template: output:1:11: executing "output" at <.metadata.nope>: map has no entry for key "nope". Printing more information for debugging the template:\n\ttemplate was:\n\t\t{{.metadata.nope}}\n\traw data was:\n\t\t{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web","creationTimestamp":null,"labels":{"app":"web"}},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]}},"strategy":{}},"status":{}}\n\tobject given to template engine was:\n\t\tmap[apiVersion:apps/v1 kind:Deployment metadata:map[creationTimestamp:<nil> labels:map[app:web] name:web] spec:map[replicas:1 selector:map[matchLabels:map[app:web]] strategy:map[] template:map[metadata:map[creationTimestamp:<nil> labels:map[app:web]] spec:map[containers:[map[image:nginx name:nginx resources:map[]]]]]] status:map[]]\n\n', 'error: error executing template "{{.metadata.nope}}": template: output:1:11: executing "output" at <.metadata.nope>: map has no entry for key "nope"\n'),
    ('create deployment web --image=nginx --dry-run=client -o template={{.kind}}', 0, 'Deployment', ''),
    ('create deployment web --image=nginx --dry-run=client --template={{.kind}}', 0, 'Deployment', ''),
    ('create deployment web --image=nginx --dry-run=client -o go-template --template={{.metadata.name}}', 0, 'web', ''),
    ('create deployment web --image=nginx --dry-run=client -o jsonpath --template={.metadata.name}', 0, 'web', ''),
    ('create deployment web --image=nginx --dry-run=client -o go-template={{.kind}} --template={{.metadata.name}}', 1, '', 'error: unable to match a printer suitable for the output format "go-template={{.kind}}", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n'),
    ('create deployment web --image=nginx --dry-run=client -o wide', 1, '', 'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n'),
    ('create deployment web --image=nginx --dry-run=client -o custom-columns=NAME:.metadata.name', 1, '', 'error: unable to match a printer suitable for the output format "custom-columns=NAME:.metadata.name", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n'),
    ('create deployment web --image=nginx --dry-run=client -o JSON', 0, '{\n    "kind": "Deployment",\n    "apiVersion": "apps/v1",\n    "metadata": {\n        "name": "web",\n        "creationTimestamp": null,\n        "labels": {\n            "app": "web"\n        }\n    },\n    "spec": {\n        "replicas": 1,\n        "selector": {\n            "matchLabels": {\n                "app": "web"\n            }\n        },\n        "template": {\n            "metadata": {\n                "creationTimestamp": null,\n                "labels": {\n                    "app": "web"\n                }\n            },\n            "spec": {\n                "containers": [\n                    {\n                        "name": "nginx",\n                        "image": "nginx",\n                        "resources": {}\n                    }\n                ]\n            }\n        },\n        "strategy": {}\n    },\n    "status": {}\n}\n', ''),
    ('create deployment web --image=nginx --dry-run=client -o Yaml', 0, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  strategy: {}\n  template:\n    metadata:\n      creationTimestamp: null\n      labels:\n        app: web\n    spec:\n      containers:\n      - image: nginx\n        name: nginx\n        resources: {}\nstatus: {}\n', ''),
    ('create deployment web --image=nginx --dry-run=client -o NAME', 0, 'deployment.apps/web\n', ''),
    ('create deployment web --image=nginx --dry-run=client -o bogus', 1, '', 'error: unable to match a printer suitable for the output format "bogus", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n'),
    ('create deployment web --image=nginx --dry-run=client -o "a\\"b"', 1, '', 'error: unable to match a printer suitable for the output format "a\\"b", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n'),
    ('create deployment web --image=nginx --dry-run=client -o jsonpath-as-json={.metadata}', 0, '[\n    {\n        "creationTimestamp": null,\n        "labels": {\n            "app": "web"\n        },\n        "name": "web"\n    }\n]\n', ''),
    ('create deployment web --image=nginx --dry-run=client -o go-template-file=/nonexistent', 1, '', 'error: error reading --template /nonexistent, open /nonexistent: no such file or directory\n'),
    ('create deployment web --image=nginx --dry-run=client -o templatefile=/tmp', 1, '', 'error: error reading --template /tmp, read /tmp: is a directory\n'),
    ('create deployment web --image=nginx --dry-run=client -o go-template=', 1, '', 'error: template format specified but no template given\n'),
    ('create deployment web --image=nginx --dry-run=client -o template', 1, '', 'error: template format specified but no template given\n'),
    ('create namespace x --dry-run=client -o json', 0, '{\n    "kind": "Namespace",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "x",\n        "creationTimestamp": null\n    },\n    "spec": {},\n    "status": {}\n}\n', ''),
    ('create namespace x --dry-run=client -o yaml', 0, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  creationTimestamp: null\n  name: x\nspec: {}\nstatus: {}\n', ''),
    ('create configmap c --from-literal=a=<&> --from-literal=b=x --dry-run=client -o json', 0, '{\n    "kind": "ConfigMap",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "c",\n        "creationTimestamp": null\n    },\n    "data": {\n        "a": "\\u003c\\u0026\\u003e",\n        "b": "x"\n    }\n}\n', ''),
    ('create configmap c --from-literal=a=1 -n foo --dry-run=client -o json', 0, '{\n    "kind": "ConfigMap",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "c",\n        "namespace": "foo",\n        "creationTimestamp": null\n    },\n    "data": {\n        "a": "1"\n    }\n}\n', ''),
    ('create secret generic s --from-literal=a=b --dry-run=client -o json', 0, '{\n    "kind": "Secret",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "s",\n        "creationTimestamp": null\n    },\n    "data": {\n        "a": "Yg=="\n    }\n}\n', ''),
    ('create secret generic s --from-literal=a=b --dry-run=client -o go-template={{.data.a|base64decode}}', 0, 'b', ''),
    ('create secret generic s --from-literal=a=b --type=kubernetes.io/basic-auth --dry-run=client -o json', 0, '{\n    "kind": "Secret",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "s",\n        "creationTimestamp": null\n    },\n    "data": {\n        "a": "Yg=="\n    },\n    "type": "kubernetes.io/basic-auth"\n}\n', ''),
    ('create service clusterip web --tcp=80:8080 --dry-run=client -o json', 0, '{\n    "kind": "Service",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "web",\n        "creationTimestamp": null,\n        "labels": {\n            "app": "web"\n        }\n    },\n    "spec": {\n        "ports": [\n            {\n                "name": "80-8080",\n                "protocol": "TCP",\n                "port": 80,\n                "targetPort": 8080\n            }\n        ],\n        "selector": {\n            "app": "web"\n        },\n        "type": "ClusterIP"\n    },\n    "status": {\n        "loadBalancer": {}\n    }\n}\n', ''),
    ('create service nodeport web --tcp=80:8080 --node-port=30001 --dry-run=client -o json', 0, '{\n    "kind": "Service",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "web",\n        "creationTimestamp": null,\n        "labels": {\n            "app": "web"\n        }\n    },\n    "spec": {\n        "ports": [\n            {\n                "name": "80-8080",\n                "protocol": "TCP",\n                "port": 80,\n                "targetPort": 8080,\n                "nodePort": 30001\n            }\n        ],\n        "selector": {\n            "app": "web"\n        },\n        "type": "NodePort"\n    },\n    "status": {\n        "loadBalancer": {}\n    }\n}\n', ''),
    ('create service loadbalancer web --tcp=80:8080 --dry-run=client -o json', 0, '{\n    "kind": "Service",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "web",\n        "creationTimestamp": null,\n        "labels": {\n            "app": "web"\n        }\n    },\n    "spec": {\n        "ports": [\n            {\n                "name": "80-8080",\n                "protocol": "TCP",\n                "port": 80,\n                "targetPort": 8080\n            }\n        ],\n        "selector": {\n            "app": "web"\n        },\n        "type": "LoadBalancer"\n    },\n    "status": {\n        "loadBalancer": {}\n    }\n}\n', ''),
    ('create service externalname web --external-name=example.com --dry-run=client -o json', 0, '{\n    "kind": "Service",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "web",\n        "creationTimestamp": null,\n        "labels": {\n            "app": "web"\n        }\n    },\n    "spec": {\n        "selector": {\n            "app": "web"\n        },\n        "type": "ExternalName",\n        "externalName": "example.com"\n    },\n    "status": {\n        "loadBalancer": {}\n    }\n}\n', ''),
    ('create service clusterip web --clusterip=None --dry-run=client -o json', 0, '{\n    "kind": "Service",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "web",\n        "creationTimestamp": null,\n        "labels": {\n            "app": "web"\n        }\n    },\n    "spec": {\n        "selector": {\n            "app": "web"\n        },\n        "clusterIP": "None",\n        "type": "ClusterIP"\n    },\n    "status": {\n        "loadBalancer": {}\n    }\n}\n', ''),
    ('create serviceaccount sa1 --dry-run=client -o json', 0, '{\n    "kind": "ServiceAccount",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "sa1",\n        "creationTimestamp": null\n    }\n}\n', ''),
    ('create job j --image=busybox --dry-run=client -o json', 0, '{\n    "kind": "Job",\n    "apiVersion": "batch/v1",\n    "metadata": {\n        "name": "j",\n        "creationTimestamp": null\n    },\n    "spec": {\n        "template": {\n            "metadata": {\n                "creationTimestamp": null\n            },\n            "spec": {\n                "containers": [\n                    {\n                        "name": "j",\n                        "image": "busybox",\n                        "resources": {}\n                    }\n                ],\n                "restartPolicy": "Never"\n            }\n        }\n    },\n    "status": {}\n}\n', ''),
    ('create job j --image=busybox --dry-run=client -o json -- sleep 10', 0, '{\n    "kind": "Job",\n    "apiVersion": "batch/v1",\n    "metadata": {\n        "name": "j",\n        "creationTimestamp": null\n    },\n    "spec": {\n        "template": {\n            "metadata": {\n                "creationTimestamp": null\n            },\n            "spec": {\n                "containers": [\n                    {\n                        "name": "j",\n                        "image": "busybox",\n                        "command": [\n                            "sleep",\n                            "10"\n                        ],\n                        "resources": {}\n                    }\n                ],\n                "restartPolicy": "Never"\n            }\n        }\n    },\n    "status": {}\n}\n', ''),
    ('run p --image=nginx --dry-run=client -o json', 0, '{\n    "kind": "Pod",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "p",\n        "creationTimestamp": null,\n        "labels": {\n            "run": "p"\n        }\n    },\n    "spec": {\n        "containers": [\n            {\n                "name": "p",\n                "image": "nginx",\n                "resources": {}\n            }\n        ],\n        "restartPolicy": "Always",\n        "dnsPolicy": "ClusterFirst"\n    },\n    "status": {}\n}\n', ''),
    ('run p --image=nginx -n foo --dry-run=client -o yaml', 0, 'apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: p\n  name: p\n  namespace: foo\nspec:\n  containers:\n  - image: nginx\n    name: p\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n', ''),
    ('run p --image=nginx -n foo --dry-run=client -o json', 0, '{\n    "kind": "Pod",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "p",\n        "namespace": "foo",\n        "creationTimestamp": null,\n        "labels": {\n            "run": "p"\n        }\n    },\n    "spec": {\n        "containers": [\n            {\n                "name": "p",\n                "image": "nginx",\n                "resources": {}\n            }\n        ],\n        "restartPolicy": "Always",\n        "dnsPolicy": "ClusterFirst"\n    },\n    "status": {}\n}\n', ''),
    ('run p --image=nginx --port=80 --env=A=1 --labels=a=b,c=d --dry-run=client -o json', 0, '{\n    "kind": "Pod",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "p",\n        "creationTimestamp": null,\n        "labels": {\n            "a": "b",\n            "c": "d"\n        }\n    },\n    "spec": {\n        "containers": [\n            {\n                "name": "p",\n                "image": "nginx",\n                "ports": [\n                    {\n                        "containerPort": 80\n                    }\n                ],\n                "env": [\n                    {\n                        "name": "A",\n                        "value": "1"\n                    }\n                ],\n                "resources": {}\n            }\n        ],\n        "restartPolicy": "Always",\n        "dnsPolicy": "ClusterFirst"\n    },\n    "status": {}\n}\n', ''),
    ('run p --image=nginx --restart=Never --command --dry-run=client -o json -- sh -c "echo hi"', 0, '{\n    "kind": "Pod",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "p",\n        "creationTimestamp": null,\n        "labels": {\n            "run": "p"\n        }\n    },\n    "spec": {\n        "containers": [\n            {\n                "name": "p",\n                "image": "nginx",\n                "command": [\n                    "sh",\n                    "-c",\n                    "echo hi"\n                ],\n                "resources": {}\n            }\n        ],\n        "restartPolicy": "Never",\n        "dnsPolicy": "ClusterFirst"\n    },\n    "status": {}\n}\n', ''),
    ('run p --image=nginx --dry-run=client -o jsonpath={.spec.containers[0].image}', 0, 'nginx', ''),
    ('run p --image=nginx --dry-run=client -o wide', 1, '', 'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n'),
    ('run p --image=nginx --dry-run=client -o go-template={{range .spec.containers}}{{.name}}:{{.image}}{{end}}', 1, '', 'error: error parsing template {{range, template: output:1: unclosed action\n'),
    ('run p --image=nginx --dry-run=client -o name', 0, 'pod/p\n', ''),
    ('run p --image=nginx --dry-run=client', 0, 'pod/p created (dry run)\n', ''),
    ('run p --image=nginx --port=80 --expose --dry-run=client -o yaml', 0, 'apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  name: p\nspec:\n  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 80\n  selector:\n    run: p\nstatus:\n  loadBalancer: {}\n---\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: p\n  name: p\nspec:\n  containers:\n  - image: nginx\n    name: p\n    ports:\n    - containerPort: 80\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n', ''),
    ('run p --image=nginx --port=80 --expose --dry-run=client -o json', 0, '{\n    "kind": "Service",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "p",\n        "creationTimestamp": null\n    },\n    "spec": {\n        "ports": [\n            {\n                "protocol": "TCP",\n                "port": 80,\n                "targetPort": 80\n            }\n        ],\n        "selector": {\n            "run": "p"\n        }\n    },\n    "status": {\n        "loadBalancer": {}\n    }\n}\n{\n    "kind": "Pod",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "p",\n        "creationTimestamp": null,\n        "labels": {\n            "run": "p"\n        }\n    },\n    "spec": {\n        "containers": [\n            {\n                "name": "p",\n                "image": "nginx",\n                "ports": [\n                    {\n                        "containerPort": 80\n                    }\n                ],\n                "resources": {}\n            }\n        ],\n        "restartPolicy": "Always",\n        "dnsPolicy": "ClusterFirst"\n    },\n    "status": {}\n}\n', ''),
    ('run p --image=nginx --port=80 --expose --dry-run=client -o name', 0, 'service/p\npod/p\n', ''),
    ('run p --image=nginx --image-pull-policy=Always --privileged --dry-run=client -o json', 0, '{\n    "kind": "Pod",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "p",\n        "creationTimestamp": null,\n        "labels": {\n            "run": "p"\n        }\n    },\n    "spec": {\n        "containers": [\n            {\n                "name": "p",\n                "image": "nginx",\n                "resources": {},\n                "imagePullPolicy": "Always",\n                "securityContext": {\n                    "privileged": true\n                }\n            }\n        ],\n        "restartPolicy": "Always",\n        "dnsPolicy": "ClusterFirst"\n    },\n    "status": {}\n}\n', ''),
    ('run p --image=nginx --port=80 --expose --dry-run=client -o yaml', 0, 'apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  name: p\nspec:\n  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 80\n  selector:\n    run: p\nstatus:\n  loadBalancer: {}\n---\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: p\n  name: p\nspec:\n  containers:\n  - image: nginx\n    name: p\n    ports:\n    - containerPort: 80\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n', ''),
    ('run p --image=nginx --port=80 --expose --dry-run=client -o Yaml', 0, 'apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  name: p\nspec:\n  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 80\n  selector:\n    run: p\nstatus:\n  loadBalancer: {}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: p\n  name: p\nspec:\n  containers:\n  - image: nginx\n    name: p\n    ports:\n    - containerPort: 80\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n', ''),
    ('run p --image=nginx --port=80 --expose --dry-run=client -o json', 0, '{\n    "kind": "Service",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "p",\n        "creationTimestamp": null\n    },\n    "spec": {\n        "ports": [\n            {\n                "protocol": "TCP",\n                "port": 80,\n                "targetPort": 80\n            }\n        ],\n        "selector": {\n            "run": "p"\n        }\n    },\n    "status": {\n        "loadBalancer": {}\n    }\n}\n{\n    "kind": "Pod",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "p",\n        "creationTimestamp": null,\n        "labels": {\n            "run": "p"\n        }\n    },\n    "spec": {\n        "containers": [\n            {\n                "name": "p",\n                "image": "nginx",\n                "ports": [\n                    {\n                        "containerPort": 80\n                    }\n                ],\n                "resources": {}\n            }\n        ],\n        "restartPolicy": "Always",\n        "dnsPolicy": "ClusterFirst"\n    },\n    "status": {}\n}\n', ''),
    ('run p --image=nginx --port=80 --expose --dry-run=client -o go-template={{.kind}}', 0, 'ServicePod', ''),
    ('run p --image=nginx --port=80 --expose --dry-run=client', 0, 'service/p created (dry run)\npod/p created (dry run)\n', ''),
    ("create cronjob cj --image=busybox '--schedule=*/1 * * * *' --dry-run=client -o json", 0, '{\n    "kind": "CronJob",\n    "apiVersion": "batch/v1",\n    "metadata": {\n        "name": "cj",\n        "creationTimestamp": null\n    },\n    "spec": {\n        "schedule": "*/1 * * * *",\n        "jobTemplate": {\n            "metadata": {\n                "name": "cj",\n                "creationTimestamp": null\n            },\n            "spec": {\n                "template": {\n                    "metadata": {\n                        "creationTimestamp": null\n                    },\n                    "spec": {\n                        "containers": [\n                            {\n                                "name": "cj",\n                                "image": "busybox",\n                                "resources": {}\n                            }\n                        ],\n                        "restartPolicy": "OnFailure"\n                    }\n                }\n            }\n        }\n    },\n    "status": {}\n}\n', ''),
    ("create cronjob cj --image=busybox '--schedule=*/1 * * * *' --restart=Never --dry-run=client -o json -- echo hi", 0, '{\n    "kind": "CronJob",\n    "apiVersion": "batch/v1",\n    "metadata": {\n        "name": "cj",\n        "creationTimestamp": null\n    },\n    "spec": {\n        "schedule": "*/1 * * * *",\n        "jobTemplate": {\n            "metadata": {\n                "name": "cj",\n                "creationTimestamp": null\n            },\n            "spec": {\n                "template": {\n                    "metadata": {\n                        "creationTimestamp": null\n                    },\n                    "spec": {\n                        "containers": [\n                            {\n                                "name": "cj",\n                                "image": "busybox",\n                                "command": [\n                                    "echo",\n                                    "hi"\n                                ],\n                                "resources": {}\n                            }\n                        ],\n                        "restartPolicy": "Never"\n                    }\n                }\n            }\n        }\n    },\n    "status": {}\n}\n', ''),
    ('create configmap c \'--from-literal=a=word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22\' \'--from-literal=b="quoted" and a very long line that should be folded by the yaml emitter at eighty columns wide\' --dry-run=client -o yaml', 0, 'apiVersion: v1\ndata:\n  a: word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12\n    word13 word14 word15 word16 word17 word18 word19 word20 word21 word22\n  b: \'"quoted" and a very long line that should be folded by the yaml emitter at eighty\n    columns wide\'\nkind: ConfigMap\nmetadata:\n  creationTimestamp: null\n  name: c\n', ''),
    ("create configmap c '--from-literal=a=\ttab and a very long line that should be folded by the yaml emitter at eighty columns wide x' --dry-run=client -o yaml", 0, 'apiVersion: v1\ndata:\n  a: "\\ttab and a very long line that should be folded by the yaml emitter at eighty\n    columns wide x"\nkind: ConfigMap\nmetadata:\n  creationTimestamp: null\n  name: c\n', ''),
]

LOCAL = [
    ('label --local -f two.yaml a=b -o yaml', 0, 'apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  labels:\n    a: b\n  name: a\napiVersion: v1\ndata:\n  k: <&>\nkind: ConfigMap\nmetadata:\n  labels:\n    a: b\n  name: b\n', ''),
    ('label --local -f two.yaml a=b -o json', 0, '{\n    "apiVersion": "v1",\n    "data": {\n        "k": "v"\n    },\n    "kind": "ConfigMap",\n    "metadata": {\n        "labels": {\n            "a": "b"\n        },\n        "name": "a"\n    }\n}\n{\n    "apiVersion": "v1",\n    "data": {\n        "k": "\\u003c\\u0026\\u003e"\n    },\n    "kind": "ConfigMap",\n    "metadata": {\n        "labels": {\n            "a": "b"\n        },\n        "name": "b"\n    }\n}\n', ''),
    ('label --local -f two.yaml a=b -o name', 0, 'configmap/a\nconfigmap/b\n', ''),
    ('label --local -f two.yaml a=b', 0, 'configmap/a labeled\nconfigmap/b labeled\n', ''),
    ('label --local -f two.yaml a=b -o wide', 1, '', 'unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\nunable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n'),
    ('label --local -f deploy.yaml a=b -o wide', 1, '', 'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n'),
    ('label --local -f two.yaml a=b -o go-template={{.metadata.labels}}{{"\\n"}}', 1, '', 'error parsing template {{.metadata.labels}}{{\\n}}, template: output:1: unexpected "\\\\" in command\nerror parsing template {{.metadata.labels}}{{\\n}}, template: output:1: unexpected "\\\\" in command\n'),
    ('label --local -f two.yaml a=b -o jsonpath={.metadata.labels}', 0, '{"a":"b"}{"a":"b"}', ''),
    ('label --local -f two.yaml a=b -o go-template={{.x.y.z}}', 0, '<no value><no value>', ''),
    ('label --local -f two.yaml a=b -o go-template={{.data.k.x}}', 1, 'Error executing template: template: output:1:7: executing "output" at <.data.k.x>: can\'t evaluate field x in type interface {}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{{.data.k.x}}\n\traw data was:\n\t\t{"apiVersion":"v1","data":{"k":"v"},"kind":"ConfigMap","metadata":{"labels":{"a":"b"},"name":"a"}}\n\tobject given to template engine was:\n\t\tmap[apiVersion:v1 data:map[k:v] kind:ConfigMap metadata:map[labels:map[a:b] name:a]]\n\nError executing template: template: output:1:7: executing "output" at <.data.k.x>: can\'t evaluate field x in type interface {}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{{.data.k.x}}\n\traw data was:\n\t\t{"apiVersion":"v1","data":{"k":"\\u003c\\u0026\\u003e"},"kind":"ConfigMap","metadata":{"labels":{"a":"b"},"name":"b"}}\n\tobject given to template engine was:\n\t\tmap[apiVersion:v1 data:map[k:<&>] kind:ConfigMap metadata:map[labels:map[a:b] name:b]]\n\n', 'error executing template "{{.data.k.x}}": template: output:1:7: executing "output" at <.data.k.x>: can\'t evaluate field x in type interface {}\nerror executing template "{{.data.k.x}}": template: output:1:7: executing "output" at <.data.k.x>: can\'t evaluate field x in type interface {}\n'),
    ('annotate --local -f two.yaml a=b -o yaml', 0, 'apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  annotations:\n    a: b\n  name: a\n---\napiVersion: v1\ndata:\n  k: <&>\nkind: ConfigMap\nmetadata:\n  annotations:\n    a: b\n  name: b\n', ''),
    ('annotate --local -f two.yaml a=b -o wide', 1, '', 'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n'),
    ('annotate --local -f two.yaml a=b -o go-template={{.metadata.annotations.a}}', 0, 'bb', ''),
    ('annotate --local -f two.yaml a=b', 0, 'configmap/a annotated\nconfigmap/b annotated\n', ''),
    ('patch --local -f two.yaml -p \'{"data":{"z":"1"}}\' -o yaml', 0, 'apiVersion: v1\ndata:\n  k: v\n  z: "1"\nkind: ConfigMap\nmetadata:\n  name: a\napiVersion: v1\ndata:\n  k: <&>\n  z: "1"\nkind: ConfigMap\nmetadata:\n  name: b\n', ''),
    ('patch --local -f two.yaml -p \'{"data":{"z":"1"}}\' -o wide', 1, '', 'unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\nunable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n'),
    ('patch --local -f deploy.yaml -p \'{"spec":{"replicas":5}}\' -o wide', 1, '', 'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n'),
    ('patch --local -f two.yaml -p \'{"data":{"z":"1"}}\' -o \'jsonpath={.x\'', 1, '', 'error parsing jsonpath {.x, unclosed action\nerror parsing jsonpath {.x, unclosed action\n'),
    ('patch --local -f two.yaml -p \'{"data":{"z":"1"}}\' -o \'go-template={{.data.z}}\'', 0, '11', ''),
    ('patch --local -f two.yaml -p \'{"data":{"z":"1"}}\'', 0, 'configmap/a patched\nconfigmap/b patched\n', ''),
    ('label --local -f deploy.yaml a=b -o \'go-template={{.spec.replicas | printf "%T %d"}}\'', 0, 'int64 %!d(MISSING)', ''),
    ('label --local -f deploy.yaml a=b -o \'go-template={{len .spec.template.spec.containers}} {{index .spec.template.spec.containers 0 "name"}}\'', 0, '1 nginx', ''),
]

FILES = [
    ('apply -f two.yaml --dry-run=client -o yaml', 0, 'apiVersion: v1\nitems:\n- apiVersion: v1\n  data:\n    k: v\n  kind: ConfigMap\n  metadata:\n    annotations:\n      kubectl.kubernetes.io/last-applied-configuration: |\n        {"apiVersion":"v1","data":{"k":"v"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"a","namespace":"default"}}\n    name: a\n    namespace: default\n- apiVersion: v1\n  data:\n    k: <&>\n  kind: ConfigMap\n  metadata:\n    annotations:\n      kubectl.kubernetes.io/last-applied-configuration: |\n        {"apiVersion":"v1","data":{"k":"\\u003c\\u0026\\u003e"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"b","namespace":"default"}}\n    name: b\n    namespace: default\nkind: List\nmetadata: {}\n', ''),
    ('apply -f two.yaml --dry-run=client -o json', 0, '{\n    "kind": "List",\n    "apiVersion": "v1",\n    "metadata": {},\n    "items": [\n        {\n            "apiVersion": "v1",\n            "data": {\n                "k": "v"\n            },\n            "kind": "ConfigMap",\n            "metadata": {\n                "annotations": {\n                    "kubectl.kubernetes.io/last-applied-configuration": "{\\"apiVersion\\":\\"v1\\",\\"data\\":{\\"k\\":\\"v\\"},\\"kind\\":\\"ConfigMap\\",\\"metadata\\":{\\"annotations\\":{},\\"name\\":\\"a\\",\\"namespace\\":\\"default\\"}}\\n"\n                },\n                "name": "a",\n                "namespace": "default"\n            }\n        },\n        {\n            "apiVersion": "v1",\n            "data": {\n                "k": "\\u003c\\u0026\\u003e"\n            },\n            "kind": "ConfigMap",\n            "metadata": {\n                "annotations": {\n                    "kubectl.kubernetes.io/last-applied-configuration": "{\\"apiVersion\\":\\"v1\\",\\"data\\":{\\"k\\":\\"\\\\u003c\\\\u0026\\\\u003e\\"},\\"kind\\":\\"ConfigMap\\",\\"metadata\\":{\\"annotations\\":{},\\"name\\":\\"b\\",\\"namespace\\":\\"default\\"}}\\n"\n                },\n                "name": "b",\n                "namespace": "default"\n            }\n        }\n    ]\n}\n', ''),
    ('apply -f two.yaml --dry-run=client -o name', 0, 'configmap/a\nconfigmap/b\n', ''),
    ('apply -f two.yaml --dry-run=client', 0, 'configmap/a created (dry run)\nconfigmap/b created (dry run)\n', ''),
    ("apply -f two.yaml --dry-run=client -o 'jsonpath={.kind} {.items[*].metadata.name}'", 0, 'List a b', ''),
    ("apply -f two.yaml --dry-run=client -o 'go-template={{.kind}}{{range .items}} {{.metadata.name}}{{end}}'", 0, 'List a b', ''),
    ('apply -f two.yaml --dry-run=client -o wide', 1, '', 'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n'),
    ("apply -f deploy.yaml --dry-run=client -o 'jsonpath={.spec.replicas}'", 0, '2', ''),
    ('create -f two.yaml --dry-run=client -o yaml', 0, 'apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: default\n---\napiVersion: v1\ndata:\n  k: <&>\nkind: ConfigMap\nmetadata:\n  name: b\n  namespace: default\n', ''),
    ('create -f two.yaml --dry-run=client -o json', 0, '{\n    "apiVersion": "v1",\n    "data": {\n        "k": "v"\n    },\n    "kind": "ConfigMap",\n    "metadata": {\n        "name": "a",\n        "namespace": "default"\n    }\n}\n{\n    "apiVersion": "v1",\n    "data": {\n        "k": "\\u003c\\u0026\\u003e"\n    },\n    "kind": "ConfigMap",\n    "metadata": {\n        "name": "b",\n        "namespace": "default"\n    }\n}\n', ''),
    ("create -f two.yaml --dry-run=client -o 'jsonpath={.metadata.name}|'", 0, 'a|b|', ''),
    ("create -f two.yaml --dry-run=client -o 'go-template={{.metadata.name}}|'", 0, 'a|b|', ''),
    ('create -f two.yaml --dry-run=client -o wide', 1, '', 'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n'),
    ('create -f two.yaml --dry-run=client', 0, 'configmap/a created (dry run)\nconfigmap/b created (dry run)\n', ''),
]

CLUSTER = [
    ("scale deploy web --replicas=5 --dry-run=client -o 'jsonpath={.spec.replicas}'", 0, '2', ''),
    ('scale deploy web --replicas=5 --dry-run=client -o wide', 1, '', 'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n'),
    ('scale deploy web --replicas=5 --dry-run=client -o name', 0, 'deployment.apps/web\n', ''),
    ('scale deploy web --replicas=5 --dry-run=client', 0, 'deployment.apps/web scaled (dry run)\n', ''),
    ("label deploy web a=b --dry-run=client -o 'jsonpath={.metadata.labels}'", 0, '{"a":"b","app":"web"}', ''),
    ('label deploy web a=b --dry-run=client -o wide', 1, '', 'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n'),
    ("label deploy web a=b --dry-run=client -o 'go-template={{.metadata.labels.a}}'", 0, 'b', ''),
    ('annotate deploy web a=b --dry-run=client -o wide', 1, '', 'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n'),
    ('expose deploy web --port=80 --dry-run=client -o json', 0, '{\n    "kind": "Service",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "web",\n        "creationTimestamp": null,\n        "labels": {\n            "app": "web"\n        }\n    },\n    "spec": {\n        "ports": [\n            {\n                "protocol": "TCP",\n                "port": 80,\n                "targetPort": 80\n            }\n        ],\n        "selector": {\n            "app": "web"\n        }\n    },\n    "status": {\n        "loadBalancer": {}\n    }\n}\n', ''),
    ('expose deploy web --port=80 --dry-run=client -o yaml', 0, 'apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n  name: web\nspec:\n  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 80\n  selector:\n    app: web\nstatus:\n  loadBalancer: {}\n', ''),
    ('expose deploy web --port=80 -n default --dry-run=client -o yaml', 0, 'apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n  name: web\n  namespace: default\nspec:\n  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 80\n  selector:\n    app: web\nstatus:\n  loadBalancer: {}\n', ''),
    ('expose deploy web --port=80 --dry-run=client -o wide', 1, '', 'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n'),
    ("expose deploy web --port=80 --dry-run=client -o 'go-template={{.spec.ports}}'", 0, '[map[port:80 protocol:TCP targetPort:80]]', ''),
    ('expose -f deploy.yaml --port=80 --dry-run=client -o json', 0, '{\n    "kind": "Service",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "web",\n        "creationTimestamp": null,\n        "labels": {\n            "app": "web"\n        }\n    },\n    "spec": {\n        "ports": [\n            {\n                "protocol": "TCP",\n                "port": 80,\n                "targetPort": 80\n            }\n        ],\n        "selector": {\n            "app": "web"\n        }\n    },\n    "status": {\n        "loadBalancer": {}\n    }\n}\n', ''),
]



def _check(mk, cases):
    failures = []
    for line, code, out, err in cases:
        r = mk(shlex.split(line))
        if (r.code, r.out, r.err) != (code, out, err):
            failures.append(f"{line}\n  kubectl: {(code, out, err)!r}\n  minikctl: {(r.code, r.out, r.err)!r}")
    assert not failures, "\n".join(failures)


@pytest.fixture
def files(cluster, tmp_path, monkeypatch):
    (tmp_path / "two.yaml").write_text(TWO)
    (tmp_path / "deploy.yaml").write_text(DEPLOY)
    monkeypatch.chdir(tmp_path)
    return cluster


def test_generators_match_kubectl(cluster):
    """create deployment|namespace|configmap|secret|service|serviceaccount|job|cronjob and run,
    --dry-run=client, in every output format."""
    _check(cluster, OFFLINE)


def test_local_label_annotate_patch_match_kubectl(files):
    _check(files, LOCAL)


def test_apply_and_create_files_match_kubectl(files):
    """apply prints a v1 List for several objects; create -f prints them one by one."""
    _check(files, FILES)


def test_commands_on_cluster_objects_match_kubectl(files):
    r = files("apply -f deploy.yaml")
    assert r.code == 0, r
    _check(files, CLUSTER)


def _store(mk) -> str:
    return mk("get all,cm -A -o yaml").out


def test_refusals_leave_the_store_as_it_was(files):
    assert files("apply -f deploy.yaml").code == 0
    before = _store(files)
    refused = 'error: unable to match a printer suitable for the output format "wide", allowed formats are: ' \
              "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n"
    for line in ("create deployment x --image=nginx -o wide", "create cm c --from-literal=a=b -o wide",
                 "run p --image=nginx -o wide", "expose deploy web --port=80 -o wide", "apply -f two.yaml -o wide",
                 "create -f two.yaml -o wide", "scale deploy web --replicas=3 -o wide",
                 "annotate deploy web a=b -o wide"):
        r = files(line)
        assert (r.code, r.out, r.err) == (1, "", refused), line
    for line, err in (("create ns x -o go-template={{.x", "error: error parsing template {{.x, template: output:1: "
                                                             "unclosed action\n"),
                      ("create ns x -o jsonpath={.x", "error: error parsing jsonpath {.x, unclosed action\n"),
                      ("create ns x -o go-template", "error: template format specified but no template given\n"),
                      ("create ns x -o go-template-file=/nonexistent/t",
                       "error: error reading --template /nonexistent/t, open /nonexistent/t: no such file or directory\n")):
        r = files(line)
        assert (r.code, r.out, r.err) == (1, "", err), line
    assert _store(files) == before


def test_label_makes_its_printer_after_the_change(files):
    """label.go asks for its printer for each object after patching it: with -o wide the label is
    applied and the command then fails (exit 1); annotate refuses before anything."""
    assert files("apply -f deploy.yaml").code == 0
    r = files("label deploy web tier=front -o wide")
    assert (r.code, r.out) == (1, "")
    assert r.err.startswith('error: unable to match a printer suitable for the output format "wide"')
    assert files("get deploy web -o jsonpath={.metadata.labels.tier}").out == "front"


def test_go_template_on_get(files):
    assert files("apply -f deploy.yaml").code == 0
    r = files(["get", "deploy", "-o", 'go-template={{range .items}}{{.metadata.name}}:{{.spec.replicas}}{{"\\n"}}{{end}}'])
    assert (r.code, r.out) == (0, "web:2\n")
    r = files(["get", "deploy", "web", "--template", "{{.kind}}/{{.metadata.name}}"])
    assert (r.code, r.out) == (0, "Deployment/web")
    r = files(["get", "deploy", "web", "-o", "go-template={{.metadata.nope}}"])
    assert (r.code, r.out) == (0, "<no value>")
    r = files(["get", "deploy", "web", "-o", "go-template={{.metadata.nope}}", "--allow-missing-template-keys=false"])
    assert r.code == 1
    assert r.out.startswith('Error executing template: template: output:1:11: executing "output" at <.metadata.nope>: '
                            'map has no entry for key "nope". Printing more information for debugging the template:\n'
                            "\ttemplate was:\n\t\t{{.metadata.nope}}\n\traw data was:\n\t\t{")
    assert r.err == ('error: error executing template "{{.metadata.nope}}": template: output:1:11: executing "output" '
                     'at <.metadata.nope>: map has no entry for key "nope"\n')
    r = files(["get", "deploy", "web", "-o", "go-template-file=nope.tmpl"])
    assert (r.code, r.err) == (1, "error: error reading --template nope.tmpl, open nope.tmpl: no such file or directory\n")


def test_go_template_file(files, tmp_path):
    (tmp_path / "t.tmpl").write_text('{{.metadata.name}} {{.kind}}\n')
    for fmt in ("go-template-file=t.tmpl", "templatefile=t.tmpl"):
        r = files(["create", "ns", "x", "--dry-run=client", "-o", fmt])
        assert (r.code, r.out) == (0, "x Namespace\n"), fmt


YAML_QUOTING_ARGS = ['create', 'configmap', 'c', '--from-literal=a==', '--from-literal=b=1:20', '--from-literal=c=0b101', '--from-literal=d=2024-1-1', '--from-literal=e=2024-01-01T10:00:00Z', '--from-literal=f=-.5', '--from-literal=g=0x1p3', '--from-literal=h=12e', '--from-literal=i=-', '--from-literal=j=1.2.3', '--from-literal=k=.', '--from-literal=l=0xZ', '--from-literal=m=<<', '--from-literal=n=+.inf', '--from-literal=o=1e', '--from-literal=p=0x10', '--from-literal=q=-0b11', '--from-literal=r=9223372036854775808', '--from-literal=s=18446744073709551616', '--from-literal=t=2024-13-01', '--from-literal=u=2024-01-01 1:2:3', '--from-literal=v=Infinity', '--from-literal=w=.e3', '--from-literal=x=077', '--from-literal=y=08', '--from-literal=z=+', '--from-literal=A=?', '--from-literal=B=!x', '--from-literal=C=%x', '--from-literal=D=@x', '--from-literal=E=`x', '--from-literal=F=x #y', '--from-literal=G=x: y', '--from-literal=H= lead', '--from-literal=I=trail ', '--from-literal=J=[x]', '--from-literal=K={x}', '--from-literal=L=*x', '--from-literal=M=&x', '--from-literal=N=|x', '--from-literal=O=>x', "--from-literal=P='x", '--from-literal=Q="x', '--from-literal=R=x,y', '--from-literal=S=2024-01-01t10:00:00+01:00', '--from-literal=T=1_000', '--from-literal=U=0o17', '--from-literal=V=1e3', '--from-literal=W=+1', '--from-literal=X=-0x1F', '--from-literal=Y=.5', '--from-literal=Z=.inf', '--dry-run=client', '-o', 'yaml']
YAML_QUOTING_OUT = 'apiVersion: v1\ndata:\n  A: \'?\'\n  B: \'!x\'\n  C: \'%x\'\n  D: \'@x\'\n  E: \'`x\'\n  F: \'x #y\'\n  G: \'x: y\'\n  H: \' lead\'\n  I: \'trail \'\n  J: \'[x]\'\n  K: \'{x}\'\n  L: \'*x\'\n  M: \'&x\'\n  "N": \'|x\'\n  O: \'>x\'\n  P: \'\'\'x\'\n  Q: \'"x\'\n  R: x,y\n  S: "2024-01-01t10:00:00+01:00"\n  T: "1_000"\n  U: "0o17"\n  V: "1e3"\n  W: "+1"\n  X: "-0x1F"\n  "Y": ".5"\n  Z: ".inf"\n  a: =\n  b: "1:20"\n  c: "0b101"\n  d: "2024-1-1"\n  e: "2024-01-01T10:00:00Z"\n  f: "-.5"\n  g: 0x1p3\n  h: 12e\n  i: \'-\'\n  j: 1.2.3\n  k: .\n  l: 0xZ\n  m: <<\n  "n": "+.inf"\n  o: 1e\n  p: "0x10"\n  q: "-0b11"\n  r: "9223372036854775808"\n  s: "18446744073709551616"\n  t: 2024-13-01\n  u: "2024-01-01 1:2:3"\n  v: Infinity\n  w: .e3\n  x: "077"\n  "y": "08"\n  z: +\nkind: ConfigMap\nmetadata:\n  creationTimestamp: null\n  name: c\n'


def test_yaml_quotes_what_go_yaml_would_read_as_another_type(cluster):
    """go-yaml v2 (sigs.k8s.io/yaml) double-quotes a string when its resolve.go would read it back
    as a bool, null, int (any base, underscores), float or timestamp; printed by kubectl 1.32."""
    r = cluster(YAML_QUOTING_ARGS)
    assert (r.code, r.out, r.err) == (0, YAML_QUOTING_OUT, "")


def test_config_view_templates(cluster):
    # kubectl 1.32: config view -o go-template / --template (its -o defaults to yaml; --template
    # without -o still means go-template)
    r = cluster(["config", "view", "-o", "go-template={{.kind}} {{.apiVersion}}"])
    assert (r.code, r.out) == (0, "Config v1")
    r = cluster(["config", "view", "--template", "{{.kind}}"])
    assert (r.code, r.out) == (0, "Config")
    r = cluster(["config", "view", "-o", "wide"])
    assert (r.code, r.err) == (1, 'error: unable to match a printer suitable for the output format "wide", allowed '
                                  "formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,"
                                  "jsonpath-file,name,template,templatefile,yaml\n")


def test_delete_prints_names_only(cluster):
    """delete.go: -o name prints resource/name; any other -o is refused before anything is deleted
    (kubectl 1.32's words)."""
    assert cluster("create cm c1 --from-literal=a=b").code == 0
    assert cluster("create deployment d1 --image=nginx").code == 0
    r = cluster("delete cm c1 -o yaml")
    assert (r.code, r.out, r.err) == (1, "", "error: unexpected -o output mode: yaml. We only support '-o name'\n")
    assert cluster("get cm c1 -o name").out == "configmap/c1\n"
    r = cluster("delete cm c1 -o name")
    assert (r.code, r.out, r.err) == (0, "configmap/c1\n", "")
    r = cluster("delete deployment d1 -o name")
    assert (r.code, r.out, r.err) == (0, "deployment.apps/d1\n", "")


def test_taint_refuses_each_node_before_changing_it(cluster):
    """taint.go asks for its printer for each node before patching it: nothing changes."""
    node = cluster("get nodes -o jsonpath={.items[1].metadata.name}").out
    before = cluster(f"get node {node} -o jsonpath={{.spec.taints}}").out
    r = cluster(f"taint nodes {node} k=v:NoSchedule -o wide")
    assert (r.code, r.out) == (1, "")
    assert r.err.startswith('error: unable to match a printer suitable for the output format "wide"')
    assert cluster(f"get node {node} -o jsonpath={{.spec.taints}}").out == before
    r = cluster(["taint", "nodes", node, "k=v:NoSchedule", "-o", "go-template={{.metadata.name}}:{{len .spec.taints}}"])
    assert (r.code, r.out) == (0, f"{node}:{1 + before.count('effect')}")
