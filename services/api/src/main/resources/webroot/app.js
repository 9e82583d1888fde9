// The listing browser: market cards with price trends, buy-vs-rent, and a filterable, sortable, paged table.
// Reads only the JSON API; every figure it shows comes from there (USD per GPU unless a currency is chosen).
const $ = (id) => document.getElementById(id);
const form = $('filters');
const rows = $('rows');
const more = $('more');
const status = $('status');
const detail = $('detail');
let cursor = null;
let gpus = [];

const num = (v, digits = 2) => (v == null ? '' : Number(v).toLocaleString(undefined, { maximumFractionDigits: digits }));
const usd = (v, digits = 0) => (v == null ? '—' : '$' + Number(v).toLocaleString(undefined,
  { minimumFractionDigits: digits, maximumFractionDigits: digits }));

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail || `${url} answered ${response.status}`);
  return body;
}

// ---- Filters and the URL: the page's state lives in the query string, so a view can be shared or reloaded.
function filterParams() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (String(value).trim() !== '') params.set(name, String(value).trim());
  }
  return params;
}

function restoreFilters() {
  const params = new URLSearchParams(location.search);
  for (const [name, value] of params) {
    const field = form.elements.namedItem(name);
    if (field) field.value = value;
  }
}

// ---- Listings table.
function cell(content, className) {
  const td = document.createElement('td');
  if (content instanceof Node) td.append(content); else td.textContent = content ?? '';
  if (className) td.className = className;
  return td;
}

function price(item) {
  if (item.price == null) return 'no price';
  const shown = item.display_price != null
    ? `${num(item.display_price)} ${item.display_currency}`
    : `${num(item.price)} ${item.currency}`;
  return shown + (item.price_unit === 'hour' ? ' / hour' : '');
}

function render(item) {
  const tr = document.createElement('tr');
  tr.dataset.id = item.id;
  const link = document.createElement(item.url ? 'a' : 'span');
  link.textContent = item.title;
  if (item.url) { link.href = item.url; link.rel = 'noopener noreferrer'; link.target = '_blank'; }
  const perGpu = item.price_usd == null ? '' : num(Number(item.price_usd) / item.gpu_count);
  const historyButton = document.createElement('button');
  historyButton.type = 'button';
  historyButton.className = 'history';
  historyButton.textContent = 'History';
  historyButton.setAttribute('aria-label', `Price history of ${item.title}`);
  historyButton.addEventListener('click', () => openListing(item.id));
  tr.append(cell(link, 'title'), cell(item.gpu ?? '—'), cell(price(item), 'num price'), cell(perGpu, 'num'),
    // Value per 100 USD for sales; a rental's value is per dollar-hour, another scale, so it is left out here.
    cell(item.kind === 'sale' ? num(item.value, 1) : '', 'num'), cell(item.source), cell(new Date(item.last_seen_at).toLocaleDateString(), 'muted'),
    cell(historyButton));
  rows.append(tr);
}

function markSortHeaders(sort) {
  for (const button of document.querySelectorAll('button.sort')) {
    const key = button.dataset.sort;
    const th = button.closest('th');
    if (sort === key) th.setAttribute('aria-sort', key === 'value' ? 'descending' : 'ascending');
    else if (sort === '-' + key) th.setAttribute('aria-sort', 'descending');
    else th.setAttribute('aria-sort', 'none');
  }
}

async function loadListings(reset) {
  if (reset) { cursor = null; rows.replaceChildren(); }
  const params = filterParams();
  if (reset) history.replaceState(null, '', params.toString() ? '?' + params : location.pathname);
  params.set('limit', '50');
  if (cursor) params.set('cursor', cursor);
  markSortHeaders(params.get('sort') || '-last_seen');
  status.textContent = 'Loading…';
  try {
    const body = await getJson('/api/listings?' + params);
    body.items.forEach(render);
    cursor = body.next_cursor;
    more.hidden = !cursor;
    status.textContent = rows.children.length ? `${rows.children.length} listings${cursor ? ' so far' : ''}` : 'No listings match.';
  } catch (e) {
    status.textContent = e.message;
  }
}

// ---- One listing: its price history as a chart and a table.
async function openListing(id) {
  const item = await getJson(`/api/listings/${id}`);
  $('detail-title').textContent = item.title;
  $('detail-meta').textContent = `${item.source} · ${item.gpu ?? 'unknown model'} · ${price(item)}`
    + (item.active ? '' : ' · removed');
  const points = item.history.filter((h) => h.price != null)
    .map((h) => ({ x: new Date(h.observed_at), y: Number(h.price) }));
  Charts.line($('detail-chart'), [{ name: item.currency, cls: 'sale', points }],
    { label: `Price history of ${item.title} in ${item.currency}` });
  $('detail-caption').textContent = `Prices in ${item.currency}: ${points.length} observed; a price holds until it changes.`;
  const body = $('detail-history').tBodies[0];
  body.replaceChildren();
  for (const h of [...item.history].reverse()) {
    const tr = document.createElement('tr');
    tr.append(cell(new Date(h.observed_at).toLocaleString()), cell(h.price == null ? 'no price' : `${num(h.price)} ${h.currency}`, 'num'),
      cell(num(h.price_usd), 'num'));
    body.append(tr);
  }
  if (typeof detail.showModal === 'function') detail.showModal(); else detail.setAttribute('open', '');
}

// ---- Market cards: the most listed models, each with its sale (or rental) price trend.
async function loadMarket() {
  const body = await getJson('/api/gpus?listed=true');
  gpus = body.items;
  const filter = $('filter-gpu');
  const bvr = $('bvr-gpu');
  for (const g of gpus) {
    filter.append(new Option(`${g.name} (${g.market.active_listings})`, g.slug));
  }
  const comparable = gpus.filter((g) => g.market.buy_vs_rent_break_even_hours != null);
  for (const g of (comparable.length ? comparable : gpus)) bvr.append(new Option(g.name, g.slug));
  restoreFilters();
  $('market-status').textContent = gpus.length ? `${gpus.length} models on the market.` : 'No listings yet: run the worker.';
  const cards = $('cards');
  cards.replaceChildren();
  for (const g of gpus.slice(0, 12)) cards.append(card(g));
  renderBuyVsRent();
}

function card(g) {
  const li = document.createElement('li');
  li.className = 'card';
  const m = g.market;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'card-title';
  button.textContent = g.name;
  button.setAttribute('aria-label', `Show listings of ${g.name}`);
  button.addEventListener('click', () => {
    form.elements.namedItem('gpu').value = g.slug;
    loadListings(true);
    $('listings').focus();
  });
  const facts = document.createElement('dl');
  const fact = (term, value) => {
    if (value == null || value === '') return;
    facts.append(Object.assign(document.createElement('dt'), { textContent: term }),
      Object.assign(document.createElement('dd'), { textContent: value }));
  };
  fact('VRAM', `${num(g.vram_gb, 0)} GB`);
  fact('Median sale', m.sale.median != null ? `${usd(m.sale.median)} (${m.sale.listings})` : null);
  fact('Rent', m.rental.median_per_gpu_hour != null ? `${usd(m.rental.median_per_gpu_hour, 2)}/h` : null);
  fact('Break-even', m.buy_vs_rent_break_even_hours != null ? `${num(m.buy_vs_rent_break_even_hours, 0)} h` : null);
  fact('Value', m.value && m.value.per_100_usd != null ? `${num(m.value.per_100_usd, 1)} /$100` : null);
  // Price per TFLOP divides by the measured median where gpu-benchmark jobs ran on the model: say which figure it is.
  fact('FP32', g.fp32_tflops_source === 'measured'
    ? `${num(g.fp32_tflops_measured, 1)} TFLOPS measured (${g.benchmarks} GPU${g.benchmarks === 1 ? '' : 's'})`
    : (g.fp32_tflops != null ? `${num(g.fp32_tflops, 1)} TFLOPS spec` : null));
  const trend = document.createElement('div');
  trend.className = 'trend';
  li.append(button, facts, trend);
  getJson(`/api/gpus/${g.slug}/history?bucket=week&days=180`).then((h) => {
    const series = h.sale.length >= 2 ? h.sale : h.rental;
    const kind = series === h.sale ? 'median sale price' : 'median rental price per hour';
    const points = series.map((p) => ({ x: new Date(p.bucket), y: Number(p.median) }));
    const first = points[0];
    const last = points[points.length - 1];
    const label = points.length >= 2
      ? `${g.name} ${kind}, weekly: ${usd(first.y, 2)} to ${usd(last.y, 2)}`
      : `${g.name}: not enough history for a trend`;
    Charts.sparkline(trend, points, { label });
  }).catch(() => { trend.textContent = ''; });
  return li;
}

// ---- Buy vs rent: the break-even hours the API computes, turned into days at the reader's own usage.
function renderBuyVsRent() {
  const out = $('bvr-result');
  const g = gpus.find((x) => x.slug === $('bvr-gpu').value);
  if (!g) { out.textContent = 'No model has both sale and rental prices yet.'; return; }
  const m = g.market;
  const hoursPerDay = Math.min(24, Math.max(0.5, Number($('bvr-hours').value) || 8));
  out.replaceChildren();
  const p = document.createElement('p');
  if (m.buy_vs_rent_break_even_hours == null) {
    p.textContent = m.sale.median == null
      ? `${g.name}: no sale prices yet, so no comparison.`
      : `${g.name}: no rental offers yet, so no comparison.`;
    out.append(p);
    return;
  }
  const hours = Number(m.buy_vs_rent_break_even_hours);
  const days = hours / hoursPerDay;
  const strong = document.createElement('strong');
  strong.textContent = `${num(hours, 0)} GPU-hours`;
  p.append('Buying a ', g.name, ` at the median ${usd(m.sale.median)} costs as much as renting one for `, strong,
    ` at the median ${usd(m.rental.median_per_gpu_hour, 2)} per hour.`);
  const q = document.createElement('p');
  q.className = 'verdict';
  q.textContent = `At ${num(hoursPerDay, 1)} hours a day, buying pays off after ${num(days, 0)} days`
    + ` (about ${num(days / 30.44, 1)} months)` + (days > 3 * 365 ? ': renting is likely cheaper.' : '.');
  const note = document.createElement('p');
  note.className = 'muted';
  note.textContent = 'Power, resale value and the rest of the machine are not counted.';
  out.append(p, q, note);
}

// ---- Live updates: the API's event stream (Server-Sent Events); the browser reconnects and resumes by itself.
function live() {
  if (typeof EventSource !== 'function') return;
  const events = new EventSource('/api/events?type=listing.created,listing.price_changed,listing.removed');
  const note = $('live');
  let added = 0;
  events.addEventListener('open', () => { note.dataset.state = 'on'; note.textContent = 'Live'; });
  events.addEventListener('error', () => { note.dataset.state = 'off'; note.textContent = 'Reconnecting…'; });
  events.addEventListener('listing.price_changed', (e) => {
    const d = JSON.parse(e.data).data;
    const tr = rows.querySelector(`tr[data-id="${d.listing_id}"]`);
    if (!tr) return;
    tr.querySelector('td.price').textContent = price({ price: d.price, currency: d.currency, price_unit: d.price_unit });
    tr.children[3].textContent = d.price_usd == null ? '' : num(Number(d.price_usd) / d.gpu_count);
    tr.classList.add('changed');
    tr.title = `was ${num(d.previous.price)} ${d.previous.currency}`;
  });
  events.addEventListener('listing.removed', (e) => {
    const tr = rows.querySelector(`tr[data-id="${JSON.parse(e.data).data.listing_id}"]`);
    if (tr) { tr.classList.add('removed'); tr.title = 'no longer listed'; }
  });
  events.addEventListener('listing.created', () => {
    added += 1;
    note.textContent = `Live · ${added} new listing${added === 1 ? '' : 's'}`;
  });
}

// ---- Source health: sources whose last complete run was suspect or whose pages fail, so a reader knows which
// listings are as last seen rather than current.
async function loadSourceHealth() {
  const body = await getJson('/api/sources');
  const unhealthy = body.items.filter((s) => s.health === 'suspect' || s.health === 'failing');
  const note = $('source-health');
  note.hidden = unhealthy.length === 0;
  note.textContent = unhealthy.length === 0 ? '' : 'Source health: ' + unhealthy
    .map((s) => `${s.name} is ${s.health}${s.health_reason ? ` (${s.health_reason})` : ''}`).join('; ')
    + '. Their listings are kept as last seen.';
}

// ---- Wiring.
form.addEventListener('submit', (e) => { e.preventDefault(); loadListings(true); });
more.addEventListener('click', () => loadListings(false));
for (const button of document.querySelectorAll('button.sort')) {
  button.addEventListener('click', () => {
    const key = button.dataset.sort;
    const select = $('sort');
    // Price toggles low-to-high and high-to-low; value is always best first.
    select.value = key === 'price' && select.value === 'price' ? '-price' : key;
    loadListings(true);
  });
}
$('bvr-form').addEventListener('input', renderBuyVsRent);
$('bvr-form').addEventListener('submit', (e) => e.preventDefault());
restoreFilters();
loadMarket().catch((e) => { $('market-status').textContent = e.message; }).finally(() => loadListings(true));
loadSourceHealth().catch(() => { $('source-health').hidden = true; });
live();
