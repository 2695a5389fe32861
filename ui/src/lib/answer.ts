/**
 * A parsed answer's sections as HTML. Bodies are model output: they go through
 * `renderMarkdown` (the sanitizer) first; only then are the "must not miss" markers of the
 * differential wrapped, by DOM text nodes, never by string surgery on the HTML.
 */
import { renderMarkdown } from "./markdown";

/** How the system prompts ask the model to mark diagnoses that must not be missed. */
const CANT_MISS = /\(can['’]t miss\)|（不可漏诊）|\(不可漏诊\)/gi;

/** Wraps each can't-miss marker in sanitized HTML in <strong class="cant-miss">. */
export function emphasizeCantMiss(html: string): string {
  // Cheap test first (the HTML may spell the apostrophe as an entity).
  if (!html || !/miss|不可漏诊/i.test(html)) return html;
  const root = document.createElement("template");
  root.innerHTML = html;
  const walker = document.createTreeWalker(root.content, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n as Text);
  for (const node of texts) {
    const value = node.nodeValue ?? "";
    CANT_MISS.lastIndex = 0;
    if (!CANT_MISS.test(value)) continue;
    CANT_MISS.lastIndex = 0;
    const frag = document.createDocumentFragment();
    let at = 0;
    for (const m of value.matchAll(CANT_MISS)) {
      frag.append(value.slice(at, m.index));
      const strong = document.createElement("strong");
      strong.className = "cant-miss";
      strong.textContent = m[0];
      frag.append(strong);
      at = m.index + m[0].length;
    }
    frag.append(value.slice(at));
    node.replaceWith(frag);
  }
  return root.innerHTML;
}

/** A section's body as sanitized HTML, can't-miss markers emphasized (mostly in the differential). */
export function sectionHtml(body: string): string {
  return emphasizeCantMiss(renderMarkdown(body));
}
