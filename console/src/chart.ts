// Bar charts with Apache ECharts, bundled by module (core, the bar series, the grid, tooltip and
// aria components, the SVG renderer) rather than the whole library, and drawn as SVG so that the
// bars are elements a test and a screen reader can find.
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, TooltipComponent, AriaComponent, SVGRenderer]);

/** The colour of every bar: tests count the bars by it (no legend or other mark uses it). */
export const BAR_COLOUR = '#2f6fb5';

/**
 * Draws (or redraws) one bar per category into `el`; returns a function that disposes of it.
 * `title` names the chart for screen readers (ECharts' aria description follows it).
 */
export function barChart(el: HTMLElement, title: string, categories: string[], values: number[]): () => void {
  const chart = echarts.getInstanceByDom(el) ?? echarts.init(el, undefined, { renderer: 'svg' });
  chart.setOption(
    {
      aria: { enabled: true, label: { description: `${title}: ${categories.map((c, i) => `${c} ${values[i]}`).join('; ')}` } },
      animation: false,
      grid: { left: 48, right: 16, top: 24, bottom: 96 },
      // Drawn in the SVG itself: an HTML tooltip carries style attributes the page's policy refuses.
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      xAxis: { type: 'category', data: categories, axisLabel: { rotate: 30, interval: 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: title, data: values, itemStyle: { color: BAR_COLOUR }, barMaxWidth: 40 }],
    },
    true,
  );
  return () => chart.dispose();
}
