"""The polite HTTP client behind ``auditor fetch``.

One :class:`Client` per run, used from one thread: requests go out one at a time (so never more
than one connection per host), with a pause of ``Policy.delay`` seconds (or the site's
``Crawl-delay``, whichever is longer) between two requests to the same host.  robots.txt is
read once per site and obeyed.  Redirects are followed by hand so that each hop is checked
(scheme, robots.txt, loops, at most ``max_redirects``).  5xx answers, timeouts and connection
errors are retried with exponential backoff; 4xx answers are not.  A body larger than
``max_size`` is abandoned as soon as the size is known (Content-Length) or exceeded (streaming).

Every failure is a :class:`FetchError` whose ``kind`` names the reason in the summary.
"""
from __future__ import annotations

import time
import urllib.parse
import urllib.robotparser
from dataclasses import dataclass

import httpx

from auditor import __version__
from auditor.errors import AuditorError

AGENT = "disclosure-auditor"
USER_AGENT = f"{AGENT}/{__version__} (auditor fetch; collects government information-disclosure annual reports)"
SCHEMES = ("http", "https")
REDIRECTS = (301, 302, 303, 307, 308)
RETRIED = ("timeout", "connection", "server-error")
MAX_CRAWL_DELAY = 60.0


class FetchError(AuditorError):
    """A URL that could not be fetched; ``kind`` is the reason's short name (``not-found``…)."""

    def __init__(self, kind: str, zh: str, en: str):
        super().__init__(zh, en)
        self.kind = kind


@dataclass
class Policy:
    """How politely and how long to try.  Times in seconds, ``max_size`` in bytes."""

    delay: float = 1.0
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0
    max_size: int = 100 * 2**20
    max_redirects: int = 5
    deadline: float | None = None     # time.monotonic() after which no request starts


@dataclass
class Response:
    """A final answer: ``status`` 200 (with ``body``) or 304 (not modified, empty body)."""

    url: str
    status: int
    headers: httpx.Headers
    body: bytes


def check_scheme(url: str) -> None:
    """Raise ``FetchError('scheme')`` unless ``url`` is an absolute http(s) URL."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port      # raises on a port that is not a number
    except ValueError:
        raise _bad_url(url) from None
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise FetchError("scheme", f"只能抓取 http/https 网址：{url}", f"only http and https URLs can be fetched: {url}")


def origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url``."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _status_error(status: int) -> FetchError:
    if status in (404, 410):
        return FetchError("not-found", f"页面不存在（HTTP {status}）", f"not found (HTTP {status})")
    if status >= 500:
        return FetchError("server-error", f"服务器错误（HTTP {status}）", f"server error (HTTP {status})")
    return FetchError("http-error", f"服务器拒绝（HTTP {status}）", f"refused (HTTP {status})")


def _too_large(limit: int) -> FetchError:
    mb = limit / 2**20
    return FetchError("too-large", f"文件超过大小上限（{mb:g} MB）", f"file larger than the size cap ({mb:g} MB)")


def _bad_url(url: str) -> FetchError:
    return FetchError("bad-url", f"网址格式不对：{url}", f"malformed URL: {url}")


def _connection_error(e: Exception) -> FetchError:
    if isinstance(e, httpx.ConnectError):
        return FetchError("connection", "无法连接到服务器", "cannot connect to the server")
    return FetchError("connection", "连接中断或应答无法读取", "connection broken or answer unreadable")


def _timeout() -> FetchError:
    return FetchError("timeout", "请求超时", "timed out")


class Client:
    """Sequential polite GETs; see the module docstring.  Close it (or use ``with``) when done."""

    def __init__(self, policy: Policy | None = None):
        self.policy = policy or Policy()
        self.http = httpx.Client(headers={"User-Agent": USER_AGENT}, follow_redirects=False,
                                 timeout=self.policy.timeout, trust_env=True,
                                 limits=httpx.Limits(max_connections=1, max_keepalive_connections=1))
        self.robots: dict[str, object] = {}      # origin -> RobotFileParser | None (allow all) | FetchError
        self.last: dict[str, float] = {}         # origin -> monotonic time of the last request's end
        self.requests = 0

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def get(self, url: str, headers: dict | None = None) -> Response:
        """GET ``url`` (conditional ``headers`` allowed); 200 or 304, else :class:`FetchError`."""
        return self._follow(url, headers or {}, robots=True)

    # -- redirects, robots.txt ------------------------------------------------------------

    def _follow(self, url: str, headers: dict, robots: bool) -> Response:
        seen = [url]
        for _ in range(self.policy.max_redirects + 1):
            check_scheme(url)
            if robots:
                self._check_robots(url)
            resp = self._retrying(url, headers)
            if resp.status not in REDIRECTS:
                return resp
            target = urllib.parse.urljoin(url, resp.headers.get("location", ""))
            if target in seen:
                raise FetchError("redirect-loop", f"重定向循环（{' → '.join(seen + [target])}）",
                                 f"redirect loop ({' -> '.join(seen + [target])})")
            seen.append(target)
            url = target
        raise FetchError("redirect-loop", f"重定向超过 {self.policy.max_redirects} 次",
                         f"more than {self.policy.max_redirects} redirects")

    def _check_robots(self, url: str) -> None:
        site = origin(url)
        if site not in self.robots:
            self.robots[site] = self._load_robots(site)
        rules = self.robots[site]
        if isinstance(rules, FetchError):     # the site is down, or its robots.txt answers 5xx
            raise FetchError(rules.kind, f"{rules.zh}（读取 robots.txt 时）", f"{rules.en} (reading robots.txt)")
        if rules is not None and not rules.can_fetch(AGENT, url):
            raise FetchError("robots", "robots.txt 禁止抓取", "disallowed by robots.txt")

    def _load_robots(self, site: str):
        """The site's rules: a parser, None (no robots.txt: allow all) or the FetchError met.
        As RFC 9309 says: a 4xx or a redirect that leads nowhere is "no rules"; a 5xx or no
        answer means the site is not fetched."""
        try:
            resp = self._follow(site + "/robots.txt", {}, robots=False)
        except FetchError as e:
            return None if e.kind in ("not-found", "http-error", "redirect-loop", "scheme") else e
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(resp.body.decode("utf-8", "replace").splitlines())
        return parser

    def _delay(self, site: str) -> float:
        rules = self.robots.get(site)
        crawl = rules.crawl_delay(AGENT) if isinstance(rules, urllib.robotparser.RobotFileParser) else None
        return max(self.policy.delay, min(float(crawl or 0), MAX_CRAWL_DELAY))

    # -- retries and one request ----------------------------------------------------------

    def _retrying(self, url: str, headers: dict) -> Response:
        """One URL, retried on 5xx / timeout / connection errors with exponential backoff."""
        for attempt in range(self.policy.retries + 1):
            if attempt:
                time.sleep(self.policy.backoff * 2 ** (attempt - 1))
            try:
                resp = self._once(url, headers)
                if resp.status >= 400:
                    raise _status_error(resp.status)
                if resp.status not in (200, 304, *REDIRECTS):
                    raise FetchError("http-error", f"意外的应答（HTTP {resp.status}）",
                                     f"unexpected answer (HTTP {resp.status})")
                return resp
            except FetchError as e:
                if e.kind not in RETRIED or attempt == self.policy.retries:
                    raise
        raise AssertionError("unreachable")

    def _remaining(self) -> float:
        """Seconds this request may take: the per-request timeout, cut by the run's deadline."""
        if self.policy.deadline is None:
            return self.policy.timeout
        left = self.policy.deadline - time.monotonic()
        if left <= 0:
            raise FetchError("time-limit", "已达到总时限，未再请求", "the run's time limit was reached")
        return min(self.policy.timeout, left)

    def _wait(self, site: str) -> None:
        if site in self.last:
            pause = self.last[site] + self._delay(site) - time.monotonic()
            if pause > 0:
                time.sleep(pause)

    def _once(self, url: str, headers: dict) -> Response:
        site = origin(url)
        self._wait(site)
        budget = self._remaining()
        start = time.monotonic()
        self.requests += 1
        try:
            with self.http.stream("GET", url, headers=headers, timeout=budget) as r:
                if r.status_code != 200:
                    return Response(str(r.url), r.status_code, r.headers, b"")
                return Response(str(r.url), 200, r.headers, self._read(r, start, budget))
        except httpx.TimeoutException:
            raise _timeout() from None
        except httpx.InvalidURL:
            raise _bad_url(url) from None
        except (httpx.TransportError, httpx.DecodingError) as e:
            raise _connection_error(e) from None
        finally:
            self.last[site] = time.monotonic()

    def _read(self, r: httpx.Response, start: float, budget: float) -> bytes:
        """The body, within the size cap and the request's time budget."""
        limit = self.policy.max_size
        length = r.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            raise _too_large(limit)
        chunks, size = [], 0
        for chunk in r.iter_bytes(65536):
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            if time.monotonic() - start > budget:
                raise _timeout()
            chunks.append(chunk)
        return b"".join(chunks)
