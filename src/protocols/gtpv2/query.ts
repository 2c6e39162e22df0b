// Questions analyzers ask of a decoded GTPv2-C message: find IEs by type and instance, read
// the Cause, and classify the message as request or response.
import { IE_CAUSE } from './ie-value.js';
import type { Gtpv2Ie, Gtpv2Message } from './types.js';

/** A message, an IE list, or a grouped IE (searched inside). */
export type IeSource = Gtpv2Message | readonly Gtpv2Ie[] | Gtpv2Ie;

export interface IeFindOptions {
  /** Only IEs with this instance. */
  readonly instance?: number;
  /** Also search inside grouped IEs, depth first, in message order. Default false. */
  readonly recursive?: boolean;
}

function iesOf(source: IeSource): readonly Gtpv2Ie[] {
  if (Array.isArray(source)) return source as readonly Gtpv2Ie[];
  if ('ies' in source) return source.ies;
  const ie = source as Gtpv2Ie;
  return ie.value.kind === 'grouped' ? ie.value.ies : [];
}

function collect(ies: readonly Gtpv2Ie[], type: number, options: IeFindOptions, out: Gtpv2Ie[], firstOnly: boolean): boolean {
  for (const ie of ies) {
    if (ie.type === type && (options.instance === undefined || ie.instance === options.instance)) {
      out.push(ie);
      if (firstOnly) return true;
    }
    if (options.recursive && ie.value.kind === 'grouped' && collect(ie.value.ies, type, options, out, firstOnly)) return true;
  }
  return false;
}

export function findIe(source: IeSource, type: number, options: IeFindOptions = {}): Gtpv2Ie | undefined {
  const out: Gtpv2Ie[] = [];
  collect(iesOf(source), type, options, out, true);
  return out[0];
}

export function findIes(source: IeSource, type: number, options: IeFindOptions = {}): Gtpv2Ie[] {
  const out: Gtpv2Ie[] = [];
  collect(iesOf(source), type, options, out, false);
  return out;
}

/** The message-level Cause value (TS 29.274 §8.4), if the message carries one. */
export function messageCause(message: Gtpv2Message): { cause: number; name?: string } | undefined {
  const ie = findIe(message, IE_CAUSE, { instance: 0 });
  if (ie === undefined || ie.value.kind !== 'cause') return undefined;
  return ie.value.name === undefined ? { cause: ie.value.cause } : { cause: ie.value.cause, name: ie.value.name };
}

/** §8.4 Table 8.4-1: cause values 64–255 in a response reject the request. */
export function isRejection(cause: number): boolean {
  return cause >= 64;
}
