// RFC 3551 §6 Table 4: statically assigned audio payload types (used when no a=rtpmap is given).

export interface StaticPayloadType {
  readonly encodingName: string;
  readonly clockRate: number;
  readonly channels: number;
}

const TABLE: ReadonlyMap<number, StaticPayloadType> = new Map([
  [0, { encodingName: 'PCMU', clockRate: 8000, channels: 1 }],
  [3, { encodingName: 'GSM', clockRate: 8000, channels: 1 }],
  [4, { encodingName: 'G723', clockRate: 8000, channels: 1 }],
  [5, { encodingName: 'DVI4', clockRate: 8000, channels: 1 }],
  [6, { encodingName: 'DVI4', clockRate: 16000, channels: 1 }],
  [7, { encodingName: 'LPC', clockRate: 8000, channels: 1 }],
  [8, { encodingName: 'PCMA', clockRate: 8000, channels: 1 }],
  [9, { encodingName: 'G722', clockRate: 8000, channels: 1 }],
  [10, { encodingName: 'L16', clockRate: 44100, channels: 2 }],
  [11, { encodingName: 'L16', clockRate: 44100, channels: 1 }],
  [12, { encodingName: 'QCELP', clockRate: 8000, channels: 1 }],
  [13, { encodingName: 'CN', clockRate: 8000, channels: 1 }],
  [14, { encodingName: 'MPA', clockRate: 90000, channels: 1 }],
  [15, { encodingName: 'G728', clockRate: 8000, channels: 1 }],
  [16, { encodingName: 'DVI4', clockRate: 11025, channels: 1 }],
  [17, { encodingName: 'DVI4', clockRate: 22050, channels: 1 }],
  [18, { encodingName: 'G729', clockRate: 8000, channels: 1 }],
]);

export function staticPayloadType(pt: number): StaticPayloadType | undefined {
  return TABLE.get(pt);
}
