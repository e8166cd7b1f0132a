import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { api, errorDetailOf, type ApiErrorDetail } from "../api/client";
import { followUploads, type UploadFollower } from "../api/socket";
import { preloadUploaders, uploadFile, type PageMode } from "../api/upload-file";
import { isUnfinished } from "./newest-snapshot";
import { initialUploadsState, uploadsReducer, type UploadItem } from "./uploads-reducer";

export interface Uploads {
  /** Newest first: the photos added here, then the gallery the server lists. */
  items: UploadItem[];
  addFiles: (files: readonly File[], mode: PageMode) => void;
  /** Why the gallery could not be loaded, if it could not. */
  galleryError: ApiErrorDetail | undefined;
}

/**
 * The gallery from the server, and every file added, uploaded all at once.
 * Each upload not yet finished is followed live until it ends, whether it
 * was added here or found in the gallery after a reload.
 */
export function useUploads(): Uploads {
  const [state, dispatch] = useReducer(uploadsReducer, initialUploadsState);
  const [galleryError, setGalleryError] = useState<ApiErrorDetail>();
  const follower = useRef<UploadFollower | null>(null);
  const nextKey = useRef(0);

  useEffect(() => {
    preloadUploaders();
    let open = true;
    const following = followUploads({
      onSnapshot: (snapshot) => dispatch({ type: "snapshot", snapshot }),
      onError: (uploadId, error) => dispatch({ type: "followFailed", uploadId, error }),
    });
    follower.current = following;
    api.recentUploads().then(
      (snapshots) => {
        if (!open) return;
        dispatch({ type: "listed", snapshots });
        snapshots.filter(isUnfinished).forEach((snapshot) => following.follow(snapshot.id));
      },
      (error: unknown) => open && setGalleryError(errorDetailOf(error)),
    );
    return () => {
      open = false;
      following.close();
    };
  }, []);

  const addFiles = useCallback((files: readonly File[], mode: PageMode) => {
    for (const file of files) {
      const key = `local-${nextKey.current++}`;
      dispatch({ type: "added", key, fileName: file.name, mode });
      const onSent = (percent: number) => dispatch({ type: "sent", key, percent });
      void uploadFile(file, mode, { onSent }).then((result) => {
        if (!result.ok) return dispatch({ type: "rejected", key, error: result.error });
        dispatch({ type: "accepted", key, snapshot: result.snapshot });
        if (isUnfinished(result.snapshot)) follower.current?.follow(result.snapshot.id);
      });
    }
  }, []);

  const items = state.order.flatMap((key) => state.byKey[key] ?? []);
  return { items, addFiles, galleryError };
}
