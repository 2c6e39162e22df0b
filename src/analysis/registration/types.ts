// The registration report: one record per IMS registration (a UE's IMPI and contact across its
// initial, re-, and de-registrations), each answer with the frame it came from. Every field is
// plain JSON (numbers, strings, arrays): byte values are lowercase hex.
import type { SecurityMechanism } from '../../protocols/sip/security-agreement.js';
import type { Finding, RuleDescription } from '../../report/findings.js';
import type { SqnReport, SqnVerdict } from '../sqn/report-types.js';

/** A value and where the capture showed it: the frame and what carried it (a header, an AVP, an IE). */
export interface Fact<T> {
  readonly value: T;
  readonly frame: number;
  readonly source: string;
}

/** Which hop a SIP message was seen on: UE ↔ P-CSCF (one Via) or between network nodes. */
export type Hop = 'ue' | 'network';

export interface Sighting {
  readonly frame: number;
  readonly ts: number;
  readonly hop: Hop;
  readonly transport: string;
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  /** SPI of the ESP packet that carried the message, when it came through an SA. */
  readonly espSpi?: number;
}

/** One line of a procedure's timeline: a REGISTER or a final response, with every hop it was seen on. */
export interface TimelineStep {
  /** "REGISTER", "401 Unauthorized", "200 OK"… */
  readonly label: string;
  readonly status?: number;
  /** CSeq number; absent when the REGISTER has no (valid) CSeq. */
  readonly cseq?: number;
  readonly ts: number;
  /** Every copy of the message (UE hop and network hops), in capture order. */
  readonly sightings: readonly Sighting[];
}

export type ProcedureKind = 'initial' | 're-registration' | 'de-registration';
export type ProcedureOutcome = 'success' | 'failure' | 'incomplete';

/** What says which kind of registration a procedure is: the SIP exchange, the UAA or the SAR. */
export interface KindEvidence {
  readonly source: 'sip' | 'uaa' | 'sar';
  readonly kind: ProcedureKind | 'unknown';
  /** Why: "integrity-protected REGISTER", "Experimental-Result 2001 DIAMETER_FIRST_REGISTRATION"… */
  readonly detail: string;
  readonly frame: number;
}

export interface ExpiryInfo {
  /** What the UE asked for: the contact's expires parameter, else the Expires header (RFC 3261 §10.2.1.1). */
  readonly requested?: Fact<number>;
  /** What the registrar granted: the contact's expires in the 200 OK, else its Expires header (RFC 3261 §10.3 step 8). */
  readonly granted?: Fact<number>;
  /** Min-Expires of a 423 Interval Too Brief (RFC 3261 §10.2.8). */
  readonly minExpires?: Fact<number>;
  /** Capture time by which the binding expires: the 200 OK time plus the granted expiry. */
  readonly deadline?: number;
  /** When the UE should re-register: 600 s before the deadline, or half way for short expiries (TS 24.229 §5.1.1.4.1). */
  readonly refreshBy?: number;
}

/** AUTN = SQN ⊕ AK ‖ AMF ‖ MAC (TS 33.102 §6.3.2), hex. */
export interface AkaNonceView {
  readonly rand: string;
  readonly autn: string;
  readonly sqnXorAk: string;
  readonly amf: string;
  readonly mac: string;
  readonly amfSeparationBit: boolean;
  /** Server-specific data after RAND ‖ AUTN (RFC 3310 §3.2), when present. */
  readonly serverData?: string;
}

/** How the UE answered a challenge: the REGISTER carrying the Digest response (or an AUTS). */
export interface ChallengeAnswer {
  readonly frame: number;
  readonly username?: string;
  readonly response?: string;
  readonly uri?: string;
  /** RFC 3310 §3.4: the UE rejected the challenge (SQN out of range) and sent AUTS, base64. */
  readonly auts?: string;
  /**
   * The Digest response recomputed with the XRES the HSS sent as password (RFC 3310 §3.3,
   * RFC 4169 §3 for AKAv2): true when it equals the UE's response (RES = XRES).
   */
  readonly matchesXres?: boolean;
  /** Status of the final response to this REGISTER. */
  readonly result?: number;
}

export interface AuthChallenge {
  /** The 401/407 as the UE received it, else the first copy. */
  readonly frame: number;
  readonly frames: readonly number[];
  readonly ts: number;
  readonly status: number;
  readonly scheme: string;
  /** "AKAv1-MD5", "AKAv2-MD5", "Digest-MD5"… */
  readonly algorithm: string;
  readonly realm?: string;
  readonly qop?: string;
  readonly nonce: Fact<string>;
  readonly aka?: AkaNonceView;
  /** Why the nonce of an AKA challenge could not be split into RAND and AUTN. */
  readonly akaError?: string;
  /** IK and CK, hex: on the S-CSCF → P-CSCF 401 (TS 24.229 §7.2A.2) and in the MAA (TS 29.229 §6.3.13). */
  readonly ik: readonly Fact<string>[];
  readonly ck: readonly Fact<string>[];
  /** True when every copy of IK (and of CK) is the same. */
  readonly keysAgree?: boolean;
  readonly xres?: Fact<string>;
  readonly answer?: ChallengeAnswer;
}

/** One Security-Client / -Server / -Verify mechanism (RFC 3329 §2.2, TS 33.203 Annex H), without the raw parameter list. */
export type SecMechanismView = Omit<SecurityMechanism, 'params' | 'raw'>;

/** One side of the IPsec security associations (TS 33.203 §7.1). */
export interface SaEndpoint {
  readonly address?: string;
  readonly spiC?: number;
  readonly spiS?: number;
  readonly portC?: number;
  readonly portS?: number;
  /** Where the values came from: "Security-Client", "Security-Server", "Security-Verify", "observed". */
  readonly source: string;
  readonly frame?: number;
}

export interface SecurityNegotiation {
  readonly client?: Fact<readonly SecMechanismView[]>;
  readonly server?: Fact<readonly SecMechanismView[]>;
  readonly verify?: Fact<readonly SecMechanismView[]>;
  /** The mechanism in force: the one the UE echoed in Security-Verify, else the P-CSCF's first choice. */
  readonly chosen?: Fact<SecMechanismView>;
  /** RFC 3329 §2.3.1: Security-Verify repeats Security-Server exactly. */
  readonly verifyMatchesServer?: boolean;
  readonly ue: SaEndpoint;
  readonly pcscf: SaEndpoint;
}

export interface EspSpiCount {
  readonly spi: number;
  readonly packets: number;
  readonly decoded: number;
  readonly firstFrame: number;
  readonly lastFrame: number;
  /** The registration's security agreement set this SPI up (undefined when that side was not negotiated in the capture). */
  readonly negotiated?: boolean;
}

export interface EspDirection {
  readonly packets: number;
  /** Packets whose payload was read (NULL encryption, or decrypted with a given key). */
  readonly decoded: number;
  readonly spis: readonly EspSpiCount[];
}

export interface EspSummary {
  readonly fromUe: EspDirection;
  readonly toUe: EspDirection;
  /** Every ESP packet between UE and P-CSCF was read (NULL encryption or given keys); undefined without ESP. */
  readonly readable?: boolean;
}

export interface SecurityInfo {
  readonly negotiations: readonly SecurityNegotiation[];
  readonly esp: EspSummary;
}

export interface DeviceInfo {
  readonly vendor?: string;
  readonly model?: string;
  /** The IMS client or stack named by the User-Agent ("Samsung IMS 6.0"). */
  readonly client?: string;
}

export interface ImeiView {
  readonly imei: string;
  readonly tac: string;
  readonly snr: string;
}

export interface Identities {
  readonly impi?: Fact<string>;
  /** IMPUs: the registered AoR (To) and the P-Associated-URI set (RFC 7315 §4.1). */
  readonly impus: readonly Fact<string>[];
  readonly msisdn: readonly Fact<string>[];
  /** True when every MSISDN source gives the same digits. */
  readonly msisdnAgrees?: boolean;
  readonly imsi: readonly Fact<string>[];
  readonly imsiAgrees?: boolean;
  readonly instance?: Fact<string>;
  readonly imei?: Fact<ImeiView>;
  /** GTPv2 MEI (IMEI or IMEISV) of the PDN connection. */
  readonly mei?: Fact<string>;
  /** TAC and serial number of +sip.instance equal the GTPv2 MEI's. */
  readonly imeiAgrees?: boolean;
  readonly userAgent?: Fact<string>;
  readonly device?: DeviceInfo;
}

/** An initial request from the UE checked against the Service-Route (RFC 3608 §6). */
export interface RouteCheck {
  readonly frame: number;
  readonly method: string;
  readonly route: readonly string[];
  readonly usesServiceRoute: boolean;
}

export interface RoutingInfo {
  /** P-CSCF addresses the network handed out (GTPv2 PCO of the Create Session Response). */
  readonly pcscfOffered: readonly Fact<string>[];
  /** Where the UE sent its REGISTER. */
  readonly pcscfUsed?: Fact<string>;
  readonly pcscfInOffer?: boolean;
  /** S-CSCF names: SAR / UAA Server-Name. */
  readonly scscf: readonly Fact<string>[];
  readonly serviceRoute?: Fact<readonly string[]>;
  readonly path?: Fact<readonly string[]>;
  readonly routeChecks: readonly RouteCheck[];
}

export interface PaniView {
  readonly raw: string;
  readonly accessType: string;
  readonly networkProvided: boolean;
  readonly cellIdText?: string;
  readonly mcc?: string;
  readonly mnc?: string;
  readonly tac?: number;
  readonly eci?: number;
  readonly enbId?: number;
  readonly cellId?: number;
  readonly nci?: number;
  readonly lac?: number;
  readonly ci?: number;
  readonly error?: string;
}

export interface UliView {
  readonly tai?: { readonly mcc: string; readonly mnc: string; readonly tac: number };
  readonly ecgi?: { readonly mcc: string; readonly mnc: string; readonly eci: number; readonly enbId: number; readonly cellId: number };
}

export interface ArpView {
  readonly priorityLevel: number;
  /** True when the bearer may pre-empt others (PCI bit 0, TS 29.274 §8.15). */
  readonly preemptionCapability: boolean;
  readonly preemptionVulnerability: boolean;
}

/** The PDN connection of the UE (GTPv2 Create Session, TS 29.274 §7.2.1, §7.2.2). */
export interface BearerInfo {
  readonly requestFrame: number;
  readonly responseFrame?: number;
  readonly apn?: string;
  readonly ebi?: number;
  readonly qci?: number;
  readonly arp?: ArpView;
  readonly apnAmbr?: { readonly uplinkKbps: number; readonly downlinkKbps: number };
  readonly ueAddresses: readonly string[];
  readonly cause?: { readonly value: number; readonly name?: string };
}

export interface RxMediaComponent {
  readonly number?: number;
  readonly mediaType?: string;
  readonly maxRequestedBandwidthUl?: number;
  readonly maxRequestedBandwidthDl?: number;
  readonly flowStatus?: string;
  readonly flows: readonly { readonly number?: number; readonly descriptions: readonly string[]; readonly usage?: string }[];
}

/** One Rx request/answer pair (TS 29.214 §5.6): what the P-CSCF asked the PCRF for. */
export interface RxExchange {
  readonly command: string;
  readonly sessionId?: string;
  readonly requestFrame: number;
  readonly answerFrame?: number;
  readonly ts: number;
  readonly afApplicationId?: string;
  readonly mediaComponents: readonly RxMediaComponent[];
  readonly specificActions: readonly string[];
  readonly result?: { readonly code: number; readonly name?: string };
}

export interface GxRule {
  readonly name: string;
  readonly qci?: number;
  readonly arp?: ArpView;
}

/** One Gx request/answer pair (TS 29.212 §5.6): what the PCRF installed on the PGW. */
export interface GxExchange {
  readonly command: string;
  readonly sessionId?: string;
  readonly requestType?: string;
  readonly requestFrame: number;
  readonly answerFrame?: number;
  readonly ts: number;
  readonly rulesInstalled: readonly GxRule[];
  readonly rulesRemoved: readonly string[];
  readonly defaultBearerQci?: number;
  readonly defaultBearerArp?: ArpView;
  readonly apnAmbr?: { readonly uplinkBps?: number; readonly downlinkBps?: number };
  readonly result?: { readonly code: number; readonly name?: string };
}

export interface AccessInfo {
  /** P-Access-Network-Info values the UE sent, each distinct value once, in order. */
  readonly pani: readonly Fact<PaniView>[];
  readonly uli?: Fact<UliView>;
  /** The UE's cell (PANI) is the ECGI of the GTPv2 ULI. */
  readonly uliAgrees?: boolean;
  readonly bearer?: BearerInfo;
  readonly rx: readonly RxExchange[];
  readonly gx: readonly GxExchange[];
}

/** One Cx request/answer pair (TS 29.229 §6.1). */
export interface CxExchange {
  /** "UAR/UAA", "MAR/MAA", "SAR/SAA"… */
  readonly command: string;
  readonly requestFrame?: number;
  readonly answerFrame?: number;
  readonly ts: number;
  readonly impi?: string;
  readonly impu?: string;
  readonly serverName?: string;
  /** SAR Server-Assignment-Type, by name. */
  readonly serverAssignmentType?: string;
  /** UAR User-Authorization-Type, by name. */
  readonly userAuthorizationType?: string;
  readonly authScheme?: string;
  readonly result?: { readonly code: number; readonly name?: string; readonly experimental: boolean };
}

export interface RegistrationProcedure {
  readonly index: number;
  readonly kind: ProcedureKind;
  readonly kindEvidence: readonly KindEvidence[];
  /** False when the SIP exchange and the HSS (UAA / SAR) name different kinds. */
  readonly kindAgrees: boolean;
  readonly callId: string;
  readonly steps: readonly TimelineStep[];
  readonly outcome: ProcedureOutcome;
  readonly final?: { readonly status: number; readonly reason: string; readonly frame: number; readonly ts: number };
  readonly firstFrame: number;
  readonly lastFrame: number;
  readonly startTs: number;
  readonly endTs: number;
  readonly expiry: ExpiryInfo;
  readonly challenges: readonly AuthChallenge[];
  readonly cx: readonly CxExchange[];
}

/**
 * Where the registration stands at the end of the capture: registered (and not expired),
 * expired (the deadline passed before the capture ended), deregistered, failed, incomplete, or
 * in-use (no REGISTER in the capture, but the UE sends requests over an IMS security agreement).
 */
export type RegistrationState = 'registered' | 'expired' | 'deregistered' | 'failed' | 'incomplete' | 'in-use';

export interface Registration {
  readonly id: number;
  readonly impi?: Fact<string>;
  readonly aor?: Fact<string>;
  readonly contact: Fact<string>;
  readonly callIds: readonly string[];
  readonly ueAddress?: string;
  readonly state: RegistrationState;
  readonly firstFrame: number;
  readonly lastFrame: number;
  readonly procedures: readonly RegistrationProcedure[];
  /** Procedures beyond the per-registration cap, counted and not kept. */
  readonly droppedProcedures: number;
  /** Expiry of the latest successful registration or re-registration. */
  readonly expiry?: ExpiryInfo;
  readonly security: SecurityInfo;
  readonly identities: Identities;
  readonly routing: RoutingInfo;
  readonly access: AccessInfo;
  readonly sqn?: { readonly subscriber: string; readonly verdict: SqnVerdict; readonly rounds: number };
  readonly findings: readonly Finding[];
}

export interface RegistrationStats {
  readonly registerRequests: number;
  readonly registerResponses: number;
  /** Responses to REGISTER whose request is not in the capture. */
  readonly orphanResponses: number;
  readonly cxMessages: number;
  readonly gtpv2Messages: number;
  readonly rxMessages: number;
  readonly gxMessages: number;
  readonly espPackets: number;
  /** ESP packets between addresses that are no registration's UE and P-CSCF. */
  readonly espUnattributed: number;
}

export interface RegistrationReport {
  readonly registrations: readonly Registration[];
  /** Every finding: the registrations' own, then the SQN analysis' (sqnFindings). */
  readonly findings: readonly Finding[];
  /** The SQN analysis' findings that do not repeat a registration finding (see sqn.findings for all). */
  readonly sqnFindings: readonly Finding[];
  readonly rules: readonly RuleDescription[];
  readonly sqn: SqnReport;
  /** REGISTER transactions of registrations beyond the cap, counted and not analysed. */
  readonly droppedRegistrations: number;
  readonly stats: RegistrationStats;
}
