// Public surface of the Diameter decoder (RFC 6733 and the 3GPP applications built on it).
export type { DiameterAvp, DiameterAvpFlags, DiameterAvpType, DiameterAvpValue, DiameterFlags, DiameterMessage } from './types.js';
export { decodeDiameterMessage, diameterMessageLength, looksLikeDiameter, DIAMETER_HEADER_LENGTH } from './decode.js';
export { DiameterStreamFramer, type DiameterFramerOptions, type FramedDiameterMessage } from './framer.js';
export { avpNumber, avpText, findAvp, findAvps, resultClass, resultCode, sessionId } from './query.js';
export type { AvpSource, DiameterResult, FindOptions, ResultClass } from './query.js';
export { avpDefinition, resultCodeName, type AvpDefinition } from './dictionary.js';
export { VENDOR_3GPP, VENDOR_ETSI } from './avp-dictionary.js';
