export {
  discardUpload,
  PermanentFailure,
  processUpload,
  writeFailure,
  type PipelineDeps,
  type ReportProgress,
} from "./process-upload";
