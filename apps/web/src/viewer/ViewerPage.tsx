import { FORMAT_EXTENSIONS, type UploadSnapshot, type Variant } from "@darkroom/contracts";
import { useState, type CSSProperties } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, errorDetailOf, type ApiErrorDetail } from "../api/client";
import { VariantPicture } from "../images/VariantPicture";
import { usePageTitle } from "../page-title";
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
import { ProgressBar } from "../uploads/ProgressBar";
import { useUploads } from "../uploads/UploadsProvider";
import { useNeighbours } from "./neighbours";
import { useUpload } from "./use-upload";
import styles from "./ViewerPage.module.css";

/** The sizes the viewer may show: the browser takes the smallest sharp at the size drawn. */
const VIEWER_SIZES = ["thumb", "medium", "large"] as const;

/** The photo is drawn as wide as the page, and no taller than 75 % of the screen. */
const viewerImageSizes = (aspect: number) => `min(100vw, 70rem, ${Math.ceil(75 * aspect)}vh)`;

/**
 * One photo, large: the one before and after it in the gallery a click or
 * an arrow key away; its variants, each to download, what each saves, how
 * long each step took; and Delete.
 */
export function ViewerPage() {
  const { id = "" } = useParams();
  const { items } = useUploads();
  const known = items.find((item) => item.phase === "processing" && item.snapshot.id === id);
  const upload = useUpload(id, known?.phase === "processing" ? known.snapshot : undefined);
  const neighbours = useNeighbours(id);
  const name = upload.state === "loaded" ? (upload.snapshot.original?.filename ?? "Photo") : "Photo";
  usePageTitle(name);

  return (
    <article className={styles.page}>
      <nav className={styles.toolbar} aria-label="Photos">
        <Link to="/">← All photos</Link>
        <span className={styles.steps}>
          <StepLink to={neighbours.previous} rel="prev" label="Previous photo" shortcut="ArrowLeft" />
          <StepLink to={neighbours.next} rel="next" label="Next photo" shortcut="ArrowRight" />
        </span>
      </nav>
      {upload.state === "loading" && <p className={styles.muted}>Loading…</p>}
      {upload.state === "error" && (
        <p className={styles.error} role="alert">
          {describeError(upload.error)}
        </p>
      )}
      {upload.state === "loaded" && <Photo snapshot={upload.snapshot} name={name} />}
    </article>
  );
}

/** A link to the photo before or after, or a disabled stand-in at either end. */
function StepLink({
  to,
  rel,
  label,
  shortcut,
}: {
  to: string | undefined;
  rel: "prev" | "next";
  label: string;
  shortcut: string;
}) {
  const arrow = rel === "prev" ? "‹" : "›";
  if (!to)
    return (
      <span className={styles.step} aria-disabled="true" role="link" aria-label={label}>
        {arrow}
      </span>
    );
  return (
    <Link
      to={`/uploads/${to}`}
      replace
      rel={rel}
      className={styles.step}
      aria-label={label}
      aria-keyshortcuts={shortcut}
    >
      {arrow}
    </Link>
  );
}

function Photo({ snapshot, name }: { snapshot: UploadSnapshot; name: string }) {
  const large = snapshot.variants.find((variant) => variant.name === "large");
  return (
    <>
      {large && (
        <div className={styles.stage}>
          <div className={styles.frame} style={{ "--aspect": large.width / large.height } as CSSProperties}>
            <VariantPicture
              // Another photo is another image: its placeholder shows until it has loaded.
              key={snapshot.id}
              className={styles.image}
              variants={snapshot.variants}
              names={VIEWER_SIZES}
              sizes={viewerImageSizes}
              alt={`${name}, ${large.width}×${large.height}`}
              loading="eager"
              thumbhash={snapshot.thumbhash}
            />
          </div>
        </div>
      )}
      <h2 className={styles.title}>{name}</h2>
      <p className={styles.status} data-status={snapshot.status} aria-live="polite">
        {snapshot.status === "failed" && snapshot.error
          ? describeError(snapshot.error)
          : describeStage(snapshot)}
      </p>
      {isUnfinished(snapshot) && (
        <ProgressBar caption="Processing" label={`Processing of ${name}`} value={snapshot.progress} />
      )}
      <Facts snapshot={snapshot} />
      {snapshot.variants.length > 0 && (
        <Variants
          id={snapshot.id}
          variants={snapshot.variants}
          name={name}
          originalBytes={snapshot.original?.bytes}
        />
      )}
      {/* Another photo, another button: none of this one's state. */}
      <DeleteUpload key={snapshot.id} id={snapshot.id} name={name} />
    </>
  );
}

/** Deletes the upload, whatever its stage, with every file of it, then goes back to the gallery. */
function DeleteUpload({ id, name }: { id: string; name: string }) {
  const { removed } = useUploads();
  const navigate = useNavigate();
  const [deleting, setDeleting] = useState<"idle" | "busy" | ApiErrorDetail>("idle");
  const remove = () => {
    if (!window.confirm(`Delete ${name} and all its sizes? This cannot be undone.`)) return;
    setDeleting("busy");
    api.deleteUpload(id).then(
      () => {
        removed(id);
        // Its page is gone: Back should not come to it again.
        void navigate("/", { replace: true });
      },
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

/**
 * Every size in every format, each to download: through the API, which
 * answers with a URL of storage's that names the file and says to save it.
 */
function Variants({
  id,
  variants,
  name,
  originalBytes,
}: {
  id: string;
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
          <th scope="col" className={`${styles.number} ${styles.compared}`}>
            vs. original
          </th>
          <th scope="col">
            <span className="visually-hidden">Download</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {variants.map((variant) => (
          <tr key={`${variant.name}.${variant.format}`}>
            <th scope="row">{variant.name}</th>
            <td>{FORMAT_NAMES[variant.format]}</td>
            <td>
              {variant.width}×{variant.height}
            </td>
            <td className={styles.number}>{formatBytes(variant.bytes)}</td>
            <td className={`${styles.number} ${styles.compared}`}>
              {originalBytes ? comparedWithOriginal(variant.bytes, originalBytes) : "—"}
            </td>
            <td>
              <a
                href={`/api/uploads/${id}/download/${variant.name}.${FORMAT_EXTENSIONS[variant.format]}`}
                className={styles.download}
              >
                Download
                <span className="visually-hidden">
                  {" "}
                  {variant.name} {variant.width}×{variant.height} px, {FORMAT_NAMES[variant.format]}{" "}
                  {formatBytes(variant.bytes)}
                </span>
              </a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
