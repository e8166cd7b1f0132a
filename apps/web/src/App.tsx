import { BrowserRouter, Link, Route, Routes, useLocation, useMatch } from "react-router";
import styles from "./App.module.css";
import { ComparePage } from "./compare/ComparePage";
import { NotFoundPage } from "./NotFoundPage";
import { QueuePage } from "./queue/QueuePage";
import { useScrollRestoration } from "./scroll-restoration";
import { SessionMenu } from "./session/SessionMenu";
import { UploadPage } from "./uploads/UploadPage";
import { UploadsProvider } from "./uploads/UploadsProvider";
import { ViewerPage } from "./viewer/ViewerPage";

export function App() {
  return (
    <BrowserRouter>
      <UploadsProvider>
        <Layout />
      </UploadsProvider>
    </BrowserRouter>
  );
}

/** The navigation's sections; a photo's viewer belongs to the photos. */
function useSection(): string | undefined {
  const photo = useMatch("/uploads/:id");
  const { pathname } = useLocation();
  if (photo || pathname === "/") return "/";
  return ["/queue", "/compare"].find((section) => pathname === section);
}

const NAV = [
  { path: "/", title: "Photos" },
  { path: "/queue", title: "Queue" },
  { path: "/compare", title: "Compare" },
] as const;

function Layout() {
  const section = useSection();
  useScrollRestoration();
  return (
    <main className={section === "/queue" ? styles.page : styles.widePage}>
      <header className={styles.header}>
        <h1 className={styles.title}>Darkroom</h1>
        <nav aria-label="Pages" className={styles.nav}>
          {NAV.map((entry) => (
            <Link key={entry.path} to={entry.path} aria-current={entry.path === section ? "page" : undefined}>
              {entry.title}
            </Link>
          ))}
        </nav>
        <SessionMenu />
      </header>
      <Routes>
        <Route index element={<UploadPage />} />
        <Route path="uploads/:id" element={<ViewerPage />} />
        <Route path="queue" element={<QueuePage />} />
        <Route path="compare" element={<ComparePage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </main>
  );
}
