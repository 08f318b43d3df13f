/** A blob written to disk but not yet in place: promoted once its record is committed, else discarded. */
export interface StagedBlob {
  readonly key: string;
  /** Moves the blob into place under its key (after the row naming it is committed). */
  promote(): Promise<void>;
  /** Removes the staged blob (its row was not written). */
  discard(): Promise<void>;
}

/** A store of immutable byte blobs under server-generated keys. */
export interface BlobStore {
  /** Stores `data` under `key`, all or nothing: a reader never sees a partly written blob. */
  put(key: string, data: Buffer): Promise<void>;
  /**
   * Writes `data` durably beside the store, not yet under `key`: the caller commits the row
   * that names the blob, then promotes it. A process that dies in between leaves a staged
   * file that the orphan sweep promotes (row committed) or removes (no row).
   */
  stage(key: string, data: Buffer): Promise<StagedBlob>;
  /** The bytes stored under `key`, or null when there is none. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the blob; removing a missing blob is not an error. */
  delete(key: string): Promise<void>;
}
