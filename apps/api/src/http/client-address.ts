import ipaddr from "ipaddr.js";

/**
 * Which client a request comes from, for every per-client limit: its IPv4
 * address, or the /56 its IPv6 address is in. An ISP gives a household or a
 * small site a /56 (a /48 at most), so every address in it is one client;
 * keyed by the full address, one /64 alone would be 2^64 clients.
 * `ip` is Express's `req.ip`, which honours `trust proxy`.
 */
export function clientOf(ip: string | undefined): string {
  if (!ip || !ipaddr.isValid(ip)) return "unknown";
  // IPv4 clients reach a dual-stack server as IPv4-mapped IPv6 addresses.
  const address = ipaddr.process(ip);
  if (address.kind() === "ipv4") return address.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/56`).toString()}/56`;
}
