import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export type Series = { label: string; values: (number | null)[]; color: string; bars?: boolean; dash?: boolean };

/**
 * A uPlot time-series chart that fills its container's width at a fixed height, so the page does not
 * move when data arrives. `x` is in seconds since the epoch. Redrawn when the data changes.
 */
export function Chart(props: { title: string; x: number[]; series: Series[]; height?: number; yLabel?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const height = props.height ?? 200;
  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const bars = uPlot.paths.bars?.({ size: [0.6, 40] });
    const plot = new uPlot(
      {
        width: Math.max(240, el.clientWidth),
        height,
        legend: { show: true },
        scales: { x: { time: true } },
        axes: [{}, { label: props.yLabel, size: 60 }],
        series: [
          {},
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.color,
            fill: s.bars ? `${s.color}55` : undefined,
            width: 2,
            dash: s.dash ? [6, 4] : undefined,
            paths: s.bars ? bars : undefined,
            spanGaps: !s.bars,
          })),
        ],
      },
      [props.x, ...props.series.map((s) => s.values)] as uPlot.AlignedData,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [JSON.stringify(props.x), JSON.stringify(props.series), height]);
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={box} class="chart-box" style={{ minHeight: `${height + 40}px` }} role="img" aria-label={props.title} />
    </figure>
  );
}

/** Seconds since the epoch of a YYYY-MM-DD day or an ISO instant. */
export const epoch = (day: string) => Date.parse(day.length === 10 ? `${day}T00:00:00Z` : day) / 1000;
