// Every error code in the user's words, in both languages, with the backend's detail kept.
import { afterEach, describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/svelte";
import { ERROR_TEXT } from "./i18n/errors";
import { errorText, setLang } from "./i18n.svelte";
import ErrorBanner from "./components/common/ErrorBanner.svelte";
import type { ErrorCode } from "./bindings/ErrorCode";

afterEach(() => setLang("en"));

describe("error texts", () => {
  it("name every code in both languages, in words and not the code", () => {
    const en = Object.entries(ERROR_TEXT.en) as [ErrorCode, string][];
    expect(Object.keys(ERROR_TEXT.zh).sort()).toEqual(Object.keys(ERROR_TEXT.en).sort());
    for (const [code, text] of en) {
      const zh = ERROR_TEXT.zh[code];
      expect(text.trim().length, code).toBeGreaterThan(20);
      expect(text, code).not.toContain(code);
      expect(zh, code).toMatch(/[\u4e00-\u9fff]/);
      expect(zh, code).not.toContain(code);
    }
  });

  it("a code from another version reads as the unknown one", () => {
    expect(errorText({ code: "FROM_A_NEWER_VERSION" as ErrorCode })).toBe(ERROR_TEXT.en.UNKNOWN);
  });

  it("the banner says it in the user's language and keeps the code and the English detail under it", () => {
    setLang("zh");
    render(ErrorBanner, { error: { code: "DISK_FULL", message: "No space left on device (os error 28)" }, onDismiss: () => {} });
    expect(screen.getByTestId("error-said").textContent).toBe(ERROR_TEXT.zh.DISK_FULL);
    expect(screen.getByTestId("error-code").textContent).toBe("DISK_FULL");
    expect(screen.getByTestId("error-message").textContent).toBe("No space left on device (os error 28)");
  });
});
