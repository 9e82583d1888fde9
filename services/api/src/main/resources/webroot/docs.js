// An interactive reading of /openapi.json: one form per route, answers shown as they come back.
const main = document.getElementById('routes');

function field(p) {
  const label = document.createElement('label');
  label.textContent = `${p.name}${p.required ? ' *' : ''} `;
  const input = document.createElement('input');
  input.name = p.name;
  input.dataset.in = p.in;
  input.placeholder = p.description || '';
  if (p.schema && p.schema.default !== undefined) input.placeholder += ` (default ${p.schema.default})`;
  label.append(input);
  return label;
}

function route(path, op) {
  const section = document.createElement('section');
  const h = document.createElement('h2');
  h.textContent = `GET ${path}`;
  const summary = document.createElement('p');
  summary.textContent = op.summary || '';
  const form = document.createElement('form');
  (op.parameters || []).forEach((p) => form.append(field(p)));
  const button = document.createElement('button');
  button.type = 'submit';
  button.textContent = 'Try it';
  const out = document.createElement('pre');
  out.setAttribute('aria-live', 'polite');
  form.append(button);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    let url = path;
    const query = new URLSearchParams();
    for (const input of form.querySelectorAll('input')) {
      if (!input.value) continue;
      if (input.dataset.in === 'path') url = url.replace(`{${input.name}}`, encodeURIComponent(input.value));
      else query.append(input.name, input.value);
    }
    const response = await fetch(url + (query.toString() ? '?' + query : ''));
    out.textContent = `${response.status}\n` + JSON.stringify(await response.json().catch(() => null), null, 2);
  });
  section.append(h, summary, form, out);
  main.append(section);
}

fetch('/openapi.json').then((r) => r.json()).then((doc) => {
  Object.entries(doc.paths).forEach(([path, ops]) => ops.get && route(path, ops.get));
});
