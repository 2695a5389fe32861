/**
 * The model picker's load choice (context, GPU layers, draft) as its controls hold it, and what
 * is sent back: pure functions, so the rules are tested without a component.
 */
import type { LoadChoice } from "./bindings/LoadChoice";
import type { LoadControls } from "./bindings/LoadControls";

/**
 * The choice as the controls show it: the GPU layers a number whenever they can be chosen (null
 * in the settings means all of them), and no draft where none is downloaded.
 */
export function shown(choice: LoadChoice, controls: Pick<LoadControls, "layers" | "draft_available">): LoadChoice {
  const { layers } = controls;
  return {
    context: choice.context,
    gpu_layers: layers === null ? null : Math.min(choice.gpu_layers ?? layers, layers),
    draft: controls.draft_available && choice.draft,
  };
}

export function sameChoice(a: LoadChoice, b: LoadChoice): boolean {
  return a.context === b.context && a.gpu_layers === b.gpu_layers && a.draft === b.draft;
}

/** What to save: all layers on the GPU stay `null` where the settings had `null`. */
export function toSave(choice: LoadChoice, controls: Pick<LoadControls, "layers" | "current">): LoadChoice {
  const { layers, current } = controls;
  const allAsBefore = layers !== null && choice.gpu_layers === layers && current.gpu_layers === null;
  return { ...choice, gpu_layers: layers === null || allAsBefore ? null : choice.gpu_layers };
}

/** A context typed or slid to: within [min, max], on a step from min. */
export function snapContext(value: number, controls: Pick<LoadControls, "context_min" | "context_max" | "context_step">): number {
  const { context_min: min, context_max: max, context_step: step } = controls;
  if (!Number.isFinite(value)) return min;
  const snapped = step > 0 ? min + Math.round((value - min) / step) * step : value;
  return Math.min(max, Math.max(min, snapped));
}

/**
 * About how many English words fit in `tokens` (three words for four tokens), rounded so it
 * does not read as exact: to 100 under 1,000 words, to 500 under 10,000, then to 1,000.
 */
export function approxWords(tokens: number): number {
  const words = Math.max(0, tokens) * 0.75;
  const unit = words < 1000 ? 100 : words < 10_000 ? 500 : 1000;
  return Math.round(words / unit) * unit;
}

/** Sliding asks for an estimate this long after the last move. */
export const ESTIMATE_DELAY_MS = 150;
