import { describe, expect, it } from "vitest";
import { markScroller } from "./scrollers";

describe("markScroller", () => {
  it("makes a scrolling block a named stop, and undoes it once it fits", () => {
    const pre = document.createElement("pre");
    markScroller(pre, "Code", true);
    expect(pre.getAttribute("tabindex")).toBe("0");
    expect(pre.getAttribute("role")).toBe("region");
    expect(pre.getAttribute("aria-label")).toBe("Code");
    markScroller(pre, "Code", false);
    expect(pre.hasAttribute("tabindex")).toBe(false);
    expect(pre.hasAttribute("role")).toBe(false);
    expect(pre.hasAttribute("aria-label")).toBe(false);
  });

  it("keeps a table a table", () => {
    const table = document.createElement("table");
    markScroller(table, "Table", true);
    expect(table.getAttribute("tabindex")).toBe("0");
    expect(table.hasAttribute("role")).toBe(false);
    expect(table.getAttribute("aria-label")).toBe("Table");
  });

  it("leaves alone what it did not mark", () => {
    const div = document.createElement("div");
    div.setAttribute("role", "note");
    div.setAttribute("aria-label", "Mine");
    markScroller(div, "Reasoning", false);
    expect(div.getAttribute("role")).toBe("note");
    expect(div.getAttribute("aria-label")).toBe("Mine");
  });
});
