"""A minimal WebDriver client (standard library only) for chromedriver + headless Chromium."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


def find_browser() -> tuple[str, str] | None:
    """(chromium, chromedriver) paths, or None when either is missing."""
    browser = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                    if shutil.which(n)), None)
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(base: str, method: str, path: str, body: dict | None = None, timeout: float = 60):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.loads(resp.read() or b"{}").get("value")
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"WebDriver {method} {path}: {e.read()[:500]!r}") from None


class Session:
    def __init__(self, base: str, sid: str):
        self.base, self.sid = base, sid

    def call(self, method: str, path: str, body: dict | None = None):
        return _call(self.base, method, f"/session/{self.sid}{path}", body)

    def open(self, url: str) -> None:
        self.call("POST", "/url", {"url": url})

    def js(self, script: str, *args):
        return self.call("POST", "/execute/sync", {"script": script, "args": list(args)})

    def click(self, css: str) -> None:
        element = self.call("POST", "/element", {"using": "css selector", "value": css})
        self.call("POST", f"/element/{element[ELEMENT]}/click", {})


@contextmanager
def browser_session():
    """A WebDriver session on headless Chromium with a fresh profile; everything is stopped after."""
    found = find_browser()
    if found is None:
        raise LookupError("no chromium/chromedriver")
    chromium, chromedriver = found
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    profile = tempfile.mkdtemp(prefix="auditor-chromium-")
    driver = subprocess.Popen([chromedriver, f"--port={port}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    sid = None
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if (_call(base, "GET", "/status", timeout=2) or {}).get("ready"):
                    break
            except (OSError, RuntimeError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("chromedriver did not start")
            time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": chromium, "args": FLAGS + [f"--user-data-dir={profile}"]}}}}
        sid = _call(base, "POST", "/session", caps)["sessionId"]
        yield Session(base, sid)
    finally:
        if sid:
            try:
                _call(base, "DELETE", f"/session/{sid}", timeout=10)
            except (OSError, RuntimeError):
                pass
        driver.terminate()
        try:
            driver.wait(timeout=10)
        except subprocess.TimeoutExpired:
            driver.kill()
        shutil.rmtree(profile, ignore_errors=True)
