"""Python ints <-> b-bit limbs, vectorised, by groups of limbs spanning whole bytes; carrying."""

from __future__ import annotations

import functools
import math

import numpy as np


def _group(b: int) -> tuple[int, int, int]:
    """(limbs per group, bytes per group, 64-bit words per group): g limbs of b bits = whole bytes."""
    g = 8 // math.gcd(b, 8)
    nbytes = g * b // 8
    return g, nbytes, (nbytes + 7) // 8


def extract_limbs(x: int, b: int, n: int) -> np.ndarray:
    """The n lowest b-bit limbs of the non-negative int x, as uint64 (1 <= b <= 56).

    g = 8 / gcd(b, 8) consecutive limbs span exactly g b / 8 bytes (one limb
    per b/8 bytes when 8 | b, two per b/4 bytes when 4 | b, ...).  The bytes
    of ``x`` are cut into such groups, each group is read as little-endian
    64-bit words, and limb j of every group is one shift-and-mask of a row of
    words (rows are made contiguous first: strided columns are slower).
    """
    if b in (8, 16, 32):  # whole bytes: a plain reinterpretation
        return np.frombuffer(x.to_bytes(n * b // 8, "little"), dtype=f"<u{b // 8}").astype(np.uint64)
    g, nbytes, words = _group(b)
    groups = -(-n // g)
    raw = np.frombuffer(x.to_bytes(groups * nbytes, "little"), dtype=np.uint8).reshape(groups, nbytes)
    buf = np.zeros((groups, 8 * (words + 1)), dtype=np.uint8)
    buf[:, :nbytes] = raw
    w = np.ascontiguousarray(buf.view("<u8").T)  # (words + 1, groups)
    out = np.empty((g, groups), dtype=np.uint64)
    mask = np.uint64((1 << b) - 1)
    for j in range(g):
        q, r = divmod(b * j, 64)
        row = out[j]
        np.right_shift(w[q], np.uint64(r), out=row)
        if r + b > 64:
            row |= w[q + 1] << np.uint64(64 - r)
        row &= mask
    return out.T.reshape(-1)[:n]


def pack_digits(d: np.ndarray, b: int) -> int:
    """sum_k d[k] 2^(b k) for digits 0 <= d[k] < 2^b (uint64 array), via int.from_bytes."""
    if b % 8 == 0 and b <= 64:  # whole bytes: the low b / 8 bytes of every digit
        return int.from_bytes(_low_bytes(np.ascontiguousarray(d, dtype="<u8"), b // 8), "little")
    g, nbytes, words = _group(b)
    n = d.shape[0]
    groups = -(-n // g)
    dd = np.zeros(groups * g, dtype=np.uint64)
    dd[:n] = d
    dd = np.ascontiguousarray(dd.reshape(groups, g).T)
    w = np.zeros((words, groups), dtype=np.uint64)
    for j in range(g):
        q, r = divmod(b * j, 64)
        w[q] |= dd[j] << np.uint64(r)
        if r + b > 64:
            w[q + 1] |= dd[j] >> np.uint64(64 - r)
    return int.from_bytes(_low_bytes(np.ascontiguousarray(w.T), nbytes), "little")


def _low_bytes(rows: np.ndarray, nbytes: int) -> bytes:
    """The first nbytes bytes of every row of a C-contiguous 2-d (or 1-d) uint64 array, concatenated.

    Read through a strided view of nbytes-wide void items: one memcpy per
    row, several times faster than slicing the bytes (``[:, :nbytes]``).
    """
    stride = rows.strides[0]
    items = np.ndarray((rows.shape[0],), dtype=f"V{nbytes}", buffer=rows, strides=(stride,))
    return items.tobytes()


def assemble(c: np.ndarray, b: int) -> int:
    """sum_k c[k] 2^(b k) for non-negative int64 coefficients c[k] < 2^62.

    The coefficients overlap (each is wider than b bits), so they are dealt
    into s interleaved layers, c[r::s], with s b >= their width and s b a
    multiple of 8: within a layer they are s b bits apart and do not overlap,
    so each layer is written as whole bytes (the coefficients' own
    little-endian bytes, zero-padded to s b / 8) and read by
    ``int.from_bytes``.  Python's big-int additions of the s shifted layers
    then propagate every carry.
    """
    c = c.astype(np.uint64)
    top = int(c.max()).bit_length() if c.size else 0
    if top <= b:
        return pack_digits(c, b)
    if 64 % b == 0:
        layers = 64 // b  # slots of exactly 8 bytes: no padding needed
    else:
        layers = 1
        while layers * b < top or (layers * b) % 8:
            layers += 1
    slot = layers * b // 8
    n = c.shape[0]
    rows = -(-n // layers)
    padded = np.zeros(rows * layers, dtype="<u8")
    padded[:n] = c
    as_bytes = padded.view(np.uint8).reshape(rows, layers, 8)
    keep = min(slot, 8)
    total = 0
    for r in range(layers):
        if slot == 8:
            raw = as_bytes[:, r, :].tobytes()
        else:
            buf = np.zeros((rows, slot), dtype=np.uint8)
            buf[:, :keep] = as_bytes[:, r, :keep]
            raw = buf.tobytes()
        total += int.from_bytes(raw, "little") << (b * r)
    return total


@functools.lru_cache(maxsize=8)
def centring_offset(b: int, n: int) -> int:
    """sum_(i < n) 2^(b-1) 2^(b i): the int whose n b-bit limbs are all 2^(b-1)."""
    return ((1 << (b * n)) - 1) // ((1 << b) - 1) << (b - 1)


def centred_limbs(x: int, b: int, n: int) -> np.ndarray:
    """The n lowest b-bit limbs of the non-negative int x, minus 2^(b-1), as float64 (1 <= b <= 57).

    The fast twin of ``extract_limbs(x, b, n) - 2^(b-1)``: limb j of each
    group of g = 8 / gcd(b, 8) limbs starts at byte b j // 8 of its group, so
    one strided (unaligned) view of 32-bit words (64-bit when b > 25) over
    the bytes of ``x`` reads it for every group at once; a shift, a mask and
    a subtraction that writes float64 straight into the result finish it.
    """
    g, nbytes, _ = _group(b)
    groups = -(-n // g)
    wide = b > 25
    word = np.dtype("<u8" if wide else "<u4")
    raw = x.to_bytes(max(groups * nbytes, (x.bit_length() + 7) // 8) + word.itemsize, "little")
    out = np.empty((groups, g), dtype=np.float64)
    mask = word.type((1 << b) - 1)
    half = float(1 << (b - 1))
    for j in range(g):
        offset, shift = divmod(b * j, 8)
        w = np.ndarray((groups,), dtype=word, buffer=raw, offset=offset, strides=(nbytes,))
        limb = np.right_shift(w, word.type(shift))
        limb &= mask
        np.subtract(limb, half, out=out[:, j])
    return out.reshape(-1)[:n]


def balanced_digits(x: int, b: int, n: int) -> np.ndarray:
    """Signed digits d (float64) with x = sum_i d_i 2^(b i), for 0 <= x < 2^(b n).

    d_i is in [-2^(b-1), 2^(b-1)) for i < n - 1 and the top digit in
    [-2^(b-1), 2^b].  They are the limbs of x + C minus 2^(b-1), where C has
    every one of its n limbs equal to 2^(b-1) (``centring_offset``): one
    big-int addition instead of a carry loop.  The top digit keeps the
    possible carry out of the n limbs (it is x + C shifted, not masked).
    Centred digits like these keep the spectrum free of the huge
    zero-frequency term that non-negative limbs would give, and, unlike
    limbs shifted by a constant, they represent x itself: the convolution of
    the digits of x and y gives the coefficients of x y directly.
    """
    xc = x + centring_offset(b, n)
    d = centred_limbs(xc, b, n)
    d[n - 1] = float((xc >> (b * (n - 1))) - (1 << (b - 1)))
    return d


def carry_assemble(c: np.ndarray, b: int, bound_bits: int, scratch: np.ndarray | None = None) -> int:
    """sum_k c[k] 2^(b k) for signed integer coefficients with |c[k]| < 2^bound_bits (<= 60).

    ``c`` is int64, or float64 holding integers (then |c[k]| < 2^53).

    Fast twin of ``assemble`` (and of ``fourier.from_limbs``), for signed
    coefficients.  g consecutive coefficients are first combined (Horner,
    exact in int64) into one coefficient of base 2^(g b), the largest g
    that keeps them below 2^62; then vectorised carry passes (floor shift,
    mask, add the carry to the next coefficient) bring them into
    [0, 2^(g b)), each pass dividing the excess by 2^(g b); the last few
    carries, usually none or a handful, ripple one by one.  Finally the
    digits are packed into bytes for one ``int.from_bytes``.  ``scratch``, an
    optional int64 work array (its contents are overwritten), holds the
    combined coefficients and the carries when it is long enough.
    """
    if bound_bits + 2 > 62:
        return assemble_signed(c, b)
    g = max(1, min((61 - bound_bits) // b + 1, 48 // b))
    base = b * g
    k = c.shape[0]
    groups = -(-k // g)
    if scratch is not None and scratch.shape[0] >= 2 * groups:
        e, q = scratch[:groups], scratch[groups : 2 * groups]
        e.fill(0)
    else:
        e, q = np.zeros(groups, dtype=np.int64), np.empty(groups, dtype=np.int64)
    if c.dtype == np.float64 and g > 1 and bound_bits + b * (g - 1) < 53:
        # float64 holding integers: Horner in float64 in e's memory (exact:
        # |e| < 2^(bound_bits + b (g - 1) + 1) <= 2^53), the first step fused
        # with the strided read, then one cast
        ef = e.view(np.float64)
        np.multiply(c[g - 1 :: g], float(1 << b), out=ef[: -(-(k - g + 1) // g)])
        for r in range(g - 2, -1, -1):
            if r < g - 2:
                ef *= float(1 << b)
            ef[: -(-(k - r) // g)] += c[r::g]
        np.copyto(e, ef, casting="unsafe")
    else:
        c = c.astype(np.int64, copy=False)  # exact: integers below 2^53 if float
        e[: -(-(k - g + 1) // g)] = c[g - 1 :: g]
        for r in range(g - 2, -1, -1):
            e <<= b
            e[: -(-(k - r) // g)] += c[r::g]
    mask = np.int64((1 << base) - 1)
    shift = np.int64(base)
    extra = 0  # carry out of the top coefficient, in units of 2^(base groups)
    while True:
        np.right_shift(e, shift, out=q)
        count = int(np.count_nonzero(q))
        if count == 0:
            break
        if count <= 32:  # ripple the few carries left, one by one
            for i in np.flatnonzero(q).tolist():
                carry = int(e[i]) >> base
                while carry:
                    e[i] &= mask
                    i += 1
                    if i == groups:
                        extra += carry
                        break
                    v = int(e[i]) + carry
                    e[i] = v
                    carry = v >> base
            break
        e &= mask
        e[1:] += q[:-1]
        extra += int(q[-1])
    return pack_digits(e.view(np.uint64), base) + (extra << (base * groups))


def assemble_signed(c: np.ndarray, b: int) -> int:
    """sum_k c[k] 2^(b k) for any signed integer coefficients (the positive and negative parts)."""
    c = np.asarray(c, dtype=np.int64)
    return assemble(np.maximum(c, 0), b) - assemble(np.maximum(-c, 0), b)
