import styles from "./App.module.css";
import { ComparePage } from "./compare/ComparePage";
import { UploadPage } from "./upload/UploadPage";

const PAGES = [
  { path: "/", title: "Upload", Page: UploadPage },
  { path: "/compare", title: "Compare", Page: ComparePage },
] as const;

export function App() {
  const current = PAGES.find((page) => page.path === location.pathname) ?? PAGES[0];
  return (
    <main className={current.path === "/compare" ? styles.widePage : styles.page}>
      <header className={styles.header}>
        <h1 className={styles.title}>Darkroom</h1>
        <nav aria-label="Pages" className={styles.nav}>
          {PAGES.map((page) => (
            <a key={page.path} href={page.path} aria-current={page === current ? "page" : undefined}>
              {page.title}
            </a>
          ))}
        </nav>
      </header>
      <current.Page />
    </main>
  );
}
