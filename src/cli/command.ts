// How a command module plugs into the program: it adds its sub-command and reports its exit
// code through `setExit` (the highest code any command reports wins).
import type { Command } from 'commander';

export type RegisterCommand = (program: Command, setExit: (code: number) => void) => void;
