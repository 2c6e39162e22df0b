// Cx (TS 29.229): the I/S-CSCF ↔ HSS exchanges of a registration — UAR/UAA (is the user allowed,
// first or subsequent registration, which S-CSCF), MAR/MAA (the authentication vector: RAND ‖
// AUTN, XRES, CK, IK), SAR/SAA (the S-CSCF registers, re-registers or deregisters the user).
import { VENDOR_3GPP } from '../../protocols/diameter/avp-dictionary.js';
import { avpText, findAvp, findAvps, sessionId } from '../../protocols/diameter/query.js';
import type { DiameterMessage } from '../../protocols/diameter/types.js';
import { toHex } from '../sqn/hex.js';
import { enum3gpp, resultOf, text3gpp, transactionKey } from './diameter-read.js';
import type { CxExchange } from './types.js';

// TS 29.229 §6.1 command codes and §6.3 AVPs.
const CX_APPLICATION = 16777216;
const CX_COMMANDS: ReadonlyMap<number, string> = new Map([
  [300, 'UAR/UAA'],
  [301, 'SAR/SAA'],
  [302, 'LIR/LIA'],
  [303, 'MAR/MAA'],
  [304, 'RTR/RTA'],
  [305, 'PPR/PPA'],
]);
const USER_NAME = 1;
const PUBLIC_IDENTITY = 601;
const SERVER_NAME = 602;
const SIP_AUTHENTICATION_SCHEME = 608;
const SIP_AUTHENTICATE = 609;
const SIP_AUTHORIZATION = 610;
const SIP_AUTH_DATA_ITEM = 612;
const SERVER_ASSIGNMENT_TYPE = 614;
const USER_AUTHORIZATION_TYPE = 623;
const CONFIDENTIALITY_KEY = 625;
const INTEGRITY_KEY = 626;
// TS 33.102 §6.3.2: RAND and AUTN are 16 octets each.
const RAND_BYTES = 16;

/** One MAA authentication vector (TS 29.229 §6.3.13), hex. */
export interface CxVector {
  readonly frame: number;
  readonly rand: string;
  readonly autn: string;
  readonly xres?: string;
  readonly ck?: string;
  readonly ik?: string;
}

export interface CxRecord extends CxExchange {
  readonly vectors: readonly CxVector[];
  readonly sessionId?: string;
}

type Pending = { -readonly [K in keyof CxRecord]: CxRecord[K] };

export interface CxCollectorOptions {
  /** Exchanges kept (the rest are counted). Default 100 000. */
  readonly maxExchanges?: number;
}

export class CxCollector {
  private readonly pending = new Map<string, Pending>();
  private readonly done: CxRecord[] = [];
  /** IMPI of each Cx session, for answers that do not repeat it. */
  private readonly sessionImpi = new Map<string, string>();
  private readonly maxExchanges: number;
  dropped = 0;
  messages = 0;

  constructor(options: CxCollectorOptions = {}) {
    this.maxExchanges = options.maxExchanges ?? 100_000;
  }

  static isCx(message: DiameterMessage): boolean {
    return message.applicationId === CX_APPLICATION && CX_COMMANDS.has(message.commandCode);
  }

  add(message: DiameterMessage, frame: number, ts: number): void {
    this.messages++;
    const key = transactionKey(message);
    const session = sessionId(message);
    const impi = avpText(findAvp(message, USER_NAME, 0));
    if (session !== undefined && impi !== undefined) this.remember(session, impi);
    if (message.flags.request) {
      const record = this.request(message, frame, ts, session, impi);
      if (this.pending.size >= this.maxExchanges) this.flushOldest();
      this.pending.set(key, record);
      return;
    }
    const open = this.pending.get(key);
    this.pending.delete(key);
    const record: Pending = open ?? { command: CX_COMMANDS.get(message.commandCode) ?? String(message.commandCode), ts, vectors: [], ...(session !== undefined ? { sessionId: session } : {}) };
    record.answerFrame = frame;
    const knownImpi = impi ?? record.impi ?? (session !== undefined ? this.sessionImpi.get(session) : undefined);
    if (knownImpi !== undefined) record.impi = knownImpi;
    const result = resultOf(message);
    if (result !== undefined) record.result = result;
    const serverName = text3gpp(message, SERVER_NAME);
    if (serverName !== undefined) record.serverName = serverName;
    record.vectors = vectorsOf(message, frame);
    this.keep(record);
  }

  /** Every exchange, answered or not, in request order. */
  finish(): CxRecord[] {
    for (const p of this.pending.values()) this.keep(p);
    this.pending.clear();
    return this.done.sort((a, b) => (a.requestFrame ?? a.answerFrame ?? 0) - (b.requestFrame ?? b.answerFrame ?? 0));
  }

  private request(message: DiameterMessage, frame: number, ts: number, session: string | undefined, impi: string | undefined): Pending {
    const impu = text3gpp(message, PUBLIC_IDENTITY);
    const serverName = text3gpp(message, SERVER_NAME);
    const sat = enum3gpp(message, SERVER_ASSIGNMENT_TYPE);
    const uat = enum3gpp(message, USER_AUTHORIZATION_TYPE);
    const item = findAvp(message, SIP_AUTH_DATA_ITEM, VENDOR_3GPP);
    const scheme = item === undefined ? undefined : text3gpp(item, SIP_AUTHENTICATION_SCHEME);
    return {
      command: CX_COMMANDS.get(message.commandCode) ?? String(message.commandCode),
      requestFrame: frame,
      ts,
      vectors: [],
      ...(session !== undefined ? { sessionId: session } : {}),
      ...(impi !== undefined ? { impi } : {}),
      ...(impu !== undefined ? { impu } : {}),
      ...(serverName !== undefined ? { serverName } : {}),
      ...(sat !== undefined ? { serverAssignmentType: sat } : {}),
      ...(uat !== undefined ? { userAuthorizationType: uat } : {}),
      ...(scheme !== undefined ? { authScheme: scheme } : {}),
    };
  }

  private keep(record: CxRecord): void {
    if (this.done.length >= this.maxExchanges) {
      this.dropped++;
      return;
    }
    this.done.push(record);
  }

  private flushOldest(): void {
    const oldest = this.pending.entries().next();
    if (oldest.done === true) return;
    this.pending.delete(oldest.value[0]);
    this.keep(oldest.value[1]);
  }

  private remember(session: string, impi: string): void {
    this.sessionImpi.delete(session);
    this.sessionImpi.set(session, impi);
    if (this.sessionImpi.size > this.maxExchanges) {
      const oldest = this.sessionImpi.keys().next();
      if (oldest.done !== true) this.sessionImpi.delete(oldest.value);
    }
  }
}

/** TS 29.229 §6.3.9–§6.3.11: SIP-Authenticate = RAND ‖ AUTN, SIP-Authorization = XRES in an MAA. */
function vectorsOf(message: DiameterMessage, frame: number): CxVector[] {
  const out: CxVector[] = [];
  for (const item of findAvps(message, SIP_AUTH_DATA_ITEM, VENDOR_3GPP)) {
    const authenticate = findAvp(item, SIP_AUTHENTICATE, VENDOR_3GPP)?.data;
    if (authenticate === undefined || authenticate.length < 2 * RAND_BYTES) continue;
    const xres = findAvp(item, SIP_AUTHORIZATION, VENDOR_3GPP)?.data;
    const ck = findAvp(item, CONFIDENTIALITY_KEY, VENDOR_3GPP)?.data;
    const ik = findAvp(item, INTEGRITY_KEY, VENDOR_3GPP)?.data;
    out.push({
      frame,
      rand: toHex(authenticate.subarray(0, RAND_BYTES)),
      autn: toHex(authenticate.subarray(RAND_BYTES, 2 * RAND_BYTES)),
      ...(xres !== undefined ? { xres: toHex(xres) } : {}),
      ...(ck !== undefined ? { ck: toHex(ck) } : {}),
      ...(ik !== undefined ? { ik: toHex(ik) } : {}),
    });
  }
  return out;
}
