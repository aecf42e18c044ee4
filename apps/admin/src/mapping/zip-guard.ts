import { inflateRawSync } from 'node:zlib';

/** Bounds an uploaded archive (an XLSX) must keep before anything in it is inflated. */
export interface ZipLimits {
  /** Entries in the archive. */
  maxEntries: number;
  /** Inflated size of any one entry (bytes). */
  maxEntryBytes: number;
  /** Inflated size of all entries together (bytes). */
  maxTotalBytes: number;
  /** Inflated / compressed size of an entry larger than `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
}

/** A workbook of a few hundred thousand cells fits; a zip bomb (GBs from KBs) does not. */
export const XLSX_LIMITS: ZipLimits = {
  maxEntries: 1_000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 128 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
};

export class ZipRefused extends Error {}

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The central directory: every entry's declared sizes, read without inflating anything. */
function centralDirectory(buf: Buffer): Entry[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i -= 1) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw new ZipRefused('not a ZIP archive (no end of central directory)');
  }
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || at === 0xffffffff) {
    throw new ZipRefused('ZIP64 archives are not accepted');
  }
  const entries: Entry[] = [];
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) {
      throw new ZipRefused('the ZIP central directory is damaged');
    }
    const nameLength = buf.readUInt16LE(at + 28);
    const entry: Entry = {
      method: buf.readUInt16LE(at + 10),
      compressedSize: buf.readUInt32LE(at + 20),
      uncompressedSize: buf.readUInt32LE(at + 24),
      localHeaderOffset: buf.readUInt32LE(at + 42),
      name: buf.toString('utf8', at + 46, at + 46 + nameLength),
    };
    if (entry.compressedSize === 0xffffffff || entry.uncompressedSize === 0xffffffff) {
      throw new ZipRefused('ZIP64 archives are not accepted');
    }
    entries.push(entry);
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return entries;
}

/**
 * Refuses an archive that would inflate past `limits`: first from the sizes its central directory
 * declares (too many entries, an entry or the whole too large, a compression ratio no spreadsheet
 * has), then by inflating each entry with its declared size as a hard ceiling, so an entry that lies
 * about its size stops there instead of filling memory. Throws ZipRefused naming the entry.
 */
export function checkZip(buf: Buffer, limits: ZipLimits = XLSX_LIMITS): void {
  const entries = centralDirectory(buf);
  if (entries.length > limits.maxEntries) {
    throw new ZipRefused(`the archive has ${entries.length} entries (at most ${limits.maxEntries})`);
  }
  let total = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    if (e.uncompressedSize > limits.maxEntryBytes) {
      throw new ZipRefused(
        `${e.name} would inflate to ${e.uncompressedSize} bytes (at most ${limits.maxEntryBytes})`,
      );
    }
    const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
    if (e.uncompressedSize > limits.ratioFloorBytes && ratio > limits.maxRatio) {
      throw new ZipRefused(`${e.name} is compressed ${Math.round(ratio)}:1 (at most ${limits.maxRatio}:1)`);
    }
  }
  if (total > limits.maxTotalBytes) {
    throw new ZipRefused(`the archive would inflate to ${total} bytes (at most ${limits.maxTotalBytes})`);
  }
  for (const e of entries) {
    checkInflatedSize(buf, e);
  }
}

function checkInflatedSize(buf: Buffer, e: Entry): void {
  const at = e.localHeaderOffset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL) {
    throw new ZipRefused(`${e.name}: local header missing`);
  }
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) {
    if (e.compressedSize !== e.uncompressedSize) {
      throw new ZipRefused(`${e.name}: stored entry with two sizes`);
    }
    return;
  }
  if (e.method !== 8) {
    throw new ZipRefused(`${e.name}: compression method ${e.method} is not accepted`);
  }
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(data, { maxOutputLength: Math.max(1, e.uncompressedSize) });
  } catch {
    throw new ZipRefused(
      `${e.name} inflates past the ${e.uncompressedSize} bytes it declares, or is damaged`,
    );
  }
  if (inflated.length !== e.uncompressedSize) {
    throw new ZipRefused(
      `${e.name} inflates to ${inflated.length} bytes, not the ${e.uncompressedSize} it declares`,
    );
  }
}
