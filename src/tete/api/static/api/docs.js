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

  // Highlighted code (the curl command, responses, examples) in Swagger UI's default theme,
  // agate, on its #333: numbers in #d36363 (3.5:1) and comments in #888 (3.6:1) lightened to
  // at least 4.5:1. The theme's colours are inline styles, out of a stylesheet's reach.
  const READABLE_COLOURS = {
    "hljs-number": { color: "#f08c8c" },
    "hljs-bullet": { color: "#f08c8c" },
    "hljs-symbol": { color: "#f08c8c" },
    "hljs-comment": { color: "#aaaaaa" },
    "hljs-code": { fontStyle: "italic", color: "#aaaaaa" },
  };

  function ReadableHighlighting(system) {
    const React = system.React;
    let readable = null;
    return {
      wrapComponents: {
        SyntaxHighlighter: (Original) =>
          function (props) {
            const highlighting = props.syntaxHighlighting || {};
            if (readable === null || readable.from !== highlighting) {
              const theme = { ...highlighting.defaultStyle, ...READABLE_COLOURS };
              // No other theme: the page never sets one, and agate is the default.
              readable = { from: highlighting, value: { styles: {}, defaultStyle: theme } };
            }
            return React.createElement(Original, { ...props, syntaxHighlighting: readable.value });
          },
      },
    };
  }

  // Controls that Swagger UI draws with no accessible name, or with one that does not hold
  // the words they show (WCAG 2.5.3): the copy buttons of the curl command and of a response
  // (an icon only), the authorisation dialog's close button (an icon only), its "Authorize"
  // and "Logout" buttons (named "Apply credentials" and "Remove authorization"), and the
  // request body's text area. They are drawn inside Swagger UI's own components, out of a
  // plugin's reach, so each is named as it appears; React leaves attributes it did not set.
  const NAMES = [
    [".copy-to-clipboard > button", "Copy to clipboard"],
    [".dialog-ux .close-modal", "Close"],
    [".dialog-ux .modal-btn[aria-label]", null],
    ["textarea.body-param__text", "Request body"],
  ];

  function nameControls(root) {
    for (const [selector, name] of NAMES) {
      for (const control of root.querySelectorAll(selector)) {
        if (name === null) {
          // The words on the button are its name.
          control.removeAttribute("aria-label");
        } else if (control.getAttribute("aria-label") !== name) {
          control.setAttribute("aria-label", name);
          if (control.tagName === "BUTTON") control.title = name;
        }
      }
    }
  }

  const element = document.getElementById("swagger-ui");
  new MutationObserver(() => nameControls(element)).observe(element, {
    childList: true,
    subtree: true,
  });
  const settings = JSON.parse(element.dataset.settings);
  settings.dom_id = "#swagger-ui";
  settings.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  settings.plugins = [PlainDeepLinks, ReadableHighlighting];
  SwaggerUIBundle(settings);
})();
