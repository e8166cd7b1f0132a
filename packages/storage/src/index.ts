export { resumableEnvSchema, s3ConfigFromEnv, s3EnvSchema, type S3Config } from "./config";
export { ObjectNotFoundError, StorageUnavailableError } from "./errors";
export { failedOriginalTag, objectKeys, originalMetadata } from "./keys";
export { readManifest, writeManifest } from "./manifests";
export type { ListedObject, ObjectInfo, ObjectStorage, SignedPut, StoredObject } from "./object-storage";
export { createS3Client, createS3Storage, storageFromEnv } from "./s3-storage";
export {
  createResumableStore,
  expireResumableUploads,
  forgetResumableUpload,
  resumableBookkeepingKeys,
  resumableUploadKey,
  resumableUploadMetadata,
  type ResumableStoreOptions,
  type ResumableUploadState,
} from "./resumable-store";
