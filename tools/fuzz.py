"""Fuzz the readers and the configuration loader: ``python tools/fuzz.py TARGET --seconds N``.

Targets: ``text``, ``markdown``, ``html``, ``json``, ``mht``, ``docx``, ``pdf-pdfium``,
``pdf-pdfminer``, ``ocr`` (only when the ``ocr`` extra is installed) and ``config``; ``all`` runs
each in turn.  A crash is any exception other than :class:`auditor.errors.InputError` or
:class:`auditor.errors.ConfigError`, or an input that takes longer than ``--limit`` seconds.
Each distinct crash (by exception type and innermost frame) is written to
``OUT/TARGET/crash-<sha1>`` and listed at the end; the exit status is 1 when any was found.

With atheris installed (``pip install atheris``) the run is coverage-guided; otherwise (or with
``--random``) a seeded random mutator runs instead: bit flips, byte runs, insertions of the
format's tokens, cuts, splices of two seeds, and — for DOCX — mutations of one member of the
zip, rezipped so the reader gets past the zip's checksums.  The seed corpus is drawn from the
test corpus generators (``tests/corpus``) and ``samples/``.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TOKENS = {
    "text": [b"\xe4\xb8\x80\xe3\x80\x81", b"\t", b"|", b"\r\n", b"\xff\xfe", b"\xef\xbb\xbf", b"\x00"],
    "html": [b"<table>", b"<tr>", b"<td rowspan=\"99999\">", b"<td colspan=\"0\">", b"</table>",
             b"<script>", b"&#0;", b"&nbsp;", b"<meta charset=\"x-unknown\">", b"<br>", b"<!--"],
    "pdf": [b"obj", b"endobj", b"stream", b"endstream", b"/Length 999999", b"xref", b"trailer",
            b"/Encrypt", b"/Filter /FlateDecode", b"<<", b">>", b"[", b"]", b"%%EOF"],
    "xml": [b"<w:tbl>", b"<w:tr>", b"<w:tc>", b"<w:gridSpan w:val=\"9999\"/>", b"<w:vMerge/>",
            b"<w:p>", b"</w:p>", b"<!DOCTYPE", b"&#0;"],
    "mime": [b"\r\n--", b"Content-Type: text/html; charset=gb2312\r\n",
             b"Content-Transfer-Encoding: base64\r\n", b"=\r\n", b"=E4"],
    "yaml": [b"extends: ", b"rules:\n  ", b"&a ", b"*a", b"[", b"{", b"!!python/object", b"scoring:",
             b"templates:", b"waivers:", b"- ", b"\n  ", b": ", b"~", b"2021"],
}


# --- targets ----------------------------------------------------------------------------------

def _reader(name: str):
    """The built-in reader's ``read(data, path)`` by name (``pdf:pdfium`` …)."""
    from auditor.read import READERS
    return next(r for r in READERS if r.name == name)


def _config_target():
    """Write the input as an ``auditor.yaml`` and resolve it against the built-in host, as
    ``auditor audit --config`` does (the host is built once)."""
    from auditor import settings as C
    _, host = C.load(None, cwd="/")
    folder = Path(tempfile.mkdtemp(prefix="fuzz-config-"))
    path = folder / "auditor.yaml"

    def run(data: bytes) -> None:
        path.write_bytes(data)
        C.build_settings(C.resolve(C.read_user_config(path), host), host)
    return run


def _reader_target(name: str, suffix: str):
    reader = _reader(name)
    return lambda data: reader.read(data, f"fuzz{suffix}")


TARGETS = {   # name: (reader name or None, suffix, token family)
    "text": ("text", ".txt", "text"),
    "markdown": ("markdown", ".md", "text"),
    "html": ("html", ".html", "html"),
    "json": ("json", ".json", "html"),
    "mht": ("mht", ".mht", "mime"),
    "docx": ("docx:python-docx", ".docx", "xml"),
    "pdf-pdfium": ("pdf:pdfium", ".pdf", "pdf"),
    "pdf-pdfminer": ("pdf:pdfminer", ".pdf", "pdf"),
    "ocr": ("image:rapidocr", ".png", "text"),
    "config": (None, ".yaml", "yaml"),
}


def available(target: str) -> bool:
    if target == "ocr":
        from auditor.read.ocr import available as ocr_available
        return bool(ocr_available())
    return True


def make_target(target: str):
    name, suffix, _ = TARGETS[target]
    return _config_target() if name is None else _reader_target(name, suffix)


# --- seeds ------------------------------------------------------------------------------------

def _reports():
    from tests.corpus.document import make_report
    return [make_report("2021", 2023, "某某县商务局"), make_report("2019", 2020, "某某市教育局", start=40)]


def _samples(*suffixes: str) -> list[bytes]:
    return [p.read_bytes() for p in sorted((ROOT / "samples").iterdir()) if p.suffix in suffixes]


def _mht_of(page: bytes) -> bytes:
    import base64
    body = base64.encodebytes(page).replace(b"\n", b"\r\n")
    return (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"B\"\r\n\r\n--B\r\n"
            b"Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n"
            b"Content-Location: file:///C:/a.htm\r\n\r\n" + body + b"\r\n--B--\r\n")


def seeds(target: str) -> list[bytes]:
    """Small valid inputs of the target's format, from the corpus generators and ``samples/``."""
    import json
    from tests.corpus.htmlgen import HtmlStyle, render_html
    if target == "config":
        return [(ROOT / "auditor" / "defaults.yaml").read_bytes(),
                b"extends: default\nlang: en\nrules:\n  X601: {severity: warning}\nscoring:\n  fail_under: 60\n  grades: {A: 95, B: 80, C: 60, D: 0}\n",
                b"templates:\n  2020: '2019'\nwaivers: []\n"]
    pages = [render_html(r, HtmlStyle(encoding=e, split_numbers=s)) for r in _reports()
             for e, s in (("utf-8", False), ("gbk", True))]
    if target in ("text", "markdown"):
        return _samples(".txt", ".md") or [b"x"]
    if target == "html":
        return pages + _samples(".html")
    if target == "json":
        return [json.dumps({"title": "报告", "content": p.decode("utf-8")}, ensure_ascii=False).encode()
                for p in pages[:1]] + [json.dumps({"data": {"content": pages[0].decode()}}).encode()]
    if target == "mht":
        return [_mht_of(pages[0])]
    if target == "docx":
        from tests.corpus.docxgen import DocxStyle, render_docx
        return [render_docx(r, DocxStyle(split_table=t)) for r, t in zip(_reports(), (False, True))]
    if target.startswith("pdf"):
        from tests.corpus.pdfgen import Style, render_pdf
        return [render_pdf(_reports()[0], Style(ruled=False))] + _samples(".pdf")
    if target == "ocr":
        from tests.corpus import scangen
        from tests.corpus.pdfgen import render_pdf
        from PIL import Image
        page = scangen.pages(render_pdf(_reports()[0]), 60)[0]
        raw = io.BytesIO()
        Image.fromarray(page).save(raw, "TIFF")         # uncompressed: edits reach the pixels and tags
        return [raw.getvalue(), scangen.png(page, 60)]
    raise KeyError(target)


# --- mutation (the fallback, and atheris's custom mutator for zips) ---------------------------

def mutate_bytes(data: bytes, rng: random.Random, tokens: list[bytes], other: bytes = b"") -> bytes:
    """One to four random edits of ``data``."""
    buf = bytearray(data or b"\0")
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(8)
        i = rng.randrange(len(buf) + 1)
        if op == 0 and buf:                                   # flip a bit
            j = min(i, len(buf) - 1)
            buf[j] ^= 1 << rng.randrange(8)
        elif op == 1 and buf:                                 # set a byte run
            j = min(i, len(buf) - 1)
            buf[j:j + rng.randint(1, 8)] = bytes(rng.choice((0, 0xFF, 0x7F, 0x80, rng.randrange(256)))
                                                 for _ in range(rng.randint(1, 8)))
        elif op == 2:                                         # insert a token of the format
            buf[i:i] = rng.choice(tokens)
        elif op == 3:                                         # delete a range
            del buf[i:i + rng.randint(1, 256)]
        elif op == 4 and buf:                                 # duplicate a range
            j = rng.randrange(len(buf))
            buf[i:i] = buf[j:j + rng.randint(1, 512)]
        elif op == 5:                                         # truncate
            del buf[i:]
        elif op == 6 and other:                               # splice with another seed
            j = rng.randrange(len(other))
            buf = buf[:i] + bytearray(other[j:])
        else:                                                 # a number grown large
            buf[i:i] = str(rng.choice((0, -1, 2 ** 31, 2 ** 63, 10 ** 30))).encode()
    return bytes(buf[:4 << 20])


def mutate_zip(data: bytes, rng: random.Random, tokens: list[bytes]) -> bytes | None:
    """``data`` (a zip) with one member's bytes mutated and the zip rewritten; None if it is
    not a zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = [(i, z.read(i)) for i in z.infolist()]
    except Exception:  # noqa: BLE001 - not a zip any more: the caller mutates bytes
        return None
    if not members:
        return None
    k = rng.randrange(len(members))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, (info, body) in enumerate(members):
            member = zipfile.ZipInfo(info.filename, date_time=info.date_time)   # not today's:
            member.compress_type = zipfile.ZIP_DEFLATED                          # repeatable
            z.writestr(member, mutate_bytes(body, rng, tokens) if n == k else body)
    return out.getvalue()


def mutate(data: bytes, rng: random.Random, family: str, other: bytes = b"") -> bytes:
    if family == "xml" and rng.random() < 0.7:
        zipped = mutate_zip(data, rng, TOKENS["xml"])
        if zipped is not None:
            return zipped
    return mutate_bytes(data, rng, TOKENS[family], other)


# --- running ----------------------------------------------------------------------------------

class Hang(Exception):
    """An input that ran past the per-input limit."""


def _alarm(signum, frame):
    raise Hang()


class Checker:
    """Runs one input; records each distinct crash (type + innermost frame) once."""

    def __init__(self, run, out: Path, limit: float):
        from auditor.errors import ConfigError, InputError
        self.run, self.out, self.limit = run, out, limit
        self.expected = (InputError, ConfigError)
        self.crashes: dict[str, tuple[str, Path]] = {}
        self.inputs = 0
        signal.signal(signal.SIGALRM, _alarm)

    def __call__(self, data: bytes) -> None:
        self.inputs += 1
        signal.setitimer(signal.ITIMER_REAL, self.limit)
        try:
            self.run(data)
        except self.expected:
            pass
        except (Hang, RecursionError, MemoryError, Exception) as e:   # noqa: BLE001 - the point
            self._record(data, e)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    def _record(self, data: bytes, e: BaseException) -> None:
        tb = traceback.extract_tb(e.__traceback__)
        where = f"{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else "?"
        key = f"{type(e).__name__} at {where}"
        if key in self.crashes:
            return
        self.out.mkdir(parents=True, exist_ok=True)
        path = self.out / f"crash-{hashlib.sha1(data).hexdigest()}"
        path.write_bytes(data)
        (path.with_suffix(".txt")).write_text("".join(traceback.format_exception(e)), encoding="utf-8")
        self.crashes[key] = (f"{type(e).__name__}: {str(e)[:200]}", path)
        print(f"CRASH {key}: {str(e)[:200]} -> {path}", file=sys.stderr, flush=True)


def run_random(check: Checker, corpus: list[bytes], family: str, seconds: float, seed: int) -> None:
    rng = random.Random(seed)
    for s in corpus:
        check(s)
    pool = list(corpus)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        data = mutate(rng.choice(pool), rng, family, rng.choice(corpus))
        check(data)
        if rng.random() < 0.05:                   # keep some mutants as parents (stacked edits)
            pool.append(data)
            if len(pool) > 200:
                pool.pop(rng.randrange(len(corpus), len(pool)))


def run_atheris(target: str, check: Checker, corpus: list[bytes], family: str, seconds: float, seed: int,
                out: Path) -> None:
    import atheris
    folder = out / "corpus"
    folder.mkdir(parents=True, exist_ok=True)
    for s in corpus:
        (folder / hashlib.sha1(s).hexdigest()).write_bytes(s)

    def custom(data: bytes, max_size: int, s: int) -> bytes:
        rng = random.Random(s)
        if family == "xml":
            zipped = mutate_zip(data, rng, TOKENS["xml"])
            if zipped is not None and len(zipped) <= max_size and rng.random() < 0.7:
                return zipped
        return atheris.Mutate(data, max_size)

    def one(data: bytes) -> None:
        # libFuzzer ends the process without running Python's exit handlers: the run stops
        # itself when its time is up, after printing its summary
        if time.monotonic() > end:
            _summary(target, check, seconds, "atheris")
            os._exit(1 if check.crashes else 0)
        check(data)

    args = [sys.argv[0], f"-max_total_time={int(seconds) + 60}", f"-seed={seed}", "-rss_limit_mb=4096",
            "-timeout=0", "-max_len=1048576", "-print_final_stats=1",
            f"-artifact_prefix={out}/libfuzzer-", str(folder)]     # its slow units: not in the cwd
    atheris.instrument_all()
    atheris.Setup(args, one, custom_mutator=custom if family == "xml" else None)
    end = time.monotonic() + seconds
    atheris.Fuzz()


def fuzz(target: str, seconds: float, limit: float, out: Path, seed: int, use_atheris: bool) -> dict:
    """Fuzz one target; → its figures (inputs, crashes)."""
    if not available(target):
        print(f"{target}: skipped (its optional extra is not installed)", flush=True)
        return {"target": target, "skipped": True}
    check = Checker(make_target(target), out / target, limit)
    corpus = seeds(target)
    family = TARGETS[target][2]
    start = time.monotonic()
    if use_atheris:
        run_atheris(target, check, corpus, family, seconds, seed, out / target)    # does not return
    run_random(check, corpus, family, seconds, seed)
    return _summary(target, check, time.monotonic() - start, "random")


def _summary(target: str, check: Checker, elapsed: float, mode: str) -> dict:
    print(f"{target}: {mode}, {elapsed:.0f} s, {check.inputs} inputs, {len(check.crashes)} distinct "
          f"crash(es)", flush=True)
    for key, (message, path) in check.crashes.items():
        print(f"  {key}: {message} ({path})", flush=True)
    return {"target": target, "inputs": check.inputs, "crashes": len(check.crashes)}


# default per-input limits above 10 s: OCR takes seconds of CPU a page (and a PDF without text
# goes to OCR when the extra is installed)
SLOW_TARGETS = {"ocr": 60, "pdf-pdfium": 60, "pdf-pdfminer": 60}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("target", choices=[*TARGETS, "all"])
    p.add_argument("--seconds", type=float, default=60, help="time per target")
    p.add_argument("--limit", type=float, help="seconds one input may take before it counts as a hang "
                   "(default 10; 60 for ocr and the PDF targets, where a page read by OCR takes "
                   "seconds of CPU, twice when it looks upside down)")
    p.add_argument("--out", default="fuzz-out", help="folder for crashing inputs")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--random", action="store_true", help="the random mutator even if atheris is installed")
    a = p.parse_args(argv)
    from importlib.util import find_spec
    use_atheris = find_spec("atheris") is not None and not a.random
    targets = list(TARGETS) if a.target == "all" else [a.target]
    if use_atheris and len(targets) > 1:       # libFuzzer runs once per process: one child each
        import subprocess
        limit = [] if a.limit is None else ["--limit", str(a.limit)]
        codes = [subprocess.call([sys.executable, __file__, t, "--seconds", str(a.seconds), *limit,
                                  "--out", a.out, "--seed", str(a.seed)])
                 for t in targets]
        return max(codes)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import logging
    logging.disable(logging.WARNING)      # library chatter about broken inputs is expected
    found = [fuzz(t, a.seconds, a.limit or SLOW_TARGETS.get(t, 10), Path(a.out), a.seed, use_atheris)
             for t in targets]
    return 1 if any(f.get("crashes") for f in found) else 0


if __name__ == "__main__":
    sys.exit(main())
