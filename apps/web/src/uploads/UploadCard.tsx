import type { UploadSnapshot } from "@darkroom/contracts";
import { describeError, describeStage } from "./describe";
import { PlaceholderImage } from "./PlaceholderImage";
import { ProgressBar } from "./ProgressBar";
import styles from "./UploadCard.module.css";
import { cardStatus, type UploadItem } from "./uploads-reducer";
import { VariantTable } from "./VariantTable";

const FAILED_WITHOUT_DETAIL = { code: "PROCESSING_FAILED", message: "No reason was given." } as const;

export function UploadCard({ upload }: { upload: UploadItem }) {
  const variants = upload.phase === "processing" ? upload.snapshot.variants : [];
  const thumb = variants.find((variant) => variant.name === "thumb" && variant.format === "webp");

  return (
    <li className={styles.card} data-testid="upload-card" data-status={cardStatus(upload)}>
      <div className={styles.thumb}>
        {thumb ? (
          <PlaceholderImage
            className={styles.image}
            src={thumb.url}
            width={thumb.width}
            height={thumb.height}
            alt={`${upload.fileName} thumbnail`}
            thumbhash={upload.phase === "processing" ? upload.snapshot.thumbhash : undefined}
          />
        ) : (
          <PhotoIcon />
        )}
      </div>
      <p className={styles.name} title={upload.fileName}>
        {upload.phase === "processing" ? (
          <a href={`/uploads/${upload.snapshot.id}`} className={styles.link}>
            {upload.fileName}
          </a>
        ) : (
          upload.fileName
        )}
      </p>
      <p className={styles.status} aria-live="polite">
        {statusText(upload)}
      </p>
      <div className={styles.detail}>
        <Detail upload={upload} />
      </div>
    </li>
  );
}

/** Progress while there is some; the variants once done; nothing more after a failure, which the status explains. */
function Detail({ upload }: { upload: UploadItem }) {
  if (upload.phase === "rejected") return null;
  if (upload.phase === "processing") {
    const { snapshot } = upload;
    if (snapshot.status === "completed")
      return <VariantTable fileName={upload.fileName} variants={snapshot.variants} />;
    if (snapshot.status === "failed") return null;
  }
  return (
    <>
      <ProgressBar
        caption="Upload"
        label={`Upload of ${upload.fileName}`}
        value={upload.phase === "uploading" ? upload.sentPercent : 100}
      />
      <ProgressBar
        caption="Processing"
        label={`Processing of ${upload.fileName}`}
        value={processingPercent(upload)}
      />
    </>
  );
}

/** Undefined while a sync upload is processed: the server tells nothing until it answers. */
function processingPercent(upload: UploadItem): number | undefined {
  if (upload.phase === "processing") return upload.snapshot.progress;
  return upload.phase === "uploading" && isProcessedInline(upload) ? undefined : 0;
}

const isProcessedInline = (upload: UploadItem & { phase: "uploading" }) =>
  upload.mode === "sync" && upload.sentPercent === 100;

function statusText(upload: UploadItem): string {
  switch (upload.phase) {
    case "uploading":
      return isProcessedInline(upload) ? "Processing on the server" : "Uploading";
    case "rejected":
      return describeError(upload.error);
    case "processing":
      return processingText(upload.snapshot);
  }
}

function processingText(snapshot: UploadSnapshot): string {
  return snapshot.status === "failed"
    ? describeError(snapshot.error ?? FAILED_WITHOUT_DETAIL)
    : describeStage(snapshot);
}

function PhotoIcon() {
  return (
    <svg className={styles.icon} viewBox="0 0 24 24" aria-hidden="true">
      <rect x="3" y="5" width="18" height="14" rx="2" />
      <circle cx="9" cy="10" r="1.75" />
      <path d="m4 17 5-5 4 4 3-3 4 4" />
    </svg>
  );
}
