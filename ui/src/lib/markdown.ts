/**
 * The ONE place where untrusted model output (answers and reasoning traces)
 * becomes HTML. Everything rendered with `{@html}` must come from
 * `renderMarkdown`.
 *
 * Policy:
 * - markdown → HTML with `marked` (GFM), then sanitized with a dedicated
 *   DOMPurify instance (HTML profile only: no SVG, no MathML);
 * - no script/style/iframe/object/embed/form/… elements, no images at all
 *   (remote images are forbidden by the CSP anyway, data: images are dropped);
 * - no `on*` handlers, no `style`/`id`/`name` attributes, `class` only for
 *   code-block language hints;
 * - href only for http(s), mailto and #anchors; links open in a new context
 *   with rel="noopener noreferrer".
 */
import { Marked } from "marked";
import DOMPurify from "dompurify";

const SAFE_HREF = /^(?:https?:|mailto:|#)/i;
// For DOMPurify's generic attribute check: plain values (align="left",
// start="3") pass, but the only URL schemes allowed are http(s) and mailto.
// href itself is further restricted to SAFE_HREF by the hooks below.
const ALLOWED_URI = /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;
// Characters browsers ignore inside URL schemes (whitespace and C0 controls).
// eslint-disable-next-line no-control-regex
const URL_JUNK = /[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u180e\u2000-\u2029\u205f\u3000\ufeff]/g;

const FORBID_TAGS = [
  "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
  "form", "input", "button", "textarea", "select", "option", "label", "fieldset",
  "link", "meta", "base", "title", "noscript", "template", "slot", "portal",
  "img", "picture", "source", "video", "audio", "track", "canvas", "map", "area",
  "svg", "math", "dialog", "marquee",
];
const FORBID_ATTR = [
  "style", "id", "name", "src", "srcset", "action", "formaction", "xlink:href",
  "background", "poster", "ping", "download", "target", "rel", "autofocus",
  "tabindex", "contenteditable", "popover", "popovertarget",
];

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function isSafeHref(raw: string): boolean {
  return SAFE_HREF.test(raw.replace(URL_JUNK, ""));
}

const markdown = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    // GFM task lists: no <input> elements in model output.
    checkbox({ checked }) {
      return checked ? "☑ " : "☐ ";
    },
    // No images from model output (the CSP blocks remote ones anyway): show the alt text.
    image({ text }) {
      return text ? `[image: ${escapeHtml(text)}]` : "";
    },
  },
});

type Purifier = ReturnType<typeof DOMPurify>;
let purifier: Purifier | null = null;

function getPurifier(): Purifier {
  if (purifier) return purifier;
  // A private instance so hooks never leak into other users of DOMPurify.
  const p = DOMPurify(window);
  p.addHook("uponSanitizeAttribute", (_node, data) => {
    const name = data.attrName.toLowerCase();
    if (name.startsWith("on")) {
      data.keepAttr = false;
      return;
    }
    if (name === "href" && !isSafeHref(data.attrValue)) {
      data.keepAttr = false;
      return;
    }
    if (name === "class") {
      const langs = data.attrValue
        .split(/\s+/)
        .filter((c) => /^language-[\w+#.-]{1,40}$/.test(c));
      if (langs.length === 0) data.keepAttr = false;
      else data.attrValue = langs.join(" ");
    }
  });
  p.addHook("afterSanitizeAttributes", (node) => {
    if (!(node instanceof Element)) return;
    // Belt and braces: nothing event-like or URL-like survives unchecked.
    for (const attr of Array.from(node.attributes)) {
      const n = attr.name.toLowerCase();
      if (n.startsWith("on") || n === "src" || n === "srcset" || n === "style") {
        node.removeAttribute(attr.name);
      } else if (n === "href" && !isSafeHref(attr.value)) {
        node.removeAttribute(attr.name);
      }
    }
    if (node.tagName === "A" && node.hasAttribute("href")) {
      const href = node.getAttribute("href") ?? "";
      if (!href.startsWith("#")) {
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer");
      }
    }
  });
  purifier = p;
  return p;
}

export function sanitizeHtml(html: string): string {
  return getPurifier().sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS,
    FORBID_ATTR,
    ALLOWED_URI_REGEXP: ALLOWED_URI,
    ALLOW_DATA_ATTR: false,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    SAFE_FOR_TEMPLATES: false,
    WHOLE_DOCUMENT: false,
    RETURN_TRUSTED_TYPE: false,
  }) as string;
}

/** Markdown (untrusted model output) → sanitized HTML string. */
export function renderMarkdown(md: string): string {
  if (!md) return "";
  const html = markdown.parse(md, { async: false }) as string;
  return sanitizeHtml(html);
}
