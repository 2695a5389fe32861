/** The backend's notices about how the model was loaded, in the user's language. */
import type { ModelNotice } from "./bindings/ModelNotice";
import { t } from "./i18n.svelte";

export function noticeText(n: ModelNotice): string {
  switch (n.kind) {
    case "estimated_tokens":
      return t("notice.estimatedTokens");
    case "insecure_remote":
      return t("notice.insecureRemote", n.host);
    case "remote_context_capped":
      return t("notice.remoteContextCapped");
    case "draft_not_used":
      // The sentence in the user's language; the backend's detail (a file, a vocabulary) as it said it.
      return t("notice.draftNotUsed", n.error.message);
  }
}

/** Something the user must act on (a remote server over plain http), not just know. */
export function isWarning(n: ModelNotice): boolean {
  return n.kind === "insecure_remote";
}
