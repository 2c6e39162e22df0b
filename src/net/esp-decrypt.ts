// ESP payloads decrypted with a security association the user gave (RFC 4303 §2, §3.4.4):
// after SPI and sequence number come the cipher's IV (RFC 2451 §3, RFC 3602 §3, RFC 4106 §3.1) and the
// ciphertext, then the ICV, whose length the integrity algorithm fixes. The ICV is not checked
// (an analyser has no use for rejecting packets); when the SA does not name the integrity
// algorithm, each usual ICV length is tried and the one whose decrypted trailer is well formed
// (padding 1, 2, 3, …, a known next header, a payload that parses) is taken.
import { createDecipheriv } from 'node:crypto';
import { ESP_HEADER, ICV_LENGTHS, matchEspTrailer, type EspNullMatch } from './esp.js';
import type { EspSecurityAssociation } from './esp-keys.js';

/**
 * Decrypts the ESP packet buf[start, end) (header included). Returns the plaintext of its
 * payload, with `out` placing the inner packet in it, or undefined when no ICV length gives a
 * well-formed trailer (a wrong key, another SA behind the same SPI, a cut packet).
 */
export function decryptEsp(sa: EspSecurityAssociation, buf: Uint8Array, start: number, end: number, out: EspNullMatch): Uint8Array | undefined {
  const ivStart = start + ESP_HEADER;
  const dataStart = ivStart + sa.ivBytes;
  for (const icv of sa.icvBytes !== undefined ? [sa.icvBytes] : ICV_LENGTHS) {
    const dataEnd = end - icv;
    const length = dataEnd - dataStart;
    // RFC 4303 §2.4: the ciphertext fills whole cipher blocks.
    if (length < 2 || length % sa.blockBytes !== 0) continue;
    const plain = sa.cipher === 'null' ? buf.slice(dataStart, dataEnd) : decrypt(sa, buf.subarray(ivStart, dataStart), buf.subarray(dataStart, dataEnd));
    if (matchEspTrailer(plain, 0, plain.length, out)) {
      out.icvLength = icv;
      return plain;
    }
  }
  return undefined;
}

function decrypt(sa: EspSecurityAssociation, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (sa.salt.length > 0) {
    // RFC 4106 §4: the nonce is salt ‖ IV. GCM is a counter mode: the plaintext comes out of
    // update() as it is; final() would check the ICV, which an analyser does not need.
    const nonce = new Uint8Array(sa.salt.length + iv.length);
    nonce.set(sa.salt);
    nonce.set(iv, sa.salt.length);
    return createDecipheriv(sa.cipher, sa.key, nonce).update(data);
  }
  const decipher = createDecipheriv(sa.cipher, sa.key, iv);
  // ESP pads by its own rule (RFC 4303 §2.4), not PKCS#7.
  decipher.setAutoPadding(false);
  const head = decipher.update(data);
  const tail = decipher.final();
  return tail.length === 0 ? head : Buffer.concat([head, tail]);
}
