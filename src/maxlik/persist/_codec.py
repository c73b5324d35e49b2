"""Values of a saved state as plain JSON, and back, with no code executed on the way back.

A state is built from JSON's own types plus a few tagged objects, each a JSON object with one
key that starts with ``__``:

    {"__float__": "nan" | "inf" | "-inf"}     a non-finite float (JSON has none)
    {"__tuple__": [...]}                        a tuple
    {"__items__": [[key, value], ...]}          a dict whose keys are not all strings
    {"__array__": {"dtype", "shape", "data"}}   an ndarray: row-major ``data`` (non-finite
                                                numbers as the strings "nan", "inf", "-inf"), or
                                                "member" (the ``.npy`` member of a ``.npz`` file)
                                                and its "sha256"
    {"__object__": {"kind", "state"}}           a nested object of a registered kind

Floats are written with ``repr``, so they come back bit for bit. Array dtypes are limited to
bool, (unsigned) integers, float32/64 and strings (``"str"``: a ``<U`` array, ``"object-str"``:
an object array of strings, as scikit-learn's ``classes_`` of string labels).
"""

from __future__ import annotations

import hashlib
import math

import numpy as np

NUMERIC = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64")
_NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def _float(v: float):
    return v if math.isfinite(v) else {"__float__": "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")}


def _flat(a: np.ndarray) -> list:
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        return [v if math.isfinite(v) else ("nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")) for v in a.ravel().tolist()]
    return a.ravel().tolist()


def digest(a: np.ndarray) -> str:
    return hashlib.sha256(a.tobytes(order="C")).hexdigest()


class Encoder:
    """``encode(value)``; arrays of ``min_member`` or more numbers go to ``members`` (name ->
    array) when that dict is given (the ``.npz`` layout), else inline. ``kind_of(obj)`` names a
    registered object's kind (None otherwise) and ``state_of(obj)`` gives its state."""

    def __init__(self, kind_of, state_of, members: dict | None = None, min_member: int = 1, owner: str = "maxlik.save"):
        self.kind_of, self.state_of, self.members, self.min_member = kind_of, state_of, members, min_member
        self.owner = owner

    def encode(self, v, where: str = "state"):
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, np.bool_):
            return bool(v)
        if isinstance(v, (int, np.integer)):
            return int(v)
        if isinstance(v, (float, np.floating)):
            return _float(float(v))
        if isinstance(v, np.str_):
            return str(v)
        if isinstance(v, np.ndarray):
            return {"__array__": self._array(v, where)}
        if isinstance(v, tuple):
            return {"__tuple__": [self.encode(x, f"{where}[{i}]") for i, x in enumerate(v)]}
        if isinstance(v, list):
            return [self.encode(x, f"{where}[{i}]") for i, x in enumerate(v)]
        if isinstance(v, dict):
            if all(isinstance(k, str) and not k.startswith("__") for k in v):
                return {k: self.encode(x, f"{where}.{k}") for k, x in v.items()}
            return {"__items__": [[self.encode(k, where), self.encode(x, f"{where}[{k!r}]")] for k, x in v.items()]}
        kind = self.kind_of(v)
        if kind is None:
            raise TypeError(f"{self.owner}: {where} must be numbers, strings, arrays or a maxlik object; got a "
                            f"{type(v).__name__}. Save the maxlik result or estimator itself.")
        return {"__object__": {"kind": kind, "state": self.encode(self.state_of(v), f"{where}<{kind}>")}}

    def _array(self, a: np.ndarray, where: str) -> dict:
        if a.dtype.kind == "U":
            return {"dtype": "str", "shape": list(a.shape), "data": a.ravel().tolist()}
        if a.dtype == object:
            if not all(isinstance(x, str) for x in a.ravel().tolist()):
                raise TypeError(f"{self.owner}: {where} must be an array of numbers or strings; got an object array "
                                "with other values. Convert it to numbers or strings first.")
            return {"dtype": "object-str", "shape": list(a.shape), "data": a.ravel().tolist()}
        if a.dtype.name not in NUMERIC:
            raise TypeError(f"{self.owner}: {where} must be an array of dtype {', '.join(NUMERIC)} or strings; "
                            f"got {a.dtype}.")
        if self.members is not None and a.size >= self.min_member:
            name = f"a{len(self.members)}"
            self.members[name] = a.copy(order="C")  # (ascontiguousarray would make a 0-d array 1-d)
            return {"dtype": a.dtype.name, "shape": list(a.shape), "member": name, "sha256": digest(a)}
        return {"dtype": a.dtype.name, "shape": list(a.shape), "data": _flat(a)}


class Decoder:
    """``decode(value)``: the inverse of :class:`Encoder`. ``build(kind, state)`` rebuilds a
    nested object; ``member(name)`` reads an array of a ``.npz`` file. Anything that does not
    have the documented shape raises ``bad(where, what)``'s ModelFileError."""

    def __init__(self, build, bad, member=None):
        self.build, self.bad, self.member = build, bad, member

    def decode(self, v, where: str = "state"):
        if isinstance(v, list):
            return [self.decode(x, f"{where}[{i}]") for i, x in enumerate(v)]
        if not isinstance(v, dict):
            return v
        if len(v) == 1 and next(iter(v)).startswith("__"):
            (tag, body), = v.items()
            if tag == "__float__" and body in _NONFINITE:
                return _NONFINITE[body]
            if tag == "__tuple__" and isinstance(body, list):
                return tuple(self.decode(x, f"{where}[{i}]") for i, x in enumerate(body))
            if tag == "__items__" and isinstance(body, list) and all(isinstance(p, list) and len(p) == 2 for p in body):
                return {_hashable(self.decode(k, where)): self.decode(x, f"{where}[{k!r}]") for k, x in body}
            if tag == "__array__" and isinstance(body, dict):
                return self._array(body, where)
            if tag == "__object__" and isinstance(body, dict) and isinstance(body.get("kind"), str) and "state" in body:
                return self.build(body["kind"], self.decode(body["state"], f"{where}<{body['kind']}>"))
            raise self.bad(where, f"a tagged value ({tag}) of the documented form")
        return {k: self.decode(x, f"{where}.{k}") for k, x in v.items()}

    def _array(self, body: dict, where: str) -> np.ndarray:
        dtype, shape = body.get("dtype"), body.get("shape")
        if not (isinstance(shape, list) and all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in shape)):
            raise self.bad(where, "an array with a shape of non-negative integers")
        if dtype not in (*NUMERIC, "str", "object-str"):
            raise self.bad(where, f"an array of dtype {', '.join(NUMERIC)}, str or object-str; got {dtype!r}")
        if "member" in body:
            if self.member is None or not isinstance(body["member"], str):
                raise self.bad(where, "an array with inline data (this file has no .npy members)")
            a = self.member(body["member"], where)
            if a.dtype.name != dtype or list(a.shape) != shape or digest(a) != body.get("sha256"):
                raise self.bad(where, f"the array {body['member']}.npy as saved (its dtype, shape or sha256 differ)")
            return a
        data = body.get("data")
        if not isinstance(data, list) or len(data) != math.prod(shape):
            raise self.bad(where, f"an array whose data has {math.prod(shape)} values for shape {shape}")
        try:
            if dtype in ("str", "object-str"):
                if not all(isinstance(x, str) for x in data):
                    raise TypeError
                return np.array(data, dtype=object if dtype == "object-str" else str).reshape(shape)
            if dtype.startswith("float"):
                data = [_NONFINITE[x] if isinstance(x, str) else x for x in data]
            if not all(isinstance(x, (int, float)) and (dtype != "bool" or isinstance(x, bool)) for x in data):
                raise TypeError
            return np.array(data, dtype=dtype).reshape(shape)
        except (TypeError, KeyError, ValueError, OverflowError):
            raise self.bad(where, f"an array of {dtype} values") from None


def _hashable(k):
    return tuple(k) if isinstance(k, list) else k
