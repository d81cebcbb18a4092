/* The meeting agenda: drag talking points into a new order, and Escape to leave an editor.
 *
 * The list (`data-sortable-agenda`) becomes sortable by its handles. Dropping a point in a new
 * place fires "agenda-moved" on the list; the reorder form (hx-trigger "agenda-moved") then
 * posts the ids of the points in their new order and the agenda comes back from the server.
 * (An event of our own rather than an htmx filter on SortableJS's "end": htmx evaluates
 * filters as code, which the Content-Security-Policy forbids.)
 * The ↑/↓ buttons stay: they are the way to reorder with a keyboard and without JavaScript.
 */
(function () {
  "use strict";

  function refreshAgenda(form) {
    // The order on screen is not the stored one (the agenda changed, or the request failed):
    // show the stored agenda again.
    htmx.ajax("GET", form.dataset.agendaUrl, { target: "#agenda", select: "#agenda", swap: "outerHTML" });
  }

  function makeSortable(list) {
    var form = document.getElementById(list.dataset.sortableAgenda);
    if (!form || !window.Sortable || list.classList.contains("agenda--sortable")) {
      return;
    }
    list.classList.add("agenda--sortable");
    var sortable = Sortable.create(list, {
      handle: ".point__handle",
      draggable: ".point",
      animation: 150,
      ghostClass: "point--ghost",
      chosenClass: "point--chosen",
      onEnd: function (event) {
        if (event.oldIndex !== event.newIndex) {
          // Hold still until the server's agenda replaces this one.
          sortable.option("disabled", true);
          list.dispatchEvent(new CustomEvent("agenda-moved", { bubbles: true }));
        }
      },
    });
    form.addEventListener("htmx:responseError", function () { refreshAgenda(form); });
    form.addEventListener("htmx:sendError", function () { refreshAgenda(form); });
  }

  function setUp(content) {
    if (content.matches && content.matches("[data-sortable-agenda]")) {
      makeSortable(content);
    }
    var lists = content.querySelectorAll ? content.querySelectorAll("[data-sortable-agenda]") : [];
    for (var i = 0; i < lists.length; i++) {
      makeSortable(lists[i]);
    }
  }

  function start() {
    setUp(document.body);
    // Agendas swapped in by htmx (after every change) are new lists.
    htmx.onLoad(setUp);

    // An editor opens with the caret after its text, ready to add to it. Set as it takes
    // focus, the first time: the browser may autofocus it a frame before htmx settles, and
    // a key pressed in between must not land in front of the text.
    document.addEventListener("focusin", function (event) {
      var editor = event.target;
      if (editor.matches && editor.matches(".point-editor input[autofocus]") && !editor.dataset.caretPlaced) {
        editor.dataset.caretPlaced = "true";
        editor.setSelectionRange(editor.value.length, editor.value.length);
      }
    });

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !event.target.closest) {
        return;
      }
      var editor = event.target.closest(".point-editor");
      var cancel = editor && editor.querySelector("[data-editor-cancel]");
      if (!cancel) {
        return;
      }
      event.preventDefault();
      var agendaUrl = cancel.getAttribute("hx-get");
      if (agendaUrl) {
        // Asked of htmx directly rather than by clicking Cancel: htmx readies links it swaps
        // in only once they settle, and a click before then would only scroll to #agenda.
        // Cancel is still the source, so focus lands where its data-focus-after says.
        htmx.ajax("GET", agendaUrl, {
          source: cancel, target: "#agenda", select: "#agenda", swap: "outerHTML",
        });
      } else {
        cancel.click();
      }
    });
  }

  // Deferred scripts run in order and this one comes before htmx: wait for the document.
  if (window.htmx && document.readyState !== "loading") {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
