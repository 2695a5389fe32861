import { afterEach, describe, expect, it } from "vitest";
import { MAX_ATTACHMENT_BYTES, memoryShare, refusal, roughly, summary, toBase64, wordCount } from "./attachments";
import type { Attachment } from "./bindings/Attachment";
import { setLang } from "./i18n.svelte";

afterEach(() => setLang("en"));

const text = (body: string, pages: number | null = null): Attachment => ({
  name: pages === null ? "labs.txt" : "labs.pdf",
  kind: pages === null ? "text" : "pdf",
  text: body,
  bytes: body.length,
  pages,
});

describe("attachments", () => {
  it("encodes bytes as base64, a slice at a time (20 MB does not overflow the stack)", () => {
    expect(toBase64(new TextEncoder().encode("Hb 13.1 g/dL"))).toBe(Buffer.from("Hb 13.1 g/dL").toString("base64"));
    expect(toBase64(new Uint8Array())).toBe("");
    const big = new Uint8Array(MAX_ATTACHMENT_BYTES);
    for (let i = 0; i < big.length; i += 997) big[i] = i % 256;
    expect(toBase64(big)).toBe(Buffer.from(big).toString("base64"));
  });

  it("refuses a file over 20 MB, and pictures, before reading them", () => {
    expect(refusal({ name: "scan.pdf", size: 25_300_000, type: "application/pdf" })).toEqual({
      code: "ATTACHMENT_TOO_LARGE",
      message: "scan.pdf is 25.3 MB; the limit is 20.0 MB",
    });
    expect(refusal({ name: "ok.pdf", size: MAX_ATTACHMENT_BYTES, type: "application/pdf" })).toBeNull();
    expect(refusal({ name: "x-ray.png", size: 1000, type: "image/png" })?.code).toBe("ATTACHMENT_UNSUPPORTED");
    // Anything else is the backend's to judge (a .log file, a file the system has no type for).
    expect(refusal({ name: "notes.log", size: 1000, type: "" })).toBeNull();
  });

  it("counts words, each Chinese character as one", () => {
    expect(wordCount("Haemoglobin 13.1 g/dL, ferritin low. Don't worry.")).toBe(8);
    expect(wordCount("血红蛋白 131 g/L")).toBe(7);
    expect(wordCount("  \n ")).toBe(0);
  });

  it("rounds to two significant figures from 100 on", () => {
    expect([7, 99, 100, 1234, 1250, 98_765].map(roughly)).toEqual([7, 99, 100, 1200, 1300, 99_000]);
  });

  it("says how much of the conversation memory a document uses, when the model is known", () => {
    expect(memoryShare({ tokens: 2400, limit: 16384 })).toBe(15);
    expect(memoryShare({ tokens: null, limit: 16384 })).toBeNull();
    expect(memoryShare({ tokens: 10, limit: null })).toBeNull();
    expect(memoryShare({ tokens: 10, limit: 0 })).toBeNull();
  });

  it("sums a document up in words: pages, about how many words, the memory it uses", () => {
    const words = Array.from({ length: 1234 }, () => "word").join(" ");
    expect(summary(text(words, 3), 15)).toBe("3 pages · about 1,200 words · uses 15% of the conversation memory");
    expect(summary(text(words, 1))).toBe("1 page · about 1,200 words");
    expect(summary(text("Hb 13.1"))).toBe("2 words");
    expect(summary(text("Hb"), 0)).toBe("1 word · uses less than 1% of the conversation memory");
    setLang("zh");
    expect(summary(text(words, 3), 15)).toBe("3 页 · 约 1,200 字 · 占用 15% 的对话记忆");
  });
});
