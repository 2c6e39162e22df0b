// Public surface of the GTPv2-C decoder (TS 29.274).
export type { Gtpv2Ie, Gtpv2IeValue, Gtpv2Message, PcoContainer, Plmn, ProtocolConfigurationOptions, UserLocationInfo } from './types.js';
export { decodeGtpv2 } from './decode.js';
export { findIe, findIes, isRejection, messageCause, type IeFindOptions, type IeSource } from './query.js';
export * from './ie-value.js';
export { GROUPED_IE_TYPES, IE_TYPE_NAMES } from './ie-types.js';
export { MESSAGE_TYPE_NAMES } from './message-types.js';
