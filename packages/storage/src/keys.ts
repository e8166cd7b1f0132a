import { FORMAT_EXTENSIONS, type VariantFormat, type VariantName } from "@darkroom/contracts";

/** Where each object of an upload lives in the bucket. */
export const objectKeys = {
  original: (id: string) => `originals/${id}`,
  /** The prefix every variant of the upload shares. */
  variantsOf: (id: string) => `variants/${id}/`,
  variant: (id: string, name: VariantName, format: VariantFormat) =>
    `${objectKeys.variantsOf(id)}${name}.${FORMAT_EXTENSIONS[format]}`,
  manifest: (id: string) => `manifests/${id}.json`,
};
