import { DateTime } from "luxon";
import { referenceOf } from "./domain.js";

/** What a donor report needs about one request: no names, usernames, ids, phones or texts. */
export interface ExportRow {
  id: number;
  createdAt: Date;
  takenAt: Date | null;
  firstReplyAt: Date | null;
  closedAt: Date | null;
  topic: string;
  language: string;
  urgent: boolean;
  timeZone: string | null;
  status: string;
  outcome: string | null;
  rating: number | null;
}

const COLUMNS = [
  "reference",
  "created",
  "taken",
  "first_reply",
  "closed",
  "topic",
  "urgent",
  "language",
  "zone",
  "status",
  "outcome",
  "minutes_to_first_reply",
  "minutes_to_close",
  "rating",
];

/** RFC 4180 CSV; times in the hotline's zone. */
export function requestsCsv(rows: ExportRow[], zone: string): string {
  const time = (date: Date | null) => (date ? DateTime.fromJSDate(date).setZone(zone).toFormat("yyyy-MM-dd HH:mm") : "");
  const minutes = (from: Date, to: Date | null) => (to ? String(Math.round((to.getTime() - from.getTime()) / 60_000)) : "");
  const cell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = rows.map((row) =>
    [
      referenceOf(row.id),
      time(row.createdAt),
      time(row.takenAt),
      time(row.firstReplyAt),
      time(row.closedAt),
      row.topic,
      row.urgent ? "yes" : "no",
      row.language,
      row.timeZone ?? "",
      row.status,
      row.outcome ?? "",
      minutes(row.createdAt, row.firstReplyAt),
      minutes(row.createdAt, row.closedAt),
      row.rating?.toString() ?? "",
    ]
      .map(cell)
      .join(","),
  );
  return [COLUMNS.join(","), ...lines].join("\r\n") + "\r\n";
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
