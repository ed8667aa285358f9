"""The image catalog as data: built-in images (servers, files, commands), the generic behaviour of
an unknown image, and user images (`image add -f`) that bind localhost or start slowly."""

from __future__ import annotations

import json

import pytest

CLIENT = """
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers: [{name: c, image: curlimages/curl, command: [sleep, infinity]}]
"""


def pod(name: str, image: str, extra: str = "") -> str:
    return f"""
apiVersion: v1
kind: Pod
metadata: {{name: {name}, labels: {{app: {name}}}}}
spec:
  containers:
  - name: main
    image: {image}
{extra}"""


def ip_of(mk, name: str) -> str:
    return json.loads(mk(f"get pod {name} -o json").out)["status"]["podIP"]


@pytest.fixture
def client(cluster):
    assert cluster(["apply", "-f", "-"], input=CLIENT).code == 0
    return cluster


def test_catalog_json_matches_the_yaml():
    """catalog.json is catalog.yaml compiled; regenerate with python -m minikctl.images.catalog --compile."""
    import hashlib
    import os

    from minikctl.images import catalog

    here = os.path.dirname(catalog.__file__)
    with open(os.path.join(here, "catalog.yaml"), "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    with open(os.path.join(here, "catalog.json")) as f:
        assert json.load(f)["sourceSha256"] == digest, "run: python -m minikctl.images.catalog --compile"


def test_every_builtin_image_is_valid():
    from minikctl.images import catalog

    images = catalog.builtin()["images"]
    for name, spec in images.items():
        assert catalog.validate(name, spec, set(images)) == [], name


def test_image_list_and_show(cluster):
    r = cluster("image list")
    assert r.code == 0
    lines = r.lines
    assert lines[0].split() == ["NAME", "SOURCE", "PORTS", "SHELLS"]
    rows = {ln.split()[0]: ln.split()[1:] for ln in lines[1:]}
    assert rows["mpepping/cyberchef"] == ["built-in", "8000/http", "sh,bash"]
    assert rows["busybox"] == ["built-in", "<none>", "sh"]
    assert rows["redis"] == ["built-in", "6379/tcp", "sh,bash"]
    for name in ("tutum/dnsutils", "sissbruecker/linkding", "luksa/kubia", "nginx", "httpd", "alpine",
                 "curlimages/curl", "postgres"):
        assert name in rows
    r = cluster("image show nginx")
    assert r.code == 0 and "NGINX_VERSION: 1.27.3" in r.out and "source: built-in" in r.out
    r = cluster("image show example/unknown:v1")
    assert "not in the catalog" in r.out


def test_builtin_servers_answer(client):
    mk = client
    r = mk(["apply", "-f", "-"], input=pod("web", "nginx") + "---" + pod("apache", "httpd:2.4") + "---"
           + pod("kubia", "luksa/kubia") + "---" + pod("chef", "docker.io/mpepping/cyberchef:latest"))
    assert r.code == 0, r
    r = mk(f"exec client -- curl -si http://{ip_of(mk, 'web')}/")
    assert r.out.startswith("HTTP/1.1 200 OK\r\nServer: nginx/1.27.3\r\n")
    assert "Content-Length: 615\r\n" in r.out and "<h1>Welcome to nginx!</h1>" in r.out
    r = mk(f"exec client -- curl -si http://{ip_of(mk, 'web')}/missing")
    assert r.out.startswith("HTTP/1.1 404 Not Found\r\n") and "Content-Length: 153\r\n" in r.out
    assert mk(f"exec client -- curl -s http://{ip_of(mk, 'apache')}/").out == "<html><body><h1>It works!</h1></body></html>\n"
    assert mk(f"exec client -- curl -s http://{ip_of(mk, 'kubia')}:8080/").out == "You've hit kubia\n"
    assert mk(f"exec client -- curl -s http://{ip_of(mk, 'chef')}:8000/").out.startswith(
        "<!--\n    CyberChef - The Cyber Swiss Army Knife")
    # nothing listens on a port the image does not serve, whatever containerPort says
    r = mk(f"exec client -- curl -sS http://{ip_of(mk, 'chef')}:8080/")
    assert r.code == 7 and "Failed to connect" in r.err


def test_static_server_serves_files_written_by_exec(client):
    mk = client
    assert mk(["apply", "-f", "-"], input=pod("web", "nginx")).code == 0
    assert mk(["exec", "web", "--", "sh", "-c", "echo hello from exec > /usr/share/nginx/html/hi.txt"]).code == 0
    r = mk(f"exec client -- curl -si http://{ip_of(mk, 'web')}/hi.txt")
    assert "Content-Type: text/plain\r\n" in r.out and r.out.endswith("\r\n\r\nhello from exec\n")


def test_tcp_server_closes_an_http_request(client):
    mk = client
    assert mk(["apply", "-f", "-"], input=pod("cache", "redis")).code == 0
    r = mk(f"exec client -- curl -sS http://{ip_of(mk, 'cache')}:6379/")
    assert (r.code, r.err) == (52, "curl: (52) Empty reply from server\ncommand terminated with exit code 52\n")
    assert "Possible SECURITY ATTACK detected" in mk("logs cache --tail 1").out


def test_command_override_runs_no_server(client):
    mk = client
    r = mk(["apply", "-f", "-"], input=pod("idle", "nginx", "    command: [sleep, infinity]\n"))
    assert r.code == 0
    r = mk(f"exec client -- curl -sS http://{ip_of(mk, 'idle')}/")
    assert r.code == 7


def test_unknown_image_has_the_generic_behaviour(mk):
    # an image the catalog lacks is pulled only on a cluster that allows unknown images
    # (tests/cli/test_image_pulls.py has the ErrImagePull of the default cluster)
    assert mk("cluster create --clock manual --allow-unknown-images").code == 0
    assert mk(["apply", "-f", "-"], input=CLIENT).code == 0
    r = mk(["apply", "-f", "-"], input=pod("app", "example.com/team/app:1.0", "    ports: [{containerPort: 5000}]\n"))
    assert r.code == 0
    r = mk(f"exec client -- curl -s http://{ip_of(mk, 'app')}:5000/x")
    assert r.out == "Hello from app (image example.com/team/app:1.0, port 5000)\n"
    assert mk("exec app -- sh -c 'echo ok'").out == "ok\n"
    assert "executable file not found" in mk("exec app -- bash").err


LOCALHOST_APP = """
name: school/localhost-app
description: an app that binds 127.0.0.1 only (the seed's last troubleshooting tip)
from: debian
bin: {/usr/bin: [curl]}
listen:
  - port: 8080
    address: 127.0.0.1
    http:
      routes:
        - path: /
          status: 200
          headers: {Content-Type: text/plain}
          body: "only from inside {pod_name}\\n"
---
name: school/slow-app
from: nginx
startupSeconds: 30
"""


def test_user_images_bind_localhost_and_start_slowly(client, tmp_path):
    mk = client
    f = tmp_path / "images.yaml"
    f.write_text(LOCALHOST_APP)
    r = mk(f"image add -f {f}")
    assert (r.code, r.out) == (0, "image/school/localhost-app created\nimage/school/slow-app created\n")
    assert mk(f"image add -f {f}").out == "image/school/localhost-app configured\nimage/school/slow-app configured\n"
    rows = {ln.split()[0]: ln.split()[1:] for ln in mk("image list").lines[1:]}
    assert rows["school/localhost-app"] == ["user", "127.0.0.1:8080/http", "sh,bash"]
    r = mk(["apply", "-f", "-"], input=pod("local", "school/localhost-app") + "---" + pod("slow", "school/slow-app"))
    assert r.code == 0, r
    # from another pod: refused; from inside the pod itself: answered
    r = mk(f"exec client -- curl -sS http://{ip_of(mk, 'local')}:8080/")
    assert r.code == 7
    r = mk("exec local -- curl -s http://localhost:8080/")
    assert (r.code, r.out) == (0, "only from inside local\n")
    # not even through its own pod IP: the socket is bound to 127.0.0.1
    assert mk(f"exec local -- curl -sS http://{ip_of(mk, 'local')}:8080/").code == 7
    # the slow one refuses until its 30 s start-up are over
    assert mk(f"exec client -- curl -sS http://{ip_of(mk, 'slow')}/").code == 7
    assert mk("clock advance 30s").code == 0
    assert mk(f"exec client -- curl -s http://{ip_of(mk, 'slow')}/").code == 0
    r = mk("image remove school/slow-app")
    assert (r.code, r.out) == (0, "image/school/slow-app removed\n")
    r = mk("image remove nginx")
    assert (r.code, r.err) == (1, 'error: image "nginx" is built in and cannot be removed (only user images can)\n')


def test_localhost_binding_answers_inside_the_pod(client, tmp_path):
    mk = client
    f = tmp_path / "img.yaml"
    f.write_text("""
name: school/local-nginx
from: nginx
listen:
  - port: 80
    address: 127.0.0.1
    http:
      docroot: /usr/share/nginx/html
      index: [index.html]
      headers: {Content-Type: "{content_type}"}
""")
    assert mk(f"image add -f {f}").code == 0
    assert mk(["apply", "-f", "-"], input=pod("ln", "school/local-nginx")).code == 0
    r = mk("exec ln -- curl -s http://127.0.0.1/")
    assert r.code == 0 and "Welcome to nginx!" in r.out
    assert mk(f"exec client -- curl -sS http://{ip_of(mk, 'ln')}/").code == 7


def test_user_image_validation(cluster, tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("""
name: school/bad
from: nosuch
shell: zsh
listen:
  - port: http
    address: 10.0.0.1
    protocol: udp
startupSeconds: -1
""")
    r = cluster(f"image add -f {f}")
    assert r.code == 1
    assert r.err == (
        "error: invalid image definition:\n"
        '* image "school/bad": from: unknown image "nosuch" (see minikctl image list)\n'
        '* image "school/bad": shell: must be one of dash, bash, ash, none, got "zsh"\n'
        '* image "school/bad": startupSeconds: must be a number of seconds >= 0, got -1\n'
        '* image "school/bad": listen[0].port: must be a port number (1-65535) or "${VAR:-default}", got "http"\n'
        '* image "school/bad": listen[0].address: must be 0.0.0.0 (all interfaces) or 127.0.0.1 (localhost only), '
        'got "10.0.0.1"\n'
        '* image "school/bad": listen[0].protocol: must be http or tcp, got "udp"\n')
    assert "school/bad" not in cluster("image list").out
    f.write_text("name: [x\n")
    r = cluster(f"image add -f {f}")
    assert r.code == 1 and r.err.startswith(f"error: error parsing {f}")
    r = cluster("image add -f /nonexistent.yaml")
    assert (r.code, r.err) == (1, 'error: the path "/nonexistent.yaml" does not exist\n')
    r = cluster("image add")
    assert r.code == 1


def test_user_image_overrides_a_builtin(client, tmp_path):
    mk = client
    f = tmp_path / "nginx.yaml"
    f.write_text("""
name: nginx
from: nginx
files:
  /usr/share/nginx/html/index.html: "custom page\\n"
""")
    assert mk(f"image add -f {f}").code == 0
    rows = {ln.split()[0]: ln.split()[1:] for ln in mk("image list").lines[1:]}
    assert rows["nginx"][:3] == ["user", "(overrides", "built-in)"]
    assert mk(["apply", "-f", "-"], input=pod("web", "nginx")).code == 0
    assert mk(f"exec client -- curl -s http://{ip_of(mk, 'web')}/").out == "custom page\n"


def test_postgres_needs_its_password(cluster):
    r = cluster(["apply", "-f", "-"], input=pod("db", "postgres"))
    assert r.code == 0
    r = cluster("logs db")
    assert r.out.startswith("Error: Database is uninitialized and superuser password is not specified.\n")


def test_example_teaching_images_load(cluster):
    import os

    path = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "images", "troubleshooting.yaml")
    r = cluster(["image", "add", "-f", path])
    assert (r.code, r.out) == (0, "image/school/localhost-only created\nimage/school/slow-start created\n"
                                  "image/school/port-9000 created\n")
