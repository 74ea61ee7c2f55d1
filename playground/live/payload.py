"""The live view's one message format: a JSON header and binary arrays in one bytes object.

    b"PGv1" | uint32 little-endian header length | header (UTF-8 JSON) | blobs

header = {"seq": int, "slots": {slot: frame data}, "blobs": [[slot, name, dtype, shape, offset,
length], ...], "mount": {...}} — "mount" only in the data a view is mounted with (its slot, kind,
static description, the WebSocket token). Arrays travel as raw little-endian bytes: dtype is one
of DTYPES; offsets count from the end of the header. The browser side is
live/assets/stage.js (`decode`); `decode` here reads a message back, for tests.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field

import numpy as np

MAGIC = b"PGv1"
DTYPES = {"u8": np.uint8, "i8": np.int8, "f32": np.float32, "f64": np.float64, "i32": np.int32}
_NAMES = {np.dtype(v): k for k, v in DTYPES.items()}


@dataclass
class Message:
    """A message being built: slots' JSON data and their arrays."""

    seq: int
    slots: dict[str, dict] = field(default_factory=dict)
    blobs: list[tuple[str, str, np.ndarray]] = field(default_factory=list)
    mount: dict | None = None

    def add(self, slot: str, data: dict, arrays: dict[str, np.ndarray] | None = None) -> None:
        """Slot `slot`'s frame `data` (JSON-ready) and its named arrays."""
        self.slots[slot] = data
        for name, array in (arrays or {}).items():
            self.blobs.append((slot, name, np.ascontiguousarray(array)))

    def encode(self) -> bytes:
        table, parts, offset = [], [], 0
        for slot, name, array in self.blobs:
            raw = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
            table.append([slot, name, _NAMES[array.dtype], list(array.shape), offset, len(raw)])
            parts.append(raw)
            offset += len(raw)
        header = {"seq": self.seq, "slots": self.slots, "blobs": table}
        if self.mount is not None:
            header["mount"] = self.mount
        text = json.dumps(header, separators=(",", ":"), allow_nan=False).encode()
        return MAGIC + struct.pack("<I", len(text)) + text + b"".join(parts)


def decode(message: bytes) -> tuple[dict, dict[tuple[str, str], np.ndarray]]:
    """(header, {(slot, name): array}) of an encoded message; ValueError when it is not one."""
    if message[:4] != MAGIC or len(message) < 8:
        raise ValueError("not a live-view message")
    (length,) = struct.unpack("<I", message[4:8])
    header = json.loads(message[8:8 + length])
    start = 8 + length
    arrays = {}
    for slot, name, dtype, shape, offset, size in header["blobs"]:
        raw = message[start + offset:start + offset + size]
        little = np.dtype(DTYPES[dtype]).newbyteorder("<")
        arrays[(slot, name)] = np.frombuffer(raw, dtype=little).reshape(shape)
    return header, arrays
