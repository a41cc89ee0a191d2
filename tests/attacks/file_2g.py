"""Write a 2 GiB file into the kernel's folder, 1 MiB at a time."""
SET = "03-polynomial"
CELL = "poly-multiply-answer"
EXERCISE = "poly-multiply"
B64 = False
SOURCE = r'''
_chunk = b"x" * 2**20
_written = 0
try:
    with open("big.bin", "wb") as fh:
        for _ in range(2048):
            fh.write(_chunk)
            fh.flush()
            _written += 1
    print(f"ATTACK: wrote {_written} MiB")
except OSError as exc:
    print(f"ATTACK: the 2 GiB file stopped at {_written} MiB ({exc})")


def poly_multiply(p, q):
    return [0]
'''
