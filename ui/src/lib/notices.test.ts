import { afterEach, describe, expect, it } from "vitest";
import type { ModelNotice } from "./bindings/ModelNotice";
import { setLang } from "./i18n.svelte";
import { isWarning, noticeText } from "./notices";

afterEach(() => setLang("en"));

const all: ModelNotice[] = [
  { kind: "estimated_tokens" },
  { kind: "insecure_remote", host: "10.0.0.5" },
  { kind: "remote_context_capped" },
  { kind: "draft_not_used", error: { code: "MODEL_NOT_FOUND", message: "No such file: /d.gguf" } },
];

describe("model notices", () => {
  it("read in the user's language, with what the backend named kept as it is", () => {
    const en = all.map(noticeText);
    setLang("zh");
    const zh = all.map(noticeText);
    for (let i = 0; i < all.length; i++) {
      expect(en[i]).not.toBe(zh[i]);
      expect(zh[i]).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(en[1]).toContain("10.0.0.5 is reached over plain http");
    expect(zh[1]).toContain("10.0.0.5");
    expect(zh[3]).toContain("/d.gguf");
    expect(zh[3]).not.toContain("Draft model not used");
  });

  it("only plain http is a warning", () => {
    expect(all.map(isWarning)).toEqual([false, true, false, false]);
  });
});
