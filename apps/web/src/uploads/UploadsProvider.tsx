import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  type ReactNode,
} from "react";
import { api, errorDetailOf } from "../api/client";
import { followUploads, type UploadFollower } from "../api/socket";
import { uploadFile, type PageMode } from "../api/upload-file";
import { useDoneWhileAway } from "./done-while-away";
import { isUnfinished } from "./newest-snapshot";
import { initialUploadsState, uploadsReducer, type ListingState, type UploadItem } from "./uploads-reducer";

/** How many uploads a page of the gallery lists: more than a laptop's first screen shows. */
export const GALLERY_PAGE_SIZE = 30;

export interface Uploads {
  /** Newest first: the photos added here, then the gallery the server lists. */
  items: UploadItem[];
  listing: ListingState;
  /** Lists the gallery's first page, unless it is listed or on its way already. */
  listFirstPage: () => void;
  /** Lists the page after the last one, if there is one and none is on its way. */
  listMore: () => void;
  addFiles: (files: readonly File[], mode: PageMode) => void;
  /** Takes an upload its owner has deleted off the page. */
  removed: (uploadId: string) => void;
}

const UploadsContext = createContext<Uploads | null>(null);

/** The uploads of `UploadsProvider`. */
export function useUploads(): Uploads {
  const uploads = useContext(UploadsContext);
  if (!uploads) throw new Error("useUploads is used outside an UploadsProvider");
  return uploads;
}

/**
 * The gallery from the server, page by page, and every file added, uploaded
 * all at once. Each upload not yet finished is followed live until it ends,
 * whether it was added here or found in the gallery. Above the pages, so
 * that uploads go on, and the gallery stays as it was, while another page of
 * the app is open.
 */
export function UploadsProvider({ children }: { children: ReactNode }) {
  const [state, dispatch] = useReducer(uploadsReducer, initialUploadsState);
  const follower = useRef<UploadFollower | null>(null);
  const nextKey = useRef(0);
  /** Where the next page starts; `null` when there is none; `undefined` before the first. */
  const cursor = useRef<string | null | undefined>(undefined);
  const listingNow = useRef(false);

  useEffect(
    () => () => {
      follower.current?.close();
      follower.current = null;
    },
    [],
  );

  /** The socket opens with the first upload to follow, not before. */
  const follow = useCallback((uploadId: string) => {
    follower.current ??= followUploads({
      onSnapshot: (snapshot) => dispatch({ type: "snapshot", snapshot }),
      onError: (id, error) => dispatch({ type: "followFailed", uploadId: id, error }),
    });
    follower.current.follow(uploadId);
  }, []);

  const listMore = useCallback(() => {
    if (listingNow.current || cursor.current === null) return;
    listingNow.current = true;
    dispatch({ type: "listing" });
    api.uploadsPage(GALLERY_PAGE_SIZE, cursor.current).then(
      ({ uploads, nextCursor }) => {
        listingNow.current = false;
        cursor.current = nextCursor ?? null;
        dispatch({ type: "listed", snapshots: uploads, more: nextCursor !== undefined });
        uploads.filter(isUnfinished).forEach((snapshot) => follow(snapshot.id));
      },
      (error: unknown) => {
        listingNow.current = false;
        dispatch({ type: "listingFailed", error: errorDetailOf(error) });
      },
    );
  }, [follow]);

  const listFirstPage = useCallback(() => {
    if (cursor.current === undefined) listMore();
  }, [listMore]);

  const addFiles = useCallback(
    (files: readonly File[], mode: PageMode) => {
      for (const file of files) {
        const key = `local-${nextKey.current++}`;
        dispatch({ type: "added", key, fileName: file.name, mode });
        const onSent = (percent: number) => dispatch({ type: "sent", key, percent });
        void uploadFile(file, mode, { onSent }).then((result) => {
          if (!result.ok) return dispatch({ type: "rejected", key, error: result.error });
          dispatch({ type: "accepted", key, snapshot: result.snapshot });
          if (isUnfinished(result.snapshot)) follow(result.snapshot.id);
        });
      }
    },
    [follow],
  );

  const removed = useCallback((uploadId: string) => dispatch({ type: "removed", uploadId }), []);

  const items = useMemo(
    () => state.order.flatMap((key) => state.byKey[key] ?? []),
    [state.order, state.byKey],
  );
  useDoneWhileAway(items);
  const uploads = useMemo(
    () => ({ items, listing: state.listing, listFirstPage, listMore, addFiles, removed }),
    [items, state.listing, listFirstPage, listMore, addFiles, removed],
  );
  return <UploadsContext.Provider value={uploads}>{children}</UploadsContext.Provider>;
}
