// Small SVG charts with no library: the page must work offline from the jar and stay a few kilobytes.
const Charts = (() => {
  const NS = 'http://www.w3.org/2000/svg';

  function el(name, attrs, text) {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text != null) node.textContent = text;
    return node;
  }

  function fmt(n) {
    return Number(n).toLocaleString(undefined, { maximumFractionDigits: n < 10 ? 2 : 0 });
  }

  // A step line per series (a price holds until it changes), with labelled axes. series: [{name, cls, points:
  // [{x: Date, y: Number}]}]. The chart is an img for assistive technology, described by `label`.
  function line(container, series, { label, unit, width = 640, height = 220 } = {}) {
    container.replaceChildren();
    const all = series.flatMap((s) => s.points);
    if (all.length === 0) {
      container.append(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'No prices yet.' }));
      return null;
    }
    const pad = { left: 56, right: 12, top: 12, bottom: 28 };
    let xMin = Math.min(...all.map((p) => +p.x));
    let xMax = Math.max(...all.map((p) => +p.x));
    let yMin = Math.min(...all.map((p) => p.y));
    let yMax = Math.max(...all.map((p) => p.y));
    if (xMax === xMin) { xMin -= 86400000; xMax += 86400000; }
    if (yMax === yMin) { yMin *= 0.9; yMax *= 1.1; if (yMax === 0) yMax = 1; }
    const sx = (x) => pad.left + ((+x - xMin) / (xMax - xMin)) * (width - pad.left - pad.right);
    const sy = (y) => height - pad.bottom - ((y - yMin) / (yMax - yMin)) * (height - pad.top - pad.bottom);
    const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label || 'price chart',
      class: 'line-chart', preserveAspectRatio: 'xMidYMid meet' });
    svg.append(el('title', {}, label || 'price chart'));
    // Axes: min and max price, first and last date.
    svg.append(el('line', { x1: pad.left, y1: height - pad.bottom, x2: width - pad.right, y2: height - pad.bottom, class: 'axis' }));
    svg.append(el('line', { x1: pad.left, y1: pad.top, x2: pad.left, y2: height - pad.bottom, class: 'axis' }));
    svg.append(el('text', { x: pad.left - 6, y: sy(yMax) + 4, 'text-anchor': 'end', class: 'tick' }, fmt(yMax)));
    svg.append(el('text', { x: pad.left - 6, y: sy(yMin) + 4, 'text-anchor': 'end', class: 'tick' }, fmt(yMin)));
    svg.append(el('text', { x: pad.left, y: height - 8, class: 'tick' }, new Date(xMin).toLocaleDateString()));
    svg.append(el('text', { x: width - pad.right, y: height - 8, 'text-anchor': 'end', class: 'tick' },
      new Date(xMax).toLocaleDateString()));
    if (unit) svg.append(el('text', { x: 4, y: pad.top + 4, class: 'tick' }, unit));
    for (const s of series) {
      if (s.points.length === 0) continue;
      const pts = [...s.points].sort((a, b) => a.x - b.x);
      let d = `M${sx(pts[0].x).toFixed(1)},${sy(pts[0].y).toFixed(1)}`;
      for (let i = 1; i < pts.length; i++) {
        d += `H${sx(pts[i].x).toFixed(1)}V${sy(pts[i].y).toFixed(1)}`;
      }
      d += `H${(width - pad.right).toFixed(1)}`;
      svg.append(el('path', { d, class: `series ${s.cls || ''}` }));
      for (const p of pts) {
        const dot = el('circle', { cx: sx(p.x).toFixed(1), cy: sy(p.y).toFixed(1), r: 3, class: `dot ${s.cls || ''}` });
        dot.append(el('title', {}, `${s.name}: ${fmt(p.y)} on ${new Date(p.x).toLocaleDateString()}`));
        svg.append(dot);
      }
    }
    container.append(svg);
    return svg;
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
    const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: 'sparkline' });
    svg.append(el('title', {}, label));
    svg.append(el('path', { d, class: 'series' }));
    container.append(svg);
    return svg;
  }

  return { line, sparkline };
})();
