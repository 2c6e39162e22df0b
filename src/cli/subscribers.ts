// Subscriber keys from the command line: --k with --op or --opc (and --amf) for one subscriber
// or as the default, --subscribers FILE for many (CSV with a header naming imsi, impi, k, op,
// opc, amf in any order). Errors name the option, or the file and line, never a key value.
import { readFileSync } from 'node:fs';
import { computeOpc } from '../crypto/milenage.js';
import { parseHex } from '../analysis/sqn/hex.js';
import { isImsi } from '../analysis/sqn/identity.js';
import { SubscriberKeyTable, type SubscriberKey } from '../analysis/sqn/keys.js';
import { UsageError } from './exit-codes.js';

export { addSubscriberKeyOptions } from './subscriber-options.js';

export interface KeyOptions {
  readonly k?: string;
  readonly op?: string;
  readonly opc?: string;
  readonly amf?: string;
}

export interface SubscriberKeyOptions extends KeyOptions {
  readonly subscribers?: string;
}

/** Hex of an exact length in bytes; the error names the option, not the value. */
export function parseHexOption(name: string, text: string, bytes: number): Uint8Array {
  const value = parseHex(text.trim());
  if (value === undefined || value.length !== bytes) {
    throw new UsageError(`${name} must be ${bytes * 2} hex digits (${bytes} bytes)`);
  }
  return value;
}

// TS 35.206 §4.1: K, OP and OPc are 128 bits; TS 33.102 §6.3.2: AMF is 16 bits.
const KEY_BYTES = 16;
const AMF_BYTES = 2;

interface KeyFields {
  readonly k: Uint8Array;
  readonly op?: Uint8Array;
  readonly opc?: Uint8Array;
  readonly amf?: Uint8Array;
}

function makeKey(fields: KeyFields, origin: string): SubscriberKey {
  // TS 35.206 §4.1: OPc = OP ⊕ E_K(OP).
  const opc = fields.opc ?? computeOpc(fields.k, fields.op as Uint8Array);
  return {
    k: fields.k,
    opc,
    ...(fields.op !== undefined ? { op: fields.op } : {}),
    ...(fields.amf !== undefined ? { amf: fields.amf } : {}),
    origin,
  };
}

/** The key given by --k with --op or --opc (and --amf); undefined when none of them is given. */
export function keyFromOptions(opts: KeyOptions): SubscriberKey | undefined {
  if (opts.k === undefined) {
    for (const name of ['op', 'opc', 'amf'] as const) {
      if (opts[name] !== undefined) throw new UsageError(`--${name} needs --k`);
    }
    return undefined;
  }
  if (opts.op === undefined && opts.opc === undefined) throw new UsageError('--k needs --op or --opc');
  if (opts.op !== undefined && opts.opc !== undefined) throw new UsageError('give --op or --opc, not both');
  const k = parseHexOption('--k', opts.k, KEY_BYTES);
  const op = opts.op === undefined ? undefined : parseHexOption('--op', opts.op, KEY_BYTES);
  const opc = opts.opc === undefined ? undefined : parseHexOption('--opc', opts.opc, KEY_BYTES);
  const amf = opts.amf === undefined ? undefined : parseHexOption('--amf', opts.amf, AMF_BYTES);
  return makeKey(
    { k, ...(op !== undefined ? { op } : {}), ...(opc !== undefined ? { opc } : {}), ...(amf !== undefined ? { amf } : {}) },
    op !== undefined ? '--k/--op' : '--k/--opc',
  );
}

const COLUMNS = ['imsi', 'impi', 'k', 'op', 'opc', 'amf'] as const;
type Column = (typeof COLUMNS)[number];

function isColumn(name: string): name is Column {
  return (COLUMNS as readonly string[]).includes(name);
}

function unquote(field: string): string {
  const t = field.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}

function hasSpace(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) <= 0x20) return true;
  return false;
}

/**
 * Parses the subscribers CSV: `#` comment lines and blank lines are skipped; the first other line
 * is the header (a subset of imsi, impi, k, op, opc, amf in any order, with k, one of op/opc and
 * one of imsi/impi); every row gives K, exactly one of OP / OPc, and an IMSI or an IMPI.
 * `fallback` is the key of subscribers not listed (from --k).
 */
export function parseSubscribers(text: string, fileName: string, fallback?: SubscriberKey): SubscriberKeyTable {
  const table = new SubscriberKeyTable(fallback);
  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split('\n');
  let header: Column[] | undefined;
  const fail = (lineNo: number, message: string): never => {
    throw new UsageError(`${fileName}:${lineNo}: ${message}`);
  };
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = line.split(',').map(unquote);
    if (header === undefined) {
      const names = fields.map((f) => f.toLowerCase());
      const seen = new Set<string>();
      for (const name of names) {
        if (!isColumn(name)) fail(lineNo, `unknown column '${name}' (columns: ${COLUMNS.join(', ')})`);
        if (seen.has(name)) fail(lineNo, `column '${name}' appears twice`);
        seen.add(name);
      }
      if (!seen.has('k')) fail(lineNo, "the header needs a 'k' column");
      if (!seen.has('op') && !seen.has('opc')) fail(lineNo, "the header needs an 'op' or an 'opc' column");
      if (!seen.has('imsi') && !seen.has('impi')) fail(lineNo, "the header needs an 'imsi' or an 'impi' column");
      header = names as Column[];
      return;
    }
    if (fields.length !== header.length) fail(lineNo, `${fields.length} fields, the header has ${header.length}`);
    const row = new Map<Column, string>();
    header.forEach((name, c) => {
      const v = fields[c] ?? '';
      if (v !== '') row.set(name, v);
    });
    const imsi = row.get('imsi');
    const impi = row.get('impi');
    if (imsi === undefined && impi === undefined) fail(lineNo, 'needs an imsi or an impi');
    if (imsi !== undefined && !isImsi(imsi)) fail(lineNo, 'imsi must be 6 to 15 digits (TS 23.003 §2.2)');
    if (impi !== undefined && hasSpace(impi)) fail(lineNo, 'impi must not contain spaces');
    const hexField = (name: Column, bytes: number): Uint8Array | undefined => {
      const v = row.get(name);
      if (v === undefined) return undefined;
      const parsed = parseHex(v);
      if (parsed === undefined || parsed.length !== bytes) fail(lineNo, `${name} must be ${bytes * 2} hex digits (${bytes} bytes)`);
      return parsed;
    };
    const k = hexField('k', KEY_BYTES);
    if (k === undefined) return fail(lineNo, 'k is empty');
    const op = hexField('op', KEY_BYTES);
    const opc = hexField('opc', KEY_BYTES);
    if (op === undefined && opc === undefined) fail(lineNo, 'needs op or opc');
    if (op !== undefined && opc !== undefined) fail(lineNo, 'give op or opc, not both');
    const amf = hexField('amf', AMF_BYTES);
    const key = makeKey(
      { k, ...(op !== undefined ? { op } : {}), ...(opc !== undefined ? { opc } : {}), ...(amf !== undefined ? { amf } : {}) },
      `${fileName} line ${lineNo}`,
    );
    const ids = { ...(imsi !== undefined ? { imsi } : {}), ...(impi !== undefined ? { impi } : {}) };
    if (!table.add(ids, key)) fail(lineNo, `${impi ?? imsi ?? ''} is already listed`);
  });
  if (header === undefined) throw new UsageError(`${fileName}: no header line (columns: ${COLUMNS.join(', ')})`);
  return table;
}

/** The keys of --subscribers and/or --k/--op/--opc/--amf; undefined when none is given. */
export function subscriberKeysFromOptions(opts: SubscriberKeyOptions): SubscriberKeyTable | undefined {
  const fallback = keyFromOptions(opts);
  if (opts.subscribers !== undefined) return parseSubscribers(readFileSync(opts.subscribers, 'utf8'), opts.subscribers, fallback);
  return fallback === undefined ? undefined : new SubscriberKeyTable(fallback);
}
