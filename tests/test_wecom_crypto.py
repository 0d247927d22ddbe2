"""The callback envelope against the WeCom documentation's own vector, both ways, and on what it does not cover."""

from __future__ import annotations

import base64
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.wecom.crypto import CryptoError, SignatureError, WeComCrypto, decode_key, pad, signature, unpad

TOKEN = "QDG6eK"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
RECEIVE_ID = "wx5823bf96d3bd56c7"
MSG_SIGNATURE = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
TIMESTAMP = "1409659589"
NONCE = "263014780"
ECHOSTR = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
ECHO = "1616140317555161061"


@pytest.fixture
def crypto() -> WeComCrypto:
    return WeComCrypto(TOKEN, AES_KEY, RECEIVE_ID)


def _random16(crypto: WeComCrypto, ciphertext: str) -> bytes:
    """The random prefix of a ciphertext (the first 16 plaintext bytes), read with the raw cipher."""
    decryptor = crypto._cipher().decryptor()
    return (decryptor.update(base64.b64decode(ciphertext)) + decryptor.finalize())[:16]


def test_the_documented_url_verification_decrypts_to_its_echo(crypto: WeComCrypto) -> None:
    assert signature(TOKEN, TIMESTAMP, NONCE, ECHOSTR) == MSG_SIGNATURE
    assert crypto.verify_url(MSG_SIGNATURE, TIMESTAMP, NONCE, ECHOSTR) == ECHO


def test_encrypting_the_echo_with_the_same_random_bytes_gives_the_documented_ciphertext(crypto: WeComCrypto) -> None:
    assert crypto.encrypt(ECHO.encode(), _random16(crypto, ECHOSTR)) == ECHOSTR


@pytest.mark.parametrize("message_bytes", [27, 28, 41, 59, 27 + 32 * 40])
def test_padding_longer_than_16_bytes_round_trips(crypto: WeComCrypto, message_bytes: int) -> None:
    """16 + 4 + message + 18-byte receiveid lands 1–15 bytes past a 32-byte boundary: 17–31 bytes of padding,
    which a 16-byte PKCS#7 unpadder would reject."""
    message = ("案" * message_bytes).encode()[:message_bytes]
    plain_length = 16 + 4 + message_bytes + len(RECEIVE_ID)
    assert 17 <= 32 - plain_length % 32 <= 31
    ciphertext = crypto.encrypt(message)
    assert len(base64.b64decode(ciphertext)) % 32 == 0
    assert crypto.decrypt(ciphertext) == message


def test_a_sealed_message_opens_with_its_signature(crypto: WeComCrypto) -> None:
    xml = "<xml><Content><![CDATA[你好，我来报送案例]]></Content></xml>".encode()
    ciphertext, sig = crypto.seal(xml, "1700000000", "42")
    assert crypto.open(sig, "1700000000", "42", ciphertext) == xml


@pytest.mark.parametrize(
    ("sig", "timestamp", "nonce"),
    [
        ("0" * 40, TIMESTAMP, NONCE),
        (MSG_SIGNATURE, "1409659590", NONCE),
        (MSG_SIGNATURE, TIMESTAMP, "263014781"),
        ("", TIMESTAMP, NONCE),
        ("签名", TIMESTAMP, NONCE),
    ],
)
def test_a_bad_signature_is_refused(crypto: WeComCrypto, sig: str, timestamp: str, nonce: str) -> None:
    with pytest.raises(SignatureError):
        crypto.verify_url(sig, timestamp, nonce, ECHOSTR)


def test_another_corps_message_is_refused(crypto: WeComCrypto) -> None:
    other = WeComCrypto(TOKEN, AES_KEY, "ww-another-corp")
    with pytest.raises(CryptoError, match="receiveid"):
        crypto.decrypt(other.encrypt(b"<xml/>"))


def _raw_cipher(crypto: WeComCrypto, plain: bytes) -> str:
    encryptor = crypto._cipher().encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


@pytest.mark.parametrize(
    "ciphertext",
    ["", "not base64!", "QUJD", "P9nAzCzy", ECHOSTR[:-4], "A" * 44, ECHOSTR.replace("P9", "Q9")],
)
def test_corrupt_ciphertexts_raise_crypto_errors(crypto: WeComCrypto, ciphertext: str) -> None:
    with pytest.raises(CryptoError):
        crypto.decrypt(ciphertext)


@pytest.mark.parametrize(
    "plain",
    [
        bytes(32),  # padding byte 0
        b"x" * 31 + bytes([33]),  # padding longer than a block
        b"x" * 30 + b"\x02\x03",  # inconsistent padding
        b"r" * 16 + struct.pack(">I", 999) + b"abc" + bytes([9]) * 9,  # length past the end
        b"r" * 16 + bytes([12]) * 16,  # too short for the header once unpadded
    ],
)
def test_well_encrypted_nonsense_raises_crypto_errors(crypto: WeComCrypto, plain: bytes) -> None:
    with pytest.raises(CryptoError):
        crypto.decrypt(_raw_cipher(crypto, plain))


@pytest.mark.parametrize("key", ["", "short", AES_KEY + "A", AES_KEY[:-1] + "!", "中" * 43])
def test_a_malformed_encoding_aes_key_is_refused(key: str) -> None:
    with pytest.raises(CryptoError):
        decode_key(key)


@given(st.binary(max_size=200))
def test_padding_round_trips_to_32_byte_blocks(data: bytes) -> None:
    padded = pad(data)
    assert len(padded) % 32 == 0 and 1 <= len(padded) - len(data) <= 32
    assert unpad(padded) == data


@given(st.text(max_size=300), st.text(max_size=40), st.text(max_size=40))
def test_any_input_gives_a_crypto_error_or_a_message(ciphertext: str, timestamp: str, nonce: str) -> None:
    crypto = WeComCrypto(TOKEN, AES_KEY, RECEIVE_ID)
    try:
        crypto.decrypt(ciphertext)
    except CryptoError:
        pass
    with pytest.raises(SignatureError):
        crypto.open("f" * 40, timestamp, nonce, ciphertext)
