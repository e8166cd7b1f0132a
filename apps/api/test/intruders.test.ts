import { randomUUID } from "node:crypto";
import {
  directUploadSchema,
  recentUploadsSchema,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type UploadSnapshot,
  webhookSecretSchema,
} from "@darkroom/contracts";
import { noisyPhoto, solidImage } from "@darkroom/imaging/testing";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acceptedUpload,
  call,
  errorBody,
  newCaller,
  postUpload,
  socketCredentials,
  waitUntilFinished,
  type Caller,
} from "./support/client";
import { OIDC_ADMIN, signedIn, startTestApiWithSignIn } from "./support/sign-in";
import { ADMIN_HEADERS, startTestApi, type TestApi } from "./support/test-stack";
import { createResumable, createdAt, headResumable, patchResumable } from "./support/tus-client";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How owners and the admin say who they are: the suite runs through each. */
const identityPaths = [
  {
    name: "API tokens, and the admin's credentials",
    async start() {
      const api = await startTestApi();
      const admin: Caller = { url: api.url, headers: ADMIN_HEADERS };
      return { api, owner: api as Caller, another: await newCaller(api.url), admin };
    },
  },
  {
    name: "accounts signed in with OpenID Connect, and an admin account",
    async start() {
      const api = await startTestApiWithSignIn();
      const [owner, another, admin] = await Promise.all(
        ["grace", "mallory", OIDC_ADMIN].map((account) => signedIn(api.url, account)),
      );
      return { api, owner: owner!, another: another!, admin: admin! };
    },
  },
];

/**
 * Owner A's uploads, tried by everyone else: owner B, a caller with no
 * credentials at all (a new browser), and a caller with a token that is not
 * one. To them A's uploads do not exist: every answer is the 404 an unknown
 * id gets, never a 403 that would tell them apart. The queue's jobs need the
 * admin.
 */
describe.each(identityPaths)("intruders ($name): nobody sees or touches another owner's uploads", (path) => {
  let api: TestApi;
  let owner: Caller;
  let admin: Caller;
  let intruders: { name: string; caller: Caller }[];
  let completed: UploadSnapshot;
  let failedId: string;
  const sockets: Client[] = [];

  beforeAll(async () => {
    const started = await path.start();
    ({ api, owner, admin } = started);
    intruders = [
      { name: "another owner", caller: started.another },
      { name: "a caller with no session", caller: { url: api.url, headers: {} } },
    ];
    await api.startWorker();
    const { id } = await acceptedUpload(await postUpload(owner, await noisyPhoto(1200, 800), "mine.jpg"));
    completed = await waitUntilFinished(owner, id, 30_000);
    const whole = await solidImage(800, 600);
    const broken = await acceptedUpload(
      await postUpload(owner, whole.subarray(0, whole.byteLength / 2), "broken.jpg"),
    );
    failedId = (await waitUntilFinished(owner, broken.id, 30_000)).id;
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await api?.close();
  });

  it("the owner sees its uploads: the intruders below are refused, not everyone", async () => {
    expect(completed).toMatchObject({ status: "completed", original: { filename: "mine.jpg" } });
    const [variant] = completed.variants;
    const image = await fetch(variant!.url);
    expect(image.headers.get("content-type")).toBe(`image/${variant!.format}`);
    expect((await image.arrayBuffer()).byteLength).toBe(variant!.bytes);
    const listing = recentUploadsSchema.parse(await (await call(owner, "/api/uploads")).json());
    expect(listing.uploads.map((upload) => upload.id)).toEqual(
      expect.arrayContaining([completed.id, failedId]),
    );
  });

  it("answers 404 for the owner's status, which alone holds its variants' URLs, and for its downloads, as for an id that does not exist", async () => {
    for (const { name, caller } of intruders) {
      for (const path of [
        `/api/uploads/${completed.id}`,
        `/api/uploads/${failedId}`,
        `/api/uploads/${completed.id}/download/medium.webp`,
      ]) {
        const response = await call(caller, path);
        expect({ name, path, status: response.status }).toEqual({ name, path, status: 404 });
        expect((await errorBody(response)).error.code).toBe("NOT_FOUND");
      }
    }
  });

  it("answers 404 to deleting the owner's uploads, and they stay", async () => {
    for (const { caller } of intruders) {
      for (const id of [completed.id, failedId]) {
        expect((await call(caller, `/api/uploads/${id}`, { method: "DELETE" })).status).toBe(404);
      }
    }
    expect((await call(owner, `/api/uploads/${completed.id}`)).status).toBe(200);
    expect((await fetch(completed.variants[0]!.url)).status).toBe(200);
  });

  it("cannot fetch the owner's variants from storage: a signature tampered, taken to another key, or none, gets 403", async () => {
    const [another] = intruders;
    const { id } = await acceptedUpload(await postUpload(another!.caller, await noisyPhoto(400, 300)));
    const own = new URL((await waitUntilFinished(another!.caller, id, 30_000)).variants[0]!.url);
    expect((await fetch(own)).status).toBe(200);
    const target = new URL(completed.variants[0]!.url);
    const signature = target.searchParams.get("X-Amz-Signature")!;
    const tampered = new URL(target);
    tampered.searchParams.set(
      "X-Amz-Signature",
      `${signature.slice(0, -1)}${signature.endsWith("0") ? "1" : "0"}`,
    );
    const theirSignatureOnTheOwnersKey = new URL(own);
    theirSignatureOnTheOwnersKey.pathname = target.pathname;
    const unsigned = new URL(target.pathname, target.origin);

    for (const url of [tampered, theirSignatureOnTheOwnersKey, unsigned]) {
      expect({ url: url.href, status: (await fetch(url)).status }).toEqual({ url: url.href, status: 403 });
    }
  });

  it("lists none of the owner's uploads, even with a cursor from the owner's listing", async () => {
    const { nextCursor } = recentUploadsSchema.parse(
      await (await call(owner, "/api/uploads?limit=1")).json(),
    );
    for (const { caller } of intruders) {
      for (const path of ["/api/uploads", `/api/uploads?cursor=${nextCursor}`]) {
        const listing = recentUploadsSchema.parse(await (await call(caller, path)).json());
        expect(listing.uploads.map((upload) => upload.id)).not.toContain(completed.id);
        expect(listing.uploads.map((upload) => upload.id)).not.toContain(failedId);
      }
    }
  });

  it("cannot complete an upload the owner signed, which the owner then completes", async () => {
    const photo = await noisyPhoto(600, 400);
    const signing = await call(owner, "/api/uploads/direct", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ filename: "direct.jpg", bytes: photo.byteLength }),
    });
    const { id, upload } = directUploadSchema.parse(await signing.json());
    await fetch(upload.url, { method: upload.method, headers: upload.headers, body: photo });

    for (const { caller } of intruders) {
      const completing = await call(caller, `/api/uploads/${id}/complete`, { method: "POST" });
      expect(completing.status).toBe(404);
    }
    await acceptedUpload(await call(owner, `/api/uploads/${id}/complete`, { method: "POST" }));
  });

  it("cannot ask about, resume or cancel the owner's resumable upload", async () => {
    const photo = await noisyPhoto(600, 400);
    const location = createdAt(await createResumable(owner, photo.byteLength));
    expect((await patchResumable(owner, location, 0, photo.subarray(0, 1000))).status).toBe(204);

    for (const { caller } of intruders) {
      expect((await headResumable(caller, location)).status).toBe(404);
      expect((await patchResumable(caller, location, 1000, photo.subarray(1000))).status).toBe(404);
      const cancelling = await call(caller, location, {
        method: "DELETE",
        headers: { "Tus-Resumable": "1.0.0" },
      });
      expect(cancelling.status).toBe(404);
    }
    // Untouched by them: the owner resumes where it stopped.
    expect((await patchResumable(owner, location, 1000, photo.subarray(1000))).status).toBe(204);
  });

  it("gets its own upload, not the owner's answer, for the owner's Idempotency-Key", async () => {
    const key = randomUUID();
    const photo = await noisyPhoto(400, 300);
    const mine = await acceptedUpload(
      await postUpload(owner, photo, "a.jpg", undefined, { "Idempotency-Key": key }),
    );
    const [intruder] = intruders;
    const theirs = await acceptedUpload(
      await postUpload(intruder!.caller, photo, "a.jpg", undefined, { "Idempotency-Key": key }),
    );

    expect(theirs.id).not.toBe(mine.id);
  });

  it("hears nothing of the owner's upload over socket.io, however it subscribes", async () => {
    await api.queue.pause();
    const { id } = await acceptedUpload(await postUpload(owner, await noisyPhoto(1200, 800)));
    const intruder = io(api.url, {
      transports: ["websocket"],
      reconnection: false,
      ...socketCredentials(intruders[0]!.caller),
    });
    const follower = io(api.url, {
      transports: ["websocket"],
      reconnection: false,
      ...socketCredentials(owner),
    });
    sockets.push(intruder, follower);
    const heard: string[] = [];
    for (const event of ["upload:progress", "upload:completed", "upload:failed"] as const)
      intruder.on(event, () => heard.push(event));
    const ended = new Promise<void>((resolve) => follower.on("upload:completed", () => resolve()));

    expect(await intruder.emitWithAck("subscribe", id)).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    expect(await follower.emitWithAck("subscribe", id)).toMatchObject({ ok: true });
    await api.queue.resume();
    await ended;

    expect(heard).toEqual([]);
  });

  it("refuses a socket without credentials, or with a token that is not one", async () => {
    for (const auth of [{}, { token: "drk_not-a-token" }]) {
      const socket = io(api.url, { transports: ["websocket"], reconnection: false, auth });
      sockets.push(socket);
      const refusal = await new Promise<Error>((resolve) => socket.once("connect_error", resolve));
      expect(refusal.message).toMatch(/credentials|token/i);
    }
  });

  it("answers 401 to a bearer token that is unknown, or revoked", async () => {
    const revoked = await newCaller(api.url);
    expect((await call(revoked, "/api/sessions/current", { method: "DELETE" })).status).toBe(204);

    for (const caller of [revoked, { url: api.url, headers: { authorization: "Bearer drk_made-up" } }]) {
      const response = await call(caller, "/api/uploads");
      expect(response.status).toBe(401);
      expect((await errorBody(response)).error.code).toBe("UNAUTHENTICATED");
    }
  });

  it("cannot read, rotate or delete the owner's webhook secret: each caller only ever meets its own", async () => {
    const created = await call(owner, "/api/webhook-secret", { method: "POST" });
    expect(created.status).toBe(201);
    const mine = webhookSecretSchema.parse(await created.json());

    for (const { name, caller } of intruders) {
      expect({ name, status: (await call(caller, "/api/webhook-secret")).status }).toEqual({
        name,
        status: 404,
      });
      const theirs = await call(caller, "/api/webhook-secret", { method: "POST" });
      expect(webhookSecretSchema.parse(await theirs.json()).secret).not.toBe(mine.secret);
      // Its own secret; a caller with no session is a new browser at each call, and has none.
      expect([204, 404]).toContain((await call(caller, "/api/webhook-secret", { method: "DELETE" })).status);
    }
    for (const method of ["GET", "POST", "DELETE"]) {
      const forged = await call(
        { url: api.url, headers: { authorization: "Bearer drk_made-up" } },
        "/api/webhook-secret",
        {
          method,
        },
      );
      expect({ method, status: forged.status }).toEqual({ method, status: 401 });
    }
    // Neither rotated nor deleted by any of them.
    expect(await (await call(owner, "/api/webhook-secret")).json()).toEqual({ createdAt: mine.createdAt });
  });

  describe("the queue's jobs and dashboard", () => {
    const adminRoutes = () => [
      { method: "GET", path: "/api/jobs/counts" },
      { method: "GET", path: "/api/jobs/failed" },
      { method: "POST", path: `/api/jobs/${failedId}/retry` },
      { method: "DELETE", path: `/api/jobs/${failedId}` },
      { method: "GET", path: "/admin/queues" },
      { method: "GET", path: "/admin/queues/api/queues" },
    ];

    it("answer 401 to everyone but the admin, owners included, and act on nothing", async () => {
      const wrongPassword = { authorization: `Basic ${Buffer.from("admin:wrong").toString("base64")}` };
      const callers = [
        owner,
        ...intruders.map(({ caller }) => caller),
        { url: api.url, headers: wrongPassword },
      ];
      for (const caller of callers) {
        for (const { method, path } of adminRoutes()) {
          const response = await call(caller, path, { method });
          expect({ method, path, status: response.status }).toEqual({ method, path, status: 401 });
          expect(response.headers.get("www-authenticate")).toMatch(/^Basic/);
        }
      }
      expect(await waitUntilFinished(owner, failedId)).toMatchObject({ status: "failed" });
    });

    it("work for the admin", async () => {
      expect((await call(admin, "/api/jobs/counts")).status).toBe(200);
      expect((await call(admin, "/admin/queues")).status).toBe(200);
      const failed = (await (await call(admin, "/api/jobs/failed")).json()) as { jobs: { id: string }[] };
      expect(failed.jobs.map((job) => job.id)).toContain(failedId);
      expect((await call(admin, `/api/jobs/${failedId}`, { method: "DELETE" })).status).toBe(204);
      expect((await call(owner, `/api/uploads/${failedId}`)).status).toBe(404);
    });
  });
});
