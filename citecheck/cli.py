"""The command line: `citecheck parse`, `citecheck check`, ...

Exit codes: 0 nothing to report at the threshold, 1 findings, 2 usage or input errors.
Every error a user can cause is one line naming the file and place; no tracebacks.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from . import __version__
from .errors import CitecheckError
from .files import write_atomic
from .ingest import DEFAULT_MAX_BYTES, READERS

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _size(text: str) -> int:
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    text = text.strip().lower().rstrip("b")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    from .report import PARSE_FORMATS

    parser = _Parser(prog="citecheck", description="Check the citations of an article.")
    parser.add_argument("--version", action="version", version=f"citecheck {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("parse", help="parse a draft's notes into normalized citations")
    p.add_argument("file", help="the draft: .txt, .md, .html, .docx or CSL .json")
    p.add_argument("--format", "-f", choices=sorted(PARSE_FORMATS), default="text", help="output format (default: text)")
    p.add_argument("--format-in", choices=sorted(READERS), help="read the draft as this format instead of detecting it")
    p.add_argument("--output", "-o", metavar="PATH", help="write the output here (atomically) instead of stdout")
    p.add_argument("--max-input-size", type=_size, default=DEFAULT_MAX_BYTES, metavar="BYTES", help="refuse drafts larger than this (default 50M)")
    p.set_defaults(run=_run_parse)
    return parser


def _emit(text: str, output: str | None) -> None:
    if output:
        write_atomic(output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _run_parse(args: argparse.Namespace) -> int:
    from . import parse_file
    from .report import PARSE_FORMATS

    doc = parse_file(args.file, args.format_in, max_bytes=args.max_input_size)
    _emit(PARSE_FORMATS[args.format](doc), args.output)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except CitecheckError as exc:
        print(f"citecheck: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("citecheck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug in citecheck: one line, unless asked for the traceback
        if args.debug:
            raise
        where = getattr(args, "file", "")
        print(f"citecheck: internal error{' while reading ' + where if where else ''}: {type(exc).__name__}: {exc} (rerun with --debug and report it)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
