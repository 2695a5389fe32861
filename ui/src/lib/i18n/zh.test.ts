// The Chinese read as a whole: one word for one thing (the glossary at the top of zh.ts), 您 for
// the reader, and no sentence built from fragments in either language (each language orders its
// own words only when a sentence is one message with placeholders).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { en, type Catalog } from "./en";
import { zh } from "./zh";
import { ERROR_TEXT } from "./errors";
import { parts, slot } from "../i18n.svelte";

type Key = keyof Catalog;
type Fn = (...a: unknown[]) => string;
const KEYS = Object.keys(en) as Key[];
// Vitest runs in ui/.
const SRC = join(process.cwd(), "src/");
const REPO = join(process.cwd(), "..");

// Arguments that must be arrays (each else gets strings, numbers and null in turn).
const ARRAY_ARGS: Partial<Record<Key, number[]>> = { "onboarding.size": [1] };

/** Every text a message can be: the string, or the function called with sample arguments. */
function texts(catalog: Catalog, key: Key): string[] {
  const entry = catalog[key] as unknown;
  if (typeof entry === "string") return [entry];
  const fn = entry as Fn;
  const arrays = ARRAY_ARGS[key] ?? [];
  const samples: unknown[][] = [
    ["设置", "/models", "3 GB", "C"],
    [1, 1, 1, 1],
    [3, 3, 3, 3],
    [null, null, null, null],
  ].map((s) => Array.from({ length: fn.length }, (_, i) => (arrays.includes(i) ? ["Q4"] : s[i % s.length])));
  if (arrays.length) samples.push(Array.from({ length: fn.length }, (_, i) => (arrays.includes(i) ? ["Q4", "Q8", "draft"] : "x")));
  const out: string[] = [];
  for (const args of samples) {
    try {
      out.push(fn(...args));
    } catch {
      // A sample of the wrong type for this message; another one fits.
    }
  }
  expect(out.length, `${key}: no sample arguments fit`).toBeGreaterThan(0);
  return out;
}

const zhTexts: [string, string][] = [
  ...KEYS.flatMap((k) => texts(zh, k).map((s) => [k, s] as [string, string])),
  ...Object.entries(ERROR_TEXT.zh).map(([code, s]) => [`error ${code}`, s] as [string, string]),
];
const enTexts: [string, string][] = KEYS.flatMap((k) => texts(en, k).map((s) => [k, s] as [string, string]));

/** The lines of the Linux desktop entry that are in Chinese. */
const desktopZh = readFileSync(join(REPO, "src-tauri/linux/anamnesis.desktop"), "utf8")
  .split("\n")
  .filter((l) => l.includes("[zh_CN]="));

// 词元 (token) only where the reader is tuning the engine, never in what a patient reads.
const TOKEN_WORD_ALLOWED = new Set([
  "settings.tokens", // Settings → the loaded model's details (context length), next to format and architecture
  "stats.detail", // the stats line's tooltip: prompt and answer token counts and rates
  "stats.detailDraft", // same tooltip: share of drafted tokens accepted
  "stats.detailSpeculation", // same tooltip: tokens drafted by the last step
  "stats.detailDraftBest", // same tooltip: the speed if every drafted token were accepted
]);

describe("the Chinese glossary", () => {
  const offending = (re: RegExp, allowed: ReadonlySet<string> = new Set()) =>
    zhTexts.filter(([k, s]) => re.test(s) && !allowed.has(k)).map(([k, s]) => `${k}: ${s}`);

  it("addresses the reader as 您, never 你 (the app and its desktop entry)", () => {
    expect(offending(/你/)).toEqual([]);
    expect(desktopZh.length).toBeGreaterThan(0);
    expect(desktopZh.filter((l) => l.includes("你"))).toEqual([]);
  });

  it("says 密码 for a password or passphrase, never 口令", () => {
    expect(offending(/口令/)).toEqual([]);
    const missing = KEYS.filter((k) => texts(en, k).some((s) => /passphrase|password/i.test(s)))
      .filter((k) => !texts(zh, k).every((s) => s.includes("密码")));
    const errors = Object.entries(ERROR_TEXT.en)
      .filter(([, s]) => /passphrase|password/i.test(s))
      .filter(([code]) => !ERROR_TEXT.zh[code as keyof typeof ERROR_TEXT.zh].includes("密码"));
    expect([...missing, ...errors.map(([c]) => c)]).toEqual([]);
  });

  it("calls the keychain 钥匙串, one term (never 密钥环 or 钥匙环)", () => {
    expect(offending(/密钥环|钥匙环/)).toEqual([]);
    const missing = KEYS.filter((k) => texts(en, k).some((s) => /keychain|keyring/i.test(s)))
      .filter((k) => !texts(zh, k).every((s) => s.includes("钥匙串")));
    const errors = Object.entries(ERROR_TEXT.en)
      .filter(([, s]) => /keychain|keyring/i.test(s))
      .filter(([code]) => !ERROR_TEXT.zh[code as keyof typeof ERROR_TEXT.zh].includes("钥匙串"));
    expect([...missing, ...errors.map(([c]) => c)]).toEqual([]);
  });

  it("keeps 词元 (token) to the technical places, and never counts tokens as 字", () => {
    expect(offending(/词元/, TOKEN_WORD_ALLOWED)).toEqual([]);
    const tokenKeys = KEYS.filter((k) => texts(en, k).some((s) => /\btok(en)?s?\b|tok\/s/i.test(s)));
    expect(tokenKeys.flatMap((k) => texts(zh, k).filter((s) => /个字|字\/秒|每秒.*字/.test(s)).map((s) => `${k}: ${s}`))).toEqual([]);
  });

  it("says 加速小模型 for the draft model, never 草稿", () => {
    expect(offending(/草稿/)).toEqual([]);
    const missing = KEYS.filter((k) => texts(en, k).some((s) => /draft model/i.test(s)))
      .filter((k) => !texts(zh, k).every((s) => s.includes("加速小模型")));
    expect(missing).toEqual([]);
  });

  it("names the answer's sections as headings, not as one- or two-word buttons", () => {
    const sections = KEYS.filter((k) => k.startsWith("section."));
    expect(sections.length).toBeGreaterThan(0);
    // 概要, 更多, 下一步 read like buttons; a heading says what the section holds.
    expect(sections.filter((k) => [...(zh[k] as string)].length < 4).map((k) => `${k}: ${zh[k] as string}`)).toEqual([]);
  });
});

// A key that only makes sense next to another: settings.welcomeA + welcomeAnd + welcomeB.
const FRAGMENT_SUFFIX = /^(.*[a-z0-9])(A|B|C|D|And|Or)$/;

// English that cannot end a phrase: it waits for a word or element after it.
const DANGLING_EN = /\b(a|an|the|and|or|of|in|at|to|from|by|with|into|for|than)$/i;
// Chinese that cannot end a phrase on its own.
const DANGLING_ZH = /[于在和与及或从向把被对的]$/;
const CONTINUATION_ZH = /^[，。：；、]/;

// Checked and legitimate.
const WHOLE_DESPITE_THE_END = new Set([
  // A noun phrase for a <select>'s label ("the country new consultations start with"), not a
  // sentence waiting for its end.
  "settings.countryLabel",
]);
// Put into the message box for the user to finish ("Q: …\nA: "): open-ended on purpose.
const OPEN_ON_PURPOSE = new Set(["answer.followUpTemplate"]);

describe("no sentence built from fragments", () => {
  it("has no key pairs like xA / xB / xAnd", () => {
    const keys = new Set<string>(KEYS);
    const pairs = KEYS.filter((k) => {
      const m = FRAGMENT_SUFFIX.exec(k);
      if (!m) return false;
      const stem = m[1];
      return [...keys].some((o) => o !== k && (o === stem || (o.startsWith(stem) && /^(A|B|C|D|And|Or)$/.test(o.slice(stem.length)))));
    });
    expect(pairs).toEqual([]);
  });

  it("has no English message that starts or ends in the middle of a sentence", () => {
    const bad = enTexts
      .filter(([k, s]) => {
        if (s === "") return true;
        if (/^\s|\s$/.test(s) && !OPEN_ON_PURPOSE.has(k)) return true; // " from X", " and ": glued to what comes before
        if (/^[,.;:)]/.test(s)) return true; // ": the download may not fit."
        // A plain string that starts lowercase and ends a sentence: "could not be read.", "file.".
        if (typeof en[k as Key] === "string" && /^[a-z]/.test(s) && /[a-z] ?[a-z]*\.$/.test(s)) return true;
        return DANGLING_EN.test(s) && !WHOLE_DESPITE_THE_END.has(k); // "Free space in"
      })
      .map(([k, s]) => `${k}: ${JSON.stringify(s)}`);
    expect(bad).toEqual([]);
  });

  it("has no Chinese message that starts or ends in the middle of a sentence", () => {
    const bad = zhTexts
      .filter(([, s]) => s === "" || /^\s|\s$/.test(s) || CONTINUATION_ZH.test(s) || DANGLING_ZH.test(s))
      .map(([k, s]) => `${k}: ${JSON.stringify(s)}`);
    expect(bad).toEqual([]);
  });

  /** Every .svelte and non-test .ts file under src, with its text. */
  function sources(dir: string): [string, string][] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((d): [string, string][] => {
      const path = join(dir, d.name);
      if (d.isDirectory()) return d.name === "bindings" || d.name === "i18n" ? [] : sources(path);
      if (/\.test\.ts$/.test(d.name) || !/\.(svelte|ts)$/.test(d.name)) return [];
      return [[path.slice(SRC.length), readFileSync(path, "utf8")]];
    });
  }

  /** The words of a template literal, its ${…} left out. */
  function literalText(template: string): string {
    let out = "";
    let depth = 0;
    for (let i = 0; i < template.length; i++) {
      if (depth === 0 && template.startsWith("${", i)) {
        depth = 1;
        i++;
      } else if (depth > 0) {
        if (template[i] === "{") depth++;
        else if (template[i] === "}") depth--;
      } else out += template[i];
    }
    return out;
  }

  it("puts no translated text next to an element, another message or a colon in the markup", () => {
    const T = String.raw`\{t\("[^"]+"(?:[^{}]|\{[^{}]*\})*\)\}`; // {t("key", …)}
    const patterns = [
      new RegExp(`${T}\\s*<code`), // {t("spaceTightA")} <code>
      new RegExp(`</code>\\s*${T}`), // </code>{t("spaceTightB")}
      new RegExp(`${T}[ \\t]*\\{t\\(`), // {t("a")} {t("b")}
      new RegExp(`${T}\\s*[:：]`), // {t("triage.crisisLine")}: <strong>
    ];
    const bad: string[] = [];
    for (const [file, text] of sources(SRC)) {
      text.split("\n").forEach((line, i) => {
        if (file.endsWith(".svelte") && patterns.some((p) => p.test(line))) bad.push(`${file}:${i + 1}: ${line.trim()}`);
        // A message glued to words in code: `${t("a")} of ${x}`, t("a") + "…" (separators like " · " are fine).
        for (const m of line.matchAll(/`[^`]*\$\{t\([^`]*`/g)) if (/\p{L}/u.test(literalText(m[0].slice(1, -1)))) bad.push(`${file}:${i + 1}: ${line.trim()}`);
        if (/\+\s*t\("|\bt\("[^"]+"\)\s*\+/.test(line)) bad.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(bad).toEqual([]);
  });
});

describe("sentences with elements in them", () => {
  it("split into text and slots, in each language's order", () => {
    expect(parts(en["onboarding.spaceTight"]("12 GB", slot("/models")))).toEqual([
      { text: "Only 12 GB free in ", slot: false },
      { text: "/models", slot: true },
      { text: ": the download may not fit. Free up space or choose another models folder in Settings.", slot: false },
    ]);
    expect(zh["onboarding.spaceTight"]("12 GB", "/models")).toMatch(/^\/models 中仅剩 12 GB 可用空间/);
    expect(parts(zh["triage.callNumber"](slot("120")))).toEqual([
      { text: "请拨打 ", slot: false },
      { text: "120", slot: true },
    ]);
    expect(parts("plain")).toEqual([{ text: "plain", slot: false }]);
  });

  it("keep every slot in both languages, once", () => {
    // The messages the markup gives slot()ted arguments to.
    const slotted = new Set<Key>();
    const sourceText = readdirSync(join(SRC, "lib/components"), { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && d.name.endsWith(".svelte"))
      .map((d) => readFileSync(join(d.parentPath, d.name), "utf8"))
      .join("\n");
    for (const m of sourceText.matchAll(/\bt\("([^"]+)"[^\n]*?slot\(/g)) slotted.add(m[1] as Key);
    expect(slotted.size).toBeGreaterThanOrEqual(7);
    for (const key of slotted) {
      const slots = (c: Catalog) => {
        const fn = c[key] as unknown as Fn;
        const args = Array.from({ length: fn.length }, (_, i) => slot(`arg${i}`));
        return parts(fn(...args))
          .filter((p) => p.slot)
          .map((p) => p.text)
          .sort();
      };
      expect(slots(zh), key).toEqual(slots(en));
      expect(new Set(slots(en)).size, key).toBe(slots(en).length);
    }
  });
});
