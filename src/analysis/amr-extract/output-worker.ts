// The output thread of `imscap extract-amr`: takes the records of the ring (segment-ring.ts) in
// order and does the work of each segment's file — AMR payload decode (RFC 4867 §4), timeline,
// storage-format or 3GP writer, atomic file — while the pass decodes the capture on the main
// thread. Its file calls are synchronous: it has nothing else to do, and its progress does not
// wait for turns of the main thread's event loop. After a failure it only drains the ring, so the
// pass never waits on it; the failure and every written file's counts go back in messages.
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { isDecodeError } from '../../decode-error.js';
import { decodeAmrFramesAt } from '../../protocols/amr/decode.js';
import { AmrFrameList } from '../../protocols/amr/frame-list.js';
import type { AmrPayloadOptions } from '../../protocols/amr/types.js';
import { AtomicFile } from '../../output/atomic-file.js';
import type { AmrTimelineStats } from '../amr-timeline.js';
import { LocalSegmentOutput } from './segment-output.js';
import { PacketEntries, RecordType, RingReader, readFormat, readOpen, type RingBuffers } from './segment-ring.js';
import type { ChunkMessage, OutputThreadMessage, SerializedError } from './output-thread.js';

function serialize(err: unknown): SerializedError {
  const e = err instanceof Error ? err : new Error(String(err));
  const path = (e as { path?: unknown }).path;
  return { name: e.name, message: e.message, ...(typeof path === 'string' ? { path } : {}) };
}

function post(message: OutputThreadMessage): void {
  parentPort?.postMessage(message);
}

/** Takes the chunks of capture posted so far (each is posted before the first record naming it). */
function takeChunks(port: MessagePort, reader: RingReader): void {
  for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
    const chunk = m.message as ChunkMessage;
    reader.chunks.set(chunk.id, new Uint8Array(chunk.buffer));
  }
}

function run(ring: RingBuffers, chunkPort: MessagePort): void {
  const reader = new RingReader(ring);
  const packets = new PacketEntries(reader);
  const formats: (AmrPayloadOptions | undefined)[] = [];
  const segments = new Map<number, LocalSegmentOutput>();
  const written: [number, AmrTimelineStats][] = [];
  const frames = new AmrFrameList();
  let failed = false;
  for (;;) {
    const r = reader.next();
    if (r.type === RecordType.End) break;
    if (failed) continue;
    try {
      const at = r.at;
      switch (r.type) {
        case RecordType.ChunkPackets:
        case RecordType.Packets: {
          if (r.type === RecordType.ChunkPackets && !reader.chunks.has(reader.u32(at + 12))) takeChunks(chunkPort, reader);
          packets.open(r);
          const segment = segments.get(packets.id);
          const amr = formats[packets.format];
          if (segment === undefined || amr === undefined) throw new Error('output thread: packets for no open file');
          while (packets.next()) {
            // The pass found each payload to decode (or shaped like one that did) before sending it.
            const error = decodeAmrFramesAt(packets.bytes, packets.start, packets.end, amr, frames);
            if (isDecodeError(error)) throw new Error(`output thread: payload does not decode (${error.reason})`);
            segment.push(packets.timestamp, packets.sequence, packets.frameNo, frames);
          }
          break;
        }
        case RecordType.Format: {
          const f = readFormat(reader, at);
          formats[f.id] = f.amr;
          break;
        }
        case RecordType.Open: {
          const o = readOpen(reader, at);
          segments.set(o.id, new LocalSegmentOutput(new AtomicFile(o.path, o.force, o.tempPath), o.wideband, o.container));
          break;
        }
        case RecordType.Close: {
          const id = reader.u32(at);
          const segment = segments.get(id);
          segments.delete(id);
          segment?.finish((stats) => written.push([id, stats]));
          break;
        }
        case RecordType.ForgetChunk:
          reader.chunks.delete(reader.u32(at));
          break;
        case RecordType.Abort: {
          const id = reader.u32(at);
          segments.get(id)?.abort();
          segments.delete(id);
          break;
        }
      }
    } catch (err) {
      // Nothing more is written; the files not committed are dropped.
      failed = true;
      for (const segment of segments.values()) segment.abort();
      segments.clear();
      post({ kind: 'failed', error: serialize(err) });
      reader.fail();
    }
  }
  post({ kind: 'done', written });
}

post({ kind: 'ready' });
const data = workerData as { ring: RingBuffers; chunkPort: MessagePort };
run(data.ring, data.chunkPort);
