// Swagger UI for the API documentation page. Its settings come from the page's
// data-settings attribute: no inline script, so the strict Content-Security-Policy holds.
(function () {
  const element = document.getElementById("swagger-ui");
  const settings = JSON.parse(element.dataset.settings);
  settings.dom_id = "#swagger-ui";
  settings.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  SwaggerUIBundle(settings);
})();
