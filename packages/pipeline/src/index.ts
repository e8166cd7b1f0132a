export {
  discardUpload,
  PermanentFailure,
  processUpload,
  writeFailure,
  type PipelineDeps,
  type ReportProgress,
} from "./process-upload";
export {
  checkStoredOriginal,
  OriginalRejectedError,
  type CheckedOriginal,
  type OriginalLimits,
  type OriginalRejectionCode,
} from "./check-stored-original";
