import styles from "./App.module.css";
import { DropZone } from "./uploads/DropZone";
import { UploadCard } from "./uploads/UploadCard";
import { useUploads } from "./uploads/use-uploads";

export function App() {
  const { items, addFiles } = useUploads();
  return (
    <main className={styles.page}>
      <header className={styles.header}>
        <h1 className={styles.title}>Darkroom</h1>
        <p className={styles.lede}>
          Photos upload side by side, are resized in the background, and appear here the moment they are
          ready.
        </p>
      </header>
      <DropZone onFiles={addFiles} />
      {items.length > 0 && (
        <ul className={styles.list} aria-label="Uploads">
          {items.map((item) => (
            <UploadCard key={item.localId} upload={item} />
          ))}
        </ul>
      )}
    </main>
  );
}
