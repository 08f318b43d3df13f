/** A store of immutable byte blobs under server-generated keys. */
export interface BlobStore {
  /** Stores `data` under `key`, all or nothing: a reader never sees a partly written blob. */
  put(key: string, data: Buffer): Promise<void>;
  /** The bytes stored under `key`, or null when there is none. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the blob; removing a missing blob is not an error. */
  delete(key: string): Promise<void>;
}
