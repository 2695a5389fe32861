import { describe, expect, it } from "vitest";
import { MIN_PASSPHRASE, passphraseProblem } from "./passphrase";

describe("passphraseProblem", () => {
  it("needs at least 8 characters, typed the same twice", () => {
    expect(MIN_PASSPHRASE).toBe(8);
    expect(passphraseProblem("", "")).toBe("empty");
    expect(passphraseProblem("1234567", "1234567")).toBe("short");
    expect(passphraseProblem("12345678", "12345679")).toBe("mismatch");
    expect(passphraseProblem("12345678", "")).toBe("mismatch");
    expect(passphraseProblem("12345678", "12345678")).toBeNull();
  });

  it("counts characters, not bytes or UTF-16 units", () => {
    // Seven CJK characters are 21 bytes but still too short; eight are enough.
    expect(passphraseProblem("我的病历很安全", "我的病历很安全")).toBe("short");
    expect(passphraseProblem("我的病历非常安全", "我的病历非常安全")).toBeNull();
    // Four emoji are eight UTF-16 units but four characters.
    expect(passphraseProblem("🔒🔒🔒🔒", "🔒🔒🔒🔒")).toBe("short");
  });
});
