import { FORMAT_EXTENSIONS, type VariantFormat, type VariantName } from "@darkroom/contracts";

/** Where each object of an upload lives in the bucket. */
export const objectKeys = {
  original: (id: string) => `originals/${id}`,
  variant: (id: string, name: VariantName, format: VariantFormat) =>
    `variants/${id}/${name}.${FORMAT_EXTENSIONS[format]}`,
  manifest: (id: string) => `manifests/${id}.json`,
};
