export { ImageRejectedError, type ImageRejectionCode } from "./errors";
export {
  DEFAULT_ENCODERS,
  DEFAULT_IMAGING_OPTIONS,
  imagingEnvSchema,
  imagingOptionsFromEnv,
  type EncoderSettings,
  type ImagingOptions,
} from "./options";
export {
  decodeToSize,
  encodeRaw,
  renderPhoto,
  renderVariants,
  resizeRaw,
  type RawImage,
  type RenderedPhoto,
  type RenderedVariant,
} from "./render";
export {
  createRenderPool,
  renderPoolEnvSchema,
  renderPoolOptionsFromEnv,
  type RenderPhoto,
  type RenderPool,
  type RenderPoolOptions,
} from "./render-pool";
export { rangeTokenizer, RangeTokenizer, type RangeBudget, type RangeSource } from "./range-tokenizer";
export { ACCEPTED_MIME_TYPES, SNIFF_BYTES, sniffImageFile, sniffImageHead, sniffImageType } from "./sniff";
