import type { ContextBudget } from "../lib/bindings/ContextBudget";

/** A context budget with nothing dropped, shared by the meter and context tests. */
export const budget: ContextBudget = {
  limit: 32768,
  system_tokens: 200,
  history_tokens: 900,
  message_tokens: 134,
  answer_room: 31534,
  dropped: [],
};
