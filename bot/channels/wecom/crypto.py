"""The WeCom callback envelope: a SHA1 signature and AES-256-CBC, as the WeCom documentation specifies.

Why hand-written on ``cryptography``: the scheme is small, and the one Python library that wraps it
(wechatpy) is synchronous and unmaintained. Its two traps are written down here: the PKCS#7 padding
pads to **32-byte** blocks (not the cipher's 16), and the IV is the first 16 bytes of the key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32  # WeCom's PKCS#7 block size
KEY_LENGTH = 43  # characters of an EncodingAESKey


class CryptoError(ValueError):
    """An envelope that cannot be trusted or read: bad signature, wrong receiver, corrupt data."""


class SignatureError(CryptoError):
    """The msg_signature does not match: the request does not come from WeCom (or from our fake)."""


def signature(token: str, timestamp: str, nonce: str, ciphertext: str) -> str:
    """SHA1 hex digest over the four values sorted as strings and joined without a separator."""
    joined = "".join(sorted([token, timestamp, nonce, ciphertext]))
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()


def decode_key(encoding_aes_key: str) -> bytes:
    """The 32-byte AES key from the 43-character EncodingAESKey."""
    if len(encoding_aes_key) != KEY_LENGTH:
        raise CryptoError(f"EncodingAESKey must be {KEY_LENGTH} characters, got {len(encoding_aes_key)}")
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except (binascii.Error, ValueError) as error:
        raise CryptoError(f"EncodingAESKey is not base64: {error}") from None
    if len(key) != 32:
        raise CryptoError("EncodingAESKey does not decode to 32 bytes")
    return key


def pad(data: bytes) -> bytes:
    """PKCS#7 to 32-byte blocks: 1–32 bytes, each holding the count."""
    count = BLOCK - len(data) % BLOCK
    return data + bytes([count]) * count


def unpad(data: bytes) -> bytes:
    if not data:
        raise CryptoError("empty plaintext")
    count = data[-1]
    if not 1 <= count <= BLOCK or count > len(data) or data[-count:] != bytes([count]) * count:
        raise CryptoError("bad padding")
    return data[:-count]


class WeComCrypto:
    """Opens and seals envelopes for one application (token, EncodingAESKey, receiveid = CorpID)."""

    def __init__(self, token: str, encoding_aes_key: str, receive_id: str) -> None:
        self.token = token
        self.key = decode_key(encoding_aes_key)
        self.receive_id = receive_id

    def _cipher(self) -> Cipher[modes.CBC]:
        return Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def check(self, msg_signature: str, timestamp: str, nonce: str, ciphertext: str) -> None:
        """Raise :class:`SignatureError` unless the signature matches (compared in constant time)."""
        expected = signature(self.token, timestamp, nonce, ciphertext)
        if not hmac.compare_digest(expected.encode("ascii"), msg_signature.lower().encode("utf-8", "replace")):
            raise SignatureError("msg_signature does not match")

    def decrypt(self, ciphertext: str) -> bytes:
        """The message inside a base64 ciphertext; checks the padding, the length and the receiveid."""
        try:
            raw = base64.b64decode(ciphertext, validate=True)
        except (binascii.Error, ValueError) as error:
            raise CryptoError(f"ciphertext is not base64: {error}") from None
        if not raw or len(raw) % 16:
            raise CryptoError("ciphertext is not a whole number of AES blocks")
        decryptor = self._cipher().decryptor()
        plain = unpad(decryptor.update(raw) + decryptor.finalize())
        if len(plain) < 20:
            raise CryptoError("plaintext too short")
        (length,) = struct.unpack(">I", plain[16:20])
        if 20 + length > len(plain):
            raise CryptoError("message length runs past the plaintext")
        message, receive_id = plain[20 : 20 + length], plain[20 + length :]
        if receive_id != self.receive_id.encode("utf-8"):
            raise CryptoError("receiveid does not match this application")
        return message

    def encrypt(self, message: bytes, random16: bytes | None = None) -> str:
        """The base64 ciphertext of ``message``; ``random16`` is fixed only by tests."""
        prefix = os.urandom(16) if random16 is None else random16
        if len(prefix) != 16:
            raise CryptoError("the random prefix is 16 bytes")
        plain = prefix + struct.pack(">I", len(message)) + message + self.receive_id.encode("utf-8")
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(pad(plain)) + encryptor.finalize()).decode("ascii")

    def verify_url(self, msg_signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        """The URL-verification answer: the decrypted echostr, after the signature check."""
        self.check(msg_signature, timestamp, nonce, echostr)
        try:
            return self.decrypt(echostr).decode("utf-8")
        except UnicodeDecodeError:
            raise CryptoError("echostr is not UTF-8") from None

    def open(self, msg_signature: str, timestamp: str, nonce: str, ciphertext: str) -> bytes:
        """Check and decrypt a POSTed ``Encrypt`` value."""
        self.check(msg_signature, timestamp, nonce, ciphertext)
        return self.decrypt(ciphertext)

    def seal(self, message: bytes, timestamp: str, nonce: str, random16: bytes | None = None) -> tuple[str, str]:
        """Encrypt and sign, as WeCom does for a callback: ``(ciphertext, msg_signature)``."""
        ciphertext = self.encrypt(message, random16)
        return ciphertext, signature(self.token, timestamp, nonce, ciphertext)
