// Swagger UI for the API documentation page. Its settings come from the page's
// data-settings attribute: no inline script, so the strict Content-Security-Policy holds.
(function () {
  // An operation's path is drawn inside the button that opens the operation; Swagger UI makes
  // it a link to the operation's address too, a control inside a control that a keyboard or
  // a screen reader cannot tell apart. Plain text instead: opening an operation still puts
  // its address in the location bar (deep linking), ready to be copied.
  function PlainDeepLinks(system) {
    const React = system.React;
    return {
      components: {
        DeepLink: function (props) {
          return React.createElement("span", { className: "nostyle" }, props.text);
        },
      },
    };
  }

  const element = document.getElementById("swagger-ui");
  const settings = JSON.parse(element.dataset.settings);
  settings.dom_id = "#swagger-ui";
  settings.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  settings.plugins = [PlainDeepLinks];
  SwaggerUIBundle(settings);
})();
