// Public face of the SDP decoder.
export { parseSdp } from './parse.js';
export { parseFmtpParameters } from './fmtp.js';
export { parseAmrFmtp, amrFmtpOf } from './amr-fmtp.js';
export type { AmrFmtp, AmrFmtpOptions } from './amr-fmtp.js';
export { parseTelephoneEvents } from './telephone-event.js';
export type { TelephoneEvents } from './telephone-event.js';
export { staticPayloadType } from './static-payload-types.js';
export type { StaticPayloadType } from './static-payload-types.js';
export type {
  SdpAttribute,
  SdpBandwidth,
  SdpConnection,
  SdpDirection,
  SdpMedia,
  SdpOrigin,
  SdpPayloadFormat,
  SdpPrecondition,
  SdpSession,
} from './types.js';
