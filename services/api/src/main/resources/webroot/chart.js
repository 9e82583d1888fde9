// Charts: a listing's price history with uPlot (served from the jar), and the cards' small SVG trend lines.
const Charts = (() => {
  const NS = 'http://www.w3.org/2000/svg';

  function el(name, attrs, text) {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text != null) node.textContent = text;
    return node;
  }

  function fmt(n) {
    return Number(n).toLocaleString(undefined, { maximumFractionDigits: Math.abs(n) < 10 ? 2 : 0 });
  }

  // Three to five round price ticks covering [min, max]: the first step of 1, 2, 2.5 or 5 × 10^k that needs at most
  // five ticks; the axis then spans exactly those ticks.
  function priceTicks(min, max) {
    if (max === min) { const pad = Math.max(Math.abs(min) * 0.05, 0.01); min -= pad; max += pad; }
    const span = max - min;
    let magnitude = 10 ** Math.floor(Math.log10(span / 4));
    for (;;) {
      for (const m of [1, 2, 2.5, 5]) {
        const step = m * magnitude;
        const lo = Math.floor(min / step) * step;
        let hi = Math.ceil(max / step) * step;
        let count = Math.round((hi - lo) / step) + 1;
        if (count <= 5) {
          if (count < 3) { hi = lo + 2 * step; count = 3; }
          const ticks = [];
          for (let i = 0; i < count; i++) ticks.push(Number((lo + i * step).toPrecision(12)));
          return ticks;
        }
      }
      magnitude *= 10;
    }
  }

  function cssColor(name, fallback) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
  }

  // A listing's prices as a step line (a price holds until it changes) with time ticks as dates and times, three to
  // five price ticks, and the value of each point: under the pointer (the legend and `point`), or with the arrow keys
  // once the chart has focus. points: [{x: Date, y: Number, held?: true}], the last one possibly "still held now".
  function history(container, points, { currency, label, point, height = 240 } = {}) {
    if (container.chartResize) { container.chartResize.disconnect(); container.chartResize = null; }
    container.replaceChildren();
    if (point) point.textContent = '';
    if (points.length === 0) {
      container.append(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'No prices yet.' }));
      return null;
    }
    const xs = points.map((p) => p.x.getTime() / 1000);
    const ys = points.map((p) => p.y);
    const ticks = priceTicks(Math.min(...ys), Math.max(...ys));
    const text = cssColor('--text', '#1b1f24');
    const grid = cssColor('--line', '#e3e6ea');
    const accent = cssColor('--accent', '#0b57d0');
    const describe = (i) => `${fmt(ys[i])} ${currency} ${points[i].held ? 'still, on' : 'from'}`
      + ` ${new Date(xs[i] * 1000).toLocaleString()}`;
    const opts = {
      width: Math.max(240, container.clientWidth || 600),
      height,
      title: undefined,
      scales: {
        x: { time: true, range: (u, min, max) => (min === max ? [min - 86400, max + 86400] : [min, max]) },
        y: { range: () => [ticks[0], ticks[ticks.length - 1]] },
      },
      series: [
        { value: (u, v) => (v == null ? '—' : new Date(v * 1000).toLocaleString()) },
        { label: `Price (${currency})`, stroke: accent, width: 2, paths: uPlot.paths.stepped({ align: 1 }),
          points: { show: true, size: 7, fill: accent }, value: (u, v) => (v == null ? '—' : `${fmt(v)} ${currency}`) },
      ],
      axes: [
        { stroke: text, grid: { stroke: grid }, ticks: { stroke: grid }, space: 80 },
        { stroke: text, grid: { stroke: grid }, ticks: { stroke: grid }, size: 64,
          splits: () => ticks, values: (u, vals) => vals.map(fmt) },
      ],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      hooks: {
        setCursor: [(u) => {
          const i = u.cursor.idx;
          if (point && i != null) point.textContent = describe(i);
        }],
      },
    };
    const plot = new uPlot(opts, [xs, ys], container);
    // The dialog follows the window's width; so does the chart.
    if (container.chartResize) container.chartResize.disconnect();
    if (typeof ResizeObserver === 'function') {
      container.chartResize = new ResizeObserver(() => {
        const width = Math.max(240, container.clientWidth);
        if (container.clientWidth && width !== plot.width) plot.setSize({ width, height });
      });
      container.chartResize.observe(container);
    }
    container.setAttribute('aria-label', `${label}. ${points.length} points, from ${fmt(Math.min(...ys))} to`
      + ` ${fmt(Math.max(...ys))} ${currency}.`);
    // Keyboard: the arrow keys walk the points; each one's price and time is announced (aria-live) and shown.
    let focused = points.length - 1;
    const show = (i) => {
      focused = Math.max(0, Math.min(points.length - 1, i));
      plot.setCursor({ left: plot.valToPos(xs[focused], 'x'), top: plot.valToPos(ys[focused], 'y') });
      if (point) point.textContent = describe(focused);
    };
    container.onfocus = () => show(focused);
    container.onkeydown = (e) => {
      const moves = { ArrowLeft: -1, ArrowRight: 1, Home: -points.length, End: points.length };
      if (!(e.key in moves)) return;
      e.preventDefault();
      show(focused + moves[e.key]);
    };
    return plot;
  }

  // A tiny trend line for a card: no axes, the first and last value in the label.
  function sparkline(container, points, { label, width = 160, height = 40 } = {}) {
    container.replaceChildren();
    if (points.length < 2) {
      container.append(Object.assign(document.createElement('span'), { className: 'muted', textContent: 'no trend yet' }));
      return null;
    }
    const ys = points.map((p) => p.y);
    const min = Math.min(...ys);
    const max = Math.max(...ys) === min ? min + 1 : Math.max(...ys);
    const step = (width - 4) / (points.length - 1);
    const d = points.map((p, i) => `${i ? 'L' : 'M'}${(2 + i * step).toFixed(1)},${(height - 3 - ((p.y - min) / (max - min)) * (height - 6)).toFixed(1)}`).join('');
    const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: 'sparkline',
      preserveAspectRatio: 'none' });
    svg.append(el('title', {}, label));
    svg.append(el('path', { d, class: 'series' }));
    container.append(svg);
    return svg;
  }

  return { history, sparkline, priceTicks };
})();
