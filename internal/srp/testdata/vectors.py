#!/usr/bin/env python3
"""Known-answer vectors for internal/srp, computed independently of the Go code.

The client half mirrors pycognito's pycognito/aws_srp.py (itself a port of
amazon-cognito-identity-js AuthenticationHelper.js): pad_hex, hex_hash,
calculate_u, get_password_authentication_key, compute_hkdf and the
PASSWORD_CLAIM_SIGNATURE message of process_challenge. The server half (v, B)
is textbook SRP-6a, and generate_hash_device mirrors the JS SDK's
generateHashDevice. The Go tests check that the Go *server* derives the same
S and key as this *client*, so agreement is not a tautology.

Regenerate with:  python3 internal/srp/testdata/vectors.py > internal/srp/testdata/vectors.json
Only the standard library is used; every input is derived from fixed seeds, so
the output is byte-for-byte reproducible.
"""

import base64
import datetime
import hashlib
import hmac
import json
import sys

N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
    "29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
    "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D"
    "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D"
    "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9"
    "DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64"
    "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B"
    "F12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31"
    "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
)
G_HEX = "2"
INFO_BITS = bytearray("Caldera Derived Key", "utf-8")
WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

big_n = int(N_HEX, 16)
val_g = int(G_HEX, 16)


# --- pycognito's helpers, same behaviour -----------------------------------

def hash_sha256(buf):
    value = hashlib.sha256(buf).hexdigest()
    return (64 - len(value)) * "0" + value


def hex_hash(hex_string):
    return hash_sha256(bytearray.fromhex(hex_string))


def hex_to_long(hex_string):
    return int(hex_string, 16)


def long_to_hex(long_num):
    return f"{long_num:x}"


def pad_hex(long_int):
    if not isinstance(long_int, str):
        hash_str = long_to_hex(long_int)
    else:
        hash_str = long_int
    if len(hash_str) % 2 == 1:
        hash_str = f"0{hash_str}"
    elif hash_str[0] in "89ABCDEFabcdef":
        hash_str = f"00{hash_str}"
    return hash_str


def compute_hkdf(ikm, salt):
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    info_bits_update = INFO_BITS + bytearray(chr(1), "utf-8")
    return hmac.new(prk, info_bits_update, hashlib.sha256).digest()[:16]


def calculate_u(big_a, big_b):
    return hex_to_long(hex_hash(pad_hex(big_a) + pad_hex(big_b)))


val_k = hex_to_long(hex_hash("00" + N_HEX + "0" + G_HEX))


def cognito_timestamp(*fields):
    """pycognito's get_cognito_formatted_timestamp for a fixed UTC time."""
    d = datetime.datetime(*fields)
    return (f"{WEEKDAY_NAMES[d.weekday()]} {MONTH_NAMES[d.month - 1]} {d.day:d} "
            f"{d.hour:02d}:{d.minute:02d}:{d.second:02d} UTC {d.year:d}")


def client_key(pool_name, user_id, password, small_a, big_b, salt_hex):
    """pycognito get_password_authentication_key, pool name passed directly."""
    large_a = pow(val_g, small_a, big_n)
    u_value = calculate_u(large_a, big_b)
    if u_value == 0:
        raise ValueError("U cannot be zero.")
    username_password = f"{pool_name}{user_id}:{password}"
    username_password_hash = hash_sha256(username_password.encode("utf-8"))
    x_value = hex_to_long(hex_hash(pad_hex(salt_hex) + username_password_hash))
    g_mod_pow_xn = pow(val_g, x_value, big_n)
    int_value2 = big_b - val_k * g_mod_pow_xn
    s_value = pow(int_value2, small_a + u_value * x_value, big_n)
    hkdf = compute_hkdf(bytearray.fromhex(pad_hex(s_value)),
                        bytearray.fromhex(pad_hex(long_to_hex(u_value))))
    return large_a, u_value, x_value, s_value, hkdf


def signature(hkdf, pool_name, user_id, secret_block_b64, timestamp):
    msg = (bytearray(pool_name, "utf-8") + bytearray(user_id, "utf-8")
           + bytearray(base64.standard_b64decode(secret_block_b64))
           + bytearray(timestamp, "utf-8"))
    return base64.standard_b64encode(hmac.new(hkdf, msg, hashlib.sha256).digest()).decode()


# --- server side (SRP-6a) ---------------------------------------------------

def verifier(pool_name, user_id, password, salt_hex):
    h = hash_sha256(f"{pool_name}{user_id}:{password}".encode("utf-8"))
    x = hex_to_long(hex_hash(pad_hex(salt_hex) + h))
    return x, pow(val_g, x, big_n)


def server_b(v, small_b):
    return (val_k * v + pow(val_g, small_b, big_n)) % big_n


def seeded(label, i, nbytes):
    """Deterministic pseudo-random bytes: SHA-256 in counter mode."""
    out = b""
    c = 0
    while len(out) < nbytes:
        out += hashlib.sha256(f"{label}/{i}/{c}".encode()).digest()
        c += 1
    return out[:nbytes]


def generate_hash_device(device_group_key, device_key, random_password, random16):
    """amazon-cognito-identity-js generateHashDevice with its randomness fixed."""
    hashed = hash_sha256(f"{device_group_key}{device_key}:{random_password}".encode("utf-8"))
    salt_to_hash_devices = pad_hex(int(random16.hex(), 16))
    v = pow(val_g, hex_to_long(hex_hash(salt_to_hash_devices + hashed)), big_n)
    # CognitoUser sends both as base64 of the padded hex's bytes.
    return (base64.standard_b64encode(bytes.fromhex(salt_to_hash_devices)).decode(),
            base64.standard_b64encode(bytes.fromhex(pad_hex(v))).decode())


def case(name, pool_name, user_id, password, salt_hex, small_a, small_b, secret_block_b64, timestamp):
    x, v = verifier(pool_name, user_id, password, salt_hex)
    big_b = server_b(v, small_b)
    large_a, u, x_client, s, hkdf = client_key(pool_name, user_id, password, small_a, big_b, salt_hex)
    assert x == x_client
    return {
        "name": name,
        "pool_name": pool_name,
        "user_id": user_id,
        "password": password,
        "salt": salt_hex,
        "a": long_to_hex(small_a),
        "b": long_to_hex(small_b),
        "secret_block": secret_block_b64,
        "timestamp": timestamp,
        "x": long_to_hex(x),
        "verifier": long_to_hex(v),
        "A": long_to_hex(large_a),
        "B": long_to_hex(big_b),
        "u": long_to_hex(u),
        "S": long_to_hex(s),
        "padded_u": pad_hex(long_to_hex(u)),
        "padded_S": pad_hex(s),
        "key": hkdf.hex(),
        "signature": signature(hkdf, pool_name, user_id, secret_block_b64, timestamp),
    }


def search(name, want, **kw):
    """First b (from a fixed sequence) whose handshake satisfies want(u, S)."""
    for i in range(100000):
        small_b = int(seeded("b-" + name, i, 32).hex(), 16)
        c = case(name, small_b=small_b, **kw)
        if want(int(c["u"], 16), int(c["S"], 16)):
            c["search_index"] = i
            return c
    raise RuntimeError("no case found for " + name)


def main():
    block = base64.standard_b64encode(seeded("secret-block", 0, 72)).decode()
    ts = cognito_timestamp(2024, 1, 2, 3, 4, 5)  # Tue Jan 2 03:04:05 UTC 2024
    a1 = int(seeded("a", 1, 128).hex(), 16) % big_n
    common = dict(pool_name="pxAHZcSSX", user_id="7f3c1a2e-2c1b-4a55-9a6b-0c9d2e1f3a4b",
                  salt_hex="0c1f6b3e8d2a4f5e6a7b8c9d0e1f2a3b", small_a=a1,
                  secret_block_b64=block, timestamp=ts)

    cases = [
        case("ascii", password="Correct-Horse-1", small_b=int(seeded("b", 1, 32).hex(), 16), **common),
        case("non-ascii password, high-bit salt", pool_name="eu9Qk2", user_id="zoë",
             password="пароль-密码-🔑", salt_hex="00f1e2d3c4b5a6978877665544332211",
             small_a=int(seeded("a", 2, 128).hex(), 16) % big_n,
             small_b=int(seeded("b", 2, 48).hex(), 16),
             secret_block_b64=block, timestamp=cognito_timestamp(2025, 11, 30, 23, 59, 59)),
        case("odd-length salt", pool_name="pxAHZcSSX", user_id="alice", password="p",
             salt_hex="0abc", small_a=int(seeded("a", 3, 128).hex(), 16) % big_n,
             small_b=int(seeded("b", 3, 32).hex(), 16), secret_block_b64=block, timestamp=ts),
        # u whose digest starts with a zero byte followed by one below 0x80:
        # pad_hex(u) is then shorter than the 32-byte digest.
        search("short u", lambda u, s: len(long_to_hex(u)) <= 62 and pad_hex(u)[:2] != "00",
               password="Correct-Horse-1", **common),
        # S with a zero top byte: pad_hex(S) is shorter than N.
        search("short S", lambda u, s: len(pad_hex(s)) < 768, password="Correct-Horse-1", **common),
        # S with an odd number of hex digits: pad_hex prefixes a single "0".
        search("odd S", lambda u, s: len(long_to_hex(s)) % 2 == 1, password="Correct-Horse-1", **common),
    ]

    group_key, device_key = "-gP5r3xqK", "us-east-1_0e7a8e4c-6f6e-4f4c-9b5e-2d5a8c1b9e77"
    random_password = base64.standard_b64encode(seeded("device-password", 0, 40)).decode()
    random16 = seeded("device-salt", 0, 16)
    dev_salt_b64, dev_verifier_b64 = generate_hash_device(group_key, device_key, random_password, random16)
    dev_salt_hex = base64.standard_b64decode(dev_salt_b64).hex()
    dev = case("device", pool_name=group_key, user_id=device_key, password=random_password,
               salt_hex=dev_salt_hex, small_a=int(seeded("a", 4, 128).hex(), 16) % big_n,
               small_b=int(seeded("b", 4, 32).hex(), 16), secret_block_b64=block, timestamp=ts)
    assert int(dev["verifier"], 16) == int(base64.standard_b64decode(dev_verifier_b64).hex(), 16)
    dev["device_salt_b64"] = dev_salt_b64
    dev["device_verifier_b64"] = dev_verifier_b64
    cases.append(dev)

    pad_cases = [0, 1, 0xF, 0x10, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xABC, big_n, big_n - 1]
    out = {
        "provenance": "internal/srp/testdata/vectors.py (mirrors pycognito aws_srp.py); python "
                      + ".".join(map(str, sys.version_info[:3])),
        "N": long_to_hex(big_n),
        "k": long_to_hex(val_k),
        "pad_hex": [{"in": long_to_hex(n), "out": pad_hex(n)} for n in pad_cases],
        "timestamps": [
            {"fields": [2024, 1, 2, 3, 4, 5], "out": ts},
            {"fields": [2025, 11, 30, 23, 59, 59], "out": cognito_timestamp(2025, 11, 30, 23, 59, 59)},
            {"fields": [2024, 2, 29, 12, 0, 0], "out": cognito_timestamp(2024, 2, 29, 12, 0, 0)},
        ],
        "cases": cases,
    }
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
