import { useEffect, useId, useState, type DragEvent } from "react";
import styles from "./DropZone.module.css";

interface DropZoneProps {
  onFiles: (files: File[]) => void;
}

const carriesFiles = (event: DragEvent) => event.dataTransfer.types.includes("Files");

export function DropZone({ onFiles }: DropZoneProps) {
  const inputId = useId();
  const [dragging, setDragging] = useState(false);

  // A file dropped just outside the zone would otherwise replace the page,
  // and every upload in progress with it.
  useEffect(() => {
    const keepPage = (event: Event) => event.preventDefault();
    window.addEventListener("dragover", keepPage);
    window.addEventListener("drop", keepPage);
    return () => {
      window.removeEventListener("dragover", keepPage);
      window.removeEventListener("drop", keepPage);
    };
  }, []);

  return (
    <section
      className={styles.zone}
      data-dragging={dragging}
      aria-label="Add photos"
      onDragEnter={(event) => {
        if (carriesFiles(event)) setDragging(true);
      }}
      onDragOver={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = "copy";
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        onFiles(Array.from(event.dataTransfer.files));
      }}
    >
      <p className={styles.prompt}>Drop photos here</p>
      <input
        id={inputId}
        className={`visually-hidden ${styles.input}`}
        type="file"
        // Pickers that know no type for .heic would hide iPhone photos from image/* alone.
        accept="image/*,.heic,.heif"
        multiple
        onChange={(event) => {
          onFiles(Array.from(event.currentTarget.files ?? []));
          // Lets the same file be chosen again.
          event.currentTarget.value = "";
        }}
      />
      <label htmlFor={inputId} className={styles.button}>
        Choose photos
      </label>
      <p className={styles.formats}>JPEG, PNG, WebP, AVIF, GIF, TIFF or HEIC</p>
    </section>
  );
}
