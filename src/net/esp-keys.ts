// Security associations given by the user, to decrypt ESP (RFC 4303): an `ip xfrm state` dump
// (read below), or one per line, either
//   SPI  encryption-algorithm  key  [integrity-algorithm]
// with the SPI and key in hex ("0x…" or bare), as the rtpdump tool's key lists and the SA
// dumps of test networks give them, or a line of Wireshark's ESP SA table (its `esp_sa` file):
//   "IPv4","*","*","0x00d40016","TripleDES-CBC [RFC2451]","0x…","HMAC-SHA-1-96 [RFC2404]","0x…"
// Lines starting with '#' or '[' (a column header) are skipped. The integrity algorithm only
// fixes the length of the ICV at the end of each packet; without it the lengths in use are
// tried. SAs are told apart by SPI alone (addresses in Wireshark's lines are not checked).
// AES-GCM keys are given with their 4-octet salt at the end, as Wireshark and `ip xfrm` give them.

interface CipherSpec {
  readonly cipher: string;
  /** Key lengths allowed, salt included (AES-GCM). */
  readonly keyBytes: readonly number[];
  readonly ivBytes: number;
  readonly block: number;
  /** AES-GCM: the ICV the transform itself carries (RFC 4106 §6). */
  readonly icvBytes?: number;
}

const gcm = (icvBytes: number): CipherSpec => ({ cipher: 'aes-gcm', keyBytes: [20, 28, 36], ivBytes: 8, block: 4, icvBytes });

/**
 * Encryption transforms by name (RFC 2451, RFC 3602, RFC 4106): the node:crypto cipher, key and
 * IV lengths. Names are looked up in lower case with '-' read as '_' ("aes-cbc" = "aes_cbc").
 */
const CIPHERS: ReadonlyMap<string, CipherSpec> = new Map([
  // RFC 2451 §2.3: 3DES-CBC, 192-bit key, 64-bit IV and block.
  ['des3_cbc', { cipher: 'des-ede3-cbc', keyBytes: [24], ivBytes: 8, block: 8 }],
  ['3des_cbc', { cipher: 'des-ede3-cbc', keyBytes: [24], ivBytes: 8, block: 8 }],
  ['3des', { cipher: 'des-ede3-cbc', keyBytes: [24], ivBytes: 8, block: 8 }],
  // RFC 3602 §2: AES-CBC, 128/192/256-bit key, 128-bit IV and block.
  ['aes_cbc', { cipher: 'aes-cbc', keyBytes: [16, 24, 32], ivBytes: 16, block: 16 }],
  ['aes128_cbc', { cipher: 'aes-cbc', keyBytes: [16], ivBytes: 16, block: 16 }],
  ['aes_128_cbc', { cipher: 'aes-cbc', keyBytes: [16], ivBytes: 16, block: 16 }],
  ['aes256_cbc', { cipher: 'aes-cbc', keyBytes: [32], ivBytes: 16, block: 16 }],
  ['aes_256_cbc', { cipher: 'aes-cbc', keyBytes: [32], ivBytes: 16, block: 16 }],
  // RFC 4106: AES-GCM; the key material ends with a 4-octet salt (§8.1), the IV is 8 octets
  // (§3.1), the ICV 8, 12 or 16 (§6), and the payload is padded to 4 octets only.
  ['aes_gcm', gcm(16)],
  ['aes_gcm_16', gcm(16)],
  ['aes_gcm_12', gcm(12)],
  ['aes_gcm_8', gcm(8)],
  // RFC 2410: the NULL transform (what the heuristic finds anyway), listed for completeness.
  ['null', { cipher: 'null', keyBytes: [0], ivBytes: 0, block: 1 }],
]);

/** Integrity transforms by ICV length (RFC 2404, RFC 2403, RFC 4868 §2.3, RFC 2410 none), named as CIPHERS are. */
const ICV_BYTES: ReadonlyMap<string, number> = new Map([
  ['hmac_sha1_96', 12],
  ['hmac_md5_96', 12],
  ['hmac_sha256_128', 16],
  ['hmac_sha384_192', 24],
  ['hmac_sha512_256', 32],
  ['null', 0],
  ['none', 0],
  // As Wireshark's table gives them: the ICV length itself.
  ['icv_8', 8],
  ['icv_12', 12],
  ['icv_16', 16],
  ['icv_24', 24],
  ['icv_32', 32],
]);

/** The key of a name in CIPHERS or ICV_BYTES. */
function algorithmKey(name: string): string {
  return name.toLowerCase().replaceAll('-', '_');
}

export interface EspSecurityAssociation {
  readonly spi: number;
  /** node:crypto cipher name ('des-ede3-cbc', 'aes-128-cbc', 'aes-128-gcm', …) or 'null'. */
  readonly cipher: string;
  readonly key: Uint8Array;
  /** AES-GCM: the salt that starts each nonce (RFC 4106 §4); empty otherwise. */
  readonly salt: Uint8Array;
  readonly ivBytes: number;
  readonly blockBytes: number;
  /** ICV length when the integrity algorithm was given; undefined: try the usual lengths. */
  readonly icvBytes: number | undefined;
}

export type EspKeys = ReadonlyMap<number, EspSecurityAssociation>;

export class EspKeysError extends Error {}

/** Parses a key list (or an `ip xfrm state` dump); errors name the source and line. */
export function parseEspKeys(text: string, source: string): EspKeys {
  const keys = new Map<number, EspSecurityAssociation>();
  const lines = XFRM_STATE.test(text) ? xfrmLines(text, source) : text.split(/\r?\n/).map((line, i) => ({ line, lineNo: i + 1 }));
  lines.forEach(({ line: raw, lineNo }) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('[')) return;
    const fail = (why: string): never => {
      throw new EspKeysError(`${source}: line ${lineNo}: ${why}`);
    };
    const [spiText, algText, keyText, integrity, ...rest] = line.startsWith('"') ? wiresharkFields(line, fail) : line.split(/\s+/);
    if (spiText === undefined || algText === undefined || keyText === undefined || rest.length > 0) fail('expected SPI, encryption algorithm, key [, integrity algorithm]');
    if (!/^(0x)?[0-9a-f]{1,8}$/i.test(spiText as string)) return fail(`bad SPI '${spiText}' (hex, up to 32 bits)`);
    const spiValue = Number.parseInt((spiText as string).replace(/^0x/i, ''), 16);
    const alg = CIPHERS.get(algorithmKey(algText as string));
    if (alg === undefined) return fail(`unsupported encryption algorithm '${algText}' (known: ${[...CIPHERS.keys()].join(', ')})`);
    const key = alg.cipher === 'null' ? new Uint8Array(0) : parseHex(keyText as string);
    if (key === undefined || !alg.keyBytes.includes(key.length)) return fail(`key for ${algText} must be ${alg.keyBytes.map((n) => n * 8).join(' or ')} bits in hex`);
    let icvBytes: number | undefined;
    if (integrity !== undefined) {
      icvBytes = ICV_BYTES.get(algorithmKey(integrity));
      if (icvBytes === undefined) return fail(`unsupported integrity algorithm '${integrity}' (known: ${[...ICV_BYTES.keys()].join(', ')})`);
    }
    if (alg.icvBytes !== undefined) {
      if (icvBytes !== undefined && icvBytes !== 0 && icvBytes !== alg.icvBytes) fail(`${algText} carries an ICV of ${alg.icvBytes} octets, not ${icvBytes}`);
      icvBytes = alg.icvBytes;
    }
    if (keys.has(spiValue)) fail(`SPI 0x${spiValue.toString(16).padStart(8, '0')} listed twice`);
    let cipher = alg.cipher;
    let salt: Uint8Array = new Uint8Array(0);
    let cipherKey: Uint8Array = key;
    if (alg.cipher === 'aes-cbc') cipher = `aes-${key.length * 8}-cbc`;
    else if (alg.cipher === 'aes-gcm') {
      cipherKey = key.subarray(0, key.length - 4);
      salt = key.subarray(key.length - 4);
      cipher = `aes-${cipherKey.length * 8}-gcm`;
    }
    keys.set(spiValue, { spi: spiValue, cipher, key: cipherKey, salt, ivBytes: alg.ivBytes, blockBytes: alg.block, icvBytes });
  });
  return keys;
}

// `ip xfrm state` (Linux) prints each SA as a block: "src A dst B", then indented lines such as
//   proto esp spi 0x00000123 reqid 1 mode transport
//   auth-trunc hmac(sha1) 0x0102… 96          (or: auth hmac(md5) 0x…, ICV 96 bits)
//   enc cbc(aes) 0x0102…                       (cbc(des3_ede), ecb(cipher_null))
//   aead rfc4106(gcm(aes)) 0x0102…(key, salt) 128
const XFRM_STATE = /^src \S+ dst \S+\s*$/m;
const XFRM_CIPHERS: ReadonlyMap<string, string> = new Map([
  ['cbc(aes)', 'aes_cbc'],
  ['cbc(des3_ede)', 'des3_cbc'],
  ['ecb(cipher_null)', 'null'],
  ['cipher_null', 'null'],
]);

/** The ESP SAs of an `ip xfrm state` dump as key-list lines, each numbered by its block's first line. */
function xfrmLines(text: string, source: string): { line: string; lineNo: number }[] {
  const out: { line: string; lineNo: number }[] = [];
  let block: { lineNo: number; spi?: string; enc?: string; key?: string; icv?: string; esp: boolean } | undefined;
  const end = (): void => {
    if (block === undefined || !block.esp) return;
    const where = `${source}: line ${block.lineNo}`;
    if (block.spi === undefined || block.enc === undefined) throw new EspKeysError(`${where}: an ESP SA without its spi or its enc / aead line`);
    out.push({ line: [block.spi, block.enc, block.key ?? '-', ...(block.icv !== undefined ? [block.icv] : [])].join(' '), lineNo: block.lineNo });
  };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (/^src \S+ dst \S+$/.test(line)) {
      end();
      block = { lineNo: i + 1, esp: false };
      return;
    }
    if (block === undefined) return;
    const words = line.split(/\s+/);
    const fail = (why: string): never => {
      throw new EspKeysError(`${source}: line ${i + 1}: ${why}`);
    };
    if (words[0] === 'proto') {
      block.esp = words[1] === 'esp';
      const at = words.indexOf('spi');
      if (at > 0 && words[at + 1] !== undefined) block.spi = words[at + 1];
    } else if (words[0] === 'enc') {
      const alg = XFRM_CIPHERS.get(words[1] ?? '');
      if (alg === undefined) fail(`unsupported encryption algorithm '${words[1]}' (known: ${[...XFRM_CIPHERS.keys()].join(', ')}, rfc4106(gcm(aes)))`);
      block.enc = alg;
      block.key = words[2] ?? '-';
    } else if (words[0] === 'aead') {
      const bits = Number(words[3]);
      if (words[1] !== 'rfc4106(gcm(aes))' || ![64, 96, 128].includes(bits)) fail(`unsupported AEAD '${words.slice(1).join(' ')}' (known: rfc4106(gcm(aes)) with a 64, 96 or 128-bit ICV)`);
      block.enc = `aes_gcm_${bits / 8}`;
      block.key = words[2];
    } else if (words[0] === 'auth-trunc' || words[0] === 'auth') {
      // RFC 2403 / RFC 2404: HMAC-MD5-96 and HMAC-SHA-1-96 when no truncation is given.
      const bits = words[0] === 'auth-trunc' ? Number(words[3]) : 96;
      if (!Number.isInteger(bits) || bits % 8 !== 0 || bits <= 0) fail(`bad ICV length '${words[3]}'`);
      block.icv = `icv-${bits / 8}`;
    }
  });
  end();
  return out;
}

/**
 * A line of Wireshark's ESP SA table: protocol, source, destination, SPI, encryption, key,
 * authentication, authentication key (quoted, comma-separated), as the four columns above.
 */
function wiresharkFields(line: string, fail: (why: string) => never): string[] {
  const fields = [...line.matchAll(/"((?:[^"\\]|\\.)*)"\s*(?:,|$)/g)].map((m) => m[1] ?? '');
  if (fields.length < 7) fail('a Wireshark ESP SA line needs protocol, source, destination, SPI, encryption, key, authentication');
  const [, , , spi, encryption, key, authentication] = fields as [string, string, string, string, string, string, string];
  if (spi === '*') fail('a wildcard SPI cannot be used: give each SA its SPI');
  const cipher = WIRESHARK_CIPHERS.find(([pattern]) => pattern.test(encryption))?.[1];
  if (cipher === undefined) fail(`unsupported encryption algorithm '${encryption}' (known: NULL, TripleDES-CBC, AES-CBC, AES-GCM with 8/12/16 octet ICV)`);
  const icvBits = authentication === 'NULL' ? 0 : Number(/^(?:(?:HMAC|MAC)-[\w-]*-(\d+)(?: \[|$)|ANY (\d+) bit)/.exec(authentication)?.slice(1).find((x) => x !== undefined));
  if (!Number.isInteger(icvBits) || icvBits % 8 !== 0) fail(`unsupported authentication algorithm '${authentication}'`);
  return [spi, cipher as string, key === '' ? '0x' : key, icvBits === 0 ? 'null' : `icv-${icvBits / 8}`];
}

/** Wireshark's encryption names (its ESP SA table) → the algorithms above. */
const WIRESHARK_CIPHERS: readonly (readonly [RegExp, string])[] = [
  [/^NULL\b/, 'null'],
  [/^TripleDES-CBC\b/, 'des3_cbc'],
  [/^AES-CBC(-(128|192|256))? \[RFC3602\]$/, 'aes_cbc'],
  [/^AES-GCM with 16 octet ICV \[RFC4106\]$/, 'aes_gcm_16'],
  [/^AES-GCM with 12 octet ICV \[RFC4106\]$/, 'aes_gcm_12'],
  [/^AES-GCM with 8 octet ICV \[RFC4106\]$/, 'aes_gcm_8'],
];

function parseHex(text: string): Uint8Array | undefined {
  const digits = text.replace(/^0x/i, '');
  if (digits.length === 0 || digits.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(digits)) return undefined;
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}
