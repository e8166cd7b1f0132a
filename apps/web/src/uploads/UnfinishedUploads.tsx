import { useCallback, useEffect, useState } from "react";
import { unfinishedUploads, type UnfinishedUpload } from "../api/unfinished-uploads";
import { formatBytes } from "./describe";
import styles from "./UnfinishedUploads.module.css";

export interface Unfinished {
  uploads: UnfinishedUpload[];
  /** Files chosen again for a resumable upload: their entries go, as they are on their way. */
  chosen: (files: readonly File[]) => void;
}

/** The resumable uploads an earlier visit left unfinished, asked of the server once, on arrival. */
export function useUnfinishedUploads(): Unfinished {
  const [uploads, setUploads] = useState<UnfinishedUpload[]>([]);
  useEffect(() => {
    let open = true;
    unfinishedUploads().then(
      (found) => open && setUploads(found),
      () => undefined,
    );
    return () => {
      open = false;
    };
  }, []);
  const chosen = useCallback((files: readonly File[]) => {
    const taken = (upload: UnfinishedUpload) =>
      files.some((file) => file.name === upload.filename && file.size === upload.bytes);
    setUploads((current) => current.filter((upload) => !taken(upload)));
  }, []);
  return { uploads, chosen };
}

/** Says which uploads a reload or a closed tab cut short, and how to continue them. */
export function UnfinishedUploads({ uploads }: { uploads: readonly UnfinishedUpload[] }) {
  if (uploads.length === 0) return null;
  return (
    <section className={styles.box} aria-label="Unfinished uploads">
      <p className={styles.lead}>
        Cut short when the page was left, and kept on the server: choose the same photo again, in resumable
        mode, and it continues where it stopped.
      </p>
      <ul className={styles.list}>
        {uploads.map((upload) => (
          <li key={`${upload.filename}-${upload.bytes}`}>
            <span className={styles.name}>{upload.filename}</span>: {upload.sentPercent}% of{" "}
            {formatBytes(upload.bytes)} sent
          </li>
        ))}
      </ul>
    </section>
  );
}
