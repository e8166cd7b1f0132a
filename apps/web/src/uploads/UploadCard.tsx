import type { UploadSnapshot } from "@darkroom/contracts";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { VariantPicture } from "../images/VariantPicture";
import { describeError, describeStage } from "./describe";
import { ProgressBar } from "./ProgressBar";
import styles from "./UploadCard.module.css";
import { cardStatus, type CardStatus, type UploadItem } from "./uploads-reducer";

const FAILED_WITHOUT_DETAIL = { code: "PROCESSING_FAILED", message: "No reason was given." } as const;

/** The thumbnail's sizes: the thumb, and the medium one for dense screens. */
const THUMBNAIL_SIZES = ["thumb", "medium"] as const;

/**
 * How wide a tile's image is drawn: a tile is about 11 rem wide, half the
 * screen on a phone, and the image covers its square, so a landscape photo
 * is drawn wider than the tile by its aspect ratio.
 */
function tileImageSizes(aspect: number): string {
  const cover = Math.max(1, aspect);
  return `(max-width: 30rem) ${Math.ceil(50 * cover)}vw, ${Math.ceil(12 * cover)}rem`;
}

const BADGES: Partial<Record<CardStatus, string>> = {
  uploading: "Uploading",
  queued: "Queued",
  active: "Processing",
  failed: "Failed",
  rejected: "Refused",
};

/**
 * One photo of the gallery: its thumbnail and name, a link to its viewer
 * once the server knows it, a badge while it is not done, and its live
 * progress over the thumbnail. Every tile has the same size whatever it
 * shows, so progress and images arriving move nothing on the page.
 * @param eager whether it is likely on the first screen: its image is then not lazy.
 */
export function UploadCard({ upload, eager }: { upload: UploadItem; eager: boolean }) {
  const status = cardStatus(upload);
  const snapshot = upload.phase === "processing" ? upload.snapshot : undefined;
  const badge = BADGES[status];
  const face = (
    <>
      <span className={styles.thumb}>
        {snapshot && snapshot.variants.length > 0 ? (
          <VariantPicture
            className={styles.image}
            variants={snapshot.variants}
            names={THUMBNAIL_SIZES}
            sizes={tileImageSizes}
            alt=""
            loading={eager ? "eager" : "lazy"}
            thumbhash={snapshot.thumbhash}
          />
        ) : (
          <PhotoIcon />
        )}
        {badge && (
          // The status below says it in words, to everyone: the link's name stays the photo's.
          <span className={styles.badge} aria-hidden="true">
            {badge}
          </span>
        )}
      </span>
      <span className={styles.name} title={upload.fileName}>
        {upload.fileName}
      </span>
    </>
  );
  return (
    <li className={styles.card} data-testid="upload-card" data-status={status}>
      {snapshot ? (
        <Link to={`/uploads/${snapshot.id}`} className={styles.face}>
          {face}
        </Link>
      ) : (
        <div className={styles.face}>{face}</div>
      )}
      <p className={styles.status} aria-live="polite">
        {statusText(upload)}
      </p>
      <Progress upload={upload} />
    </li>
  );
}

/** Over the thumbnail while the upload runs: what is sent, then what is processed. */
function Progress({ upload }: { upload: UploadItem }): ReactNode {
  if (upload.phase === "rejected") return null;
  if (upload.phase === "processing" && !["queued", "active"].includes(upload.snapshot.status)) return null;
  return (
    <div className={styles.progress}>
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
    </div>
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
