/**
 * Links in model output. The webview never navigates away from the app (the Rust side blocks
 * it), so a click on a link in an answer or a reasoning trace is intercepted here: only a plain
 * absolute http(s) URL may be offered for the system browser, after the user confirms.
 */

/**
 * The URL `href` may be opened at, or null. Strict on purpose: the href must start with
 * "http://" or "https://" exactly (no leading whitespace, no control characters or entity
 * tricks anywhere), parse as an absolute URL with a host, and carry no user:password@ part
 * (which makes "https://trusted.example@evil.example" look like another site).
 */
export function externalUrl(href: string | null | undefined): URL | null {
  if (typeof href !== "string") return null;
  // Whitespace, C0/C1 controls, and the invisible separators browsers strip from schemes.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff]/.test(href)) return null;
  if (!/^https?:\/\/[^/\\]/i.test(href)) return null;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (!url.hostname || url.username || url.password) return null;
  return url;
}

/** The URL shown in the confirmation, cut around its host so the host can be emphasised. */
export function urlParts(url: URL): { before: string; host: string; after: string } {
  const before = `${url.protocol}//`;
  const href = url.href;
  if (href.startsWith(before + url.host)) {
    return { before, host: url.host, after: href.slice(before.length + url.host.length) };
  }
  return { before: "", host: "", after: href };
}

/** The link a click inside `container` landed on, if any. */
export function clickedLink(ev: Event, container: Element): HTMLAnchorElement | null {
  const target = ev.target;
  if (!(target instanceof Element)) return null;
  const a = target.closest("a[href]");
  return a instanceof HTMLAnchorElement && container.contains(a) ? a : null;
}
