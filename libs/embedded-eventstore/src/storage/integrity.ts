import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

/** What the start-up check found in the write-ahead log left by the previous run. */
export interface IntegrityReport {
  /** The previous run did not shut down cleanly: its write-ahead log was still there. */
  uncleanShutdown: boolean;
  /** Frames of committed transactions that SQLite replays. */
  committedFrames: number;
  /**
   * Frames written after the last commit frame (a transaction cut off mid-write) or failing
   * their checksum: SQLite discards them. Nothing in them was ever acknowledged.
   */
  discardedFrames: number;
  /** Trailing bytes too short to be a whole frame. */
  tornBytes: number;
}

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

/**
 * Reads the SQLite write-ahead log (format: sqlite.org/fileformat2.html#walformat) before the
 * database opens it, so that a torn or partially written tail is reported rather than silently
 * dropped. SQLite itself guarantees the dropped part is never served.
 */
export function checkLogIntegrity(dbFile: string): IntegrityReport {
  const walFile = `${dbFile}-wal`;
  const report: IntegrityReport = {
    uncleanShutdown: false,
    committedFrames: 0,
    discardedFrames: 0,
    tornBytes: 0,
  };
  if (!existsSync(walFile)) return report;
  const size = statSync(walFile).size;
  if (size === 0) return report;
  report.uncleanShutdown = true;
  if (size < WAL_HEADER) {
    report.tornBytes = size;
    return report;
  }
  const fd = openSync(walFile, 'r');
  try {
    const header = Buffer.alloc(WAL_HEADER);
    readSync(fd, header, 0, WAL_HEADER, 0);
    const magic = header.readUInt32BE(0);
    if (magic !== 0x377f0682 && magic !== 0x377f0683) {
      report.tornBytes = size;
      return report;
    }
    const bigEndian = (magic & 1) === 1;
    const pageSize = header.readUInt32BE(8) || 65536;
    const salt1 = header.readUInt32BE(16);
    const salt2 = header.readUInt32BE(20);
    let [s0, s1] = walChecksum(header.subarray(0, 24), 0, 0, bigEndian);
    if (s0 !== header.readUInt32BE(24) || s1 !== header.readUInt32BE(28)) {
      report.tornBytes = size;
      return report;
    }
    const frameSize = FRAME_HEADER + pageSize;
    const frame = Buffer.alloc(frameSize);
    let offset = WAL_HEADER;
    let sinceCommit = 0;
    while (offset + frameSize <= size) {
      readSync(fd, frame, 0, frameSize, offset);
      // Frames of an older generation (other salts) are leftovers of a checkpointed log, not damage.
      if (frame.readUInt32BE(8) !== salt1 || frame.readUInt32BE(12) !== salt2) break;
      const [c0, c1] = walChecksum(
        frame.subarray(FRAME_HEADER),
        ...walChecksum(frame.subarray(0, 8), s0, s1, bigEndian),
        bigEndian,
      );
      if (c0 !== frame.readUInt32BE(16) || c1 !== frame.readUInt32BE(20)) {
        sinceCommit++;
        break;
      }
      s0 = c0;
      s1 = c1;
      sinceCommit++;
      if (frame.readUInt32BE(4) !== 0) {
        report.committedFrames += sinceCommit;
        sinceCommit = 0;
      }
      offset += frameSize;
    }
    report.discardedFrames = sinceCommit;
    const rest = size - offset;
    if (rest > 0 && rest < frameSize) {
      const partial = Buffer.alloc(Math.min(rest, FRAME_HEADER));
      readSync(fd, partial, 0, partial.length, offset);
      const sameGeneration =
        partial.length >= 16 && partial.readUInt32BE(8) === salt1 && partial.readUInt32BE(12) === salt2;
      if (sameGeneration || partial.length < 16) report.tornBytes = rest;
    }
    return report;
  } finally {
    closeSync(fd);
  }
}

function walChecksum(data: Buffer, s0: number, s1: number, bigEndian: boolean): [number, number] {
  for (let i = 0; i + 8 <= data.length; i += 8) {
    const x0 = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i);
    const x1 = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}
