import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "./i18n.svelte";
import { emptyPatient, fromForm, invalidField, patientChips, splitList, toForm } from "./patient";

afterEach(() => setLang("en"));

describe("patient form", () => {
  it("round-trips a context through the form", () => {
    const p = {
      age_years: 34,
      sex: "female" as const,
      pregnancy: { type: "pregnant" as const, weeks: 30 },
      weight_kg: 62.5,
      allergies: ["penicillin"],
      medications: ["levothyroxine", "folic acid"],
      conditions: [],
      jurisdiction: "DE",
    };
    const f = toForm("Headache", "Headache 3 days", p);
    expect(f).toMatchObject({ age: "34", ageUnit: "years", pregnancy: "pregnant", weeks: "30", jurisdiction: "DE", medications: "levothyroxine, folic acid" });
    expect(fromForm(f)).toEqual({ ok: true, title: "Headache", chiefComplaint: "Headache 3 days", patient: p });
  });

  it("infants in months, other countries typed in, pregnancy dropped for males", () => {
    const f = toForm("", "", { ...emptyPatient(), age_years: 0.125, jurisdiction: "BR" });
    expect(f).toMatchObject({ age: "1.5", ageUnit: "months", jurisdiction: "other", otherJurisdiction: "BR" });
    const r = fromForm({ ...f, sex: "male", pregnancy: "pregnant", otherJurisdiction: " br " });
    expect(r.ok && r.patient).toMatchObject({ age_years: 0.125, sex: "male", pregnancy: null, jurisdiction: "BR" });
  });

  it("catches text that is no number, and empty fields are null", () => {
    const f = toForm("", "", emptyPatient());
    expect(fromForm({ ...f, age: "old" })).toEqual({ ok: false, field: "age_years" });
    expect(fromForm({ ...f, weight: "7,5" })).toMatchObject({ ok: true, patient: { weight_kg: 7.5 } });
    expect(fromForm({ ...f, sex: "female", pregnancy: "pregnant", weeks: "12.5" })).toEqual({ ok: false, field: "pregnancy" });
    expect(fromForm(f)).toMatchObject({ ok: true, patient: emptyPatient() });
  });

  it("splits lists on commas (also Chinese ones), semicolons and lines", () => {
    expect(splitList("a, b\nc；d、e，f ;; ")).toEqual(["a", "b", "c", "d", "e", "f"]);
  });

  it("finds the field an INVALID_PATIENT_CONTEXT message names", () => {
    expect(invalidField("invalid patient context: weight_kg must be between 0.3 and 500 kg (got 900)")).toBe("weight_kg");
    expect(invalidField("something else")).toBeNull();
  });

  it("summarises the context in a line of chips, in the UI's language", () => {
    const p = { ...emptyPatient(), age_years: 0.5, sex: "female" as const, pregnancy: null, medications: ["a", "b"], jurisdiction: "CN" };
    expect(patientChips(p)).toEqual(["6 mo", "Female", "2 medications", "CN"]);
    setLang("zh");
    expect(patientChips(p)).toEqual(["6 个月", "女", "2 种用药", "CN"]);
    expect(patientChips(emptyPatient())).toEqual([]);
  });
});
