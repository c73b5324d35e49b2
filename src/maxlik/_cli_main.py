"""The console entry point: every usage error (an unknown option or command, a bad option value, a
missing argument) is one line on stderr with exit code 2, as every other error is one line with
exit code 1 — not Click's usage block and framed panel."""

from __future__ import annotations

import sys


def run(app, argv: list[str] | None = None) -> int:
    """Run the Typer ``app`` on ``argv`` (default: ``sys.argv[1:]``); the process's exit code."""
    try:  # Typer (0.29, pinned) vendors its own copy of Click, with its own exception classes
        from typer._click import exceptions
    except ImportError:  # pragma: no cover - a Typer that uses the click package
        from click import exceptions

    try:
        code = app(args=argv, prog_name="maxlik", standalone_mode=False)
    except exceptions.NoArgsIsHelpError as exc:  # `maxlik` alone: Typer has printed the help
        return exc.exit_code
    except exceptions.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx is not None else "maxlik"
        message = " ".join(exc.format_message().split())
        end = "" if message.endswith((".", "?", "!")) else "."
        print(f"error: {command}: {message}{end} See `{command} --help`.", file=sys.stderr)
        return exc.exit_code
    except exceptions.Abort:
        print("error: maxlik: aborted.", file=sys.stderr)
        return 1
    return code if isinstance(code, int) else 0
