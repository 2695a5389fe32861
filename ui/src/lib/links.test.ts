import { describe, expect, it } from "vitest";
import { externalUrl, urlParts } from "./links";

describe("externalUrl", () => {
  it.each([
    ["https://example.org", "https://example.org/"],
    ["https://example.org/a/b?c=1#d", "https://example.org/a/b?c=1#d"],
    ["http://example.org/x", "http://example.org/x"],
    ["HTTPS://Example.ORG/Path", "https://example.org/Path"],
    ["https://example.org:8443/", "https://example.org:8443/"],
    ["https://www.nhs.uk/conditions/migraine/", "https://www.nhs.uk/conditions/migraine/"],
  ])("opens %s", (href, expected) => {
    expect(externalUrl(href)?.href).toBe(expected);
  });

  it.each([
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "jav\tascript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "java\u0000script:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "file://C:/Windows/win.ini",
    "mailto:doctor@example.org",
    "tel:+15551234",
    "ftp://example.org/",
    "//evil.example/",
    "///evil.example/",
    "/relative/path",
    "relative/path",
    "./here",
    "../up",
    "#anchor",
    "?q=1",
    "",
    " https://example.org",
    "https://example.org\n",
    "https://exa mple.org",
    "https:/\\evil.example",
    "https:\\\\evil.example",
    "https:evil.example",
    "https:///evil.example",
    "http://",
    "https://trusted.example@evil.example/",
    "https://user:pass@example.org/",
    "https://\u200bexample.org",
    "tauri://localhost/",
    "asset://localhost/x",
    "blob:https://example.org/x",
  ])("refuses %j", (href) => {
    expect(externalUrl(href)).toBeNull();
  });

  it("refuses non-strings", () => {
    expect(externalUrl(null)).toBeNull();
    expect(externalUrl(undefined)).toBeNull();
  });
});

describe("urlParts", () => {
  it("cuts the URL around its host", () => {
    expect(urlParts(new URL("https://www.example.org:8080/a?b#c"))).toEqual({
      before: "https://",
      host: "www.example.org:8080",
      after: "/a?b#c",
    });
  });

  it("shows an international host as punycode (no look-alike letters)", () => {
    const url = externalUrl("https://раураl.example/")!;
    expect(urlParts(url).host).toMatch(/^xn--[a-z0-9-]+\.example$/);
  });
});
