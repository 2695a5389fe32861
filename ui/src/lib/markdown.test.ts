import { describe, expect, it } from "vitest";
import { isSafeHref, renderMarkdown } from "./markdown";

function dom(html: string): HTMLElement {
  const d = document.createElement("div");
  d.innerHTML = html;
  return d;
}

function assertNoActiveContent(html: string) {
  const d = dom(html);
  for (const el of Array.from(d.querySelectorAll("*"))) {
    for (const a of Array.from(el.attributes)) {
      expect(a.name.toLowerCase().startsWith("on"), `${el.tagName} ${a.name}`).toBe(false);
      if (a.name === "href") expect(isSafeHref(a.value), a.value).toBe(true);
    }
  }
  expect(d.querySelector("script,style,iframe,object,embed,form,svg,math,img,input,base,meta,link")).toBeNull();
  expect(html.toLowerCase()).not.toContain("javascript:");
  expect(html.toLowerCase()).not.toContain("vbscript:");
}

describe("renderMarkdown — dangerous input", () => {
  const cases: [string, string][] = [
    ["script tag", "hello <script>alert(1)</script> world"],
    ["img onerror", "<img src=x onerror=alert(1)>"],
    ["markdown image with remote src", "![x](https://evil.example/track.png)"],
    ["javascript: markdown link", "[click](javascript:alert(1))"],
    ["mixed-case javascript:", "[click](JaVaScRiPt:alert(1))"],
    ["entity-encoded javascript: in html", '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>'],
    ["hex-entity javascript: in markdown", "[x](&#x6A;avascript:alert(1))"],
    ["javascript: with embedded tab/newline", '<a href="java&#x09;script:alert(1)">x</a> <a href="java\nscript:alert(1)">y</a>'],
    ["leading whitespace javascript:", '<a href="  javascript:alert(1)">x</a>'],
    ["iframe", '<iframe src="https://evil.example"></iframe>'],
    ["svg onload", "<svg onload=alert(1)><circle r=1 /></svg>"],
    ["data:text/html link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"],
    ["data: link in raw html", '<a href="data:text/html,<script>alert(1)</script>">x</a>'],
    ["vbscript link", "[x](vbscript:msgbox(1))"],
    ["object/embed/form", '<object data="x.swf"></object><embed src="x"><form action="https://evil.example"><input name=a><button>go</button></form>'],
    ["style tag and style attribute", '<style>body{display:none}</style><p style="position:fixed;inset:0">overlay</p>'],
    ["event handler on allowed tag", '<p onclick="alert(1)" onmouseover="alert(2)">hi</p>'],
    ["details ontoggle", "<details open ontoggle=alert(1)><summary>s</summary>x</details>"],
    ["meta refresh / base", '<meta http-equiv="refresh" content="0;url=https://evil.example"><base href="https://evil.example/">'],
    ["mathml", '<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>'],
    ["formaction / srcdoc", '<button formaction="javascript:alert(1)">x</button><iframe srcdoc="<script>alert(1)</script>"></iframe>'],
    ["nested/mangled script", "<scr<script>ipt>alert(1)</script>"],
  ];

  for (const [name, input] of cases) {
    it(`neutralises ${name}`, () => {
      const html = renderMarkdown(input);
      assertNoActiveContent(html);
    });
  }

  it("keeps the text of a stripped javascript: link", () => {
    const d = dom(renderMarkdown("[click me](javascript:alert(1))"));
    expect(d.textContent).toContain("click me");
    expect(d.querySelector("a")?.hasAttribute("href") ?? false).toBe(false);
  });

  it("drops the style attribute but keeps the paragraph text", () => {
    const d = dom(renderMarkdown('<p style="color:red">visible</p>'));
    expect(d.querySelector("p")?.getAttribute("style")).toBeNull();
    expect(d.textContent).toContain("visible");
  });

  it("strips untrusted class names but keeps code language classes", () => {
    const d = dom(renderMarkdown('<p class="disclaimer hidden">x</p>\n\n```rust\nfn main() {}\n```'));
    expect(d.querySelector("p")?.getAttribute("class")).toBeNull();
    expect(d.querySelector("pre code")?.getAttribute("class")).toBe("language-rust");
  });
});

describe("renderMarkdown — normal markdown", () => {
  it("renders headings", () => {
    const d = dom(renderMarkdown("# Title\n\n## Sub"));
    expect(d.querySelector("h1")?.textContent).toBe("Title");
    expect(d.querySelector("h2")?.textContent).toBe("Sub");
  });

  it("renders ordered and unordered lists (with start)", () => {
    const d = dom(renderMarkdown("- a\n- b\n\n3. x\n4. y"));
    expect(d.querySelectorAll("ul li")).toHaveLength(2);
    expect(d.querySelectorAll("ol li")).toHaveLength(2);
    expect(d.querySelector("ol")?.getAttribute("start")).toBe("3");
  });

  it("renders GFM tables with alignment", () => {
    const d = dom(renderMarkdown("| Drug | Dose |\n|:--|--:|\n| Paracetamol | 500 mg |"));
    expect(d.querySelector("table th")?.textContent).toBe("Drug");
    expect(d.querySelectorAll("tbody td")).toHaveLength(2);
    expect(d.querySelector("tbody td:last-child")?.getAttribute("align")).toBe("right");
  });

  it("renders fenced code blocks and escapes their HTML", () => {
    const d = dom(renderMarkdown("```html\n<script>alert(1)</script>\n```"));
    const code = d.querySelector("pre code");
    expect(code?.textContent).toContain("<script>alert(1)</script>");
    expect(d.querySelector("script")).toBeNull();
  });

  it("renders inline code, emphasis and blockquotes", () => {
    const d = dom(renderMarkdown("> **bold** and *it* and `x<y`"));
    expect(d.querySelector("blockquote strong")?.textContent).toBe("bold");
    expect(d.querySelector("blockquote em")?.textContent).toBe("it");
    expect(d.querySelector("code")?.textContent).toBe("x<y");
  });

  it("keeps https links and makes them open safely", () => {
    const d = dom(renderMarkdown("[NICE](https://www.nice.org.uk/guidance)"));
    const a = d.querySelector("a")!;
    expect(a.getAttribute("href")).toBe("https://www.nice.org.uk/guidance");
    expect(a.getAttribute("target")).toBe("_blank");
    expect(a.getAttribute("rel")).toBe("noopener noreferrer");
  });

  it("keeps mailto and #anchor links; drops relative links", () => {
    const d = dom(renderMarkdown("[m](mailto:a@b.c) [h](#sec) [r](other/page.html)"));
    const hrefs = Array.from(d.querySelectorAll("a")).map((a) => a.getAttribute("href"));
    expect(hrefs).toEqual(["mailto:a@b.c", "#sec", null]);
  });

  it("renders task lists without input elements", () => {
    const d = dom(renderMarkdown("- [x] done\n- [ ] todo"));
    expect(d.querySelector("input")).toBeNull();
    expect(d.textContent).toContain("☑");
    expect(d.textContent).toContain("☐");
  });

  it("returns empty string for empty input", () => {
    expect(renderMarkdown("")).toBe("");
  });
});
