/* Preselect the browser's own timezone in a timezone field marked `data-browser-timezone`,
 * while it still shows the default (UTC); the person can still change it. */
(function () {
  "use strict";

  function preselect() {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var selects = document.querySelectorAll("select[data-browser-timezone]");
    for (var i = 0; i < selects.length; i++) {
      var select = selects[i];
      var known = Array.prototype.some.call(select.options, function (option) {
        return option.value === zone;
      });
      if (zone && known && select.value === "UTC") {
        select.value = zone;
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", preselect);
  } else {
    preselect();
  }
})();
