// /docs: Swagger UI (served from the jar) over /openapi.json: every route with its parameters, response schemas and
// a "Try it out" form.
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger',
  deepLinking: true,
  tryItOutEnabled: true,
  supportedSubmitMethods: ['get'],
  defaultModelsExpandDepth: 1,
  onComplete: () => document.documentElement.setAttribute('data-ready', 'true'),
});
