"""Go's text/template, as kubectl's -o go-template / template prints with it.

A port of Go 1.23 src/text/template (parse/lex.go, parse/parse.go, parse/node.go, exec.go,
funcs.go) and of the fmt verbs templates reach through printf, over the JSON-decoded object
kubectl hands its template printer (k8s.io/cli-runtime/pkg/printers/template.go), with the
functions kubectl adds (exists, base64decode). Imported only for those output formats.
"""

from minikctl.printers.gotemplate.exec import ExecError, Template, TemplateSyntaxError

__all__ = ["Template", "ExecError", "TemplateSyntaxError"]
