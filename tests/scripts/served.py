"""`lifecircle serve --port 0` as a child process, for the Python client tests (QGIS, the
OpenAPI response checks): started on a manifest, stopped with SIGTERM, its stderr kept."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

# Loopback only: no client here may go through a proxy.
os.environ["no_proxy"] = os.environ["NO_PROXY"] = "*"
for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
    os.environ.pop(var, None)


class Checks:
    """Collects failed checks so a test reports all of them, then exits 1 if any failed."""

    def __init__(self):
        self.failures = []

    def __call__(self, ok, message):
        if not ok:
            self.failures.append(message)
            print("FAIL:", message)
        return ok

    def finish(self):
        if self.failures:
            print(f"{len(self.failures)} failures")
            sys.exit(1)
        print("PASS")


class Served:
    def __init__(self, binary, manifest, timeout_s=120):
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([binary, "serve", "--data", manifest, "--port", "0"],
                                     stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        self.url = None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if line.startswith("listening on "):
                self.url = line.split(" ", 2)[2].strip()
                return
        self.stop()
        raise RuntimeError("server did not start: " + self.log())

    def log(self):
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")

    def request(self, path, headers=None, body=None):
        """(status, content type, body bytes) of a GET, or of a POST of `body` as JSON; error
        answers included."""
        headers = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.url + path, data=data, headers=headers,
                                     method="POST" if body is not None else "GET")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(req, timeout=120) as r:
                return r.status, r.headers.get("Content-Type", ""), r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type", ""), e.read()

    def get(self, path, headers=None):
        return self.request(path, headers)

    def post(self, path, body):
        return self.request(path, body=body)

    def get_json(self, path):
        status, _, body = self.get(path)
        if status != 200:
            raise AssertionError(f"GET {path}: {status} {body[:300]!r}")
        return json.loads(body)

    def stop(self):
        """Stops the server; returns its exit status (0 after a clean SIGTERM)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode
