// RFC 6238 codes, as an authenticator app computes them, for the
// scenarios of every client folder (js/, srp/, browser/): computed here
// with node's crypto from the base32 secret the server hands out, so they
// check the server's codes independently of its own code.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';

// base32Decode reads an unpadded RFC 4648 base32 string.
export function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of s) {
    const i = alphabet.indexOf(c);
    assert.ok(i >= 0, `SecretCode has a non-base32 character: ${c}`);
    value = ((value << 5) | i) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// totp is the six-digit code of a base32 secret for the 30-second step
// `offset` steps from now: HMAC-SHA1 over the step counter, then RFC
// 4226's dynamic truncation.
export function totp(secret, offset = 0) {
  const step = Math.floor(Date.now() / 30000) + offset;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const sum = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const off = sum[sum.length - 1] & 0xf;
  return String((sum.readUInt32BE(off) & 0x7fffffff) % 1000000).padStart(6, '0');
}
