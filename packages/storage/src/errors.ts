/** The object does not exist. */
export class ObjectNotFoundError extends Error {
  override readonly name = "ObjectNotFoundError";

  constructor(readonly key: string) {
    super(`No object at ${key}`);
  }
}

/** The storage server could not be reached or failed on its side: a passing fault, worth a retry. */
export class StorageUnavailableError extends Error {
  override readonly name = "StorageUnavailableError";
}
