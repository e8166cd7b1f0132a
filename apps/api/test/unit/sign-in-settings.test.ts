import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/env";

describe("the sign-in's settings", () => {
  const client = {
    OIDC_CLIENT_ID: "darkroom",
    OIDC_CLIENT_SECRET: "a-client-secret",
    OIDC_REDIRECT_URI: "https://photos.example.com/api/auth/callback",
  };

  it("has no sign-in without an issuer: browsers are anonymous owners", () => {
    expect(loadConfig({}).identity.oidc).toBeUndefined();
    expect(loadConfig({ OIDC_ISSUER: "" }).identity.oidc).toBeUndefined();
  });

  it("takes an https issuer with its client, and the admin claim", () => {
    const oidc = loadConfig({
      OIDC_ISSUER: "https://login.example.com/realms/darkroom",
      ...client,
      OIDC_ADMIN_VALUE: "darkroom-admins",
    }).identity.oidc;

    expect(oidc).toMatchObject({
      issuer: new URL("https://login.example.com/realms/darkroom"),
      clientId: "darkroom",
      redirectUri: new URL(client.OIDC_REDIRECT_URI),
      scope: "openid profile",
      admin: { claim: "groups", value: "darkroom-admins" },
    });
  });

  it("refuses an issuer without its client's settings", () => {
    for (const missing of Object.keys(client)) {
      const settings = { OIDC_ISSUER: "https://login.example.com", ...client, [missing]: "" };
      expect(() => loadConfig(settings)).toThrow(/OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_REDIRECT_URI/);
    }
  });

  it("refuses a plain-http issuer, except on a loopback address for development", () => {
    expect(() => loadConfig({ OIDC_ISSUER: "http://login.example.com", ...client })).toThrow(/https/);
    for (const issuer of ["http://127.0.0.1:4000", "http://localhost:4000", "http://[::1]:4000"])
      expect(loadConfig({ OIDC_ISSUER: issuer, ...client }).identity.oidc?.issuer.href).toBe(`${issuer}/`);
  });
});
