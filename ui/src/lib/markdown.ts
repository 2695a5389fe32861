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
 *
 * Math (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`) is rendered by KaTeX with
 * `trust: false` (no \href, \url, \includegraphics, \html…) and kept apart
 * from the model's own HTML:
 * - the markdown pass leaves an unguessable placeholder (a per-render random
 *   nonce) where each formula goes, and the model's HTML is sanitized with
 *   the strict policy above, which has no MathML, SVG, `style` or free `class`;
 * - each KaTeX fragment is sanitized on its own by a second DOMPurify
 *   instance that allows only what KaTeX emits: its spans with KaTeX class
 *   names, `style` restricted to a few layout properties with plain numeric
 *   values (and colours), the MathML elements of its accessible copy, and
 *   the SVG paths/lines of stretchy glyphs;
 * - the fragments are put in place of their placeholders as DOM nodes (never
 *   by string splicing), in text positions only.
 */
import { Marked, type TokenizerAndRendererExtension } from "marked";
import DOMPurify from "dompurify";
import katex from "katex";
import "katex/dist/katex.min.css";
import "./markdown.css";

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

// ---------------------------------------------------------------------------
// Math: tokenizing, KaTeX, and the KaTeX-only sanitizer.

/** Longer formulas are left as text (KaTeX cost while streaming). */
const MAX_TEX = 4000;

interface RenderState {
  nonce: string;
  formulas: { tex: string; display: boolean }[];
  /** Block-start candidates already checked, by distance from the end of the source. */
  blockChecked: Map<number, { probe: string; ok: boolean }>;
}
// Set only during the synchronous `markdown.parse` inside `renderMarkdown`.
let current: RenderState | null = null;

function placeholder(tex: string, display: boolean): string {
  if (!current || tex.length > MAX_TEX) {
    const delim = display ? "$$" : "$";
    return escapeHtml(delim + tex + delim);
  }
  current.formulas.push({ tex, display });
  return `${current.nonce}${current.formulas.length - 1}Z`;
}

// Inline `$…$`: something other than a space right after the opening `$` and
// right before the closing one, no digit right after it, on one line. So
// "costs $5 and $10" stays text.
const INLINE_DOLLAR = /^\$(?![\s$])((?:\\[^\n]|[^\\$\n]){1,4000}?)(?<![\s\\])\$(?!\d)/;
// `$$…$$` inside a paragraph (display math).
const INLINE_DISPLAY = /^\$\$(?!\$)((?:\\[\s\S]|[^\\$]){1,4000}?)\$\$/;
// `\(…\)` inline.
const INLINE_PAREN = /^\\\(((?:[^\\\n]|\\(?!\))[^\n]){1,4000}?)\\\)/;
// A `$$…$$` or `\[…\]` block on its own lines.
const BLOCK_MATH = /^ {0,3}(?:\$\$((?:\\[\s\S]|[^\\$]){1,4000}?)\$\$|\\\[([\s\S]{1,4000}?)\\\])[ \t]*(?:\n+|$)/;

// Where a math block could interrupt a paragraph. Marked asks again for every block with the
// rest of the source, so each candidate line is checked once per render: by its distance from
// the end, which does not change as the source is consumed (the probe tells apart the nested
// sources of quotes and list items; a wrong guess would only split a paragraph).
function blockStart(src: string): number | undefined {
  const re = /(?:^|\n) {0,3}(?:\$\$|\\\[)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(src))) {
    const at = m[0].startsWith("\n") ? m.index + 1 : m.index;
    const key = src.length - at;
    const probe = src.slice(at, at + 64);
    let seen = current?.blockChecked.get(key);
    if (!seen || seen.probe !== probe) {
      seen = { probe, ok: BLOCK_MATH.test(src.slice(at, at + MAX_TEX + 16)) };
      current?.blockChecked.set(key, seen);
    }
    if (seen.ok) return at;
    re.lastIndex = at + 1;
  }
  return undefined;
}

function inlineStart(src: string): number | undefined {
  const m = /\$|\\\(/.exec(src);
  return m ? m.index : undefined;
}

const mathBlock: TokenizerAndRendererExtension = {
  name: "mathBlock",
  level: "block",
  start: blockStart,
  tokenizer(src) {
    const m = BLOCK_MATH.exec(src);
    if (!m) return undefined;
    const tex = (m[1] ?? m[2] ?? "").trim();
    if (!tex) return undefined;
    return { type: "mathBlock", raw: m[0], tex };
  },
  renderer(token) {
    return `<p>${placeholder(token.tex as string, true)}</p>\n`;
  },
};

const mathInline: TokenizerAndRendererExtension = {
  name: "mathInline",
  level: "inline",
  start: inlineStart,
  tokenizer(src) {
    let m = INLINE_DISPLAY.exec(src);
    if (m && m[1].trim()) return { type: "mathInline", raw: m[0], tex: m[1].trim(), display: true };
    m = INLINE_DOLLAR.exec(src) ?? INLINE_PAREN.exec(src);
    if (m && m[1].trim()) return { type: "mathInline", raw: m[0], tex: m[1].trim(), display: false };
    return undefined;
  },
  renderer(token) {
    return placeholder(token.tex as string, token.display as boolean);
  },
};

// KaTeX's inline `style`: only these properties, only plain values.
const STYLE_PROPS = new Set([
  "height", "width", "min-width", "max-width", "top", "bottom", "left", "right",
  "vertical-align", "margin-left", "margin-right", "margin-top", "margin-bottom",
  "padding-left", "padding-right", "padding-top", "padding-bottom",
  "border-bottom-width", "border-top-width", "border-right-width", "border-left-width",
  "border-width", "border-style", "border-color", "border-right-style",
  "color", "background-color",
  // Lists of lengths ("0 -0.025em"; \pmb's "0.02em 0.01em 0.04px").
  "margin", "text-shadow",
  // Only "relative" (big operators).
  "position",
]);
const LENGTH = /^(-?)(\d+(?:\.\d+)?|\.\d+)(em|ex|px|pt|mu|%)?$/;
const COLOR = /^(?:#[0-9a-f]{3,8}|[a-z]{3,24})$/i;
const BORDER_STYLE = /^(?:solid|dashed|dotted|double|none)$/;
// Nothing KaTeX lays out needs more: keeps crafted \raisebox etc. from
// throwing content far over the rest of the page.
const MAX_LENGTH_EM = 60;

function cleanLength(value: string): string | null {
  const m = LENGTH.exec(value);
  if (!m) return null;
  const unit = m[3] ?? "";
  const max = unit === "%" ? 100 : unit === "px" || unit === "pt" ? MAX_LENGTH_EM * 16 : MAX_LENGTH_EM;
  const n = Math.min(Number(m[2]), max);
  return `${m[1]}${n}${unit}`;
}

/** A KaTeX `style` value, reduced to allowed declarations; "" when none remain. */
export function cleanMathStyle(style: string): string {
  const out: string[] = [];
  for (const decl of style.split(";")) {
    const i = decl.indexOf(":");
    if (i < 0) continue;
    const prop = decl.slice(0, i).trim().toLowerCase();
    const value = decl.slice(i + 1).trim().toLowerCase();
    if (!STYLE_PROPS.has(prop)) continue;
    if (prop.endsWith("color")) {
      if (COLOR.test(value)) out.push(`${prop}:${value}`);
    } else if (prop.endsWith("style")) {
      if (BORDER_STYLE.test(value)) out.push(`${prop}:${value}`);
    } else if (prop === "position") {
      if (value === "relative") out.push("position:relative");
    } else {
      const parts = value.split(/\s+/);
      if (parts.length > (prop === "margin" || prop === "text-shadow" ? 4 : 1)) continue;
      const lengths = parts.map(cleanLength);
      if (lengths.every((l) => l !== null)) out.push(`${prop}:${lengths.join(" ")}`);
    }
  }
  return out.join(";");
}

const MATH_CLASS = /^[a-z][a-z0-9-]{0,40}$/;

const MATH_TAGS = [
  "span",
  // MathML (KaTeX's accessible copy).
  "math", "semantics", "annotation", "mrow", "mi", "mo", "mn", "ms", "mtext", "mspace",
  "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover",
  "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose",
  // SVG of stretchy glyphs (\sqrt, arrows, braces, \cancel).
  "svg", "path", "line",
];
const MATH_ATTRS = [
  "class", "style", "aria-hidden", "title",
  "xmlns", "display", "encoding", "mathvariant", "mathcolor", "mathbackground",
  "accent", "accentunder", "stretchy", "fence", "separator", "lspace", "rspace",
  "minsize", "maxsize", "symmetric", "largeop", "movablelimits", "linethickness",
  "scriptlevel", "displaystyle", "notation", "voffset", "depth", "linebreak",
  "rowspacing", "columnspacing", "columnalign", "rowalign", "columnlines", "rowlines",
  "equalrows", "equalcolumns", "frame", "side",
  "width", "height", "viewbox", "preserveaspectratio", "d", "x1", "y1", "x2", "y2",
  "stroke-width",
];

type Purifier = ReturnType<typeof DOMPurify>;
let mathPurifier: Purifier | null = null;

function getMathPurifier(): Purifier {
  if (mathPurifier) return mathPurifier;
  const p = DOMPurify(window);
  p.addHook("uponSanitizeAttribute", (_node, data) => {
    const name = data.attrName.toLowerCase();
    if (name.startsWith("on")) {
      data.keepAttr = false;
    } else if (name === "style") {
      const clean = cleanMathStyle(data.attrValue);
      if (clean) data.attrValue = clean;
      else data.keepAttr = false;
    } else if (name === "class") {
      const ok = data.attrValue.split(/\s+/).filter((c) => MATH_CLASS.test(c));
      if (ok.length === 0) data.keepAttr = false;
      else data.attrValue = ok.join(" ");
    } else if (name === "mathcolor" || name === "mathbackground") {
      if (!COLOR.test(data.attrValue.trim())) data.keepAttr = false;
    }
  });
  mathPurifier = p;
  return p;
}

function sanitizeMath(html: string): string {
  return getMathPurifier().sanitize(html, {
    ALLOWED_TAGS: MATH_TAGS,
    ALLOWED_ATTR: MATH_ATTRS,
    ALLOWED_URI_REGEXP: ALLOWED_URI,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    WHOLE_DOCUMENT: false,
    RETURN_TRUSTED_TYPE: false,
  });
}

const mathCache = new Map<string, string>();
const MATH_CACHE_MAX = 300;

/** TeX → sanitized KaTeX HTML (cached: answers are re-rendered while they stream). */
export function renderMath(tex: string, display: boolean): string {
  const key = (display ? "D" : "I") + tex;
  const hit = mathCache.get(key);
  if (hit !== undefined) return hit;
  let html: string;
  try {
    html = katex.renderToString(tex, {
      displayMode: display,
      output: "htmlAndMathml",
      throwOnError: false,
      trust: false,
      strict: "ignore",
      maxSize: 20,
      maxExpand: 200,
      // A fresh object: \gdef in one formula must not leak into the next.
      macros: {},
    });
  } catch {
    html = `<span class="katex-error">${escapeHtml(tex)}</span>`;
  }
  const clean = sanitizeMath(html);
  if (mathCache.size >= MATH_CACHE_MAX) mathCache.delete(mathCache.keys().next().value as string);
  mathCache.set(key, clean);
  return clean;
}

// ---------------------------------------------------------------------------

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
  extensions: [mathBlock, mathInline],
});

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
  });
}

function newNonce(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  // Letters and digits only: markdown leaves it alone, HTML never escapes it.
  return "MATH" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("") + "N";
}

// Parsed formulas, cloned for each use (a streaming answer is rendered again and again).
const mathTemplates = new Map<string, HTMLTemplateElement>();

function mathNodes(tex: string, display: boolean): DocumentFragment {
  const key = (display ? "D" : "I") + tex;
  let tpl = mathTemplates.get(key);
  if (!tpl) {
    tpl = document.createElement("template");
    tpl.innerHTML = renderMath(tex, display);
    if (mathTemplates.size >= MATH_CACHE_MAX) mathTemplates.delete(mathTemplates.keys().next().value as string);
    mathTemplates.set(key, tpl);
  }
  return tpl.content.cloneNode(true) as DocumentFragment;
}

/** Puts the sanitized formulas in place of their placeholders (text nodes only). */
function insertMath(safeHtml: string, state: RenderState): string {
  const tpl = document.createElement("template");
  tpl.innerHTML = safeHtml;
  const doc = tpl.content.ownerDocument;
  const walker = doc.createTreeWalker(tpl.content, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if ((n as Text).data.includes(state.nonce)) texts.push(n as Text);
  }
  const re = new RegExp(`${state.nonce}(\\d+)Z`, "g");
  for (const text of texts) {
    const parent = text.parentNode;
    if (!parent) continue;
    const frag = doc.createDocumentFragment();
    let last = 0;
    const data = text.data;
    for (const m of data.matchAll(re)) {
      const f = state.formulas[Number(m[1])];
      if (!f) continue;
      const at = m.index ?? 0;
      if (at > last) frag.append(data.slice(last, at));
      frag.append(mathNodes(f.tex, f.display));
      last = at + m[0].length;
    }
    if (last < data.length) frag.append(data.slice(last));
    parent.replaceChild(frag, text);
  }
  return tpl.innerHTML;
}

/** Markdown (untrusted model output) → sanitized HTML string. */
export function renderMarkdown(md: string): string {
  if (!md) return "";
  const state: RenderState = { nonce: newNonce(), formulas: [], blockChecked: new Map() };
  current = state;
  let html: string;
  try {
    html = markdown.parse(md, { async: false });
  } finally {
    current = null;
  }
  const safe = sanitizeHtml(html);
  return state.formulas.length ? insertMath(safe, state) : safe;
}
