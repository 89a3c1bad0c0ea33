"""Finding the model inside a file: what kind of file it is, and its Keras configuration or ONNX graph.

Every container is read with a bound (a zip member's declared size is checked before it is read,
JSON is capped), and nothing in a file is ever executed: a Keras configuration is plain JSON.
"""

from __future__ import annotations

import json
import os
import re
import zipfile

from . import MAX_JSON_BYTES, MAX_ONNX_BYTES, fail

ZIP_MAGIC = b"PK\x03\x04"
HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
KERAS_MAJORS = ("2", "3")  # tf.keras 2 and Keras 3 (Keras 1 configs use other names: nb_filter…)
_PEEK = 65536


def read_model_source(path: str):
    """``("design", None)`` for a design file (``fileformat.load`` reads it), ``("keras", config)``
    or ``("onnx", ModelProto)`` for a model file."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            head = f.read(_PEEK)
    except OSError:
        return "design", None  # the design reader says why it cannot be opened, as it always has
    lower = path.lower()
    if head.startswith(ZIP_MAGIC):
        return "keras", _keras_archive(path)
    if lower.endswith(".keras"):
        fail(path, "not a .keras model: a .keras file is a zip archive, and this file is not one")
    if head.startswith(HDF5_MAGIC) or lower.endswith((".h5", ".hdf5")):
        return "keras", _h5_config(path, head)
    if lower.endswith(".onnx"):
        return "onnx", _onnx_model(path, size)
    if b"archcanvas.design" in head and b'"format"' in head:
        return "design", None
    if not head.lstrip()[:1] in (b"{", b'"'):
        return "design", None  # not JSON: the design reader says what is wrong with it
    keras_like = any(key in head for key in (b'"class_name"', b'"modelTopology"', b'"keras_version"'))
    if not keras_like:
        return "design", None  # the design reader, with its own limits and messages
    if size > MAX_JSON_BYTES:
        fail(path, f"too large for a model's JSON ({size:,} bytes; the limit is {MAX_JSON_BYTES // 2**20} MiB)")
    with open(path, "rb") as f:
        raw = f.read(MAX_JSON_BYTES + 1)
    if len(raw) > MAX_JSON_BYTES:
        fail(path, f"too large for a model's JSON (the limit is {MAX_JSON_BYTES // 2**20} MiB)")
    config = keras_config(parse_json(raw, path), path)
    return ("design", None) if config is None else ("keras", config)


def parse_json(raw: bytes, where: str):
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        fail(where, f"not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start})")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as err:
        cut = err.pos >= len(text.rstrip())
        fail(where, f"line {err.lineno} column {err.colno}: not valid JSON: {err.msg}"
             + (" (the text ends too early; is the file cut short?)" if cut else ""))
    except (RecursionError, ValueError) as err:
        fail(where, f"not valid JSON for a model: {err}")


def _no_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def keras_config(data, where: str):
    """The model configuration ``{"class_name", "config"}`` inside parsed JSON (``to_json()`` text,
    a TF.js ``model.json``, a twice-encoded string), or None when it is not a Keras file."""
    if isinstance(data, str):  # to_json() text stored as a JSON string (seen in real repositories)
        data = parse_json(data.encode("utf-8"), where)
    if not isinstance(data, dict):
        return None
    if data.get("format") == "graph-model":
        fail(where, "a TF.js graph model (a frozen TensorFlow graph) cannot be imported; "
                    "only TF.js layers models (format layers-model) can")
    if "modelTopology" in data:  # TF.js layers model
        topology = data["modelTopology"]
        if not isinstance(topology, dict):
            fail(where, "modelTopology must be an object (is this a TF.js graph model? only layers models import)")
        check_version(topology.get("keras_version"), where)
        data = topology.get("model_config", topology)
        if not isinstance(data, dict):
            fail(where, "modelTopology.model_config must be an object")
    elif "class_name" not in data or "format" in data:
        return None
    check_version(data.get("keras_version"), where)
    if "class_name" not in data or "config" not in data:
        fail(where, 'not a Keras model: the configuration has no "class_name" and "config"')
    return data


def check_version(version, where: str) -> None:
    if version is None:
        return
    text = str(version)
    major = re.match(r"\s*(?:tfjs-layers\s*)?(\d+)", text)
    if text.startswith("tfjs-layers"):
        return  # TF.js writes its own version here; its topology is Keras 2's
    if not major or major.group(1) not in KERAS_MAJORS:
        fail(where, f"written by Keras {text}, a version this importer does not read (it reads Keras 2 and 3)")


def _keras_archive(path: str) -> dict:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "config.json" not in names:
                fail(path, "not a .keras model: the archive has no config.json")
            if "metadata.json" in names:
                meta = parse_json(_member(zf, "metadata.json", path), f"{path}: metadata.json")
                if isinstance(meta, dict):
                    check_version(meta.get("keras_version"), path)
            config = parse_json(_member(zf, "config.json", path), f"{path}: config.json")
    except zipfile.BadZipFile as err:
        fail(path, f"not a complete .keras archive ({err}; is the file cut short?)")
    except (EOFError, zipfile.LargeZipFile, NotImplementedError, RuntimeError) as err:
        fail(path, f"cannot read the .keras archive: {err}")
    except OSError as err:
        fail(path, f"cannot read the .keras archive: {(err.strerror or str(err)).lower()}")
    found = keras_config(config, f"{path}: config.json")
    if found is None:
        fail(path, 'config.json is not a Keras model configuration (no "class_name")')
    return found


def _member(zf: zipfile.ZipFile, name: str, path: str) -> bytes:
    info = zf.getinfo(name)
    if info.file_size > MAX_JSON_BYTES:
        fail(path, f"{name} would unpack to {info.file_size:,} bytes (the limit is "
                   f"{MAX_JSON_BYTES // 2**20} MiB; a zip bomb?)")
    with zf.open(info) as f:  # the declared size may lie: read no more than the limit
        raw = f.read(MAX_JSON_BYTES + 1)
    if len(raw) > MAX_JSON_BYTES:
        fail(path, f"{name} unpacks to more than {MAX_JSON_BYTES // 2**20} MiB (a zip bomb?)")
    return raw


def _h5_config(path: str, head: bytes) -> dict:
    if not head.startswith(HDF5_MAGIC):
        fail(path, "not an HDF5 file (a Keras .h5 model starts with the HDF5 signature)")
    try:
        import h5py
    except ImportError:
        fail(path, "reading .h5 models needs h5py: pip install 'archcanvas[h5]'")
    try:
        with h5py.File(path, "r") as f:
            check_version(_text(f.attrs.get("keras_version")), path)
            raw = f.attrs.get("model_config")
    except OSError as err:
        fail(path, f"cannot read the HDF5 file ({err}; is it cut short?)")
    if raw is None:
        fail(path, "this .h5 file holds no model_config (weights only? save the whole model)")
    raw = raw if isinstance(raw, bytes) else str(_text(raw)).encode("utf-8")
    if len(raw) > MAX_JSON_BYTES:
        fail(path, f"model_config is too large (the limit is {MAX_JSON_BYTES // 2**20} MiB)")
    found = keras_config(parse_json(raw, f"{path}: model_config"), path)
    if found is None:
        fail(path, 'model_config is not a Keras model configuration (no "class_name")')
    return found


def _text(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _onnx_model(path: str, size: int):
    try:
        import onnx
    except ImportError:
        fail(path, "reading .onnx models needs the onnx package: pip install 'archcanvas[onnx]'")
    if size > MAX_ONNX_BYTES:
        fail(path, f"too large for an ONNX model ({size:,} bytes; the limit is {MAX_ONNX_BYTES // 2**20} MiB)")
    from google.protobuf.message import DecodeError
    try:
        with open(path, "rb") as f:
            model = onnx.load_model_from_string(f.read())
    except (DecodeError, RuntimeError, ValueError) as err:
        fail(path, f"not an ONNX model (the protobuf does not parse: {str(err) or type(err).__name__}; "
                   "is the file cut short?)")
    if not model.graph.node and not model.graph.input:
        fail(path, "not an ONNX model (it has no graph)")
    return model
