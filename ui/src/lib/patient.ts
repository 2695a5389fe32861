/**
 * The patient panel's form and the PatientContext it edits: text fields in, a context the
 * backend validates out (it has the last word: plausible ages, weights, pregnancy), and the
 * one-line summary shown while the panel is collapsed.
 */
import type { PatientContext } from "./bindings/PatientContext";
import type { Pregnancy } from "./bindings/Pregnancy";
import type { Sex } from "./bindings/Sex";
import { t } from "./i18n.svelte";

/** Common jurisdictions (ISO 3166-1 alpha-2); anything else is typed in under "other". */
export const COUNTRIES = ["US", "CA", "GB", "IE", "DE", "FR", "IT", "ES", "NL", "CN", "HK", "TW", "JP", "KR", "IN", "AU", "NZ"] as const;

export type PregnancyChoice = "" | Pregnancy["type"];
export type AgeUnit = "years" | "months";

export interface PatientForm {
  title: string;
  chiefComplaint: string;
  age: string;
  ageUnit: AgeUnit;
  sex: "" | Sex;
  pregnancy: PregnancyChoice;
  weeks: string;
  weight: string;
  allergies: string;
  medications: string;
  conditions: string;
  /** "", one of COUNTRIES, or "other" (then `otherJurisdiction` holds the code). */
  jurisdiction: string;
  otherJurisdiction: string;
}

/** The PatientContext fields the backend names in INVALID_PATIENT_CONTEXT. */
export type PatientField =
  | "age_years"
  | "sex"
  | "pregnancy"
  | "weight_kg"
  | "allergies"
  | "medications"
  | "conditions"
  | "jurisdiction";

const FIELDS: readonly PatientField[] = ["age_years", "sex", "pregnancy", "weight_kg", "allergies", "medications", "conditions", "jurisdiction"];

export function emptyPatient(): PatientContext {
  return { age_years: null, sex: null, pregnancy: null, weight_kg: null, allergies: [], medications: [], conditions: [], jurisdiction: null };
}

/** Nothing is known about the patient. */
export function isEmptyPatient(p: PatientContext): boolean {
  return (
    p.age_years === null &&
    p.sex === null &&
    p.pregnancy === null &&
    p.weight_kg === null &&
    p.allergies.length === 0 &&
    p.medications.length === 0 &&
    p.conditions.length === 0 &&
    p.jurisdiction === null
  );
}

/** Pregnancy and breastfeeding are asked about unless the sex is male. */
export function showsPregnancy(sex: "" | Sex | null): boolean {
  return sex !== "male";
}

/** "a, b\nc；d" → ["a", "b", "c", "d"]: commas (also Chinese ones), semicolons or lines. */
export function splitList(s: string): string[] {
  return s
    .split(/[,\n;，；、]/)
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
}

/** A number for a field: up to `digits` decimals, no trailing zeros. */
function plain(n: number, digits = 2): string {
  return String(Number(n.toFixed(digits)));
}

/** Infants (under two, not a whole year) read better in months. */
function ageInMonths(years: number): boolean {
  return years < 2 && !Number.isInteger(years);
}

export function toForm(title: string, chiefComplaint: string, p: PatientContext): PatientForm {
  const months = p.age_years !== null && ageInMonths(p.age_years);
  const j = p.jurisdiction ?? "";
  const known = j === "" || (COUNTRIES as readonly string[]).includes(j);
  return {
    title,
    chiefComplaint,
    age: p.age_years === null ? "" : months ? plain(p.age_years * 12, 1) : plain(p.age_years),
    ageUnit: months ? "months" : "years",
    sex: p.sex ?? "",
    pregnancy: p.pregnancy?.type ?? "",
    weeks: p.pregnancy?.type === "pregnant" && p.pregnancy.weeks !== null ? String(p.pregnancy.weeks) : "",
    weight: p.weight_kg === null ? "" : plain(p.weight_kg, 1),
    allergies: p.allergies.join(", "),
    medications: p.medications.join(", "),
    conditions: p.conditions.join(", "),
    jurisdiction: known ? j : "other",
    otherJurisdiction: known ? "" : j,
  };
}

function parseNumber(s: string): number | null | undefined {
  const v = s.trim().replace(",", ".");
  if (!v) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export type FormResult =
  | { ok: true; title: string; chiefComplaint: string; patient: PatientContext }
  /** A field is not a number at all; ranges are the backend's to check. */
  | { ok: false; field: PatientField };

export function fromForm(f: PatientForm): FormResult {
  const age = parseNumber(f.age);
  if (age === undefined) return { ok: false, field: "age_years" };
  const weight = parseNumber(f.weight);
  if (weight === undefined) return { ok: false, field: "weight_kg" };
  const weeks = parseNumber(f.weeks);
  if (weeks === undefined || (weeks !== null && !Number.isInteger(weeks))) return { ok: false, field: "pregnancy" };

  let pregnancy: Pregnancy | null = null;
  if (showsPregnancy(f.sex)) {
    if (f.pregnancy === "pregnant") pregnancy = { type: "pregnant", weeks };
    else if (f.pregnancy === "lactating") pregnancy = { type: "lactating" };
    else if (f.pregnancy === "not_pregnant") pregnancy = { type: "not_pregnant" };
  }
  const code = (f.jurisdiction === "other" ? f.otherJurisdiction : f.jurisdiction).trim().toUpperCase();
  return {
    ok: true,
    title: f.title.trim(),
    chiefComplaint: f.chiefComplaint.trim(),
    patient: {
      age_years: age === null ? null : f.ageUnit === "months" ? Math.round((age / 12) * 1000) / 1000 : age,
      sex: f.sex || null,
      pregnancy,
      weight_kg: weight,
      allergies: splitList(f.allergies),
      medications: splitList(f.medications),
      conditions: splitList(f.conditions),
      jurisdiction: code || null,
    },
  };
}

/** The field an INVALID_PATIENT_CONTEXT message names ("invalid patient context: age_years must…"). */
export function invalidField(message: string): PatientField | null {
  for (const f of FIELDS) if (new RegExp(`\\b${f}\\b`).test(message)) return f;
  return null;
}

/** "US" → "United States" (or 美国), from the runtime's own region names. */
export function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The collapsed panel's summary: "34 y · female · pregnant, 12 wk · 60 kg · allergies: penicillin · US". */
export function patientChips(p: PatientContext): string[] {
  const chips: string[] = [];
  if (p.age_years !== null) {
    chips.push(
      ageInMonths(p.age_years) ? t("patient.chipAgeMonths", plain(p.age_years * 12, 1)) : t("patient.chipAgeYears", plain(p.age_years)),
    );
  }
  if (p.sex) chips.push(t(p.sex === "female" ? "patient.female" : "patient.male"));
  if (p.pregnancy?.type === "pregnant") chips.push(t("patient.chipPregnant", p.pregnancy.weeks));
  else if (p.pregnancy?.type === "lactating") chips.push(t("patient.chipLactating"));
  if (p.weight_kg !== null) chips.push(t("patient.chipWeight", plain(p.weight_kg, 1)));
  if (p.allergies.length) chips.push(t("patient.chipAllergies", p.allergies.join(", ")));
  if (p.medications.length) chips.push(t("patient.chipMedications", p.medications.length));
  if (p.conditions.length) chips.push(t("patient.chipConditions", p.conditions.join(", ")));
  if (p.jurisdiction) chips.push(p.jurisdiction);
  return chips;
}
