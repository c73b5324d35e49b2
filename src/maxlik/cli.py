"""The ``maxlik`` command line (Typer + Rich).

Exit codes: 0 success, 1 a data or fit error (one clear line on stderr; ``--debug`` shows the
traceback), 2 a usage error (Typer's own message).

One module per command, registered on ``app`` here: ``_cli_fit`` (with ``_cli_fit_by`` for
``--by`` and ``_cli_figure`` for ``--plot``), ``_cli_families``, ``_cli_demo``, ``_cli_compare``,
``_cli_classify``, ``_cli_mixture``, ``_cli_regress``, ``_cli_persist`` (``predict``, ``--save``).
What they share: ``_cli_common`` (consoles, state, one-line errors and warnings, progress),
``_cli_flags`` (the library's remedies as flags), ``_cli_io`` (reading options, tables in and
out), ``_cli_options`` (the shared options and their checks), ``_cli_print`` (a result as a table
or JSON); ``_cli_streaming`` (large files) and ``_cli_main`` (one-line usage errors).
"""

from __future__ import annotations

import sys

import typer

from ._cli_classify import classify_cmd
from ._cli_common import _friendly, _state, as_file_lines, for_shell
from ._cli_compare import compare_cmd
from ._cli_demo import demo_cmd
from ._cli_families import families_cmd
from ._cli_fit import fit_cmd
from ._cli_flags import as_flags
from ._cli_mixture import mixture_cmd
from ._cli_options import FIT_METHODS
from ._cli_persist import predict_cmd
from ._cli_regress import regress_cmd

__all__ = ["FIT_METHODS", "app", "as_file_lines", "as_flags", "for_shell", "main"]

app = typer.Typer(add_completion=True, no_args_is_help=True, help="Maximum likelihood estimation from the command line.")


@app.callback()
def _main(
    debug: bool = typer.Option(False, "--debug", help="Show Python tracebacks on errors."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress output."),
):
    _state.update(debug=debug, quiet=quiet, source=None)


# in the order of `maxlik --help`
app.command("fit")(fit_cmd)
app.command("families")(families_cmd)
app.command("demo")(demo_cmd)
app.command("compare")(compare_cmd)
app.command("classify")(classify_cmd)
app.command("mixture")(mixture_cmd)
app.command("regress")(regress_cmd)
app.command("predict")(_friendly(predict_cmd))


def main() -> None:  # pragma: no cover - console entry point (one-line usage errors: _cli_main)
    from ._cli_main import run

    sys.exit(run(app))


if __name__ == "__main__":  # pragma: no cover
    main()
