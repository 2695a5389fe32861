/** A loaded model that is really a remote server (Settings → Remote engine). */
import type { ModelInfo } from "./bindings/ModelInfo";

export function isRemote(info: Pick<ModelInfo, "format">): boolean {
  return info.format === "remote";
}

/** The remote server's host, from the device ("remote:<host>"). */
export function remoteHost(info: Pick<ModelInfo, "device">): string {
  return info.device.startsWith("remote:") ? info.device.slice("remote:".length) : info.device;
}

/**
 * A remote server reached over plain http: what is typed, and the key, cross the network
 * unencrypted. The path of a remote model is its API base URL.
 */
export function insecureRemote(info: Pick<ModelInfo, "format" | "path">): boolean {
  return isRemote(info) && /^http:\/\//i.test(info.path.trim());
}
