import { describe, expect, it } from "vitest";
import { cleanMathStyle, isSafeHref, renderMarkdown } from "./markdown";

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

/** Everything outside KaTeX's own markup: the strict policy, as for any model output. */
function assertNoActiveContentOutsideMath(html: string) {
  const d = dom(html);
  for (const el of Array.from(d.querySelectorAll("*"))) {
    for (const a of Array.from(el.attributes)) {
      const n = a.name.toLowerCase();
      expect(n.startsWith("on"), `${el.tagName} ${a.name}`).toBe(false);
      expect(["href", "src", "srcset", "action", "formaction", "xlink:href", "id", "name"]).not.toContain(n);
      expect(a.value.replace(/\s/g, "").toLowerCase()).not.toMatch(/^(?:javascript|vbscript|data):/);
    }
    const inMath = !!el.closest(".katex, .katex-error");
    if (!inMath) {
      expect(el.getAttribute("style"), `${el.tagName} style`).toBeNull();
      expect(["math", "svg"]).not.toContain(el.tagName.toLowerCase());
    }
  }
  expect(d.querySelector("script,style,iframe,object,embed,form,img,input,base,meta,link,a[href]")).toBeNull();
}

describe("renderMarkdown — math (KaTeX)", () => {
  it("renders inline math with an accessible MathML copy", () => {
    const d = dom(renderMarkdown("Einstein: $E=mc^2$."));
    const k = d.querySelector("p > .katex");
    expect(k).not.toBeNull();
    expect(k!.closest(".katex-display")).toBeNull();
    expect(d.querySelector(".katex math annotation")?.textContent).toBe("E=mc^2");
    expect(d.querySelector(".katex-html")?.getAttribute("aria-hidden")).toBe("true");
    // KaTeX's layout styles survive (restricted).
    expect(d.querySelector(".katex-html [style]")).not.toBeNull();
    expect(d.textContent).toContain("Einstein:");
  });

  it("renders $$…$$ display math, as a block and inside a paragraph", () => {
    for (const md of ["$$\\frac{a}{b}$$", "$$\n\\frac{a}{b}\n$$", "so $$\\frac{a}{b}$$ here"]) {
      const d = dom(renderMarkdown(md));
      expect(d.querySelector(".katex-display .katex math mfrac"), md).not.toBeNull();
      expect(d.querySelector(".katex-html .mfrac .frac-line"), md).not.toBeNull();
    }
  });

  it("renders \\(…\\) inline and \\[…\\] display math", () => {
    const d = dom(renderMarkdown("BMI \\(= w/h^2\\):\n\n\\[\nBMI = \\frac{kg}{m^2}\n\\]\n\nafter"));
    expect(d.querySelectorAll(".katex")).toHaveLength(2);
    expect(d.querySelectorAll(".katex-display")).toHaveLength(1);
    expect(d.textContent).toContain("after");
  });

  it("a display block interrupts a paragraph only when it really is one", () => {
    const d = dom(renderMarkdown("Hello\n$$x^2$$\nworld"));
    expect(d.querySelector(".katex-display")).not.toBeNull();
    expect(d.textContent).toContain("Hello");
    expect(d.textContent).toContain("world");
  });

  it("leaves unbalanced $ alone", () => {
    for (const md of ["unbalanced $x", "a $ b", "$", "$$", "$$x", "x$", "$x\n\ny$"]) {
      const d = dom(renderMarkdown(md));
      expect(d.querySelector(".katex"), md).toBeNull();
      expect(d.textContent?.replace(/\s+/g, ""), md).toBe(md.replace(/\s+/g, ""));
    }
    // Markdown's own escape still applies to a lone \(.
    expect(dom(renderMarkdown("\\(x")).querySelector(".katex")).toBeNull();
  });

  it("does not treat money as math", () => {
    for (const md of [
      "It costs $5 and $10 with insurance.",
      "between $5-$10",
      "$5, $10, or $20",
      "$5.00 or $10.50",
      "costs $5/$10 a month",
      "paid $ 5 and 10 $",
      "US$5 vs US$10",
    ]) {
      const d = dom(renderMarkdown(md));
      expect(d.querySelector(".katex"), md).toBeNull();
      expect(d.textContent?.trim(), md).toBe(md);
    }
  });

  it("requires a non-space inside both delimiters and no digit after the closing one", () => {
    expect(dom(renderMarkdown("$ x$")).querySelector(".katex")).toBeNull();
    expect(dom(renderMarkdown("$x $")).querySelector(".katex")).toBeNull();
    expect(dom(renderMarkdown("$x$5")).querySelector(".katex")).toBeNull();
    expect(dom(renderMarkdown("$x$, 5")).querySelector(".katex")).not.toBeNull();
  });

  it("keeps an escaped \\$ literal", () => {
    const d = dom(renderMarkdown("\\$x\\$"));
    expect(d.querySelector(".katex")).toBeNull();
    expect(d.textContent?.trim()).toBe("$x$");
  });

  it("leaves $ in code spans and fenced code alone", () => {
    const d = dom(renderMarkdown("`$x$`\n\n```sh\necho $HOME $x$\n```"));
    expect(d.querySelector(".katex")).toBeNull();
    expect(d.querySelector("p code")?.textContent).toBe("$x$");
    expect(d.querySelector("pre code")?.textContent).toContain("echo $HOME $x$");
  });

  it("renders math in GFM tables, next to code and emphasis", () => {
    const d = dom(renderMarkdown("| Dose | Formula |\n|---|---|\n| **5 mg** | $d = w \\times 0.1$ |\n\n```js\nlet x = 1;\n```"));
    expect(d.querySelector("tbody td:last-child .katex")).not.toBeNull();
    expect(d.querySelector("tbody td strong")?.textContent).toBe("5 mg");
    expect(d.querySelector("pre code.language-js")?.textContent).toContain("let x = 1;");
  });

  it("renders invalid TeX as text, without throwing", () => {
    const d = dom(renderMarkdown("$\\frac{$ and $\\notacommand{x}$"));
    expect(d.querySelectorAll(".katex-error, .katex").length).toBeGreaterThan(0);
    assertNoActiveContentOutsideMath(d.innerHTML);
  });

  it("\\href and \\url produce no link (trust: false)", () => {
    for (const md of [
      "$\\href{javascript:alert(1)}{x}$",
      "$$\\href{javascript:alert(1)}{click}$$",
      "$\\url{javascript:alert(1)}$",
      "$\\href{https://evil.example}{x}$",
    ]) {
      const html = renderMarkdown(md);
      const d = dom(html);
      expect(d.querySelector("a"), md).toBeNull();
      expect(d.querySelector("[href]"), md).toBeNull();
      assertNoActiveContentOutsideMath(html);
    }
  });

  it("KaTeX's HTML extensions are off (no image, class, id, style, data attributes from TeX)", () => {
    const html = renderMarkdown(
      "$\\includegraphics{https://evil.example/x.png}$ $\\htmlClass{btn}{a}$ $\\htmlId{app}{b}$ " +
        "$\\htmlStyle{position:fixed;inset:0}{c}$ $\\htmlData{foo=bar}{d}$",
    );
    const d = dom(html);
    expect(d.querySelector("img,[id],[data-foo],.btn")).toBeNull();
    for (const el of Array.from(d.querySelectorAll("[style]"))) {
      expect(el.getAttribute("style")).not.toMatch(/fixed|inset/);
    }
    assertNoActiveContentOutsideMath(html);
  });

  it("TeX text is escaped", () => {
    const html = renderMarkdown("$\\text{<script>alert(1)</script><img src=x onerror=alert(1)>}$");
    expect(dom(html).querySelector("script,img")).toBeNull();
    assertNoActiveContentOutsideMath(html);
  });

  it("macros do not leak from one formula to the next", () => {
    const d = dom(renderMarkdown("$\\gdef\\leak{LEAKED}$ and $\\leak$"));
    expect(d.querySelector(".katex-html")?.textContent ?? "").not.toContain("LEAKED");
    expect(d.textContent).not.toMatch(/LEAKED.*LEAKED/);
  });

  it("caps sizes: crafted \\raisebox/\\rule/\\kern cannot throw content across the page", () => {
    const html = renderMarkdown("$\\raisebox{-900em}{x}\\rule{500em}{500em}\\kern{900em}\\raisebox{900em}{y}$");
    const d = dom(html);
    for (const el of Array.from(d.querySelectorAll("[style]"))) {
      for (const m of (el.getAttribute("style") ?? "").matchAll(/(-?[\d.]+)em/g)) {
        expect(Math.abs(Number(m[1]))).toBeLessThanOrEqual(60);
      }
    }
  });

  it("the model's own HTML gets no KaTeX privileges", () => {
    const html = renderMarkdown(
      '<span class="katex" style="position:fixed;inset:0;z-index:9">x</span> ' +
        '<math><mi>x</mi></math> <svg><path d="M0 0"/></svg> $y$',
    );
    const d = dom(html);
    expect(d.querySelectorAll(".katex")).toHaveLength(1);
    expect(d.querySelectorAll("math")).toHaveLength(1);
    expect(d.querySelector("math annotation")?.textContent).toBe("y");
    expect(html).not.toContain("fixed");
    expect(d.querySelector("svg path[d='M0 0']")).toBeNull();
    assertNoActiveContentOutsideMath(html);
  });

  it("a forged placeholder stays text", () => {
    const d = dom(renderMarkdown("MATH00000000000000000000000000N0Z and $x$ MATH1N0Z"));
    expect(d.querySelectorAll(".katex")).toHaveLength(1);
    expect(d.textContent).toContain("MATH00000000000000000000000000N0Z");
    expect(d.textContent).toContain("MATH1N0Z");
  });

  it("math inside a stripped javascript: link keeps no href", () => {
    const html = renderMarkdown("[$x$](javascript:alert(1)) <a href=\"javascript:alert(1)\">$y$</a>");
    const d = dom(html);
    expect(d.querySelectorAll(".katex")).toHaveLength(2);
    expect(d.querySelector("[href]")).toBeNull();
  });

  it("renders pathological input without a quadratic blow-up (the test timeout is the guard)", () => {
    // Speed is measured in benchmarks, not asserted here; a quadratic scan would hit the timeout.
    for (const input of ["\\[ a\n\n".repeat(1500), "\\(".repeat(5000), "$$\n".repeat(1500), "$ a".repeat(5000)]) {
      expect(renderMarkdown(input)).not.toContain("<script");
    }
  });

  it("very long formulas are left as text", () => {
    const tex = "x+".repeat(3000) + "x";
    const d = dom(renderMarkdown(`$${tex}$`));
    expect(d.querySelector(".katex")).toBeNull();
    expect(d.textContent).toContain("x+x+");
  });
});

describe("cleanMathStyle", () => {
  it("keeps KaTeX layout declarations", () => {
    expect(cleanMathStyle("height:0.6833em;vertical-align:-0.25em;")).toBe("height:0.6833em;vertical-align:-0.25em");
    expect(cleanMathStyle("margin: 0 -0.025em; position: relative; top: -3.063em")).toBe(
      "margin:0 -0.025em;position:relative;top:-3.063em",
    );
    expect(cleanMathStyle("color:#cc0000;background-color:blue")).toBe("color:#cc0000;background-color:blue");
  });

  it("drops everything else", () => {
    expect(cleanMathStyle("position:fixed;inset:0;z-index:99")).toBe("");
    expect(cleanMathStyle("background:url(https://evil.example/x)")).toBe("");
    expect(cleanMathStyle("background-color:url(x)")).toBe("");
    expect(cleanMathStyle("width:expression(alert(1))")).toBe("");
    expect(cleanMathStyle("color:red;behavior:url(x.htc)")).toBe("color:red");
    expect(cleanMathStyle("height:calc(100vh)")).toBe("");
    expect(cleanMathStyle("top:-1000em")).toBe("top:-60em");
    expect(cleanMathStyle("content:'x'")).toBe("");
  });
});
