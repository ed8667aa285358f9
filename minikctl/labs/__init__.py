"""Classroom labs (issue 13): exercises as data, checked, hinted and graded.

A lab is a YAML file (JSON Schema: schema.json beside this module; `minikctl lab lint FILE`):

    name: svc-selector            # what `lab start` takes; bundled labs: data/*/NAME.yaml
    title: ...                    # level: beginner|intermediate|advanced; time: 15m
    setup:                        # the lab's own cluster, made by `lab start`
      cluster: {nodes: 3, ...}    # cluster create options (serviceCIDR, lbPool, allowUnknownImages ...)
      clock: {mode: manual, start: "2026-01-05T09:00:00Z"}
      images: [{name: ..., ...}]  # as `image add -f` reads them
      manifests: |                # applied (apply -f -)
      commands: ["minikctl ...", {run: "minikctl apply -f -", stdin: "..."}]
      files: {web.yaml: "..."}    # written to the lab's work directory (manifests to repair)
    tasks:
      - name: expose
        title: ...
        text: | Markdown
        hints: [progressive, hints]
        solution: [minikctl command lines]
        points: 1
        checks: [declarative, read-only checks: see checks.py]

Modules: loader (YAML with lines, schema, lint: FILE:LINE errors), model (Lab, Task, Command),
checks (the check engine), store (read-only opening, the start copy, the lab's record),
runner (setup and command lines in-process), report (text, JSON, JUnit, grade table, CSV).
The commands are minikctl/cli/cmd_lab.py.
"""
