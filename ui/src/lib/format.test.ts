import { describe, expect, it } from "vitest";
import { formatBytes, formatContext, formatCount, formatDuration, formatEta, formatGB, formatSpeed, percent } from "./format";

describe("formatBytes (decimal units)", () => {
  it("uses GB = 10^9 bytes with one decimal", () => {
    expect(formatBytes(19_500_000_000)).toBe("19.5 GB");
    expect(formatBytes(1_520_000_000)).toBe("1.5 GB");
    expect(formatBytes(24 * 1024 ** 3)).toBe("25.8 GB");
  });

  it("drops the decimal from 100 on", () => {
    expect(formatBytes(812_400_000_000)).toBe("812 GB");
    expect(formatBytes(300_000_000)).toBe("300 MB");
  });

  it("picks the unit after rounding and goes down to bytes", () => {
    expect(formatBytes(999_960_000)).toBe("1.0 GB");
    expect(formatBytes(2_000_000_000_000)).toBe("2.0 TB");
    expect(formatBytes(1_500_000)).toBe("1.5 MB");
    expect(formatBytes(11_400)).toBe("11.4 kB");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(0)).toBe("0 B");
  });

  it("never shows nonsense", () => {
    expect(formatBytes(-5)).toBe("0 B");
    expect(formatBytes(Number.NaN)).toBe("0 B");
  });

  it("formatGB shows memory in binary GB, as the OS and the plan sentences do", () => {
    expect(formatGB(322_122_547)).toBe("0.3 GB");
    expect(formatGB(24 * 2 ** 30)).toBe("24.0 GB");
    expect(formatGB(19_500_000_000)).toBe("18.2 GB");
  });
});

describe("formatSpeed", () => {
  it("shows MB/s, and GB/s from 1 GB/s", () => {
    expect(formatSpeed(45_200_000)).toBe("45.2 MB/s");
    expect(formatSpeed(0)).toBe("0.0 MB/s");
    expect(formatSpeed(1_625_000_000)).toBe("1.63 GB/s");
    expect(formatSpeed(Number.POSITIVE_INFINITY)).toBe("0.0 MB/s");
  });
});

describe("formatEta", () => {
  it("reads as hours and minutes, minutes and seconds, or seconds", () => {
    expect(formatEta(12)).toBe("12 s");
    expect(formatEta(0.4)).toBe("0 s");
    expect(formatEta(200)).toBe("3 min 20 s");
    expect(formatEta(65)).toBe("1 min 05 s");
    expect(formatEta(3900)).toBe("1 h 05 min");
    expect(formatEta(3600)).toBe("1 h 00 min");
    expect(formatEta(3599.6)).toBe("1 h 00 min");
    expect(formatEta(36 * 3600 + 59 * 60 + 50)).toBe("37 h 00 min");
  });

  it("is empty while unknown", () => {
    expect(formatEta(null)).toBe("");
    expect(formatEta(undefined)).toBe("");
    expect(formatEta(Number.NaN)).toBe("");
  });

  it("formatDuration keeps a decimal under ten seconds", () => {
    expect(formatDuration(4.23)).toBe("4.2 s");
    expect(formatDuration(12)).toBe("12 s");
    expect(formatDuration(125)).toBe("2 min 05 s");
  });
});

describe("formatContext", () => {
  it("shows thousands of tokens as k (1k = 1024)", () => {
    expect(formatContext(12288)).toBe("12k");
    expect(formatContext(32768)).toBe("32k");
    expect(formatContext(4096)).toBe("4k");
    expect(formatContext(1536)).toBe("1.5k");
    expect(formatContext(800)).toBe("800");
    expect(formatContext(0)).toBe("0");
  });
});

describe("percent", () => {
  it("is a clamped share, 0 without a total", () => {
    expect(percent(25, 100)).toBe(25);
    expect(percent(150, 100)).toBe(100);
    expect(percent(5, 0)).toBe(0);
    expect(percent(Number.NaN, 10)).toBe(0);
  });
});

describe("formatCount", () => {
  it("groups digits in the reader's locale", () => {
    expect(formatCount(8192, "en")).toBe("8,192");
    expect(formatCount(131072, "zh-CN")).toBe("131,072");
    expect(formatCount(12.6, "en")).toBe("13");
    expect(formatCount(Number.NaN, "en")).toBe("0");
  });
});
