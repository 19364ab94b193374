import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DateTime } from "luxon";
import { INTL_LOCALE, type Locale, type Translate } from "../i18n.js";
import { TOPICS, type Topic } from "../requests/domain.js";
import type { WeekFigures } from "../requests/stats.js";

/** The picture's size in pixels: 16:9, what Telegram shows whole in a chat. */
export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 675;

/** Everything the chart says, in the admin's language. */
export interface ChartLabels {
  title: string;
  subtitle: string;
  /** The left axis (requests a week), the legend's title, the right axis (the median). */
  requests: string;
  topic: string;
  median: string;
  topics: Record<Topic, string>;
  /** "23 Nov": the Monday a week starts on. */
  week: (start: string) => string;
  /** Whether the median is drawn in hours (else in minutes). */
  hours: boolean;
}

/** One colour per topic, the same on every chart (Tableau 10, then a grey for "other"). */
const TOPIC_COLOURS: Record<Topic, string> = {
  "work-patent": "#4e79a7",
  "registration-documents": "#f28e2b",
  "entry-ban": "#e15759",
  "unpaid-wages": "#76b7b2",
  trafficking: "#b07aa1",
  detention: "#edc948",
  family: "#59a14f",
  other: "#bab0ac",
};

/**
 * The labels in `locale`; the median is in hours once a week's median passes two hours. The
 * period runs from the first week's Monday to `lastDay` (ISO; by default the last week's Sunday).
 */
export function chartLabels(t: Translate, locale: Locale, weeks: WeekFigures[], lastDay?: string): ChartLabels {
  const hours = weeks.some((week) => (week.minutesToFirstReply ?? 0) >= 120);
  const dateOf = (iso: string, format: string) => DateTime.fromISO(iso).setLocale(INTL_LOCALE[locale]).toFormat(format);
  const first = weeks[0]?.start;
  const last = lastDay ?? (weeks.at(-1) ? DateTime.fromISO(weeks.at(-1)!.start).plus({ days: 6 }).toISODate()! : undefined);
  return {
    title: t("report.chartTitle"),
    subtitle: first && last ? t("report.chartSubtitle", { from: dateOf(first, "d MMMM yyyy"), to: dateOf(last, "d MMMM yyyy") }) : "",
    requests: t("report.chartRequests"),
    topic: t("report.chartTopic"),
    median: t(hours ? "report.chartMedianHours" : "report.chartMedianMinutes"),
    // Emoji have no glyphs in the font: the topic's words only.
    topics: Object.fromEntries(TOPICS.map((topic) => [topic, t(`topic.${topic}`).replace(/^[^\p{L}\p{N}]+/u, "")])) as Record<
      Topic,
      string
    >,
    week: (start) => dateOf(start, "d MMM"),
    hours,
  };
}

/** The font files the chart is drawn with, shipped in an npm package (no system font needed). */
function fontFiles(): string[] {
  const folder = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");
  return [join(folder, "DejaVuSans.ttf"), join(folder, "DejaVuSans-Bold.ttf")];
}

/** The Vega-Lite spec: requests a week stacked by topic (bars, left axis), the median time to the first answer (line, right axis). */
export function chartSpec(weeks: WeekFigures[], labels: ChartLabels) {
  const bars = weeks.flatMap((week, order) =>
    TOPICS.filter((topic) => week.byTopic[topic] > 0).map((topic) => ({
      week: labels.week(week.start),
      order,
      topic: labels.topics[topic],
      rank: TOPICS.indexOf(topic),
      count: week.byTopic[topic],
    })),
  );
  const medians = weeks.flatMap((week, order) =>
    week.minutesToFirstReply === undefined
      ? []
      : [
          {
            week: labels.week(week.start),
            order,
            median: Math.round((labels.hours ? week.minutesToFirstReply / 60 : week.minutesToFirstReply) * 10) / 10,
          },
        ],
  );
  const weekAxis = {
    field: "week",
    type: "ordinal",
    // Every week on the axis, also one without requests.
    scale: { domain: weeks.map((week) => labels.week(week.start)) },
    axis: { title: null, labelAngle: 0, labelFontSize: 13 },
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    autosize: { type: "fit", contains: "padding" },
    padding: 16,
    background: "white",
    title: { text: labels.title, subtitle: labels.subtitle, fontSize: 20, subtitleFontSize: 14, anchor: "start" },
    config: {
      font: "DejaVu Sans",
      view: { stroke: null },
      axis: { titleFontSize: 14, labelFontSize: 12 },
      legend: { titleFontSize: 14, labelFontSize: 13 },
    },
    layer: [
      {
        data: { values: bars },
        mark: { type: "bar", width: { band: 0.7 } },
        encoding: {
          x: weekAxis,
          y: { aggregate: "sum", field: "count", type: "quantitative", title: labels.requests, axis: { tickMinStep: 1, format: "d" } },
          color: {
            field: "topic",
            type: "nominal",
            title: labels.topic,
            scale: { domain: TOPICS.map((topic) => labels.topics[topic]), range: TOPICS.map((topic) => TOPIC_COLOURS[topic]) },
            legend: { orient: "bottom", columns: 4, symbolType: "square", labelLimit: 270, titleLimit: 600 },
          },
          order: { field: "rank" },
        },
      },
      {
        data: { values: medians },
        mark: { type: "line", point: { filled: true, size: 60, color: "#222222" }, color: "#222222", strokeWidth: 2.5 },
        encoding: {
          x: weekAxis,
          y: { field: "median", type: "quantitative", title: labels.median, axis: { orient: "right", grid: false } },
        },
      },
    ],
    resolve: { scale: { y: "independent" } },
  };
}

/**
 * The chart for donor reports as a PNG of CHART_WIDTH × CHART_HEIGHT: requests per week by
 * topic, and the median time to a lawyer's first answer, labelled in the admin's language.
 * Vega draws it as SVG (no canvas, no browser), resvg turns that into pixels with the fonts
 * shipped in node_modules. The libraries load on the first chart, not at start.
 */
export async function renderWeeklyChart(weeks: WeekFigures[], labels: ChartLabels): Promise<Buffer> {
  const [vega, vegaLite, { Resvg }] = await Promise.all([import("vega"), import("vega-lite"), import("@resvg/resvg-js")]);
  const { spec } = vegaLite.compile(chartSpec(weeks, labels) as Parameters<typeof vegaLite.compile>[0]);
  const view = new vega.View(vega.parse(spec), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, {
      background: "white",
      fitTo: { mode: "width", value: CHART_WIDTH },
      font: { loadSystemFonts: false, fontFiles: fontFiles(), defaultFontFamily: "DejaVu Sans" },
    }).render();
    return png.asPng();
  } finally {
    view.finalize();
  }
}
