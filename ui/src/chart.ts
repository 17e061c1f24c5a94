import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { ListJobExecutionsForJobCommand, type IoTClient, type JobExecutionStatus } from '@aws-sdk/client-iot';
import { h } from './dom.js';

/** The finished states the history counts, with the colours of style.css. */
const SERIES: [JobExecutionStatus, string, string][] = [
  ['SUCCEEDED', 'succeeded', '#16a34a'],
  ['FAILED', 'failed', '#dc2626'],
  ['TIMED_OUT', 'timed out', '#a855f7'],
  ['REJECTED', 'rejected', '#f97316'],
];
/** Executions read per state (a page of 250 each, newest first is not an option: the list is keyset-ordered). */
const CAP = 1000;
const MAX_MINUTES = 180;

export interface Buckets {
  /** Minute starts, in seconds (uPlot's x unit). */
  x: number[];
  /** Per state, executions finishing in each minute. */
  y: number[][];
  /** Whether some state had more than CAP executions (the chart then shows the first CAP of it). */
  capped: boolean;
}

/** Reads the finished executions of each state (lastUpdatedAt: when it got there) and counts them per minute. */
export async function history(iot: IoTClient, jobId: string, from: number, to: number): Promise<Buckets> {
  let capped = false;
  const times = await Promise.all(
    SERIES.map(async ([status]) => {
      const out: number[] = [];
      let nextToken: string | undefined;
      do {
        const r = await iot.send(new ListJobExecutionsForJobCommand({ jobId, status, maxResults: 250, nextToken }));
        for (const e of r.executionSummaries ?? []) if (e.jobExecutionSummary?.lastUpdatedAt) out.push(e.jobExecutionSummary.lastUpdatedAt.getTime());
        nextToken = r.nextToken;
      } while (nextToken && out.length < CAP);
      if (nextToken) capped = true;
      return out;
    }),
  );
  const end = Math.floor(to / 60_000);
  // At least a quarter of an hour, so that a young job's bars are not as wide as the chart.
  const start = Math.min(Math.max(Math.floor(from / 60_000), end - MAX_MINUTES + 1), end - 14);
  const x = Array.from({ length: end - start + 1 }, (_, i) => (start + i) * 60);
  const y = times.map((ts) => {
    const row = new Array<number>(x.length).fill(0);
    for (const t of ts) {
      const i = Math.floor(t / 60_000) - start;
      if (i >= 0 && i < row.length) row[i]!++;
    }
    return row;
  });
  return { x, y, capped };
}

/** A stacked per-minute bar chart (uPlot: each series drawn as the running sum, the largest first). */
export function historyChart(): { el: HTMLElement; show(b: Buckets): void } {
  const box = h('div', { class: 'chart' });
  const note = h('p', { class: 'note chart-note' });
  const el = h('div', { class: 'history' }, box, note);
  let plot: uPlot | undefined;
  let raw: number[][] = [];
  const width = () => Math.max(280, box.clientWidth || el.clientWidth || 600);
  const stacked = (b: Buckets) => {
    const sums: number[][] = [];
    b.y.forEach((row, i) => sums.push(row.map((v, j) => v + (i ? sums[i - 1]![j]! : 0))));
    // Drawn last-sum first so each shorter bar sits on top of the taller one.
    return [b.x, ...sums.reverse()] as uPlot.AlignedData;
  };
  const bars = uPlot.paths.bars!({ size: [0.8, 40] });
  const order = [...SERIES].reverse();
  new ResizeObserver(() => plot?.setSize({ width: width(), height: 200 })).observe(box);
  return {
    el,
    show(b) {
      raw = [...b.y].reverse();
      const data = stacked(b);
      const total = b.y.reduce((n, row) => n + row.reduce((a, v) => a + v, 0), 0);
      note.textContent = `${total} finished executions by the minute they finished${b.capped ? ` (the first ${CAP} of each state)` : ''}`;
      box.dataset.total = String(total);
      if (!plot) {
        plot = new uPlot(
          {
            width: width(),
            height: 200,
            scales: { x: { time: true, range: (_u, min, max) => [min - 30, max + 30] }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
            axes: [{}, { size: 40 }],
            legend: { live: false },
            series: [
              {},
              ...order.map(([, label, colour], i) => ({
                label,
                stroke: colour,
                fill: colour,
                width: 0,
                paths: bars,
                points: { show: false },
                value: (_u: uPlot, _v: number, _s: number, idx: number | null) => String(idx === null ? raw[i]!.reduce((a, v) => a + v, 0) : raw[i]![idx]),
              })),
            ],
          },
          data,
          box,
        );
      } else plot.setData(data);
    },
  };
}
