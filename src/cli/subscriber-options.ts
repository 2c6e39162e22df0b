// The key options of capture commands (--k, --op, --opc, --amf, --subscribers, --show-keys): declared
// here, apart from the key parsing in subscribers.ts, so that registering them loads no crypto.
import type { Command } from 'commander';

/** Adds the key options of a capture command (sqn-check, registration-report). */
export function addSubscriberKeyOptions(command: Command): Command {
  return command
    .option('--k <hex>', 'subscriber key K (32 hex digits): for every subscriber not in --subscribers')
    .option('--op <hex>', 'operator variant OP (32 hex digits)')
    .option('--opc <hex>', 'OPc (32 hex digits), instead of --op')
    .option('--amf <hex>', 'AMF the HSS uses (4 hex digits), checked against each AUTN')
    .option('--subscribers <file>', 'CSV of subscriber keys: header of imsi, impi, k, op, opc, amf')
    .option('--show-keys', 'include K / OP / OPc in the report');
}
