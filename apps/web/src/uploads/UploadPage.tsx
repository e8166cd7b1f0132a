import { useEffect, useState } from "react";
import { preloadUploaders, type PageMode } from "../api/upload-file";
import { usePageTitle } from "../page-title";
import { askToNotifyForBatch } from "./done-while-away";
import { DropZone } from "./DropZone";
import { Gallery } from "./Gallery";
import { ModeToggle } from "./ModeToggle";
import { UnfinishedUploads, useUnfinishedUploads } from "./UnfinishedUploads";
import styles from "./UploadPage.module.css";
import { useUploads } from "./UploadsProvider";

export function UploadPage() {
  const { addFiles } = useUploads();
  const [mode, setMode] = useState<PageMode>("queued");
  const unfinished = useUnfinishedUploads();
  usePageTitle("Upload photos");
  useEffect(preloadUploaders, []);
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
      <Gallery />
    </>
  );
}
