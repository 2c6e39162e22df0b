// Every sub-command of imscap, in the order `imscap --help` lists them.
import type { RegisterCommand } from './command.js';
import { registerInfo } from './info.js';
import { registerCalls } from './calls.js';
import { registerFlow } from './flow.js';
import { registerStreams } from './streams.js';
import { registerExtractAmr } from './extract-amr.js';
import { registerAuditSdp } from './audit-sdp.js';
import { registerRegistrationReport } from './registration-report.js';
import { registerSqnCheck } from './sqn-check.js';
import { registerSqnCommand } from './sqn.js';
import { registerDecode } from './decode.js';

export const COMMANDS: readonly RegisterCommand[] = [registerInfo, registerCalls, registerFlow, registerStreams, registerExtractAmr, registerAuditSdp, registerRegistrationReport, registerSqnCheck, registerSqnCommand, registerDecode];
