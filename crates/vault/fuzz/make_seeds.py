#!/usr/bin/env python3
"""Writes the seed corpora of the vault's fuzz targets (corpus/<target>/seed-*).

Seeds are valid structures in the layout of docs/FORMAT.md, plus open_container edit scripts
(the input format is described in src/harness.rs). Run from this directory."""
import os
import struct

PAYLOAD = 4096 - 24 - 16


def write(target, name, data):
    os.makedirs(f"corpus/{target}", exist_ok=True)
    with open(f"corpus/{target}/seed-{name}", "wb") as f:
        f.write(data)


def slot(epoch, lower, meta_len, blocks):
    out = struct.pack("<QBBH", epoch, 1, 1 if lower else 0, 0)
    out += (bytes(range(32)) if lower else bytes(32)) + bytes([7] * 32)
    out += struct.pack("<II", meta_len, len(blocks)) + b"".join(struct.pack("<I", b) for b in blocks)
    return out + bytes(PAYLOAD - len(out))


write("slot_decode", "one-block-index", slot(7, True, 100, [30]))
write("slot_decode", "no-lower", slot(1, False, 0, []))
write("slot_decode", "three-blocks", slot(2**40, True, 2 * PAYLOAD + 1, [17, 99, 1000]))


def entry(item_id, kind, name, size, extents, erasing=False):
    out = struct.pack("<IBB", item_id, kind | (0x80 if erasing else 0), len(name)) + name
    out += struct.pack("<QQ", 1_790_000_000, size) + bytes([9] * 32)
    out += struct.pack("<I", len(extents)) + b"".join(struct.pack("<II", f, n) for f, n in extents)
    return out


def index(entries):
    return bytes([1]) + struct.pack("<I", len(entries)) + b"".join(entries)


blocks = struct.pack("<H", 300)  # data blocks of the container the index belongs to
write("meta_decode", "empty", blocks + index([]))
write("meta_decode", "three-items", blocks + index([
    entry(0x11, 0, b"note", 100, [(40, 1)]),
    entry(0x12, 1, "사진.jpg".encode(), 3 * PAYLOAD - 10, [(50, 2), (60, 1)]),
    entry(0x13, 2, b"", 0, []),
]))
write("meta_decode", "erasing", blocks + index([entry(0x14, 0, b"being erased", 10, [(70, 1)], True)]))

# open_container: edit scripts (tag, which, arguments...).
write("open_container", "unchanged", b"")
write("open_container", "truncated-cuts-hidden-file", bytes([3, 0]) + (281 * 4096).to_bytes(3, "little"))
write("open_container", "truncated-odd-length", bytes([3, 0]) + (1_100_001).to_bytes(3, "little"))
write("open_container", "hidden-copy-a-dropped", bytes([7, 2]))
write("open_container", "stale-copy-newer", bytes([5, 3, 0]) + (9).to_bytes(8, "little"))
write("open_container", "erase-bit-toggled", bytes([4, 0, 1, 3]) + bytes(4))
write("open_container", "item-in-two-levels", bytes([4, 0, 0, 8]) + (1).to_bytes(4, "little"))
write("open_container", "extent-moved", bytes([4, 2, 0, 0]) + (20).to_bytes(4, "little"))
write("open_container", "slot-bytes-patched", bytes([2, 0]) + (4096 + 100).to_bytes(3, "little") + bytes([4, 1, 2, 3, 4]))
write("open_container", "salt-a-damaged", bytes([8, 0, 5, 0xFF]))
write("open_container", "index-version", bytes([1, 0, 0, 0, 1, 9]))
write("open_container", "index-elsewhere", bytes([6, 1]) + (150).to_bytes(2, "little"))
