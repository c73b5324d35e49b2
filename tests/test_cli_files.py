"""Files as they come (issue #17, item 4): sniffed delimiters, decimal commas, encodings, compressed
CSVs, and clear messages for Excel workbooks and binary files, through the command line.

Fits are checked against SciPy's normal MLE (``scipy.stats.norm.fit``) and NumPy's least squares
on the very numbers written to the file; every message is pinned in full."""

from __future__ import annotations

import bz2
import gzip
import json
import zipfile

import numpy as np
import pyarrow as pa
import pytest
from scipy import stats
from typer.testing import CliRunner

from maxlik._textfile import sniff_delimiter
from maxlik.cli import app

runner = CliRunner()
X = np.random.default_rng(17).normal(3.0, 2.0, 40).round(4)
Y = np.random.default_rng(18).normal(0.0, 1.0, 40).round(4)
LOC, SCALE = stats.norm.fit(X)  # the MLE: mean and the sd that divides by N
EXPORT = ("maxlik reads no Excel files: export the sheet to CSV (Excel: File > Save As > CSV UTF-8; "
          "LibreOffice: `soffice --headless --convert-to csv FILE`) and pass the .csv file.")


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def message(res) -> str:
    assert res.exit_code == 1, res.output
    return " ".join(res.stderr.split())


def table(sep: str = ",", decimal: str = ".", name: str = "name", classes: bool = False) -> str:
    """A header and 40 rows: a text column (row names, or two classes), x and y, with ``sep`` and
    ``decimal``."""
    rows = [sep.join([name, "x", "y"])]
    rows += [sep.join(["ab"[i % 2] if classes else f"r{i}", repr(float(a)).replace(".", decimal), repr(float(b)).replace(".", decimal)])
             for i, (a, b) in enumerate(zip(X, Y))]
    return "\n".join(rows) + "\n"


def fitted(res) -> tuple[float, float]:
    assert res.exit_code == 0, res.output
    p = json.loads(res.stdout)["params"]
    return p["loc"], p["scale"]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # relative names, so that messages are pinned in full


CASES = {
    "comma": ("data.csv", lambda: table().encode(), []),
    "tsv": ("data.tsv", lambda: table("\t").encode(), []),
    "tab extension": ("data.tab", lambda: table("\t").encode(), []),
    "tab sniffed in a .txt": ("data.txt", lambda: table("\t").encode(), []),
    "semicolon, decimal comma": ("data.csv", lambda: table(";", ",").encode(), ["--decimal", ","]),
    "semicolon, decimal comma, --sep": ("data.csv", lambda: table(";", ",").encode(), ["--decimal", ",", "--sep", ";"]),
    "pipe": ("data.csv", lambda: table("|").encode(), []),
    "--sep overrides .tsv": ("data.tsv", lambda: table("|").encode(), ["--sep", "|"]),
    "--sep tab": ("data.dat", lambda: table("\t").encode(), ["--sep", "tab"]),
    "latin-1": ("data.csv", lambda: table(name="größe").encode("latin-1"), ["--encoding", "latin-1"]),
    "utf-16": ("data.csv", lambda: table(";").encode("utf-16"), ["--encoding", "utf-16"]),
    "utf-8 BOM": ("data.csv", lambda: b"\xef\xbb\xbf" + table(name="größe").encode(), []),
    "gzip": ("data.csv.gz", lambda: gzip.compress(table(";", ",").encode()), ["--decimal", ","]),
    "bz2": ("data.csv.bz2", lambda: bz2.compress(table("\t").encode()), []),
    "gzip without its extension": ("data.csv", lambda: gzip.compress(table("|").encode()), []),
    "gzip .tsv": ("data.tsv.gz", lambda: gzip.compress(table("\t").encode()), []),
}


@pytest.mark.parametrize("case", CASES)
def test_fit_reads_the_file_as_written(case):
    name, content, options = CASES[case]
    with open(name, "wb") as fh:
        fh.write(content())
    loc, scale = fitted(run("fit", name, "-c", "x", "--format", "json", *options))
    assert loc == pytest.approx(LOC, rel=1e-12) and scale == pytest.approx(SCALE, rel=1e-12)


@pytest.mark.skipif(not pa.Codec.is_available("zstd"), reason="this pyarrow has no zstd codec")
def test_fit_reads_zstd():
    with pa.CompressedOutputStream("data.csv.zst", "zstd") as out:
        out.write(table(";").encode())
    assert fitted(run("fit", "data.csv.zst", "-c", "x", "--format", "json")) == pytest.approx((LOC, SCALE), rel=1e-12)


def test_standard_input_compressed_and_sniffed():
    res = run("fit", "-", "-c", "x", "--format", "json", "--decimal", ",", input=gzip.compress(table(";", ",").encode()))
    assert fitted(res) == pytest.approx((LOC, SCALE), rel=1e-12)


def test_parquet_named_csv_is_read_as_parquet():
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"x": X}), "data.csv")
    assert fitted(run("fit", "data.csv", "-c", "x", "--format", "json")) == pytest.approx((LOC, SCALE), rel=1e-12)


def test_every_reading_command_takes_the_options():
    """compare, classify (and its --predict table), mixture and regress on a semicolon file with
    decimal commas give what they give on the same numbers as a plain CSV."""
    with open("plain.csv", "w") as fh:
        fh.write(table(name="label", classes=True))
    with open("euro.csv", "w", encoding="latin-1") as fh:
        fh.write(table(";", ",", name="label", classes=True).replace("b;", "é;"))
    euro = ["--sep", ";", "--decimal", ",", "--encoding", "latin-1"]

    def both(*args):
        plain, other = run(*args[:1], "plain.csv", *args[1:]), run(*args[:1], "euro.csv", *args[1:], *euro)
        assert plain.exit_code == 0 and other.exit_code == 0, plain.output + other.output
        return json.loads(plain.stdout), json.loads(other.stdout)

    a, b = both("compare", "-c", "x", "--families", "normal,laplace", "--format", "json")
    assert a == b
    a, b = both("mixture", "-c", "x", "-c", "y", "-k", "2", "--format", "json")
    assert a["params"] == pytest.approx(b["params"])
    a, b = both("regress", "--target", "y", "-c", "x", "--format", "json")
    slope, intercept = np.polyfit(X, Y, 1)
    assert list(b["params"].values()) == pytest.approx([intercept, slope], rel=1e-10)
    plain = run("classify", "plain.csv", "--label", "label", "-c", "x", "--predict", "plain.csv")
    other = run("classify", "euro.csv", "--label", "label", "-c", "x", "--predict", "euro.csv", *euro)
    assert plain.exit_code == 0 and other.exit_code == 0, plain.output + other.output
    assert other.stdout == plain.stdout.replace("b", "é")  # the class "b" is "é" in the Latin-1 file


def test_latin1_without_encoding_names_the_file_and_the_fix():
    with open("data.csv", "wb") as fh:
        fh.write(table(name="größe").encode("latin-1"))
    assert message(run("fit", "data.csv", "-c", "x")) == (
        "error: read: 'data.csv' must be text in utf-8; got byte 0xf6 at offset 2 (line 1), which is not valid utf-8. "
        "Pass the file's encoding, e.g. --encoding latin-1 (Western European; cp1252 for Windows files).")


def test_bad_byte_past_the_inspected_head_is_still_named():
    rows = "".join(f"r{i},{i}.5\n" for i in range(9000))  # > 64 KB before the bad row
    with open("data.csv", "wb") as fh:
        fh.write(b"name,x\n" + rows.encode() + "café,1.5\n".encode("latin-1"))
    assert message(run("fit", "data.csv", "-c", "x")) == (
        "error: read: 'data.csv' must be text in utf-8; got bytes in column 'name' that are not valid utf-8. "
        "Pass the file's encoding, e.g. --encoding latin-1 (Western European; cp1252 for Windows files).")


def test_utf16_without_encoding():
    with open("data.csv", "wb") as fh:
        fh.write(table().encode("utf-16"))
    assert message(run("fit", "data.csv", "-c", "x")) == (
        "error: read: 'data.csv' must be text in utf-8; got a UTF-16 byte-order mark (ff fe). Pass --encoding utf-16.")


def test_decimal_comma_without_the_option_says_so():
    with open("data.csv", "w") as fh:
        fh.write(table(";", ","))
    assert message(run("fit", "data.csv", "-c", "x")) == (
        f"error: read: column 'x' must be numeric; got {repr(float(X[0])).replace('.', ',')!r} at line 2 of data.csv. "
        "Choose a numeric column or clean the data. It looks like a decimal comma: pass --decimal ,.")


def _xlsx(path):
    with zipfile.ZipFile(path, "w") as z:  # the members every .xlsx has, in Excel's order
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")


def test_xlsx_given_as_data():
    _xlsx("book.xlsx")
    assert message(run("fit", "book.xlsx", "-c", "x")) == (
        f"error: read: 'book.xlsx' must be a CSV or Parquet table; got an Excel workbook (.xlsx). {EXPORT}")


def test_xlsx_renamed_csv_and_on_standard_input():
    _xlsx("data.csv")
    assert message(run("fit", "data.csv", "-c", "x")) == (
        f"error: read: 'data.csv' must be a CSV or Parquet table; got an Excel workbook (.xlsx). {EXPORT}")
    with open("data.csv", "rb") as fh:
        assert message(run("fit", "-", "-c", "x", input=fh.read())) == (
            f"error: read: standard input must be a CSV or Parquet table; got an Excel workbook (.xlsx). {EXPORT}")


def test_xls_signature():
    with open("book.xls", "wb") as fh:
        fh.write(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))
    assert message(run("fit", "book.xls", "-c", "x")) == (
        f"error: read: 'book.xls' must be a CSV or Parquet table; got an Excel workbook (.xls, an OLE2 compound file). {EXPORT}")


def test_zip_archive():
    with zipfile.ZipFile("data.zip", "w") as z:
        z.writestr("data.csv", table())
    assert message(run("fit", "data.zip", "-c", "x")) == (
        "error: read: 'data.zip' must be a CSV or Parquet table; got a zip archive. Unzip it and pass the CSV file inside.")


def test_binary_file():
    with open("data.csv", "wb") as fh:
        fh.write(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4)
    assert message(run("fit", "data.csv", "-c", "x")) == (
        "error: read: 'data.csv' must be a text CSV table or a Parquet file; got binary data (a NUL byte at offset 7). "
        "Check that this is the data file you meant, or export it to CSV.")


def test_binary_without_nul_bytes():
    with open("data.csv", "wb") as fh:
        fh.write(bytes(b for b in range(1, 32) if b not in (9, 10, 12, 13, 27)) * 20)
    assert message(run("fit", "data.csv", "-c", "x")) == (
        "error: read: 'data.csv' must be a text CSV table or a Parquet file; got binary data (520 control bytes in the first 520). "
        "Check that this is the data file you meant, or export it to CSV.")


@pytest.mark.parametrize("rows", [40, 200_000])  # broken within the inspected head, and past it
def test_truncated_gzip(rows):
    values = np.random.default_rng(0).normal(size=rows)
    whole = gzip.compress(("x\n" + "".join(f"{v!r}\n" for v in values)).encode())
    with open("data.csv.gz", "wb") as fh:
        fh.write(whole[: len(whole) // 2])
    assert message(run("fit", "data.csv.gz", "-c", "x")) == (
        "error: read: data.csv.gz must be a valid gzip file; it could not be read (Truncated compressed stream).")


@pytest.mark.parametrize("options, expected", [
    (["--sep", ";;"], "read: --sep must be one character (or tab, comma, semicolon, pipe); got ';;'. For example --sep ';'."),
    (["--decimal", ";"], "read: --decimal must be '.' or ','; got ';'. Pass --decimal , for numbers written as 1,5."),
    (["--sep", ",", "--decimal", ","], "read: --sep and --decimal must differ; got ',' for both. "
                                       "Files with decimal commas are usually separated by ';' (--sep ';')."),
    (["--encoding", "utf-9"], "read: --encoding must be a known text encoding; got 'utf-9'. For example utf-8, latin-1, cp1252 or utf-16."),
])
@pytest.mark.parametrize("command", [["fit"], ["compare"], ["mixture"], ["regress", "-y", "x"], ["classify", "-l", "name"]])
def test_bad_reading_options(command, options, expected):
    with open("data.csv", "w") as fh:
        fh.write(table())
    assert message(run(command[0], "data.csv", *command[1:], *options)) == f"error: {expected}"


@pytest.mark.parametrize("text, expected", [
    ("a,b\n1,2\n", ","),
    ("a\tb\n1.5\t2\n", "\t"),
    ("a;b\n1,5;2,25\n3,5;4\n", ";"),           # decimal commas: the comma's field count varies
    ("a|b\n1|2\n", "|"),
    ("x\n1.5\n2\n", ","),                       # one column
    ('name;x\n"Smith; J";1\n"Doe; A";2\n', ";"),  # quoted delimiters do not count
    ('name,x\n"Smith, J",1\n"Doe, A",2\n', ","),
    ("a;b;c\n1;2\n3;4;5\n", ";"),               # ragged: the header's most frequent candidate
    ("a,b\n1,2\n3,4\n5,6\n7", ","),
])
def test_sniff_delimiter(text, expected):
    assert sniff_delimiter(text) == expected


def test_sniff_ignores_a_cut_last_line():
    assert sniff_delimiter("a;b;c\n1;2;3\n4;5", truncated=True) == ";"
    assert sniff_delimiter("a;b\n1,5;2,5\n", exclude=",") == ";"
