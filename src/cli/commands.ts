// Every sub-command of imscap, in the order `imscap --help` lists them.
import type { RegisterCommand } from './command.js';
import { registerInfo } from './info.js';
import { registerCalls } from './calls.js';
import { registerFlow } from './flow.js';
import { registerSqnCommand } from './sqn.js';
import { registerAuditSdp } from './audit-sdp.js';
import { registerDecode } from './decode.js';
import { registerSqnCheck } from './sqn-check.js';

export const COMMANDS: readonly RegisterCommand[] = [registerInfo, registerCalls, registerFlow, registerAuditSdp, registerSqnCheck, registerSqnCommand, registerDecode];
