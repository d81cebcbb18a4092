/* After htmx replaces part of a page: keep the keyboard where it was, and say what changed.
 *
 * Replacing a section removes the button that was just pressed, so focus would fall to the
 * page's body and the next Tab would start again from the top. The element that sends the
 * request (a form, a link) says what should happen once the answer is in:
 *
 *   data-focus-after="id id …"  focus the first of these that is still there. An element
 *       that cannot take focus itself (a list item) lends it to its first enabled control,
 *       preferring one marked data-item-focus. "next-item" and "previous-item" stand for
 *       the item (data-item) after or before the one the request came from: where focus
 *       goes when that item is gone. Failing all of them, the section's heading.
 *   data-announce="Marked ‘{text}’ discussed"  what the polite live region (#announcements,
 *       in base.html) then says. {text} is the value of the form's data-announce-value
 *       field (a select's chosen option), or else the text of its item's data-item-text;
 *       {position} is the item's place in its list afterwards ("2 of 5").
 *
 * When the answer shows a field with an error instead, focus goes to that field, which
 * names its error; nothing is announced.
 */
(function () {
  "use strict";

  var pending = null;
  var FOCUSABLE = "button, a[href], input:not([type=hidden]), select, textarea, summary, [tabindex]";

  function announce(message) {
    var region = document.getElementById("announcements");
    if (!region) {
      return;
    }
    // Screen readers read a change of text: clear first, so that the same words twice
    // (ticking two points in a row) are read twice.
    region.textContent = "";
    window.setTimeout(function () { region.textContent = message; }, 100);
  }

  function shorten(text) {
    text = text.replace(/\s+/g, " ").trim();
    return text.length > 80 ? text.slice(0, 79) + "…" : text;
  }

  function subjectText(source, item) {
    var field = source.querySelector && source.querySelector("[data-announce-value]");
    if (field) {
      if (field.tagName === "SELECT") {
        return field.selectedOptions.length ? field.selectedOptions[0].text : "";
      }
      return field.value;
    }
    var text = item && item.querySelector("[data-item-text]");
    return text ? text.textContent : "";
  }

  function neighbour(item, direction) {
    var sibling = item && item[direction];
    while (sibling && !sibling.hasAttribute("data-item")) {
      sibling = sibling[direction];
    }
    return sibling && sibling.id;
  }

  function plan(event) {
    var source = event.detail.elt;
    var target = event.detail.target;
    if (!source || !source.getAttribute) {
      return null;
    }
    var focusAfter = source.getAttribute("data-focus-after");
    var message = source.getAttribute("data-announce");
    if (focusAfter === null && message === null) {
      return null;
    }
    var item = source.closest("[data-item]");
    var candidates = (focusAfter || "").split(/\s+/).filter(Boolean).map(function (id) {
      if (id === "next-item") {
        return neighbour(item, "nextElementSibling");
      }
      if (id === "previous-item") {
        return neighbour(item, "previousElementSibling");
      }
      return id;
    });
    return {
      xhr: event.detail.xhr,
      candidates: candidates.filter(Boolean),
      message: message,
      text: shorten(subjectText(source, item)),
      itemId: item && item.id,
      sectionId: target && target.id,
    };
  }

  function isUsable(element) {
    return element && !element.disabled && element.getClientRects().length > 0;
  }

  function focusable(element) {
    if (!element) {
      return null;
    }
    if (element.matches(FOCUSABLE)) {
      return isUsable(element) ? element : null;
    }
    var preferred = element.querySelectorAll("[data-item-focus]");
    var controls = element.querySelectorAll(FOCUSABLE);
    var lists = [preferred, controls];
    for (var l = 0; l < lists.length; l++) {
      for (var i = 0; i < lists[l].length; i++) {
        if (isUsable(lists[l][i])) {
          return lists[l][i];
        }
      }
    }
    return null;
  }

  function headingOf(section) {
    var heading = section && section.querySelector("h1, h2, h3");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
    }
    return heading;
  }

  function position(itemId) {
    var item = itemId && document.getElementById(itemId);
    if (!item || !item.parentElement) {
      return "";
    }
    var items = Array.prototype.filter.call(item.parentElement.children, function (child) {
      return child.hasAttribute("data-item");
    });
    return (items.indexOf(item) + 1) + " of " + items.length;
  }

  function land(step) {
    var section = step.sectionId && document.getElementById(step.sectionId);
    var invalid = section && section.querySelector("[aria-invalid=true]");
    if (invalid) {
      invalid.focus();
      return;
    }
    var active = document.activeElement;
    // Move focus only when it was lost, or is still on what the answer replaced: not when
    // the person has moved on elsewhere while the request was under way.
    if (!active || active === document.body || (section && section.contains(active))) {
      var element = null;
      for (var i = 0; i < step.candidates.length && !element; i++) {
        element = focusable(document.getElementById(step.candidates[i]));
      }
      element = element || headingOf(section);
      if (element) {
        element.focus();
      }
    }
    var alerted = section && section.querySelector("[role=alert]");
    if (step.message && !alerted) {
      announce(step.message.replace(/\{(text|position)\}/g, function (match, name) {
        return name === "text" ? step.text : position(step.itemId);
      }));
    }
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var step = plan(event);
    if (step) {
      pending = step;
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (pending && event.detail.xhr === pending.xhr) {
      var step = pending;
      pending = null;
      land(step);
    }
  });

  function failed(event) {
    if (pending && event.detail.xhr === pending.xhr) {
      pending = null;
      announce("That did not go through: nothing was changed. Reload the page and try again.");
    }
  }

  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
})();
