// The upload form shows only the part for the kind of recording chosen (a file per person,
// a channel per person, one microphone). Without this script every part shows, each under
// its own heading, and the server ignores the parts that do not apply.
(function () {
  "use strict";
  var radios = document.querySelectorAll("input[name=kind]");
  var parts = document.querySelectorAll(".recordings-part[data-kind]");
  if (!radios.length || !parts.length) return;

  function show() {
    var chosen = document.querySelector("input[name=kind]:checked");
    var kind = chosen ? chosen.value : "";
    parts.forEach(function (part) {
      part.hidden = part.dataset.kind !== kind;
    });
  }

  radios.forEach(function (radio) {
    radio.addEventListener("change", show);
  });
  show();
})();
