"""The ``.npz`` format: NumPy's zip of .npy arrays, readable with
``np.load(path, allow_pickle=False)``.

Members: ``architecture`` - the model document without weights, as a JSON string in a 0-d
unicode array - and ``layer{l}.weight`` (units, inputs), ``layer{l}.bias`` (units,) for
l = 0, 1, ... (no bias arrays without bias). Written uncompressed; compressed (deflate)
archives are read too.

Reading never trusts the archive: the zip directory is inspected first (member count,
names, compression, declared sizes vs. compressed sizes and the size limit), then every
member's .npy header is parsed on its own and its shape, dtype and byte count are checked
against the architecture before a single array byte is read. Nothing is unpickled.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from typing import BinaryIO

import numpy as np

from ..network import MAX_LAYERS, Network
from .architecture_doc import (
    build_network,
    check_binary_size,
    check_float_dtype,
    check_savable,
    expected_shapes,
    header_dict,
    parse_architecture_json,
    total_elements,
)
from .atomic import atomic_write
from .common import (
    MAX_FILE_BYTES,
    MAX_HEADER_BYTES,
    ModelFileError,
    display_name,
    dumps_compact,
    human_size,
    open_checked,
)

ARCH_MEMBER = "architecture.npy"
MAX_MEMBERS = 2 * MAX_LAYERS + 1
#: deflate cannot compress better than ~1032:1; more than this is a zip bomb.
MAX_RATIO = 1100
MAX_NPY_HEADER = 10_000


def member_names(layers: int) -> list[tuple[str, str]]:
    return [(f"layer{n}.weight", f"layer{n}.bias") for n in range(layers)]


def save_npz(net: Network, path: str | os.PathLike) -> None:
    name = display_name(path)
    check_savable(net, name)
    check_binary_size(net, name)
    arrays = {"architecture": np.array(dumps_compact(header_dict(net.architecture, net.dtype)))}
    for (wname, bname), w, b in zip(member_names(net.depth), net.weights, net.biases, strict=True):
        arrays[wname] = np.ascontiguousarray(w)
        if b is not None:
            arrays[bname] = np.ascontiguousarray(b)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    atomic_write(path, buf.getbuffer())


# ---------------------------------------------------------------- reading


class _Counting:
    """A read-only wrapper that counts the bytes read (to find where .npy data starts)."""

    def __init__(self, f: BinaryIO) -> None:
        self.f = f
        self.count = 0

    def read(self, n: int = -1) -> bytes:
        data = self.f.read(n)
        self.count += len(data)
        return data


def _zip_entry_count(f: BinaryIO, size: int) -> int | None:
    """The member count from the end-of-central-directory record, read before zipfile
    builds its directory (so a zip claiming millions of members is rejected cheaply).
    None if the record is not found (zipfile then reports the broken archive)."""
    tail_len = min(size, 22 + 65535)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or pos + 22 > len(tail):
        return None
    count = struct.unpack("<H", tail[pos + 10 : pos + 12])[0]
    if count == 0xFFFF and pos >= 20 and tail[pos - 20 : pos - 16] == b"PK\x06\x07":
        offset = struct.unpack("<Q", tail[pos - 12 : pos - 4])[0]
        if offset + 56 <= size:
            f.seek(offset)
            rec = f.read(56)
            if rec[:4] == b"PK\x06\x06":
                count = struct.unpack("<Q", rec[32:40])[0]
    return count


def _read_npy_header(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, what: str
) -> tuple[BinaryIO, tuple, bool, np.dtype, int]:
    """Open a member and parse its .npy header only.

    Returns (open member, shape, fortran_order, dtype, number of data bytes in the member)."""
    member = zf.open(info)
    try:
        counter = _Counting(member)
        version = np.lib.format.read_magic(counter)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(
                counter, max_header_size=MAX_NPY_HEADER
            )
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(
                counter, max_header_size=MAX_NPY_HEADER
            )
        else:
            raise ModelFileError(source, f"{what}: .npy version {version} is not supported")
    except ModelFileError:
        member.close()
        raise
    except MemoryError:
        member.close()
        raise
    except zipfile.BadZipFile as e:  # a small member is read (and CRC-checked) at once
        member.close()
        raise ModelFileError(source, f"{what}: corrupted data ({e})") from None
    except Exception as e:  # ValueError, SyntaxError, tokenize.TokenError, EOFError, ...
        member.close()
        raise ModelFileError(source, f"{what}: invalid .npy header ({e})") from None
    except BaseException:
        member.close()
        raise
    return member, shape, fortran, dtype, info.file_size - counter.count


def _read_member_array(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    source: str,
    what: str,
    expected_shape: tuple[int, ...] | None,
    float_only: bool = True,
) -> np.ndarray:
    member, shape, fortran, dtype, data_bytes = _read_npy_header(zf, info, source, what)
    with member:
        if float_only:
            native = check_float_dtype(dtype, source, what)
            if tuple(shape) != expected_shape:
                raise ModelFileError(
                    source, f"{what}: shape {tuple(shape)}, the architecture needs {expected_shape}"
                )
        else:  # the architecture string: a 0-d unicode array
            if dtype.hasobject:
                raise ModelFileError(
                    source, f"{what}: object arrays are not allowed (pickled data is never loaded)"
                )
            if dtype.kind != "U" or tuple(shape) != ():
                raise ModelFileError(
                    source, f"{what}: expected a unicode string, got {dtype} array {shape}"
                )
            native = dtype
        nbytes = total_elements(shape) * dtype.itemsize
        if data_bytes != nbytes:
            raise ModelFileError(
                source,
                f"{what}: the header declares {nbytes} bytes of data but the member holds "
                f"{data_bytes}",
            )
        data = member.read(nbytes)
        if len(data) != nbytes:
            raise ModelFileError(source, f"{what}: truncated data")
        member.read(1)  # reach the end, so zipfile checks the CRC
    a = np.frombuffer(data, dtype=dtype)
    if not float_only:
        return a
    a = a.reshape(shape, order="F" if fortran else "C")
    out = np.empty(shape, dtype=native)  # owned, writable, C-order, native byte order
    out[...] = a
    return out


def load_npz(path: str | os.PathLike) -> Network:
    source = display_name(path)
    f, size = open_checked(path, MAX_FILE_BYTES)
    with f:
        try:
            count = _zip_entry_count(f, size)
            if count is not None and count > MAX_MEMBERS:
                raise ModelFileError(
                    source, f"the archive has {count} members; a model has at most {MAX_MEMBERS}"
                )
            f.seek(0)
            with zipfile.ZipFile(f) as zf:
                return _load_from_zip(zf, source, size)
        except ModelFileError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError) as e:
            raise ModelFileError(source, f"not a valid .npz (zip) file: {e}") from None
        except (NotImplementedError, RuntimeError) as e:  # unsupported method, encrypted
            raise ModelFileError(source, f"unsupported zip archive: {e}") from None
        except (ValueError, struct.error) as e:
            raise ModelFileError(source, f"not a valid .npz file: {e}") from None


def _load_from_zip(zf: zipfile.ZipFile, source: str, size: int) -> Network:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ModelFileError(
            source, f"the archive has {len(infos)} members; a model has at most {MAX_MEMBERS}"
        )
    by_name: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        if info.filename in by_name:
            raise ModelFileError(source, f"member {info.filename!r} appears twice")
        by_name[info.filename] = info
        if info.flag_bits & 0x1:
            raise ModelFileError(source, f"member {info.filename!r} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ModelFileError(
                source, f"member {info.filename!r}: unsupported compression {info.compress_type}"
            )
        if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
            raise ModelFileError(source, f"member {info.filename!r}: inconsistent sizes")
        if info.file_size > MAX_RATIO * info.compress_size + 4096:
            raise ModelFileError(
                source,
                f"member {info.filename!r} would expand from {human_size(info.compress_size)} "
                f"to {human_size(info.file_size)} (a zip bomb?)",
            )
        if info.compress_size > size:
            raise ModelFileError(source, f"member {info.filename!r} is larger than the file")
        total += info.file_size
    if total > MAX_FILE_BYTES:
        raise ModelFileError(
            source,
            f"the archive would expand to {human_size(total)}, more than the "
            f"{human_size(MAX_FILE_BYTES)} limit (a zip bomb?)",
        )

    arch_info = by_name.get(ARCH_MEMBER)
    if arch_info is None:
        raise ModelFileError(
            source, "no 'architecture' array: not a Backprop Lab .npz (or saved by another app)"
        )
    if arch_info.file_size > MAX_HEADER_BYTES:
        raise ModelFileError(
            source, f"the architecture member is {human_size(arch_info.file_size)}, too large"
        )
    text_array = _read_member_array(zf, arch_info, source, "architecture", None, float_only=False)
    try:
        text = str(text_array[0])
    except (ValueError, UnicodeError, IndexError) as e:
        raise ModelFileError(source, f"architecture: not a valid string ({e})") from None
    header = parse_architecture_json(text, source)

    names = member_names(len(header.layers))
    present_bias = [f"{b}.npy" in by_name for _, b in names]
    bias = header.bias
    if bias is None:
        bias = any(present_bias)
    arch = header.architecture(bias, source)
    expected = {ARCH_MEMBER}
    for wname, bname in names:
        expected.add(f"{wname}.npy")
        if bias:
            expected.add(f"{bname}.npy")
    unknown = sorted(set(by_name) - expected)
    if unknown:
        raise ModelFileError(
            source, f"unexpected member {unknown[0]!r} (this architecture has no such array)"
        )
    missing = [m for m in sorted(expected) if m not in by_name]
    if missing:
        raise ModelFileError(source, f"missing array {missing[0][:-4]!r}")

    weights, biases = [], []
    for (wname, bname), (wshape, bshape) in zip(names, expected_shapes(arch), strict=True):
        weights.append(_read_member_array(zf, by_name[f"{wname}.npy"], source, wname, wshape))
        if bias:
            biases.append(_read_member_array(zf, by_name[f"{bname}.npy"], source, bname, bshape))
        else:
            biases.append(None)
    dtype = weights[0].dtype
    if header.dtype is not None and header.dtype != dtype:
        raise ModelFileError(
            source, f"the architecture says {header.dtype.name} but the arrays are {dtype}"
        )
    return build_network(arch, weights, biases, source, names)
