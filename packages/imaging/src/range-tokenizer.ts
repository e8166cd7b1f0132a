import {
  AbstractTokenizer,
  EndOfStreamError,
  type IRandomAccessTokenizer,
  type IReadChunkOptions,
} from "strtok3";
import { ImageRejectedError } from "./errors";

export interface RangeSource {
  /** The object's size in bytes. */
  size: number;
  /** Bytes already read from its start, such as the first ranged GET's. */
  start?: Uint8Array;
  /** Reads `length` bytes at `offset` (one ranged GET). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface RangeBudget {
  /**
   * Bytes fetched beyond `start`, at most. A TIFF's first directory takes a
   * few hundred; a file that needs more to be identified is refused.
   * @defaultValue 65536
   */
  maxBytes?: number;
  /**
   * Reads at most.
   * @defaultValue 8
   */
  maxReads?: number;
}

/** Each read fetches at least this much, so that the next small reads are already there. */
const MIN_FETCH_BYTES = 4096;

/**
 * A tokenizer over an object that is not here, reading only the ranges asked
 * for (a storage object's ranged GETs), within a budget: the object's size
 * never decides what identifying it costs.
 */
export class RangeTokenizer extends AbstractTokenizer implements IRandomAccessTokenizer {
  override fileInfo: { size: number };
  /** Bytes fetched and reads made, beyond `start`. */
  readonly spent = { bytes: 0, reads: 0 };
  private readonly fetched: { offset: number; bytes: Uint8Array }[] = [];
  private readonly maxBytes: number;
  private readonly maxReads: number;

  constructor(
    private readonly source: RangeSource,
    { maxBytes = 65_536, maxReads = 8 }: RangeBudget = {},
  ) {
    super();
    this.fileInfo = { size: source.size };
    if (source.start?.byteLength) this.fetched.push({ offset: 0, bytes: source.start });
    this.maxBytes = maxBytes;
    this.maxReads = maxReads;
  }

  supportsRandomAccess(): boolean {
    return true;
  }

  setPosition(position: number): void {
    this.validateLength(position, "position");
    this.position = position;
  }

  async readBuffer(target: Uint8Array, options?: IReadChunkOptions): Promise<number> {
    const normalized = this.normalizeOptions(target, options);
    const length = await this.peekBuffer(target, normalized);
    this.position = normalized.position + length;
    return length;
  }

  async peekBuffer(target: Uint8Array, options?: IReadChunkOptions): Promise<number> {
    const { position, length, mayBeLess } = this.normalizeOptions(target, options);
    const available = Math.max(0, Math.min(this.source.size - position, length));
    if (!mayBeLess && available < length) throw new EndOfStreamError();
    if (available === 0) return 0;
    const end = position + available;
    const held = this.fetched.find(
      (chunk) => chunk.offset <= position && chunk.offset + chunk.bytes.byteLength >= end,
    );
    const chunk = held ?? (await this.fetch(position, available));
    target.set(chunk.bytes.subarray(position - chunk.offset, end - chunk.offset), 0);
    return available;
  }

  private async fetch(position: number, length: number) {
    const fetchLength = Math.min(this.source.size - position, Math.max(length, MIN_FETCH_BYTES));
    if (this.spent.reads + 1 > this.maxReads || this.spent.bytes + fetchLength > this.maxBytes) {
      throw new ImageRejectedError(
        "UNSUPPORTED_MEDIA_TYPE",
        `The file could not be identified as an image within ${this.maxReads} reads of ${this.maxBytes} bytes in all.`,
      );
    }
    this.spent.reads++;
    this.spent.bytes += fetchLength;
    const bytes = await this.source.read(position, fetchLength);
    if (bytes.byteLength < fetchLength) throw new EndOfStreamError();
    const chunk = { offset: position, bytes };
    this.fetched.push(chunk);
    return chunk;
  }
}

/** A random-access tokenizer over ranged reads; see {@link RangeTokenizer}. */
export function rangeTokenizer(source: RangeSource, budget?: RangeBudget): RangeTokenizer {
  return new RangeTokenizer(source, budget);
}
