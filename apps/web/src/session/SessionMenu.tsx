import type { CurrentSession } from "@darkroom/contracts";
import { useEffect, useState } from "react";
import { useLocation } from "react-router";
import { sessionEnded, sessionStarted } from "../api/client";
import styles from "./SessionMenu.module.css";

/**
 * Who the browser is, when the deployment has a sign-in: a link to sign in
 * (back to this page after), or the account's name and a way out. An
 * anonymous browser of a deployment without sign-in sees nothing here.
 */
export function SessionMenu() {
  const [session, setSession] = useState<CurrentSession>();
  const { pathname } = useLocation();
  useEffect(() => {
    void sessionStarted().then(setSession);
  }, []);

  if (session?.account)
    return (
      <div className={styles.menu}>
        <span>
          {session.account.name}
          {session.account.admin && " (admin)"}
        </span>
        <button
          type="button"
          className={styles.action}
          onClick={() => void sessionEnded().then(() => location.assign("/"))}
        >
          Sign out
        </button>
      </div>
    );
  if (session?.signInUrl)
    return (
      <div className={styles.menu}>
        <a
          className={styles.action}
          href={`${session.signInUrl}?${new URLSearchParams({ returnTo: pathname })}`}
        >
          Sign in
        </a>
      </div>
    );
  return null;
}
