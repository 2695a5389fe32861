import { describe, expect, it } from "vitest";
import {
  ACTIONS,
  ariaKeyShortcuts,
  CHORDS,
  inEscapeScope,
  isMac,
  isTextField,
  keyOf,
  modalOpen,
  shortcutFor,
  shortcutLabel,
  shortcutLabels,
  type KeyLike,
  type ShortcutContext,
} from "./shortcuts";

const CTX: ShortcutContext = {
  mac: false,
  screen: "chat",
  generating: false,
  inTextField: false,
  inEscapeScope: false,
  modalOpen: false,
};

/** A key press: "Ctrl+Shift+o", "Meta+k", "Escape", "/". */
function press(spec: string, extra: Partial<KeyLike> = {}): KeyLike {
  const parts = spec.split("+");
  const key = parts.pop() || "+";
  const mods = new Set(parts);
  return {
    key,
    code: /^[a-z]$/i.test(key) ? `Key${key.toUpperCase()}` : undefined,
    ctrlKey: mods.has("Ctrl"),
    metaKey: mods.has("Meta"),
    shiftKey: mods.has("Shift"),
    altKey: mods.has("Alt"),
    ...extra,
  };
}

const on = (spec: string, ctx: Partial<ShortcutContext> = {}, extra: Partial<KeyLike> = {}) =>
  shortcutFor(press(spec, extra), { ...CTX, ...ctx });

describe("shortcutFor", () => {
  it("maps the chords to their actions with Ctrl on Linux and Windows", () => {
    expect(on("Ctrl+n")).toBe("newConsultation");
    expect(on("Ctrl+Shift+O")).toBe("newConsultation");
    expect(on("Ctrl+k")).toBe("search");
    expect(on("Ctrl+,")).toBe("settings");
    expect(on("Ctrl+l")).toBe("focusComposer");
    expect(on("/")).toBe("focusComposer");
    expect(on("Escape", { generating: true })).toBe("stop");
  });

  it("uses ⌘ on macOS, where Ctrl+K and Ctrl+N are editing keys", () => {
    const mac = { mac: true };
    expect(on("Meta+n", mac)).toBe("newConsultation");
    expect(on("Shift+Meta+O", mac)).toBe("newConsultation");
    expect(on("Meta+k", mac)).toBe("search");
    expect(on("Meta+,", mac)).toBe("settings");
    expect(on("Meta+l", mac)).toBe("focusComposer");
    expect(on("Ctrl+k", mac)).toBeNull();
    expect(on("Ctrl+n", mac)).toBeNull();
    // And ⌘ is not the modifier elsewhere (the Windows key).
    expect(on("Meta+k")).toBeNull();
    expect(on("Ctrl+Meta+k")).toBeNull();
  });

  it("never fires while an input method composes text", () => {
    expect(on("Ctrl+k", {}, { isComposing: true })).toBeNull();
    expect(on("Escape", { generating: true }, { isComposing: true })).toBeNull();
    expect(on("/", {}, { isComposing: true })).toBeNull();
    // WebKit reports some IME keys with keyCode 229 only.
    expect(on("Ctrl+n", {}, { keyCode: 229 })).toBeNull();
  });

  it("leaves alone keys with Alt (AltGr) or extra modifiers, held keys and handled keys", () => {
    expect(on("Ctrl+Alt+n")).toBeNull();
    expect(on("Ctrl+Shift+n")).toBeNull();
    expect(on("Ctrl+Shift+k")).toBeNull();
    expect(on("Ctrl+o")).toBeNull();
    expect(on("n")).toBeNull();
    expect(on("k")).toBeNull();
    expect(on("Ctrl+n", {}, { repeat: true })).toBeNull();
    expect(on("Escape", { generating: true }, { defaultPrevented: true })).toBeNull();
  });

  it("stops with Escape only while an answer is written, and not where Escape means something else", () => {
    expect(on("Escape")).toBeNull();
    expect(on("Escape", { generating: true, inEscapeScope: true })).toBeNull();
    expect(on("Escape", { generating: true, inTextField: true })).toBe("stop");
    expect(on("Shift+Escape", { generating: true })).toBeNull();
    expect(on("Ctrl+Escape", { generating: true })).toBeNull();
  });

  it('types "/" in a text field, but Ctrl+L still goes to the message box', () => {
    expect(on("/", { inTextField: true })).toBeNull();
    expect(on("Ctrl+l", { inTextField: true })).toBe("focusComposer");
    // The chords with Ctrl work from a text field too.
    expect(on("Ctrl+k", { inTextField: true })).toBe("search");
    expect(on("Ctrl+n", { inTextField: true })).toBe("newConsultation");
    // "/" is Shift+7 on a German keyboard.
    expect(on("Shift+/")).toBe("focusComposer");
  });

  it("does nothing behind a modal dialog or on the lock screen; only Settings on the set-up screen", () => {
    for (const k of ["Ctrl+n", "Ctrl+k", "Ctrl+,", "Ctrl+l", "/"]) {
      expect(on(k, { modalOpen: true }), k).toBeNull();
      expect(on(k, { screen: "locked" }), k).toBeNull();
    }
    expect(on("Escape", { generating: true, modalOpen: true })).toBeNull();
    expect(on("Ctrl+,", { screen: "setup" })).toBe("settings");
    expect(on("Ctrl+n", { screen: "setup" })).toBeNull();
    expect(on("Ctrl+k", { screen: "setup" })).toBeNull();
    expect(on("/", { screen: "setup" })).toBeNull();
  });

  it("finds the letter on another layout from the physical key", () => {
    // A Russian layout: the N key gives "т".
    expect(on("Ctrl+т", {}, { code: "KeyN" })).toBe("newConsultation");
    expect(keyOf({ key: "л", code: "KeyK" })).toBe("k");
    expect(keyOf({ key: "б", code: "Comma" })).toBe(",");
    expect(keyOf({ key: "N" })).toBe("n");
    expect(keyOf({ key: "Escape", code: "Escape" })).toBe("Escape");
  });
});

describe("how the shortcuts are shown", () => {
  it("writes Ctrl chords elsewhere and ⌘ chords on a Mac", () => {
    expect(shortcutLabel("newConsultation", false)).toBe("Ctrl+N");
    expect(shortcutLabels("newConsultation", false)).toEqual(["Ctrl+N", "Ctrl+Shift+O"]);
    expect(shortcutLabels("newConsultation", true)).toEqual(["⌘N", "⇧⌘O"]);
    expect(shortcutLabel("search", true)).toBe("⌘K");
    expect(shortcutLabel("settings", false)).toBe("Ctrl+,");
    expect(shortcutLabels("focusComposer", false)).toEqual(["Ctrl+L", "/"]);
    expect(shortcutLabel("stop", true)).toBe("Esc");
  });

  it("gives aria-keyshortcuts values in the ARIA syntax", () => {
    expect(ariaKeyShortcuts("newConsultation", false)).toBe("Control+N Control+Shift+O");
    expect(ariaKeyShortcuts("newConsultation", true)).toBe("Meta+N Meta+Shift+O");
    expect(ariaKeyShortcuts("search", false)).toBe("Control+K");
    expect(ariaKeyShortcuts("settings", true)).toBe("Meta+,");
    expect(ariaKeyShortcuts("focusComposer", false)).toBe("Control+L /");
    expect(ariaKeyShortcuts("stop", false)).toBe("Escape");
  });

  it("lists every action once", () => {
    expect([...ACTIONS].sort()).toEqual(Object.keys(CHORDS).sort());
  });
});

describe("the context", () => {
  it("tells a Mac from the webview's platform or user agent", () => {
    expect(isMac({ platform: "MacIntel" })).toBe(true);
    expect(isMac({ platform: "", userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15" })).toBe(true);
    expect(isMac({ platform: "Linux x86_64", userAgent: "Mozilla/5.0 (X11; Linux x86_64)" })).toBe(false);
    expect(isMac({ platform: "Win32" })).toBe(false);
    expect(isMac(undefined)).toBe(false);
  });

  it("knows the fields that take typing", () => {
    const el = (html: string) => {
      const d = document.createElement("div");
      d.innerHTML = html;
      document.body.append(d);
      return d.firstElementChild;
    };
    expect(isTextField(el("<textarea></textarea>"))).toBe(true);
    expect(isTextField(el('<input type="search">'))).toBe(true);
    expect(isTextField(el("<input>"))).toBe(true);
    expect(isTextField(el("<select></select>"))).toBe(true);
    expect(isTextField(el('<input type="radio">'))).toBe(false);
    expect(isTextField(el('<input type="checkbox">'))).toBe(false);
    expect(isTextField(el("<button>x</button>"))).toBe(false);
    expect(isTextField(null)).toBe(false);
  });

  it("knows where Escape belongs to something else", () => {
    const d = document.createElement("div");
    d.innerHTML =
      '<div role="dialog"><button id="a">a</button></div><div data-own-escape><button id="b">b</button></div><button id="c">c</button>';
    document.body.append(d);
    expect(inEscapeScope(d.querySelector("#a"))).toBe(true);
    expect(inEscapeScope(d.querySelector("#b"))).toBe(true);
    expect(inEscapeScope(d.querySelector("#c"))).toBe(false);
    expect(inEscapeScope(null)).toBe(false);
  });

  it("knows when a modal dialog is open (Settings, the model picker)", () => {
    const d = document.createElement("div");
    document.body.append(d);
    expect(modalOpen()).toBe(false);
    d.innerHTML = '<div role="dialog" aria-modal="true"></div>';
    expect(modalOpen()).toBe(true);
    d.remove();
    expect(modalOpen()).toBe(false);
  });
});
