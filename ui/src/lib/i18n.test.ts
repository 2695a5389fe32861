import { afterEach, describe, expect, it } from "vitest";
import { en } from "./i18n/en";
import { zh } from "./i18n/zh";
import { catalogs, lang, setLang, t, toLang } from "./i18n.svelte";

afterEach(() => setLang("en"));

// The same in both languages on purpose: product names, units.
const SAME = new Set(["plan.gpu", "hardware.gpu", "consult.exportFilter"]);

describe("i18n catalogs", () => {
  it("have exactly the same keys in both languages", () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    expect(Object.keys(catalogs).sort()).toEqual(["en", "zh"]);
  });

  it("agree on which messages take arguments, and how many", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const a = en[key] as unknown;
      const b = zh[key] as unknown;
      expect(typeof b, key).toBe(typeof a);
      if (typeof a === "function") expect((b as (...x: unknown[]) => string).length, key).toBe(a.length);
    }
  });

  it("translate everything (nothing left in English by mistake)", () => {
    const untranslated = (Object.keys(en) as (keyof typeof en)[]).filter((k) => {
      if (SAME.has(k)) return false;
      const a = en[k] as unknown;
      const b = zh[k] as unknown;
      return typeof a === "string" ? a === b : false;
    });
    expect(untranslated).toEqual([]);
  });

  it("the Chinese disclaimer is the agreed text", () => {
    expect(zh["app.disclaimer"]).toBe(
      "Anamnesis 不是医生，可能出错。它不能替代专业的医疗建议、诊断或治疗。如遇紧急情况，请拨打当地急救电话。",
    );
  });
});

describe("t()", () => {
  it("follows the current language and fills in arguments", () => {
    expect(t("app.newConsultation")).toBe("New consultation");
    expect(t("list.messages", 1)).toBe("1 message");
    expect(t("list.messages", 3)).toBe("3 messages");
    setLang("zh");
    expect(lang()).toBe("zh");
    expect(t("app.newConsultation")).toBe("新建问诊");
    expect(t("list.messages", 3)).toBe("3 条消息");
    expect(document.documentElement.lang).toBe("zh-CN");
  });

  it("reads the backend's language leniently", () => {
    expect(toLang("zh")).toBe("zh");
    expect(toLang("zh-CN")).toBe("zh");
    expect(toLang("en")).toBe("en");
    expect(toLang("fr")).toBe("en");
    expect(toLang(undefined)).toBe("en");
  });
});
