import { useCallback, useEffect, useReducer, useRef } from "react";
import { followUploads, type UploadFollower } from "../api/socket";
import { uploadFile } from "../api/upload-file";
import { initialUploadsState, uploadsReducer, type UploadItem } from "./uploads-reducer";

export interface Uploads {
  /** In the order the files were chosen. */
  items: UploadItem[];
  addFiles: (files: readonly File[]) => void;
}

/** Uploads every file added, all at once, and follows each one live until it ends. */
export function useUploads(): Uploads {
  const [state, dispatch] = useReducer(uploadsReducer, initialUploadsState);
  const follower = useRef<UploadFollower | null>(null);
  const nextLocalId = useRef(0);

  useEffect(() => {
    const following = followUploads({
      onSnapshot: (snapshot) => dispatch({ type: "snapshot", snapshot }),
      onError: (uploadId, error) => dispatch({ type: "followFailed", uploadId, error }),
    });
    follower.current = following;
    return () => following.close();
  }, []);

  const addFiles = useCallback((files: readonly File[]) => {
    for (const file of files) {
      const localId = `upload-${nextLocalId.current++}`;
      dispatch({ type: "added", localId, fileName: file.name });
      void uploadFile(file, (percent) => dispatch({ type: "sent", localId, percent })).then((result) => {
        if (!result.ok) {
          dispatch({ type: "rejected", localId, error: result.error });
          return;
        }
        dispatch({ type: "accepted", localId, accepted: result.accepted });
        follower.current?.follow(result.accepted.id);
      });
    }
  }, []);

  const items = state.order.flatMap((localId) => state.byLocalId[localId] ?? []);
  return { items, addFiles };
}
