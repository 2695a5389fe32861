/**
 * The main window's keyboard shortcuts: which key does what, as pure functions (App.svelte has
 * the one keydown listener that acts on them).
 *
 *   New consultation     Ctrl+N (⌘N), also Ctrl+Shift+O (⇧⌘O, as in ChatGPT)
 *   Search the history   Ctrl+K (⌘K)
 *   Stop the answer      Escape, while an answer is being written
 *   Settings             Ctrl+, (⌘,)
 *   The message box      Ctrl+L (⌘L) anywhere, or / outside a text field
 *
 * Why these: none of them is an editing key in a text field of WebKitGTK, WebKit (macOS) or
 * WebView2/Chromium. Ctrl+N, Ctrl+K and Ctrl+L are browser keys (new window, search bar, address
 * bar), but a Tauri webview has no browser around it, so they are free there; macOS uses ⌘, never
 * Ctrl (Ctrl+K and Ctrl+N are Emacs-style editing keys in macOS text fields). With Alt (AltGr on
 * Windows is Ctrl+Alt) nothing fires, so no character typed through AltGr is taken.
 * Nothing fires while an input method composes text (Chinese pinyin, Japanese kana…): the key
 * belongs to the input method then. Nothing fires while a modal dialog (Settings, the model
 * picker) is open, and Escape is left to whatever uses it itself (a dialog, the export menu, a
 * question to confirm, editing a question, clearing the search).
 */

export type ShortcutAction = "newConsultation" | "search" | "stop" | "settings" | "focusComposer";

/** What a KeyboardEvent carries that matters here. */
export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  isComposing?: boolean;
  /** 229 while an input method handles the key (some webviews set only this). */
  keyCode?: number;
  repeat?: boolean;
  defaultPrevented?: boolean;
}

export interface ShortcutContext {
  /** macOS: ⌘ (metaKey) is the modifier; elsewhere Ctrl. */
  mac: boolean;
  /** What the window shows: the conversation, the set-up screen, or the history's lock screen. */
  screen: "chat" | "setup" | "locked";
  /** An answer is being written (Escape stops it). */
  generating: boolean;
  /** Focus is in a field that takes typing (text input, textarea, select, contenteditable). */
  inTextField: boolean;
  /** Focus is in a dialog, menu or question that answers Escape itself, or a modal is open. */
  inEscapeScope: boolean;
  /** A modal dialog (Settings) is open: the window behind it takes no shortcut. */
  modalOpen: boolean;
}

/** One chord: a key with the platform's modifier (Ctrl or ⌘), maybe Shift. */
interface Chord {
  key: string;
  mod: boolean;
  shift?: boolean;
}

/** The chords of each action, the first one the one shown in tooltips. */
export const CHORDS: Record<ShortcutAction, readonly Chord[]> = {
  newConsultation: [
    { key: "n", mod: true },
    { key: "o", mod: true, shift: true },
  ],
  search: [{ key: "k", mod: true }],
  stop: [{ key: "Escape", mod: false }],
  settings: [{ key: ",", mod: true }],
  focusComposer: [
    { key: "l", mod: true },
    { key: "/", mod: false },
  ],
};

/** The actions in the order the Settings list shows them. */
export const ACTIONS: readonly ShortcutAction[] = ["newConsultation", "search", "focusComposer", "stop", "settings"];

const CODE_KEYS: Record<string, string> = { Comma: ",", Slash: "/" };

/**
 * The key pressed, as the chords name it: a lower-case Latin letter, "," or "/", or the key's
 * name. Another keyboard layout (Cyrillic, Greek…) gives a letter from the physical key.
 */
export function keyOf(e: Pick<KeyLike, "key" | "code">): string {
  const k = e.key;
  if (/^[a-z]$/i.test(k)) return k.toLowerCase();
  if (k === "," || k === "/" || k.length > 1) return k;
  const code = e.code ?? "";
  const letter = /^Key([A-Z])$/.exec(code);
  if (letter) return letter[1].toLowerCase();
  return CODE_KEYS[code] ?? k;
}

function matches(e: KeyLike, chord: Chord, mac: boolean): boolean {
  if (e.altKey) return false;
  const mod = mac ? e.metaKey : e.ctrlKey;
  const other = mac ? e.ctrlKey : e.metaKey;
  if (other || mod !== chord.mod) return false;
  // "/" is Shift+7 on some layouts: Shift does not matter for it.
  if (chord.key !== "/" && e.shiftKey !== !!chord.shift) return false;
  return keyOf(e) === chord.key;
}

/** The action a key press asks for in this context, or null (the key is left alone). */
export function shortcutFor(e: KeyLike, ctx: ShortcutContext): ShortcutAction | null {
  // The input method's key, a key someone else already handled, or a key held down.
  if (e.isComposing || e.keyCode === 229 || e.defaultPrevented || e.repeat) return null;
  if (ctx.screen === "locked" || ctx.modalOpen) return null;
  const action = (Object.keys(CHORDS) as ShortcutAction[]).find((a) => CHORDS[a].some((c) => matches(e, c, ctx.mac)));
  if (!action) return null;
  // The set-up screen has Settings and nothing to consult yet.
  if (ctx.screen === "setup" && action !== "settings") return null;
  switch (action) {
    case "stop":
      return ctx.generating && !ctx.inEscapeScope ? action : null;
    case "focusComposer":
      // "/" is a character to type in a field; Ctrl+L is not.
      return keyOf(e) === "/" && ctx.inTextField ? null : action;
    default:
      return action;
  }
}

/** How a chord is written on screen: "Ctrl+N", "Ctrl+Shift+O", "⌘N", "⇧⌘O", "Esc", "/". */
export function chordLabel(chord: Chord, mac: boolean): string {
  const key = chord.key === "Escape" ? "Esc" : chord.key.toUpperCase();
  if (!chord.mod) return key;
  if (mac) return `${chord.shift ? "⇧" : ""}⌘${key}`;
  return `Ctrl+${chord.shift ? "Shift+" : ""}${key}`;
}

/** Every chord of an action, as written on screen. */
export function shortcutLabels(action: ShortcutAction, mac: boolean): string[] {
  return CHORDS[action].map((c) => chordLabel(c, mac));
}

/** The first chord of an action, as written on screen (for tooltips). */
export function shortcutLabel(action: ShortcutAction, mac: boolean): string {
  return shortcutLabels(action, mac)[0];
}

/** The aria-keyshortcuts value of an action: "Control+N Control+Shift+O", "Meta+N Meta+Shift+O". */
export function ariaKeyShortcuts(action: ShortcutAction, mac: boolean): string {
  return CHORDS[action]
    .map((c) => {
      const key = c.key.length === 1 ? c.key.toUpperCase() : c.key;
      if (!c.mod) return key;
      return [mac ? "Meta" : "Control", ...(c.shift ? ["Shift"] : []), key].join("+");
    })
    .join(" ");
}

/** Whether this is a Mac (⌘ rather than Ctrl), from what the webview says about itself. */
export function isMac(nav: { platform?: string; userAgent?: string } | undefined = globalThis.navigator): boolean {
  if (!nav) return false;
  return /^Mac/i.test(nav.platform ?? "") || /Macintosh|Mac OS X/i.test(nav.userAgent ?? "");
}

/** Focus is in something that takes typing: "/" types there. */
export function isTextField(el: Element | null): boolean {
  if (!el) return false;
  if ((el as HTMLElement).isContentEditable) return true;
  const tag = el.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  const type = ((el as HTMLInputElement).type || "text").toLowerCase();
  return !["button", "submit", "reset", "checkbox", "radio", "range", "color", "file", "image"].includes(type);
}

/**
 * What answers Escape itself: a dialog, a menu, and anything marked data-own-escape (the open
 * export menu, a question to confirm, a question being edited).
 */
export const OWN_ESCAPE = '[role="dialog"], [role="alertdialog"], [role="menu"], [role="listbox"], [data-own-escape]';

export function inEscapeScope(el: Element | null): boolean {
  return !!el?.closest?.(OWN_ESCAPE);
}

/** A modal dialog is open (Settings, the model picker): the window behind it takes no shortcut. */
export function modalOpen(doc: Pick<Document, "querySelector"> | undefined = globalThis.document): boolean {
  return !!doc?.querySelector('[aria-modal="true"]');
}

/** What the window knows of itself when a key comes (the rest is read from the focus). */
export type WindowState = Pick<ShortcutContext, "screen" | "generating"> & { settingsOpen: boolean };

/**
 * The window's one keydown listener: after every element's own handler (bubbling ends at the
 * window), so a key one of them took (defaultPrevented) is not a shortcut. Returns its removal.
 */
export function listenForShortcuts(state: () => WindowState, run: (action: ShortcutAction) => void): () => void {
  const mac = isMac();
  const onKey = (e: KeyboardEvent) => {
    const active = document.activeElement;
    const { screen, generating, settingsOpen } = state();
    const action = shortcutFor(e, {
      mac,
      screen,
      generating,
      inTextField: isTextField(active),
      inEscapeScope: inEscapeScope(active) || inEscapeScope(e.target instanceof Element ? e.target : null),
      modalOpen: settingsOpen || modalOpen(),
    });
    if (!action) return;
    e.preventDefault();
    run(action);
  };
  window.addEventListener("keydown", onKey);
  return () => window.removeEventListener("keydown", onKey);
}
