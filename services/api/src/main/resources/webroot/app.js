// The listing browser: market cards with price trends, buy-vs-rent, a filterable, sortable, paged table, and the
// listings kept out of the market with their reasons.
// Reads only the JSON API; every figure it shows comes from there (USD per GPU unless a currency is chosen).
// Every view is a URL: the filters, the order, an open price history and the kept-out reason live in the query
// string, each change the reader makes is a history entry, and back/forward restore the view they name.
const $ = (id) => document.getElementById(id);
const form = $('filters');
const rows = $('rows');
const more = $('more');
const status = $('status');
const detail = $('detail');
let cursor = null;
let gpus = [];
let names = new Map();
/** The filter query the table shows now, so a history step that only opens or closes a listing keeps the table. */
let shownFilters = null;
/** Set while the page closes the dialog itself (a history step), so its close handler does not navigate again. */
let syncing = false;
/** The reason the kept-out list shows now ('' for every reason; null before it first loads). */
let shownRejected = null;
let rejectedCursor = null;
const rejectedReason = $('rejected-reason');
const rejectedRows = $('rejected-rows');

/**
 * Why a listing was kept out of the market, in the order and words the page uses: every reason the API gives
 * (GET /api/rejected), so each one can be counted and listed.
 */
const REASONS = {
  not_a_gpu: 'not a graphics card',
  laptop: 'laptop or laptop GPU',
  unknown_model: 'model not in the catalog',
  suspicious: 'suspicious offer',
  price_outlier: 'price far from the model\'s',
  duplicate: 'listed twice',
};
for (const [reason, label] of Object.entries(REASONS)) rejectedReason.append(new Option(label, reason));

const num = (v, digits = 2) => (v == null ? '' : Number(v).toLocaleString(undefined, { maximumFractionDigits: digits }));
const usd = (v, digits = 0) => (v == null ? '—' : '$' + Number(v).toLocaleString(undefined,
  { minimumFractionDigits: digits, maximumFractionDigits: digits }));

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail || `${url} answered ${response.status}`);
  return body;
}

// ---- The URL: filters, order and the open listing.
function filterParams() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    const field = form.elements.namedItem(name);
    // A choice left at its first option (any, recently seen) is the default: it does not clutter the URL.
    const isDefault = field instanceof HTMLSelectElement && field.options.length && value === field.options[0].value;
    if (String(value).trim() !== '' && !isDefault) params.set(name, String(value).trim());
  }
  return params;
}

/** The form as the URL says: fields the URL does not name go back to their defaults. */
function restoreFilters() {
  const params = new URLSearchParams(location.search);
  form.reset();
  for (const [name, value] of params) {
    const field = form.elements.namedItem(name);
    if (field) field.value = value;
  }
  rejectedReason.value = currentRejected();
}

/** The kept-out view the URL names: a reason, '' for every reason (the default), never an unknown one. */
function currentRejected() {
  const reason = new URLSearchParams(location.search).get('rejected');
  return reason && Object.hasOwn(REASONS, reason) ? reason : '';
}

function currentListing() {
  const id = new URLSearchParams(location.search).get('listing');
  return id && /^[0-9]+$/.test(id) ? id : null;
}

/** A new view: the filters from the form, plus an open listing or none; one history entry. */
function navigate(listing) {
  const params = filterParams();
  const rejected = currentRejected();
  if (rejected) params.set('rejected', rejected);
  if (listing) params.set('listing', listing);
  const url = params.toString() ? '?' + params : location.pathname;
  history.pushState({ listing: listing || null, pushed: true }, '', url);
  return showView();
}

/** Shows what the URL names: the table for its filters (reloaded only when they changed) and its listing, if any. */
async function showView() {
  restoreFilters();
  const filters = filterParams().toString();
  const loads = [];
  if (filters !== shownFilters) loads.push(loadListings(true));
  if (currentRejected() !== shownRejected) loads.push(loadRejected(true));
  const listing = currentListing();
  if (listing) loads.push(openListing(listing));
  else if (detail.open) { syncing = true; detail.close(); syncing = false; }
  await Promise.all(loads);
}

// ---- Listings table.
function cell(content, className, label) {
  const td = document.createElement('td');
  if (content instanceof Node) td.append(content); else td.textContent = content ?? '';
  if (className) td.className = className;
  // Narrow screens stack each row; the column's name goes before its value there.
  if (label) td.dataset.label = label;
  return td;
}

function price(item) {
  if (item.price == null) return 'no price';
  const shown = item.display_price != null
    ? `${num(item.display_price)} ${item.display_currency}`
    : `${num(item.price)} ${item.currency}`;
  return shown + (item.price_unit === 'hour' ? ' / hour' : '');
}

/** "18 % below median", "at median", "5 % above median"; empty for rentals and models without a median. */
function deal(item) {
  if (item.vs_median_pct == null) return '';
  const pct = Number(item.vs_median_pct);
  const rounded = Math.round(Math.abs(pct));
  if (rounded === 0) return 'at median';
  return `${rounded} % ${pct < 0 ? 'below' : 'above'} median`;
}

const CONDITIONS = { new: 'new', used: 'used', refurbished: 'refurbished', unknown: 'not stated' };

// A listing's title, linked to the marketplace when it has a URL (opened apart, without a referrer).
function titleLink(item) {
  const link = document.createElement(item.url ? 'a' : 'span');
  link.textContent = item.title;
  if (item.url) { link.href = item.url; link.rel = 'noopener noreferrer'; link.target = '_blank'; }
  return link;
}

function render(item) {
  const tr = document.createElement('tr');
  tr.dataset.id = item.id;
  const link = titleLink(item);
  const perGpu = item.price_usd == null ? '' : num(Number(item.price_usd) / item.gpu_count);
  const historyButton = document.createElement('button');
  historyButton.type = 'button';
  historyButton.className = 'history';
  historyButton.textContent = 'History';
  historyButton.setAttribute('aria-label', `Price history of ${item.title}`);
  historyButton.addEventListener('click', () => navigate(String(item.id)));
  const dealCell = cell(deal(item), 'num deal', 'Deal');
  if (item.vs_median_pct != null) {
    if (deal(item) !== 'at median') dealCell.dataset.side = Number(item.vs_median_pct) < 0 ? 'below' : 'above';
    dealCell.title = `median ${usd(item.median_usd)} per GPU`;
  }
  tr.append(cell(link, 'title'), cell(item.gpu ? (names.get(item.gpu) ?? item.gpu) : '—', 'gpu', 'GPU'),
    cell(CONDITIONS[item.condition] ?? item.condition, 'condition', 'Condition'),
    cell(price(item), 'num price', 'Price'), cell(perGpu, 'num per-gpu', 'Per GPU (USD)'), dealCell,
    // Value per 100 USD for sales; a rental's value is per dollar-hour, another scale, so it is left out here.
    cell(item.kind === 'sale' ? num(item.value, 1) : '', 'num value', 'Value'), cell(item.source, 'source', 'Source'),
    cell(new Date(item.last_seen_at).toLocaleDateString(), 'muted seen', 'Seen'), cell(historyButton, 'actions'));
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
  const params = filterParams();
  if (reset) {
    cursor = null;
    rows.replaceChildren();
    shownFilters = params.toString();
    // The same search as an Atom feed (new listings and price drops), for a feed reader.
    const feed = '/api/listings/feed' + (shownFilters ? '?' + shownFilters : '');
    $('feed').href = feed;
    $('feed-link').href = feed;
  }
  params.set('limit', '50');
  if (cursor) params.set('cursor', cursor);
  markSortHeaders(params.get('sort') || '-last_seen');
  status.textContent = 'Loading…';
  try {
    const body = await getJson('/api/listings?' + params);
    body.items.forEach(render);
    ratesNote(body.rates);
    cursor = body.next_cursor;
    more.hidden = !cursor;
    status.textContent = rows.children.length ? `${rows.children.length} listings${cursor ? ' so far' : ''}` : 'No listings match.';
  } catch (e) {
    status.textContent = e.message;
  }
}

// Which exchange rates the shown prices used: the ECB's, as the worker stored them, or the ones bundled with GPU
// Tracker while none are stored.
function ratesNote(rates) {
  const note = $('rates-note');
  if (!rates) {
    note.textContent = '';
  } else if (!rates.source) {
    note.textContent = `No exchange rate for ${rates.currency} is known yet: prices stay in their own currency.`;
  } else {
    note.textContent = `Prices in ${rates.currency} at the ECB's reference rates of ${rates.date}`
      + (rates.source === 'bundled' ? ' (bundled with GPU Tracker: none fetched yet).' : '.');
  }
}

// ---- Kept out of the market: what the sources listed that the figures do not count, newest first, by reason.
function renderRejected(item) {
  const tr = document.createElement('tr');
  tr.dataset.reason = item.reason;
  const link = titleLink(item);
  tr.append(cell(link, 'title'), cell(REASONS[item.reason] ?? item.reason, 'reason', 'Reason'),
    cell(item.detail ?? '', 'detail', 'Why'), cell(item.source, 'source', 'Source'),
    cell(new Date(item.last_seen_at).toLocaleDateString(), 'muted seen', 'Seen'));
  rejectedRows.append(tr);
}

async function loadRejected(reset) {
  const reason = currentRejected();
  if (reset) {
    rejectedCursor = null;
    rejectedRows.replaceChildren();
    shownRejected = reason;
  }
  const params = new URLSearchParams({ limit: '20' });
  if (reason) params.set('reason', reason);
  if (rejectedCursor) params.set('cursor', rejectedCursor);
  const note = $('rejected-status');
  try {
    const body = await getJson('/api/rejected?' + params);
    if (shownRejected !== reason) return; // the reader chose another reason meanwhile
    body.items.forEach(renderRejected);
    rejectedCursor = body.next_cursor;
    $('rejected-more').hidden = !rejectedCursor;
    const n = rejectedRows.children.length;
    note.textContent = n ? `${n} listing${n === 1 ? '' : 's'}${rejectedCursor ? ' so far' : ''}`
      : `No listings kept out${reason ? ' as ' + REASONS[reason] : ''}.`;
  } catch (e) {
    note.textContent = e.message;
  }
}

/** Each reason's count over every source, in the reason chooser. */
function rejectedCounts(sources) {
  const counts = {};
  for (const s of sources) {
    for (const [reason, n] of Object.entries(s.rejected.by_reason)) counts[reason] = (counts[reason] ?? 0) + n;
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  for (const option of rejectedReason.options) {
    const n = option.value ? (counts[option.value] ?? 0) : total;
    option.textContent = `${option.value ? REASONS[option.value] : 'every reason'} (${n.toLocaleString()})`;
  }
}

// ---- One listing: its price history as a chart and a table (the view ?listing=ID).
async function openListing(id) {
  let item;
  try {
    item = await getJson(`/api/listings/${id}`);
  } catch (e) {
    status.textContent = e.message;
    return;
  }
  if (currentListing() !== id) return; // the reader moved on meanwhile
  $('detail-title').textContent = item.title;
  $('detail-meta').textContent = `${item.source} · ${item.gpu ? (names.get(item.gpu) ?? item.gpu) : 'unknown model'}`
    + ` · ${price(item)}` + (deal(item) ? ` · ${deal(item)}` : '') + (item.active ? '' : ' · removed');
  const points = item.history.filter((h) => h.price != null)
    .map((h) => ({ x: new Date(h.observed_at), y: Number(h.price) }));
  // A price holds until it changes: the line runs on to now (or to the listing's removal).
  const end = item.active ? new Date() : (item.removed_at ? new Date(item.removed_at) : null);
  if (points.length && end && end > points[points.length - 1].x) {
    points.push({ x: end, y: points[points.length - 1].y, held: true });
  }
  if (!detail.open) {
    if (typeof detail.showModal === 'function') detail.showModal(); else detail.setAttribute('open', '');
  }
  Charts.history($('detail-chart'), points, { currency: item.currency, point: $('detail-point'),
    label: `Price history of ${item.title} in ${item.currency}` });
  const observed = item.history.filter((h) => h.price != null).length;
  $('detail-caption').textContent = `Prices in ${item.currency}: ${observed} observed; a price holds until it changes.`
    + ' Hover the chart, or focus it and use the arrow keys, to read each price.';
  const body = $('detail-history').tBodies[0];
  body.replaceChildren();
  for (const h of [...item.history].reverse()) {
    const tr = document.createElement('tr');
    tr.append(cell(new Date(h.observed_at).toLocaleString()), cell(h.price == null ? 'no price' : `${num(h.price)} ${h.currency}`, 'num'),
      cell(num(h.price_usd), 'num'));
    body.append(tr);
  }
}

// Closing the dialog (its button or Escape) is a step back to the table: back where the page opened it, else the
// same URL without the listing.
detail.addEventListener('close', () => {
  if (syncing || !currentListing()) return;
  if (history.state && history.state.pushed && history.state.listing) history.back();
  else {
    const params = new URLSearchParams(location.search);
    params.delete('listing');
    history.replaceState(null, '', params.toString() ? '?' + params : location.pathname);
  }
});

// ---- Market cards: the most listed models, each with its sale (or rental) price trend.
async function loadMarket() {
  const body = await getJson('/api/gpus?listed=true');
  gpus = body.items;
  names = new Map(gpus.map((g) => [g.slug, g.name]));
  const filter = $('filter-gpu');
  const bvr = $('bvr-gpu');
  const chosen = bvr.value;
  filter.replaceChildren(new Option('any', ''));
  bvr.replaceChildren();
  for (const g of gpus) {
    filter.append(new Option(`${g.name} (${g.market.active_listings})`, g.slug));
  }
  const comparable = gpus.filter((g) => g.market.buy_vs_rent_break_even_hours != null);
  for (const g of (comparable.length ? comparable : gpus)) bvr.append(new Option(g.name, g.slug));
  if (chosen && [...bvr.options].some((o) => o.value === chosen)) bvr.value = chosen;
  restoreFilters();
  $('market-status').textContent = gpus.length ? `${gpus.length} models on the market.` : 'No listings yet: run the worker.';
  const cards = $('cards');
  cards.replaceChildren();
  await Promise.all(gpus.slice(0, 12).map((g) => {
    const { li, trend } = card(g);
    cards.append(li);
    return trend;
  }));
  renderBuyVsRent();
}

const BUCKETS = { minute: 'minute by minute', hour: 'hourly', day: 'daily', week: 'weekly' };

function card(g) {
  const li = document.createElement('li');
  li.className = 'card';
  li.dataset.gpu = g.slug;
  const m = g.market;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'card-title';
  button.textContent = g.name;
  button.setAttribute('aria-label', `Show listings of ${g.name}`);
  button.addEventListener('click', () => {
    form.elements.namedItem('gpu').value = g.slug;
    navigate(null);
    $('listings').focus();
  });
  const facts = document.createElement('dl');
  const fact = (term, value, key) => {
    if (value == null || value === '') return;
    const dt = Object.assign(document.createElement('dt'), { textContent: term });
    const dd = Object.assign(document.createElement('dd'), { textContent: value });
    // The compact list on narrow screens keeps only the key figure.
    if (key) { dt.className = 'key'; dd.className = 'key'; }
    facts.append(dt, dd);
  };
  fact('VRAM', `${num(g.vram_gb, 0)} GB`);
  fact('Median sale', m.sale.median != null ? `${usd(m.sale.median)} (${m.sale.listings})` : null, true);
  fact('Rent', m.rental.median_per_gpu_hour != null ? `${usd(m.rental.median_per_gpu_hour, 2)}/h` : null,
    m.sale.median == null);
  fact('Break-even', m.buy_vs_rent_break_even_hours != null ? `${num(m.buy_vs_rent_break_even_hours, 0)} h` : null);
  fact('Value', m.value && m.value.per_100_usd != null ? `${num(m.value.per_100_usd, 1)} /$100` : null);
  // Price per TFLOP divides by the measured median where gpu-benchmark jobs ran on the model: say which figure it is.
  fact('FP32', g.fp32_tflops_source === 'measured'
    ? `${num(g.fp32_tflops_measured, 1)} TFLOPS measured (${g.benchmarks} GPU${g.benchmarks === 1 ? '' : 's'})`
    : (g.fp32_tflops != null ? `${num(g.fp32_tflops, 1)} TFLOPS spec` : null));
  const trendBox = document.createElement('div');
  trendBox.className = 'trend';
  li.append(button, facts, trendBox);
  // The bucket fits the history (hours, days or weeks), so a second run a few hours later already draws a line.
  const trend = getJson(`/api/gpus/${g.slug}/history?bucket=auto&days=180`).then((h) => {
    const series = h.sale.length >= 2 || h.rental.length < 2 ? h.sale : h.rental;
    const kind = series === h.sale ? 'median sale price' : 'median rental price per hour';
    const points = series.map((p) => ({ x: new Date(p.bucket), y: Number(p.median) }));
    const first = points[0];
    const last = points[points.length - 1];
    const digits = series === h.sale ? 0 : 2;
    const label = points.length >= 2
      ? `${g.name} ${kind}, ${BUCKETS[h.bucket]}: ${usd(first.y, digits)} to ${usd(last.y, digits)}`
      : `${g.name}: not enough history for a trend`;
    Charts.sparkline(trendBox, points, { label });
  }).catch(() => { trendBox.textContent = ''; });
  return { li, trend };
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
let stream = null;

function live() {
  if (typeof EventSource !== 'function') return;
  const events = new EventSource('/api/events?type=listing.created,listing.price_changed,listing.removed,scrape_run.finished');
  stream = events;
  const note = $('live');
  let added = 0;
  events.addEventListener('open', () => { note.dataset.state = 'on'; note.textContent = 'Live'; });
  events.addEventListener('error', () => { note.dataset.state = 'off'; note.textContent = 'Reconnecting…'; });
  events.addEventListener('listing.price_changed', (e) => {
    const d = JSON.parse(e.data).data;
    const tr = rows.querySelector(`tr[data-id="${d.listing_id}"]`);
    if (!tr) return;
    tr.querySelector('td.price').textContent = price({ price: d.price, currency: d.currency, price_unit: d.price_unit });
    tr.querySelector('td.per-gpu').textContent = d.price_usd == null ? '' : num(Number(d.price_usd) / d.gpu_count);
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
  // A run ended: the API's market figures follow its commits at once, so the cards are redrawn now.
  events.addEventListener('scrape_run.finished', () => {
    loadMarket().catch((err) => { $('market-status').textContent = err.message; });
    loadSources().catch(() => {});
    loadRejected(true);
  });
}

// ---- Sources: those whose last complete run was suspect or whose pages fail, so a reader knows which listings are
// as last seen rather than current; and how many listings each reason kept out.
async function loadSources() {
  const body = await getJson('/api/sources');
  rejectedCounts(body.items);
  const unhealthy = body.items.filter((s) => s.health === 'suspect' || s.health === 'failing');
  const note = $('source-health');
  note.hidden = unhealthy.length === 0;
  note.textContent = unhealthy.length === 0 ? '' : 'Source health: ' + unhealthy
    .map((s) => `${s.name} is ${s.health}${s.health_reason ? ` (${s.health_reason})` : ''}`).join('; ')
    + '. Their listings are kept as last seen.';
}

// ---- Wiring.
form.addEventListener('submit', (e) => { e.preventDefault(); navigate(null); });
more.addEventListener('click', () => loadListings(false));
$('rejected-more').addEventListener('click', () => loadRejected(false));
// A reason chosen is a view of its own: one history entry, the rest of the URL kept.
rejectedReason.addEventListener('change', () => {
  const params = new URLSearchParams(location.search);
  if (rejectedReason.value) params.set('rejected', rejectedReason.value); else params.delete('rejected');
  history.pushState({ listing: currentListing(), pushed: true }, '', params.toString() ? '?' + params : location.pathname);
  showView();
});
$('rejected-filters').addEventListener('submit', (e) => e.preventDefault());
for (const button of document.querySelectorAll('button.sort')) {
  button.addEventListener('click', () => {
    const key = button.dataset.sort;
    const select = $('sort');
    // Price toggles low-to-high and high-to-low; value and deal are always best first.
    select.value = key === 'price' && select.value === 'price' ? '-price' : key;
    navigate(null);
  });
}
window.addEventListener('popstate', () => { showView(); });
$('bvr-form').addEventListener('input', renderBuyVsRent);
$('bvr-form').addEventListener('submit', (e) => e.preventDefault());
restoreFilters();
// data-ready: the first data is on the page (cards with their trends, the table, and an open listing's history),
// for screenshots and tests that must not capture a page still loading.
loadMarket().catch((e) => { $('market-status').textContent = e.message; })
  .then(() => showView())
  .finally(() => document.documentElement.setAttribute('data-ready', 'true'));
loadSources().catch(() => { $('source-health').hidden = true; });
live();
// A page the browser keeps in its back/forward cache would keep its stream open, and a browser opens only six
// connections to a host: a few pages left that way stall the next one's requests. The stream closes when the page is
// hidden, and a page brought back from the cache opens a new one.
window.addEventListener('pagehide', () => { if (stream) stream.close(); });
window.addEventListener('pageshow', (e) => { if (e.persisted) live(); });
