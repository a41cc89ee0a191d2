"""Connect to a TCP listener on 127.0.0.1 (one the test opens) and send it data."""
SET = "03-polynomial"
CELL = "poly-multiply-answer"
EXERCISE = "poly-multiply"
B64 = False
SOURCE = r'''
import socket

try:
    with socket.create_connection(("127.0.0.1", __PORT__), timeout=5) as _s:
        _s.sendall(b"hello from the sandbox")
    print("ATTACK: connected to 127.0.0.1:__PORT__")
except OSError as exc:
    print(f"ATTACK: no connection to 127.0.0.1:__PORT__ ({exc})")


def poly_multiply(p, q):
    return [0]
'''
