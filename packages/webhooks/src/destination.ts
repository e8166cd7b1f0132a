import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import type { DestinationPolicy } from "./config";

/** A webhook destination that is not allowed: its URL, or the address it resolves to. */
export class DestinationRefused extends Error {
  override readonly name = "DestinationRefused";
}

/** A destination checked once: its URL, and the one address every connection to it goes to. */
export interface CheckedDestination {
  url: URL;
  address: string;
  family: 4 | 6;
}

export type Resolve = (hostname: string) => Promise<{ address: string; family: number }[]>;

const resolveAll: Resolve = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** Longer than any receiver needs; a URL is stored in every job that notifies. */
const MAX_URL_LENGTH = 2048;

/** The URL itself, before any DNS: http(s), no credentials in it, not too long. */
export function parseNotifyUrl(raw: string): URL {
  if (raw.length > MAX_URL_LENGTH) throw new DestinationRefused(`The URL is longer than ${MAX_URL_LENGTH}.`);
  if (!URL.canParse(raw)) throw new DestinationRefused("It is not an absolute URL.");
  const url = new URL(raw);
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new DestinationRefused("Only http and https URLs receive webhooks.");
  if (url.username || url.password)
    throw new DestinationRefused("The URL may not carry credentials: check the signature instead.");
  url.hash = "";
  return url;
}

/**
 * Whether a connection may go to `address`: a public unicast address, or
 * one in a network the deployment allows. An IPv4 address written as IPv6
 * (`::ffff:10.0.0.1`) is judged as the IPv4 address it is.
 */
export function addressAllowed(address: string, policy: DestinationPolicy): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const inAllowed = policy.allowed.some(
    ([network, bits]) => network.kind() === parsed.kind() && parsed.match(network, bits),
  );
  return inAllowed || parsed.range() === "unicast";
}

/**
 * Resolves the URL's host once and checks every address it has: one address
 * refused refuses the host, or a name with a public and a private address
 * would reach the private one on some connections. The caller connects to
 * the address returned, never to the name again, so that a name answering
 * differently a moment later (DNS rebinding) changes nothing.
 *
 * @throws DestinationRefused, also when the name does not resolve.
 */
export async function checkDestination(
  url: URL,
  policy: DestinationPolicy,
  resolve: Resolve = resolveAll,
): Promise<CheckedDestination> {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const addresses = ipaddr.isValid(host)
    ? [{ address: host, family: ipaddr.parse(host).kind() === "ipv6" ? 6 : 4 }]
    : await resolve(host).catch((error: unknown) => {
        throw new DestinationRefused(`${host} does not resolve.`, { cause: error });
      });
  const [first] = addresses;
  if (!first) throw new DestinationRefused(`${host} does not resolve.`);
  if (addresses.some(({ address }) => !addressAllowed(address, policy)))
    throw new DestinationRefused(
      `${host} is, or resolves to, a private, loopback, link-local or reserved address.`,
    );
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
