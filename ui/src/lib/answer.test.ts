import { describe, expect, it } from "vitest";
import { emphasizeCantMiss, sectionHtml } from "./answer";

describe("section HTML", () => {
  it("emphasizes can't-miss markers in English and Chinese", () => {
    const html = sectionHtml("1. Migraine\n2. Subarachnoid haemorrhage (can't miss)\n3. 子痫前期（不可漏诊）");
    const div = document.createElement("div");
    div.innerHTML = html;
    expect(Array.from(div.querySelectorAll("strong.cant-miss")).map((s) => s.textContent)).toEqual(["(can't miss)", "（不可漏诊）"]);
    expect(div.querySelectorAll("li")).toHaveLength(3);
  });

  it("sanitizes the body first: markers never smuggle HTML in", () => {
    const html = sectionHtml("<img src=x onerror=alert(1)> (can't miss) <script>alert(1)</script>");
    expect(html).not.toContain("onerror");
    expect(html).not.toContain("<script");
    expect(html).toContain('<strong class="cant-miss">');
  });

  it("leaves HTML without markers alone", () => {
    expect(emphasizeCantMiss("<p>Rest</p>")).toBe("<p>Rest</p>");
    expect(emphasizeCantMiss("")).toBe("");
  });
});
