"""Saving and loading fitted models without pickle: ``maxlik.save(obj, path)`` and
``maxlik.load(path)``.

    >>> r = maxlik.fit(x, "gamma")
    >>> maxlik.save(r, "gamma.json")
    >>> maxlik.load("gamma.json").loglik == r.loglik
    True

Every result (``FitResult`` and ``MAPResult``, ``CurveFitResult``, the estimators' ``result_``,
``MixtureFit``, ``LRTResult``, ``CompareTable``, ``MixtureSelection``, ``GroupFits``,
``BootstrapResult``, ``GofResult``, ``SimulationResult``, ``NPMLE``) and every fitted estimator
(``GaussianClassifier``, ``GaussianMixture``, ``LinearRegression``, ``LogisticRegression``,
``PoissonRegression``, ``SoftmaxRegression``) is saved as its *kind* and a *state* of plain values
and arrays (:mod:`._file` has the document, :mod:`._codec` the values). A path ending in ``.npz``
puts the arrays in ``.npy`` members of a zip archive (compact for large models); any other path
gets one JSON file with the arrays inline (readable in any editor). Floats are written exactly, so
a loaded object predicts, scores and summarises as the saved one did.

``maxlik.persist.to_dict(obj)`` is the same document as a dict (arrays inline), for JSON kept
elsewhere than in a file; ``maxlik.persist.from_dict(doc)`` rebuilds it with the same checks.

Loading executes no code: the kind is looked up in a fixed registry (:mod:`._registry`), never
imported by name; arrays are read with ``allow_pickle=False``. A file that is not a maxlik file,
one that is truncated or was edited after saving (its checksum), one of a newer format version,
or one whose state does not have the documented form raises :class:`maxlik.errors.ModelFileError`
with one line that says which.

Version policy: ``format_version`` is raised only when a file written by the new version could not
be read correctly by an older one; every maxlik reads every older format version.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from ..errors import MaxlikError, ModelFileError
from ._file import FORMAT, FORMAT_VERSION, OWNER, check_header, checksum, invalid, read, write

__all__ = ["save", "load", "to_dict", "from_dict", "kinds", "FORMAT_VERSION"]


def _table():
    from . import _estimators, _inference, _results  # noqa: F401  (they register the kinds)
    from ._registry import KINDS, kind_of

    return KINDS, kind_of


def kinds() -> list[str]:
    """The kinds of object that save writes and load reads."""
    return sorted(_table()[0])


def _version() -> str:
    return getattr(sys.modules.get("maxlik"), "__version__", "unknown")


def _document(obj, meta: dict | None, members: dict | None, owner: str) -> dict:
    import json

    from ._codec import Encoder

    KINDS, kind_of = _table()
    kind = kind_of(obj)
    if kind is None:
        raise TypeError(f"{owner}: obj must be a maxlik result or fitted estimator ({', '.join(sorted(KINDS))}); "
                        f"got a {type(obj).__name__}. Use pickle or joblib for other objects.")
    encoder = Encoder(kind_of, lambda o: KINDS[kind_of(o)].to_state(o), members, owner=owner)
    state = encoder.encode(KINDS[kind].to_state(obj))
    try:
        meta = None if meta is None else json.loads(json.dumps(dict(meta), allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{owner}: meta must be a dict of JSON values (finite numbers, strings, lists); got {exc}.") from None
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "maxlik_version": _version(), "kind": kind,
            "arrays": "inline" if members is None else "npz", "checksum": checksum(state, meta), "meta": meta,
            "state": state}


def save(obj, path, *, meta: dict | None = None) -> Path:
    """Write ``obj`` (a result or a fitted estimator) to ``path``: JSON, or a .npz archive when
    ``path`` ends in ``.npz``. ``meta``: a dict of JSON values kept beside it (e.g. the columns
    it was fitted to; ``load(path, meta=True)`` returns it). Returns the path. Nothing is left at
    ``path`` if saving fails."""
    path = Path(path)
    members = {} if path.suffix.lower() == ".npz" else None
    write(path, _document(obj, meta, members, "maxlik.save"), members)
    return path


def to_dict(obj, *, meta: dict | None = None) -> dict:
    """The document :func:`save` writes to a .json file, as a dict of JSON values (arrays inline):
    ``json.dumps`` it anywhere (a database, a message), and rebuild with :func:`from_dict`."""
    return _document(obj, meta, None, "maxlik.persist.to_dict")


def from_dict(doc: dict, *, meta: bool = False):
    """The object of a :func:`to_dict` document (parsed JSON), with every check of :func:`load`."""
    check_header("the document", doc)
    return _rebuild(doc, "the document", None, meta)


def load(path, *, meta: bool = False):
    """The object saved at ``path`` by :func:`save`, rebuilt without executing code from the file;
    with ``meta=True``, the pair (object, the ``meta`` dict it was saved with, {} if none)."""
    path = Path(path)
    doc, archive = read(path)
    try:
        return _rebuild(doc, path.name, archive, meta)
    finally:
        if archive is not None:
            archive.close()


def _rebuild(doc: dict, name: str, archive, meta: bool):
    from ._codec import Decoder
    from ._registry import Invalid

    KINDS, _ = _table()
    if doc["kind"] not in KINDS:
        raise ModelFileError(f"{OWNER}: {name}'s kind must be one of {', '.join(sorted(KINDS))}; got {doc['kind']!r}. "
                             f"It was written by maxlik {doc['maxlik_version']}: load it with that version or a newer one.")

    def build(kind, state):
        if kind not in KINDS:
            raise Invalid(f"a nested kind {kind!r}", f"one of {', '.join(sorted(KINDS))}")
        return KINDS[kind].from_state(state)

    def member(key, where):
        if archive is None or key not in archive.files:
            raise Invalid(where, f"an array stored in the file (member {key}.npy is missing)")
        return archive[key]

    decoder = Decoder(build, Invalid, member if doc["arrays"] == "npz" else None)
    try:
        obj = build(doc["kind"], decoder.decode(doc["state"]))
    except Invalid as exc:
        raise invalid(name, exc.where, exc.what) from None
    except ModelFileError:
        raise
    except (MaxlikError, KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        detail = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
        raise ModelFileError(f"{OWNER}: {name} is not a valid {doc['kind']} file: its state could not be rebuilt "
                             f"({detail}).") from None
    except (zipfile.BadZipFile, EOFError) as exc:
        raise ModelFileError(f"{OWNER}: {name} must be a complete maxlik model file; got one that is truncated or "
                             f"damaged (an array cannot be read: {exc}). Save the model again, or copy the whole "
                             "file.") from None
    return (obj, dict(doc.get("meta") or {})) if meta else obj
