import pytest

from portal import Site


@pytest.fixture
def site(monkeypatch):
    # the tests talk to 127.0.0.1 only: no proxy from the environment in between
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    s = Site().start()
    yield s
    s.stop()
