/**
 * Parts of an answer that scroll on their own (a long thinking trace, a wide code block, table or
 * formula) must scroll from the keyboard too: each one that overflows becomes a named focus stop
 * (tabindex 0 and a label; a region unless it is a table, which keeps its own role), where the
 * arrow keys scroll it. Chromium focuses such a scroller by itself, without a name; WebKit (the
 * macOS and Linux webviews) never does, so without this a keyboard could not scroll them at all
 * (WCAG 2.1.1). One that fits is left alone: no empty stop.
 */
import type { Attachment } from "svelte/attachments";

/** Whether `el` scrolls now (sideways or up and down). */
export function overflows(el: HTMLElement): boolean {
  const s = getComputedStyle(el);
  const x = /auto|scroll/.test(s.overflowX) && el.scrollWidth > el.clientWidth + 1;
  const y = /auto|scroll/.test(s.overflowY) && el.scrollHeight > el.clientHeight + 1;
  return x || y;
}

/** Makes `el` a named stop while it scrolls; undoes that when it no longer does. */
export function markScroller(el: HTMLElement, label: string, scrolls = overflows(el)): void {
  if (scrolls) {
    if (el.getAttribute("tabindex") !== "0") el.setAttribute("tabindex", "0");
    if (el.tagName !== "TABLE") el.setAttribute("role", "region");
    el.setAttribute("aria-label", label);
    el.dataset.scroller = "";
  } else if (el.dataset.scroller !== undefined) {
    el.removeAttribute("tabindex");
    el.removeAttribute("role");
    el.removeAttribute("aria-label");
    delete el.dataset.scroller;
  }
}

/**
 * {@attach keyboardScroll(labels)}: watches the element and what is inside it (streamed text,
 * a panel opened, the window resized) and marks each part matching a selector of `labels` with
 * its label. The labels are read when attached, so a change of language marks them again.
 */
export function keyboardScroll(labels: () => readonly (readonly [selector: string, label: string])[]): Attachment<HTMLElement> {
  return (node) => {
    const targets = labels();
    let frame = 0;
    const update = () => {
      frame = 0;
      for (const [selector, label] of targets) {
        for (const el of node.querySelectorAll<HTMLElement>(selector)) markScroller(el, label);
      }
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(update);
    };
    const resize = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(schedule);
    resize?.observe(node);
    const changes = typeof MutationObserver === "undefined" ? null : new MutationObserver(schedule);
    changes?.observe(node, { childList: true, subtree: true, characterData: true });
    schedule();
    return () => {
      resize?.disconnect();
      changes?.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  };
}
