import { Link, useLocation } from "react-router";
import styles from "./NotFoundPage.module.css";
import { usePageTitle } from "./page-title";

/** Any path the app has no page for. */
export function NotFoundPage() {
  const { pathname } = useLocation();
  usePageTitle("Page not found");
  return (
    <section className={styles.page}>
      <h2 className={styles.title}>Page not found</h2>
      <p>
        Nothing here has the address <code className={styles.path}>{pathname}</code>.
      </p>
      <p>
        <Link to="/">Go to your photos</Link>
      </p>
    </section>
  );
}
