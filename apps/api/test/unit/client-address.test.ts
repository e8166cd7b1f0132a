import { describe, expect, it } from "vitest";
import { clientOf } from "../../src/http/client-address";

describe("which client a request comes from", () => {
  it("is the IPv4 address, however the socket spells it", () => {
    expect(clientOf("203.0.113.7")).toBe("203.0.113.7");
    expect(clientOf("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("is the /56 of an IPv6 address: one household or site, whatever address it takes in it", () => {
    const client = clientOf("2001:db8:aa:bb01::1");
    expect(client).toBe("2001:db8:aa:bb00::/56");
    expect(clientOf("2001:db8:aa:bbff:ffff:ffff:ffff:ffff")).toBe(client);
    expect(clientOf("2001:db8:aa:bc00::1")).not.toBe(client);
  });

  it("is one unknown client when there is no address to read", () => {
    expect(clientOf(undefined)).toBe("unknown");
    expect(clientOf("not an address")).toBe("unknown");
  });
});
