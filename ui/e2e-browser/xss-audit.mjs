// The XSS audit both harnesses run inside the page (Chromium through playwright-core, the real
// WebKit window through WebDriver): what ran, and everything active that survived in rendered
// model output. Self-contained, since it is serialized into the page.

/** Runs in the page; `problems` must come back empty. */
export function auditPage() {
  const problems = [];
  const where = (el) => `${el.tagName.toLowerCase()}${el.closest("[data-testid]") ? ` in ${el.closest("[data-testid]").dataset.testid}` : ""}`;
  const URL_ATTRS = ["href", "src", "srcset", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc", "ping", "cite", "to", "values"];
  for (const el of document.querySelectorAll("*")) {
    for (const a of Array.from(el.attributes)) {
      const n = a.name.toLowerCase();
      if (n.startsWith("on")) problems.push(`${where(el)} has ${a.name}="${a.value}"`);
      // eslint-disable-next-line no-control-regex
      const v = a.value.replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
      if (URL_ATTRS.includes(n) && /^(?:javascript|vbscript|data:text\/html|data:image\/svg)/.test(v)) problems.push(`${where(el)} ${n}="${a.value}"`);
      if (n === "http-equiv") problems.push(`${where(el)} http-equiv`);
    }
  }
  for (const sc of document.querySelectorAll("script")) {
    if (sc.closest("body") || !/^\/assets\//.test(sc.getAttribute("src") ?? "")) problems.push(`script ${sc.outerHTML.slice(0, 80)}`);
  }
  for (const el of document.querySelectorAll("iframe,frame,object,embed,base,meta[http-equiv],applet,portal")) problems.push(`element ${el.tagName.toLowerCase()}`);
  for (const l of document.querySelectorAll("link")) {
    if (!/^\/assets\//.test(l.getAttribute("href") ?? "")) problems.push(`link ${l.outerHTML.slice(0, 80)}`);
  }
  // Every container that gets renderMarkdown's HTML: answers, answer sections, reasoning traces.
  const outputs = document.querySelectorAll('.md, [data-testid="thinking-trace"]');
  for (const root of outputs) {
    for (const el of root.querySelectorAll("*")) {
      const tag = el.tagName.toLowerCase();
      const inMath = !!el.closest(".katex, .katex-error");
      if (["script", "form", "input", "button", "textarea", "select", "img", "iframe", "object", "embed", "video", "audio", "source", "style", "link", "meta", "base", "template", "noscript", "dialog", "marquee", "image"].includes(tag))
        problems.push(`output contains <${tag}>`);
      if (!inMath && ["svg", "math", "use", "animate", "set"].includes(tag)) problems.push(`output contains <${tag}> outside KaTeX`);
      if (el.hasAttribute("id") || el.hasAttribute("name")) problems.push(`output <${tag}> has id/name (clobbering)`);
      if (!inMath && el.hasAttribute("style")) problems.push(`output <${tag}> has style="${el.getAttribute("style")}"`);
      if (inMath && /position\s*:\s*(?:fixed|absolute|sticky)/i.test(el.getAttribute("style") ?? "")) problems.push(`KaTeX <${tag}> style="${el.getAttribute("style")}"`);
      for (const a of ["autofocus", "popover", "contenteditable", "tabindex", "target", "formaction"]) {
        if (el.hasAttribute(a) && !(a === "target" && el.getAttribute(a) === "_blank")) problems.push(`output <${tag}> has ${a}`);
      }
      const href = el.getAttribute("href");
      if (href !== null && !/^(?:https?:|mailto:|#)/i.test(href.trim())) problems.push(`output <${tag}> href="${href}"`);
    }
  }
  // Anything laid over the whole window (an overlay that could fake the UI).
  for (const el of document.querySelectorAll(".md *")) {
    const cs = getComputedStyle(el);
    if (cs.position === "fixed" || (cs.position === "absolute" && !el.closest(".katex"))) problems.push(`output <${el.tagName.toLowerCase()}> is position:${cs.position}`);
  }
  if (typeof document.getElementById !== "function") problems.push("document.getElementById clobbered");
  if (typeof window.__TAURI_INTERNALS__?.invoke !== "function") problems.push("__TAURI_INTERNALS__ clobbered");
  if (window.__xss !== undefined) problems.push(`window.__xss = ${window.__xss}`);
  return {
    problems,
    outputs: outputs.length,
    sentinel: window.__xssSentinel ?? null,
    xss: window.__xss === undefined ? null : String(window.__xss),
    hits: window.__xssHits ?? null,
    csp: window.__cspViolations ?? null,
    href: location.href,
    title: document.title,
    frames: window.frames.length,
  };
}
