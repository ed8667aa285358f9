"""SHA-256 for derived identifiers (image digests, volume salts, the image catalog's cache key).

CPython's built-in SHA-256 module gives the same digest as hashlib.sha256 without loading
OpenSSL (hashlib's first import: about 2 ms of every command that starts a container);
hashlib where the built-in module is not there.
"""

from __future__ import annotations

try:
    from _sha256 import sha256  # CPython 3.11
except ImportError:
    try:
        from _sha2 import sha256  # CPython 3.12+
    except ImportError:
        from hashlib import sha256

__all__ = ["sha256"]
