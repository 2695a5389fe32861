import { describe, expect, it } from "vitest";
import { insecureRemote, isRemote, remoteHost } from "./remote";

describe("remote model info", () => {
  it("recognises a remote model and its host", () => {
    expect(isRemote({ format: "remote" })).toBe(true);
    expect(isRemote({ format: "gguf" })).toBe(false);
    expect(remoteHost({ device: "remote:gpu.clinic.example" })).toBe("gpu.clinic.example");
    expect(remoteHost({ device: "cuda:0" })).toBe("cuda:0");
  });

  it("flags plain http only for remote models", () => {
    expect(insecureRemote({ format: "remote", path: "http://10.0.0.5:8000/v1" })).toBe(true);
    expect(insecureRemote({ format: "remote", path: "HTTP://10.0.0.5/v1" })).toBe(true);
    expect(insecureRemote({ format: "remote", path: "https://gpu.clinic.example/v1" })).toBe(false);
    expect(insecureRemote({ format: "gguf", path: "http://not-a-url-but-a-path" })).toBe(false);
  });
});
