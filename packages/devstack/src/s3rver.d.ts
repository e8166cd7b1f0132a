declare module "@20minutes/s3rver" {
  interface S3rverOptions {
    directory: string;
    address?: string;
    port?: number;
    silent?: boolean;
    allowMismatchedSignatures?: boolean;
    configureBuckets?: { name: string; configs: Buffer[] }[];
  }
  /** The part of s3rver's filesystem store that the multipart extras read. */
  export interface S3rverStore {
    getResourcePath(bucket: string, key: string | undefined, resource: string): string;
    getBucket(bucket: string): Promise<object | null>;
    /** Rejects when there is no such object. */
    getMetadata(bucket: string, key: string): Promise<Record<string, string>>;
  }
  /** The part of a Koa context that the multipart extras use. */
  export interface S3rverContext {
    method: string;
    /** Not decoded. */
    path: string;
    headers: Record<string, string | undefined>;
    querystring: string;
    status: number;
    body: unknown;
  }
  export type S3rverMiddleware = (ctx: S3rverContext, next: () => Promise<void>) => Promise<void>;
  export default class S3rver {
    constructor(options: S3rverOptions);
    /** Koa's middleware stack, composed when the server starts listening; s3rver's router is last. */
    middleware: S3rverMiddleware[];
    store: S3rverStore;
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}

declare module "@20minutes/s3rver/lib/models/error.js" {
  /** Thrown from a middleware, s3rver answers with `<Error><Code>…` and the code's status. */
  export default class S3Error extends Error {
    constructor(code: string, message?: string, detail?: Record<string, string>);
  }
}
