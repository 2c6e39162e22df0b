// What a User-Agent says about the device: the vendor (from the names and model prefixes OEMs
// put there), the model, and the IMS client. The patterns are data; matching is a few linear
// substring searches, whatever the header's length.
import type { DeviceInfo } from './types.js';

/** [text to look for (case-insensitive), vendor]; the first row found wins. */
const VENDOR_MARKERS: readonly (readonly [string, string])[] = [
  ['samsung', 'Samsung'],
  ['sm-', 'Samsung'],
  ['iphone', 'Apple'],
  ['ios/', 'Apple'],
  ['apple', 'Apple'],
  ['pixel', 'Google'],
  ['google', 'Google'],
  ['xiaomi', 'Xiaomi'],
  ['redmi', 'Xiaomi'],
  ['poco', 'Xiaomi'],
  ['huawei', 'Huawei'],
  ['honor', 'Honor'],
  ['oneplus', 'OnePlus'],
  ['oppo', 'OPPO'],
  ['vivo', 'vivo'],
  ['motorola', 'Motorola'],
  ['moto ', 'Motorola'],
  ['nokia', 'Nokia'],
  ['xperia', 'Sony'],
  ['sony', 'Sony'],
  ['lg-', 'LG'],
  ['zte', 'ZTE'],
  ['quectel', 'Quectel'],
  ['sierra', 'Sierra Wireless'],
  ['telit', 'Telit'],
  ['fairphone', 'Fairphone'],
];

/** IMS clients and SIP stacks, by marker, as engineers know them. */
const CLIENT_MARKERS: readonly (readonly [string, string])[] = [
  ['samsung ims', 'Samsung IMS'],
  ['qualcomm', 'Qualcomm IMS'],
  ['qti', 'Qualcomm IMS'],
  ['mtk', 'MediaTek IMS'],
  ['mediatek', 'MediaTek IMS'],
  ['shannon', 'Samsung Shannon IMS'],
  ['pjsua', 'PJSUA'],
  ['pjsip', 'PJSIP'],
  ['linphone', 'Linphone'],
  ['zoiper', 'Zoiper'],
  ['microsip', 'MicroSIP'],
  ['nero sipps', 'Nero SIPPS'],
  ['amarisoft', 'Amarisoft'],
];

/** At most this many characters are examined: a User-Agent has no reason to be longer. */
const EXAMINED = 512;

function firstMarker(lower: string, table: readonly (readonly [string, string])[]): readonly [string, string] | undefined {
  for (const row of table) if (lower.includes(row[0])) return row;
  return undefined;
}

/** The word (run of non-space characters) of `text` that starts at `at`. */
function wordAt(text: string, at: number): string {
  let end = at;
  while (end < text.length && text[end] !== ' ' && text[end] !== '/' && text[end] !== ';' && text[end] !== ')') end++;
  return text.slice(at, end);
}

function modelOf(text: string, lower: string, vendor: string | undefined): string | undefined {
  if (vendor === 'Samsung') {
    // Samsung IMS: "<model>-<operator build> Samsung IMS <version>", e.g. "SM-A346E-WK4".
    const at = lower.indexOf('sm-');
    if (at < 0) return undefined;
    const word = wordAt(text, at);
    const second = word.indexOf('-', 3);
    return second < 0 ? word : word.slice(0, second);
  }
  if (vendor === 'Apple') {
    const at = lower.indexOf('iphone');
    return at < 0 ? undefined : wordAt(text, at);
  }
  if (vendor === 'Google') {
    const at = lower.indexOf('pixel');
    if (at < 0) return undefined;
    const next = wordAt(text, at + 6);
    return next === '' ? 'Pixel' : `Pixel ${next}`;
  }
  return undefined;
}

function clientOf(text: string, lower: string): string | undefined {
  const row = firstMarker(lower, CLIENT_MARKERS);
  if (row === undefined) return undefined;
  // Keep the version that follows the client's name, when there is one ("Samsung IMS 6.0").
  const at = lower.indexOf(row[0]) + row[0].length;
  const rest = text.slice(at).trimStart();
  const version = wordAt(rest, 0);
  return version !== '' && version[0] !== undefined && version[0] >= '0' && version[0] <= '9' ? `${row[1]} ${version}` : row[1];
}

export function deviceFromUserAgent(userAgent: string): DeviceInfo {
  const text = userAgent.slice(0, EXAMINED);
  const lower = text.toLowerCase();
  const vendor = firstMarker(lower, VENDOR_MARKERS)?.[1];
  const model = modelOf(text, lower, vendor);
  const client = clientOf(text, lower);
  return { ...(vendor !== undefined ? { vendor } : {}), ...(model !== undefined ? { model } : {}), ...(client !== undefined ? { client } : {}) };
}
