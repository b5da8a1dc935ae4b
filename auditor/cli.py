"""The command line: ``auditor parse|audit|rules|init|scorecard``.

Nothing imports this module.  Heavy modules (pdfminer, jsonschema, the
engine) are imported inside the command functions so ``auditor --help``
answers at once.  Every user error becomes a one-line message and exit
status 2 — never a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys

from auditor import __version__
from auditor.errors import AuditorError, ConfigError, InputError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _lang(args) -> str:
    return getattr(args, "lang", None) or "zh"


def _write(text: str, output: str | None) -> None:
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)


# -- parse -------------------------------------------------------------------

def cmd_parse(args) -> int:
    from auditor.parse import parse_file
    doc = parse_file(args.file)
    _write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", args.output)
    return EXIT_OK


def add_parse(sub) -> None:
    p = sub.add_parser("parse", help="解析一份报告，输出报告文档 JSON / print the parsed report document as JSON",
                       description="Parse one report (PDF, HTML, text or Markdown) and print the report "
                                   "document the rules see, as JSON.")
    p.add_argument("file", help="the report file")
    p.add_argument("-o", "--output", help="write to this file instead of standard output")
    p.add_argument("--lang", choices=("zh", "en"), help="language of messages (default zh)")
    p.set_defaults(func=cmd_parse)


# -- entry point ---------------------------------------------------------------

COMMANDS = [add_parse]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="auditor",
        description="审核并评分政府信息公开工作年度报告 — audit and score Chinese government "
                    "information-disclosure annual reports against the national templates.")
    parser.add_argument("--version", action="version", version=f"disclosure-auditor {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args)
    except (InputError, ConfigError, AuditorError) as e:
        print(f"auditor: {e.message(_lang(args))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("auditor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
