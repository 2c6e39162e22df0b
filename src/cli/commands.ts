// Every sub-command of imscap, in the order `imscap --help` lists them.
import type { RegisterCommand } from './command.js';
import { registerInfo } from './info.js';
import { registerSqnCommand } from './sqn.js';
import { registerStreams } from './streams.js';
import { registerExtractAmr } from './extract-amr.js';

export const COMMANDS: readonly RegisterCommand[] = [registerInfo, registerSqnCommand, registerStreams, registerExtractAmr];
