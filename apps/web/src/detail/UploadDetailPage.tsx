import type { UploadSnapshot, Variant } from "@darkroom/contracts";
import { useState } from "react";
import { api, errorDetailOf, type ApiErrorDetail } from "../api/client";
import {
  comparedWithOriginal,
  describeError,
  describeStage,
  formatBytes,
  formatDuration,
  FORMAT_NAMES,
} from "../uploads/describe";
import { MODE_NAMES } from "../uploads/modes";
import { isUnfinished } from "../uploads/newest-snapshot";
import { PlaceholderImage } from "../uploads/PlaceholderImage";
import { ProgressBar } from "../uploads/ProgressBar";
import styles from "./UploadDetailPage.module.css";
import { useUpload } from "./use-upload";

/** One upload: its variants, what each saves, and how long each step took. */
export function UploadDetailPage({ id }: { id: string }) {
  const upload = useUpload(id);
  return (
    <article className={styles.page}>
      <p className={styles.back}>
        <a href="/">← All uploads</a>
      </p>
      {upload.state === "loading" && <p className={styles.muted}>Loading…</p>}
      {upload.state === "error" && (
        <p className={styles.error} role="alert">
          {describeError(upload.error)}
        </p>
      )}
      {upload.state === "loaded" && <Detail snapshot={upload.snapshot} />}
    </article>
  );
}

function Detail({ snapshot }: { snapshot: UploadSnapshot }) {
  const name = snapshot.original?.filename ?? "Photo";
  const preview = snapshot.variants.find((v) => v.name === "medium" && v.format === "webp");
  return (
    <>
      <h2 className={styles.title}>{name}</h2>
      <p className={styles.status} data-status={snapshot.status} aria-live="polite">
        {snapshot.status === "failed" && snapshot.error
          ? describeError(snapshot.error)
          : describeStage(snapshot)}
      </p>
      {isUnfinished(snapshot) && (
        <ProgressBar caption="Processing" label={`Processing of ${name}`} value={snapshot.progress} />
      )}
      {preview && (
        <div className={styles.previewFrame}>
          <PlaceholderImage
            className={styles.preview}
            src={preview.url}
            width={preview.width}
            height={preview.height}
            alt={`${name}, ${preview.width}×${preview.height}`}
            thumbhash={snapshot.thumbhash}
          />
        </div>
      )}
      <Facts snapshot={snapshot} />
      {snapshot.variants.length > 0 && (
        <Variants variants={snapshot.variants} name={name} originalBytes={snapshot.original?.bytes} />
      )}
      <DeleteUpload id={snapshot.id} name={name} />
    </>
  );
}

/** Deletes the upload, whatever its stage, with every file of it, then goes back to the list. */
function DeleteUpload({ id, name }: { id: string; name: string }) {
  const [deleting, setDeleting] = useState<"idle" | "busy" | ApiErrorDetail>("idle");
  const remove = () => {
    if (!window.confirm(`Delete ${name} and all its sizes? This cannot be undone.`)) return;
    setDeleting("busy");
    api.deleteUpload(id).then(
      () => window.location.assign("/"),
      (error: unknown) => setDeleting(errorDetailOf(error)),
    );
  };
  return (
    <div className={styles.delete}>
      <button type="button" onClick={remove} disabled={deleting === "busy"}>
        Delete {name}
      </button>
      {typeof deleting === "object" && (
        <p className={styles.error} role="alert">
          {describeError(deleting)}
        </p>
      )}
    </div>
  );
}

function Facts({ snapshot }: { snapshot: UploadSnapshot }) {
  const { original, timings } = snapshot;
  const between = (from?: string, to?: string) =>
    from && to ? formatDuration(Date.parse(to) - Date.parse(from)) : "—";
  return (
    <dl className={styles.facts}>
      <div>
        <dt>Original</dt>
        <dd>{original ? formatBytes(original.bytes) : "—"}</dd>
      </div>
      <div>
        <dt>Mode</dt>
        <dd>{MODE_NAMES[snapshot.mode]}</dd>
      </div>
      <div>
        <dt>Upload</dt>
        <dd>{timings?.receiveMs !== undefined ? formatDuration(timings.receiveMs) : "—"}</dd>
      </div>
      <div>
        <dt>Wait in queue</dt>
        <dd>{between(timings?.uploadedAt, timings?.startedAt)}</dd>
      </div>
      <div>
        <dt>Processing</dt>
        <dd>{between(timings?.startedAt, timings?.finishedAt)}</dd>
      </div>
    </dl>
  );
}

function Variants({
  variants,
  name,
  originalBytes,
}: {
  variants: Variant[];
  name: string;
  originalBytes?: number;
}) {
  return (
    <table className={styles.variants}>
      <caption>Variants of {name}</caption>
      <thead>
        <tr>
          <th scope="col">Size</th>
          <th scope="col">Format</th>
          <th scope="col">Dimensions</th>
          <th scope="col" className={styles.number}>
            Bytes
          </th>
          <th scope="col" className={styles.number}>
            vs. original
          </th>
        </tr>
      </thead>
      <tbody>
        {variants.map((variant) => (
          <tr key={`${variant.name}.${variant.format}`}>
            <th scope="row">{variant.name}</th>
            <td>
              <a href={variant.url} target="_blank" rel="noopener">
                {FORMAT_NAMES[variant.format]}
              </a>
            </td>
            <td>
              {variant.width}×{variant.height}
            </td>
            <td className={styles.number}>{formatBytes(variant.bytes)}</td>
            <td className={styles.number}>
              {originalBytes ? comparedWithOriginal(variant.bytes, originalBytes) : "—"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
