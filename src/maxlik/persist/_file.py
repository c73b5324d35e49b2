"""The model file on disk: one JSON document, or a ``.npz`` (zip) archive holding that document
as ``maxlik.json`` beside one ``.npy`` member per array. Written through a temporary file that is
renamed at the end (a failed save leaves no file); read with every check of the header done
before any state is decoded.

The document::

    {"format": "maxlik", "format_version": 1, "maxlik_version": "0.1.0", "kind": "GaussianMixture",
     "arrays": "inline" | "npz", "checksum": "sha256:<hex>", "meta": {...} | null, "state": {...}}

``checksum`` is the SHA-256 of ``{"meta": meta, "state": state}`` written canonically
(``json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False)``, UTF-8), so an
edited file is told from the one that was saved. ``meta`` is the caller's (the command line keeps
the columns it read there).
"""

from __future__ import annotations

import hashlib
import json
import zipfile

from .._paths import atomic_path, existing_file
from ..errors import ModelFileError

FORMAT = "maxlik"
FORMAT_VERSION = 1
DOCUMENT = "maxlik.json"  # the member of a .npz file that holds the document
OWNER = "maxlik.load"
_ZIP_MAGIC = b"PK\x03\x04"


def checksum(state, meta=None) -> str:
    text = json.dumps({"meta": meta, "state": state}, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def pretty(v, indent: int = 0) -> str:
    """JSON with one key per line, but a list of numbers or strings (an array's data) on one line."""
    pad, inner = " " * indent, " " * (indent + 2)
    if isinstance(v, dict) and v:
        body = ",\n".join(f"{inner}{json.dumps(k, ensure_ascii=False)}: {pretty(x, indent + 2)}" for k, x in v.items())
        return "{\n" + body + "\n" + pad + "}"
    if isinstance(v, list) and any(isinstance(x, (dict, list)) for x in v):
        return "[\n" + ",\n".join(inner + pretty(x, indent + 2) for x in v) + "\n" + pad + "]"
    return json.dumps(v, ensure_ascii=False, allow_nan=False)


def write(path, doc: dict, members: dict | None) -> None:
    """``doc`` as JSON to ``path``; with ``members`` (name -> array) as a .npz archive."""
    import numpy as np

    text = pretty(doc) + "\n"
    with atomic_path(path) as tmp:
        if members is None:
            tmp.write_text(text, encoding="utf-8")
            return
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr(DOCUMENT, text)
            for name, a in members.items():
                with z.open(f"{name}.npy", "w") as f:
                    np.lib.format.write_array(f, a, allow_pickle=False)


def refuse(name: str, what: str) -> ModelFileError:
    return ModelFileError(f"{OWNER}: {name} must be a maxlik model file (written by maxlik.save or `maxlik "
                          f"... --save`); got {what}. Pass the .json or .npz file that was saved.")


def damaged(name: str, detail: str) -> ModelFileError:
    return ModelFileError(f"{OWNER}: {name} must be a complete maxlik model file; got one that is truncated or "
                          f"damaged ({detail}). Save the model again, or copy the whole file.")


def read(path) -> tuple[dict, object]:
    """(document, archive or None) of the file at ``path``, its header checked; the archive (an
    open ``numpy.load`` of the .npz, arrays read with ``allow_pickle=False``) must be closed by
    the caller."""
    import numpy as np

    path = existing_file(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ModelFileError(f"{OWNER}: {path.name} must be a readable file; got {str(path)!r} "
                             f"({(exc.strerror or str(exc)).lower()}). Check its permissions.") from None
    archive = None
    if raw.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as z:
                if DOCUMENT not in z.namelist():
                    raise refuse(path.name, f"a zip archive without {DOCUMENT}")
                raw = z.read(DOCUMENT)
            archive = np.load(path, allow_pickle=False)
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise damaged(path.name, f"the archive cannot be read: {exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise refuse(path.name, "a binary file that is neither JSON nor .npz") from None
    if not text.lstrip().startswith("{"):
        head = text.lstrip()[:30].splitlines()[0] if text.strip() else ""
        raise refuse(path.name, f"a file that is not JSON (it starts with {head!r})" if head else "an empty file")
    try:
        doc = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        if archive is not None:
            archive.close()
        raise damaged(path.name, f"the JSON stops or breaks at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    try:
        check_header(path.name, doc)
    except ModelFileError:
        if archive is not None:
            archive.close()
        raise
    return doc, archive


def _no_constant(name: str):
    raise json.JSONDecodeError(f"{name} is not JSON (maxlik writes non-finite numbers as tagged values)", name, 0)


def check_header(name: str, doc) -> None:
    """The header of a document (``name``: the file's, for the messages)."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise refuse(name, 'JSON without "format": "maxlik"')
    version = doc.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise invalid(name, "format_version", f"a positive integer; got {version!r}")
    if version > FORMAT_VERSION:
        raise ModelFileError(f"{OWNER}: {name} must have format version {FORMAT_VERSION} or older to be read by this "
                             f"maxlik; got format version {version}"
                             + (f" (written by maxlik {doc['maxlik_version']})" if isinstance(doc.get("maxlik_version"), str) else "")
                             + ". "
                             "Upgrade maxlik to load it.")
    for key in ("maxlik_version", "kind", "checksum"):
        if not isinstance(doc.get(key), str):
            raise invalid(name, key, f"a string; got {doc.get(key)!r}")
    if doc.get("arrays") not in ("inline", "npz"):
        raise invalid(name, "arrays", f"'inline' or 'npz'; got {doc.get('arrays')!r}")
    if "state" not in doc:
        raise invalid(name, "state", "present")
    if doc.get("meta") is not None and not isinstance(doc["meta"], dict):
        raise invalid(name, "meta", f"an object or null; got {type(doc['meta']).__name__}")
    if checksum(doc["state"], doc.get("meta")) != doc["checksum"]:
        raise ModelFileError(f"{OWNER}: {name} must be the file as it was saved; got one whose state does not match "
                             "its checksum (it was edited or damaged after saving). Save the model again, or use the "
                             "original file.")


def invalid(name: str, where: str, what: str) -> ModelFileError:
    return ModelFileError(f"{OWNER}: {name} is not a valid maxlik model file: {where} must be {what}.")
