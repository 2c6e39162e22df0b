// --esp-keys FILE (any command that reads a capture): the security associations every pass
// decrypts ESP with (net/esp-keys.ts gives the format). Read once, before the command runs; the
// parser is loaded only then, so registering the commands stays cheap.
import { readFileSync } from 'node:fs';
import type { EspKeys } from '../net/esp-keys.js';
import { UsageError } from './exit-codes.js';

export const ESP_KEYS_OPTION = ['--esp-keys <file>', 'decrypt ESP with these SAs: one per line, SPI algorithm key [integrity] (des3_cbc, aes_cbc, aes_gcm, null; hmac-sha1-96 …), Wireshark esp_sa lines, or an ip xfrm state dump'] as const;

let current: EspKeys | undefined;

/** Loads the key file for the command about to run (undefined: none given). */
export async function useEspKeys(path: string | undefined): Promise<void> {
  current = undefined;
  if (path === undefined) return;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --esp-keys ${path}: ${(err as Error).message}`);
  }
  const { EspKeysError, parseEspKeys } = await import('../net/esp-keys.js');
  try {
    current = parseEspKeys(text, path);
  } catch (err) {
    if (err instanceof EspKeysError) throw new UsageError(err.message);
    throw err;
  }
}

/** The keys of the running command, for its capture pass. */
export function espKeys(): EspKeys | undefined {
  return current;
}
