import { describe, expect, it } from "vitest";
import { snippetParts } from "./snippet";

describe("snippetParts", () => {
  it("splits «marks» from the text around them", () => {
    expect(snippetParts("a «fever» and «rash» here")).toEqual([
      { text: "a ", mark: false },
      { text: "fever", mark: true },
      { text: " and ", mark: false },
      { text: "rash", mark: true },
      { text: " here", mark: false },
    ]);
  });

  it("keeps HTML as text and an unclosed « as text", () => {
    expect(snippetParts("<b>x</b> «y")).toEqual([{ text: "<b>x</b> «y", mark: false }]);
    expect(snippetParts("«»")).toEqual([]);
    expect(snippetParts("")).toEqual([]);
    expect(snippetParts("«发热»三天")).toEqual([
      { text: "发热", mark: true },
      { text: "三天", mark: false },
    ]);
  });
});
