import { DropZone } from "../uploads/DropZone";
import { UploadCard } from "../uploads/UploadCard";
import { useUploads } from "../uploads/use-uploads";
import styles from "./UploadPage.module.css";

export function UploadPage() {
  const { items, addFiles } = useUploads();
  return (
    <>
      <p className={styles.lede}>
        Photos upload side by side, are resized in the background, and appear here the moment they are ready.
      </p>
      <DropZone onFiles={addFiles} />
      {items.length > 0 && (
        <ul className={styles.list} aria-label="Uploads">
          {items.map((item) => (
            <UploadCard key={item.localId} upload={item} />
          ))}
        </ul>
      )}
    </>
  );
}
