"""A cache on disk for what is costly to rebuild in every process (rule files' parse trees,
the ontology's tables, lark's parser), shared by one user's processes.

Why entries are signed: an entry is a pickle, and loading a pickle can run code. So no
entry is loaded unchecked. Each is signed with HMAC-SHA256 under a random key made once in
the cache folder (``key``, readable by its owner only), over its namespace, its key and its
bytes. A truncated, corrupt, renamed, foreign (another user's or machine's cache copied in)
or edited entry fails the check; it is then ignored and rebuilt. The key guards against
accidents and copies, not against the user who owns the folder: whoever can read it can
already change that user's files and programs.

An entry may hold functions (a compiled rule set's closures and generated code): ``put``
with ``functions=True`` pickles those of plancheck's own modules that cannot be imported by
name (closures, lambdas, generated functions) by value, as their code (``marshal``), the
contents of their cells and their defaults; loading rebuilds them around the same module
globals, or, for generated code, around its own namespace with only the built-ins it was
given. This is data of the same signed entry: nothing is loaded unchecked.

Entries are written to a temporary file in the same folder and renamed into place, so a
reader sees a whole entry or none. Any error of the file system (a read-only or full disk)
only turns the cache off for that call; the result is always the same as without it.

The folder is ``platformdirs.user_cache_dir("plancheck")``, or ``$PLANCHECK_CACHE_DIR``;
``PLANCHECK_NO_CACHE=1`` or ``plancheck --no-cache`` turn the cache off.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import importlib
import io
import marshal
import os
import pickle
import shutil
import sys
import tempfile
import types
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from validator.core.collector import paused_gc
from validator.core.resources import data_path

T = TypeVar("T")

FORMAT = b"plancheck-cache/1\n"  # an entry: FORMAT, 32 bytes of HMAC, the pickle
KEEP_PER_NAMESPACE = 32  # older entries of a namespace are removed when a new one is written
_state = {"enabled": os.environ.get("PLANCHECK_NO_CACHE", "") in ("", "0")}


def set_enabled(enabled: bool) -> None:
    """Turn the cache on or off for this process (``--no-cache``)."""
    _state["enabled"] = enabled


def enabled() -> bool:
    return bool(_state["enabled"])


def freeze_loaded() -> None:
    """From now on, move what an entry loads, and all else alive then, out of the cyclic
    collector's reach (``gc.freeze``): for a process that keeps what it loads until it
    ends (a command). A compiled rule set is some 100,000 objects, which the collector
    would otherwise walk at its next passes (30 ms CPU of a small plan's command)."""
    _state["freeze"] = True


def cache_dir() -> Path:
    """The folder of the cache (it may not exist yet)."""
    override = os.environ.get("PLANCHECK_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs  # only when the cache is used: --help and --version do not need it

    return Path(platformdirs.user_cache_dir("plancheck", appauthor=False))


def _source_stamp() -> str:
    """The name, size and modification time of every file plancheck's own code and grammar
    are read from: entries made by other code (an edited checkout whose version number did
    not change, say a new grammar or code generator) are then never used. Computed once per
    process, from ``stat`` only."""
    if "stamp" not in _state:
        package = Path(__file__).resolve().parent.parent
        digest = hashlib.sha256()
        for path in sorted([*package.rglob("*.py"), *data_path("grammar").glob("*.lark")]):
            try:
                info = path.stat()
            except OSError:
                continue
            digest.update(f"{path.name}:{info.st_size}:{info.st_mtime_ns};".encode())
        _state["stamp"] = digest.hexdigest()
    return str(_state["stamp"])


def fingerprint(*parts: bytes | str, version: str = "") -> str:
    """A key for content: SHA-256 over the parts (length-prefixed), the Python version,
    plancheck's ``version`` and its code's stamp (:func:`_source_stamp`)."""
    digest = hashlib.sha256()
    for part in (version, sys.version, _source_stamp(), *parts):
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def file_parts(paths: Iterable[Path]) -> list[bytes]:
    """Each file's resolved path and bytes (a missing file counts as empty), for a key."""
    out: list[bytes] = []
    for path in paths:
        out.append(str(path.resolve()).encode())
        try:
            out.append(path.read_bytes())
        except OSError:
            out.append(b"")
    return out


def _secret(folder: Path) -> bytes:
    path = folder / "key"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    secret = os.urandom(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use that one
        return path.read_bytes()
    with os.fdopen(fd, "wb") as out:
        out.write(secret)
    return secret


def _mac(secret: bytes, namespace: str, key: str, payload: bytes) -> bytes:
    return hmac.new(secret, b"\0".join([namespace.encode(), key.encode(), payload]),
                    hashlib.sha256).digest()


def _entry(folder: Path, namespace: str, key: str) -> Path:
    return folder / f"{namespace}-{key}.bin"


def get(namespace: str, key: str) -> Any | None:
    """The value stored under ``key``, or None (no cache, no entry, or an entry that fails
    its check)."""
    if not enabled():
        return None
    try:
        folder = cache_dir()
        data = _entry(folder, namespace, key).read_bytes()
        secret = _secret(folder)
    except OSError:
        return None
    head, mac, payload = data[:len(FORMAT)], data[len(FORMAT):len(FORMAT) + 32], \
        data[len(FORMAT) + 32:]
    if head != FORMAT or not hmac.compare_digest(mac, _mac(secret, namespace, key, payload)):
        return None
    try:
        with paused_gc():  # an entry is many acyclic objects: the collector's passes are waste
            value = pickle.loads(payload)  # noqa: S301 - signed by this user's key, checked above
            if _state.get("freeze"):
                gc.freeze()
            return value
    except Exception:  # a signed entry of an older layout of the same classes: rebuild it
        return None


def put(namespace: str, key: str, value: Any, *, functions: bool = False) -> None:
    """Store ``value`` under ``key`` (atomically; silently nothing when that fails); with
    ``functions``, plancheck's closures and generated functions are stored by value."""
    if not enabled():
        return
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        payload = _dumps(value) if functions else pickle.dumps(
            value, protocol=pickle.HIGHEST_PROTOCOL)
        data = FORMAT + _mac(_secret(folder), namespace, key, payload) + payload
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, _entry(folder, namespace, key))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(folder, namespace)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return


# --- functions by value (put(..., functions=True)) -------------------------------------

def _make_function(code: types.CodeType, module: types.ModuleType | None,
                   builtins: dict[str, Any] | None, name: str, cells: int) -> Any:
    """A function of ``code`` with empty cells (filled by :func:`_set_function_state`, so
    that a closure may refer to itself): in ``module``'s globals, or in a namespace of its
    own whose built-ins are ``builtins`` (given now: a function takes its built-ins from
    its globals when it is made)."""
    namespace = vars(module) if module is not None else {"__builtins__": builtins or {}}
    return types.FunctionType(code, namespace, name, None,
                              tuple(types.CellType() for _ in range(cells)))


def _set_function_state(fn: Any, state: tuple[Any, ...]) -> None:
    namespace, defaults, kwdefaults, contents, attrs, qualname = state
    if namespace:
        fn.__globals__.update(namespace)
    fn.__defaults__, fn.__kwdefaults__, fn.__qualname__ = defaults, kwdefaults, qualname
    cells = fn.__closure__ or ()
    for index, value in contents:
        cells[index].cell_contents = value
    if attrs:
        fn.__dict__.update(attrs)


def _importable(fn: Any) -> bool:
    """True for a function pickle finds by its module and qualified name."""
    found: Any = sys.modules.get(fn.__module__ or "")
    for part in fn.__qualname__.split("."):
        found = getattr(found, part, None)
    return found is fn


class _FunctionPickler(pickle.Pickler):
    """Pickles plancheck's closures and generated functions by value (see the module's
    docstring); any other function is pickled as usual (by name), or refused."""

    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        if kind is types.ModuleType:
            return importlib.import_module, (obj.__name__,)
        if kind is types.CodeType:
            return marshal.loads, (marshal.dumps(obj),)
        if kind is not types.FunctionType or _importable(obj):
            return NotImplemented
        module = sys.modules.get(obj.__module__ or "")
        if module is not None and obj.__globals__ is vars(module):
            if not obj.__module__.startswith("validator."):
                raise pickle.PicklingError(f"not plancheck's: {obj.__qualname__}")
            builtins, namespace = None, None
        elif obj.__module__ is None:  # generated code, in a namespace of its own
            module, builtins = None, obj.__globals__.get("__builtins__")
            namespace = {k: v for k, v in obj.__globals__.items() if k != "__builtins__"}
        else:
            raise pickle.PicklingError(f"unknown globals: {obj.__qualname__}")
        cells = obj.__closure__ or ()
        contents = []
        for index, cell in enumerate(cells):
            try:
                contents.append((index, cell.cell_contents))
            except ValueError:  # not assigned yet: stays empty
                continue
        state = (namespace, obj.__defaults__, obj.__kwdefaults__, contents,
                 dict(obj.__dict__) or None, obj.__qualname__)
        return (_make_function, (obj.__code__, module, builtins, obj.__name__, len(cells)),
                state, None, None, _set_function_state)


def _dumps(value: Any) -> bytes:
    out = io.BytesIO()
    _FunctionPickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return out.getvalue()


def _prune(folder: Path, namespace: str) -> None:
    entries = sorted(folder.glob(f"{namespace}-*.bin"), key=lambda p: p.stat().st_mtime)
    for old in entries[:-KEEP_PER_NAMESPACE]:
        old.unlink(missing_ok=True)


def cached(namespace: str, key: str, build: Callable[[], T],
           valid: Callable[[Any], bool] = lambda value: True) -> T:
    """The value under ``key``, or ``build()`` stored there; ``valid`` can refuse a found
    value (say, when a file it was built from has changed)."""
    found = get(namespace, key)
    if found is not None and valid(found):
        return found  # type: ignore[no-any-return]
    value = build()
    put(namespace, key, value)
    return value


def clear() -> tuple[Path, int]:
    """Remove every entry and the key; the folder and how many files were removed."""
    folder = cache_dir()
    if not folder.is_dir():
        return folder, 0
    count = sum(1 for p in folder.iterdir() if p.is_file())
    shutil.rmtree(folder, ignore_errors=True)
    return folder, count
