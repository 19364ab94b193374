import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { loadContent } from "../src/content.js";
import { CHART_HEIGHT, CHART_WIDTH, chartLabels, chartSpec, renderWeeklyChart } from "../src/reports/chart.js";
import { TOPICS, type Topic } from "../src/requests/domain.js";
import type { WeekFigures } from "../src/requests/stats.js";

const { translate } = loadContent();

/** Twelve weeks of fixed figures from Monday 7 September 2026: a few requests per topic, a median that grows to hours, one week without answers. */
const weeks: WeekFigures[] = Array.from({ length: 12 }, (_, index) => {
  const byTopic = Object.fromEntries(TOPICS.map((topic, rank) => [topic, (index + rank * 3) % 5])) as Record<Topic, number>;
  return {
    start: new Date(Date.UTC(2026, 8, 7 + index * 7)).toISOString().slice(0, 10),
    byTopic,
    total: Object.values(byTopic).reduce((a, b) => a + b, 0),
    ...(index === 4 ? {} : { minutesToFirstReply: 40 + index * 25 }),
  };
});

/** The RGBA pixels of a PNG (8-bit RGBA, no interlace, as resvg writes it). */
function decodePng(png: Buffer): { width: number; height: number; pixels: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("ascii", offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([body[8], body[9], body[12]]).toEqual([8, 6, 0]); // 8 bits, RGBA, not interlaced
    }
    if (type === "IDAT") data.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * 4;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const left = x >= 4 ? pixels[y * stride + x - 4]! : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const upLeft = x >= 4 && y > 0 ? pixels[(y - 1) * stride + x - 4]! : 0;
      const paeth = () => {
        const p = left + up - upLeft;
        const [a, b, c] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return a <= b && a <= c ? left : b <= c ? up : upLeft;
      };
      const predictor = [0, left, up, Math.floor((left + up) / 2), paeth()][filter]!;
      pixels[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  return { width, height, pixels };
}

const countColour = (pixels: Buffer, hex: string) => {
  const [r, g, b] = [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16));
  let count = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i] === r && pixels[i + 1] === g && pixels[i + 2] === b) count++;
  return count;
};

describe("the chart for donor reports", () => {
  it("is a PNG of the expected size with bars, the median line and text, drawn from fixed data", async () => {
    const labels = chartLabels(translate.tg, "tg", weeks);
    const png = await renderWeeklyChart(weeks, labels);
    const { width, height, pixels } = decodePng(png);
    expect([width, height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    let white = 0;
    let dark = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i]! > 250 && pixels[i + 1]! > 250 && pixels[i + 2]! > 250) white++;
      if (pixels[i]! < 80 && pixels[i + 1]! < 80 && pixels[i + 2]! < 80) dark++;
    }
    const all = width * height;
    // Not empty: a good part is drawn, and a white background around it.
    expect(white / all).toBeGreaterThan(0.3);
    expect(white / all).toBeLessThan(0.9);
    // Each topic's colour is there (the bars and the legend), and dark pixels for the text and the line.
    for (const colour of ["#4e79a7", "#f28e2b", "#e15759", "#59a14f"]) expect(countColour(pixels, colour)).toBeGreaterThan(500);
    expect(dark / all).toBeGreaterThan(0.005);
  });

  it("labels everything in the admin's language, topics in words (no emoji), the median in hours once it passes two", () => {
    const labels = chartLabels(translate.ru, "ru", weeks);
    expect(labels.title).toBe(translate.ru("report.chartTitle"));
    expect(labels.median).toBe(translate.ru("report.chartMedianHours"));
    expect(labels.topics["unpaid-wages"]).toBe("Невыплата зарплаты");
    expect(labels.week("2026-11-23")).toBe("23 нояб.");
    expect(labels.subtitle).toContain("7 сентября 2026");
    expect(labels.subtitle).toContain("29 ноября 2026");
    const quick = weeks.map((week) => ({ ...week, minutesToFirstReply: 30 }));
    expect(chartLabels(translate.en, "en", quick).median).toBe(translate.en("report.chartMedianMinutes"));
  });

  it("puts every week on the axis and each topic's requests in its bar, the medians on the right axis", () => {
    const labels = chartLabels(translate.en, "en", weeks);
    const spec = chartSpec(weeks, labels);
    const [bars, line] = spec.layer;
    expect(bars!.encoding.x.scale.domain).toHaveLength(12);
    expect((bars!.data.values as { count: number }[]).reduce((sum, row) => sum + row.count, 0)).toBe(
      weeks.reduce((sum, week) => sum + week.total, 0),
    );
    expect(line!.data.values).toHaveLength(11); // one week had no answer
    expect((line!.data.values as { median: number }[])[0]!.median).toBe(0.7); // 40 minutes, in hours
  });

  it("draws a chart with no requests at all", async () => {
    const empty = weeks.map((week) => ({
      ...week,
      byTopic: Object.fromEntries(TOPICS.map((topic) => [topic, 0])) as Record<Topic, number>,
      total: 0,
      minutesToFirstReply: undefined,
    }));
    const { width, height } = decodePng(await renderWeeklyChart(empty, chartLabels(translate.en, "en", empty)));
    expect([width, height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
  });
});
