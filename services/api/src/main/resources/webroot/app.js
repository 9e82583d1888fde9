// The listing browser: reads the JSON API, renders a table, pages with the API's cursor.
const form = document.getElementById('filters');
const rows = document.getElementById('rows');
const more = document.getElementById('more');
const status = document.getElementById('status');
let cursor = null;

function query() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (value.trim() !== '') params.set(name, value.trim());
  }
  params.set('limit', '50');
  if (cursor) params.set('cursor', cursor);
  return params;
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text ?? '';
  if (className) td.className = className;
  return td;
}

function money(value, currency, unit) {
  if (value == null) return 'no price';
  const amount = Number(value).toLocaleString(undefined, { maximumFractionDigits: 2 });
  return `${amount} ${currency}${unit === 'hour' ? ' / hour' : ''}`;
}

function render(item) {
  const tr = document.createElement('tr');
  const title = document.createElement('td');
  const link = document.createElement(item.url ? 'a' : 'span');
  link.textContent = item.title;
  if (item.url) { link.href = item.url; link.rel = 'noopener'; }
  title.append(link);
  tr.append(title, cell(item.gpu), cell(money(item.price, item.currency, item.price_unit), 'num'));
  const perGpu = item.price_usd == null ? '' : (Number(item.price_usd) / item.gpu_count)
      .toLocaleString(undefined, { maximumFractionDigits: 2 });
  tr.append(cell(perGpu, 'num'), cell(item.source), cell(new Date(item.last_seen_at).toLocaleString(), 'muted'));
  rows.append(tr);
}

async function load(reset) {
  if (reset) { cursor = null; rows.replaceChildren(); }
  status.textContent = 'Loading…';
  const response = await fetch('/api/listings?' + query());
  const body = await response.json();
  if (!response.ok) { status.textContent = body.detail || 'The request failed.'; return; }
  body.items.forEach(render);
  cursor = body.next_cursor;
  more.hidden = !cursor;
  status.textContent = rows.children.length ? `${rows.children.length} listings` : 'No listings match.';
}

form.addEventListener('submit', (e) => { e.preventDefault(); load(true); });
more.addEventListener('click', () => load(false));
load(true);
