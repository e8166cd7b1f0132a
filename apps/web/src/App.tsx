import type { ReactNode } from "react";
import styles from "./App.module.css";
import { ComparePage } from "./compare/ComparePage";
import { UploadDetailPage } from "./detail/UploadDetailPage";
import { QueuePage } from "./queue/QueuePage";
import { SessionMenu } from "./session/SessionMenu";
import { UploadPage } from "./uploads/UploadPage";

const NAV = [
  { path: "/", title: "Upload" },
  { path: "/queue", title: "Queue" },
  { path: "/compare", title: "Compare" },
] as const;

/** The page for a path, and the navigation entry it belongs to. */
function route(path: string): { page: ReactNode; section: string; wide?: boolean } {
  const uploadId = /^\/uploads\/([^/]+)$/.exec(path)?.[1];
  if (uploadId) return { page: <UploadDetailPage id={decodeURIComponent(uploadId)} />, section: "/" };
  if (path === "/queue") return { page: <QueuePage />, section: "/queue" };
  if (path === "/compare") return { page: <ComparePage />, section: "/compare", wide: true };
  return { page: <UploadPage />, section: "/" };
}

export function App() {
  const { page, section, wide } = route(location.pathname);
  return (
    <main className={wide ? styles.widePage : styles.page}>
      <header className={styles.header}>
        <h1 className={styles.title}>Darkroom</h1>
        <nav aria-label="Pages" className={styles.nav}>
          {NAV.map((entry) => (
            <a key={entry.path} href={entry.path} aria-current={entry.path === section ? "page" : undefined}>
              {entry.title}
            </a>
          ))}
        </nav>
        <SessionMenu />
      </header>
      {page}
    </main>
  );
}
