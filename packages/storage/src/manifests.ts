import { uploadManifestSchema, type UploadManifest } from "@darkroom/contracts";
import { ObjectNotFoundError } from "./errors";
import { objectKeys } from "./keys";
import type { ObjectStorage } from "./object-storage";

export async function writeManifest(storage: ObjectStorage, manifest: UploadManifest): Promise<void> {
  await storage.put(
    objectKeys.manifest(manifest.id),
    Buffer.from(JSON.stringify(manifest)),
    "application/json",
  );
}

/** `undefined` when the upload has no manifest yet. */
export async function readManifest(storage: ObjectStorage, id: string): Promise<UploadManifest | undefined> {
  try {
    const json: unknown = JSON.parse((await storage.getBuffer(objectKeys.manifest(id))).toString("utf8"));
    return uploadManifestSchema.parse(json);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined;
    throw error;
  }
}
