import { useState } from "react";
import type { PageMode } from "../api/upload-file";
import { describeError } from "./describe";
import { askToNotifyForBatch, useDoneWhileAway } from "./done-while-away";
import { DropZone } from "./DropZone";
import { UploadCard } from "./UploadCard";
import { useUploads } from "./use-uploads";
import { ModeToggle } from "./ModeToggle";
import { UnfinishedUploads, useUnfinishedUploads } from "./UnfinishedUploads";
import styles from "./UploadPage.module.css";

export function UploadPage() {
  const { items, addFiles, galleryError } = useUploads();
  const [mode, setMode] = useState<PageMode>("queued");
  const unfinished = useUnfinishedUploads();
  useDoneWhileAway(items);
  return (
    <>
      <p className={styles.lede}>
        Photos upload side by side and appear here the moment they are ready: queued, they are resized in the
        background; sync, before the server answers; direct, they go to storage without passing through the
        server; resumable, an upload cut short continues where it stopped.
      </p>
      <ModeToggle mode={mode} onChange={setMode} />
      <DropZone
        onFiles={(files) => {
          askToNotifyForBatch(files.length);
          addFiles(files, mode);
          if (mode === "resumable") unfinished.chosen(files);
        }}
      />
      <UnfinishedUploads uploads={unfinished.uploads} />
      {galleryError && (
        <p className={styles.notice} role="status">
          Earlier uploads could not be loaded. {describeError(galleryError)}
        </p>
      )}
      {items.length > 0 && (
        <ul className={styles.list} aria-label="Uploads">
          {items.map((item) => (
            <UploadCard key={item.key} upload={item} />
          ))}
        </ul>
      )}
    </>
  );
}
