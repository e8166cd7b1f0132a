import type { UploadSnapshot } from "@darkroom/contracts";
import { useEffect, useState } from "react";
import { api, errorDetailOf, type ApiErrorDetail } from "../api/client";
import { followUploads } from "../api/socket";
import { isUnfinished, newestSnapshot } from "../uploads/newest-snapshot";

export type UploadState =
  | { state: "loading" }
  | { state: "loaded"; snapshot: UploadSnapshot }
  | { state: "error"; error: ApiErrorDetail };

/**
 * One upload, read from the API and followed live until it ends. What the
 * page already knows of it (`known`, from the gallery) shows at once, while
 * it is read again: the gallery's snapshot may be older.
 */
export function useUpload(id: string, known: UploadSnapshot | undefined): UploadState {
  const [upload, setUpload] = useState<{ id: string; state: UploadState }>({
    id,
    state: { state: "loading" },
  });

  useEffect(() => {
    let open = true;
    const set = (state: UploadState) => setUpload({ id, state });
    const receive = (snapshot: UploadSnapshot) =>
      setUpload((current) => ({
        id,
        state: {
          state: "loaded",
          snapshot:
            current.id === id && current.state.state === "loaded"
              ? newestSnapshot(current.state.snapshot, snapshot)
              : snapshot,
        },
      }));
    const following = followUploads({
      onSnapshot: receive,
      onError: (_id, error) => set({ state: "error", error }),
    });
    api.upload(id).then(
      (snapshot) => {
        if (!open) return;
        receive(snapshot);
        if (isUnfinished(snapshot)) following.follow(id);
      },
      (error: unknown) => open && set({ state: "error", error: errorDetailOf(error) }),
    );
    return () => {
      open = false;
      following.close();
    };
  }, [id]);

  if (upload.id === id && upload.state.state !== "loading") return upload.state;
  return known ? { state: "loaded", snapshot: known } : { state: "loading" };
}
