/**
 * The headers every page of the web app is sent with: in production by
 * nginx (`nginx.conf.template`, which a test holds to this), and by Vite's
 * preview server, which the e2e suite runs against. The Content-Security-
 * Policy allows the app's own scripts, styles and images (and the inline
 * favicon), images from object storage (variants load from presigned URLs),
 * and connections to its own origin (the API, socket.io) and to object
 * storage, where direct uploads go. Vite's dev server sends none: its hot
 * reload runs inline scripts.
 */
export function securityHeaders(storageOrigin: string): Record<string, string> {
  return {
    "Content-Security-Policy": [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      `img-src 'self' data: ${storageOrigin}`,
      `connect-src 'self' ${storageOrigin}`,
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join("; "),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
  };
}
