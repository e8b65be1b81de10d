/* The menu folds away on a phone: one button opens it. Without this script the menu stays open
   (nothing is hidden from a browser that does not run it). A file, not inline: the CSP forbids
   inline scripts. */
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".menu-button");
  var area = document.getElementById("nav-area");
  if (!button || !area) return;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", String(!open));
    area.classList.toggle("open", !open);
  });
});

/* On a phone a list's filters fold behind one button in the same way (core/filter_form.html). */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".filter-toggle").forEach(function (button) {
    var fold = document.getElementById(button.getAttribute("aria-controls"));
    if (!fold) return;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", String(!open));
      fold.classList.toggle("open", !open);
    });
  });
});

/* A table wider than the screen scrolls sideways in its own box (corridor.css): it takes the
   keyboard focus then, so that it can be scrolled without a mouse or a finger, and is named for
   a screen reader by its caption or the heading before it. */
function scrollableTables() {
  document.querySelectorAll("main table:not(.cards)").forEach(function (table) {
    var scrolls = table.scrollWidth > table.clientWidth + 1;
    if (scrolls && !table.hasAttribute("tabindex")) {
      table.setAttribute("tabindex", "0");
      var caption = table.querySelector("caption");
      var heading = table.previousElementSibling;
      var name = caption ? caption.textContent : heading && /^H[1-6]$/.test(heading.tagName) ? heading.textContent : "";
      if (name && !table.hasAttribute("aria-label")) table.setAttribute("aria-label", name.trim());
      table.dataset.scrolls = "";
    } else if (!scrolls && table.dataset.scrolls !== undefined) {
      table.removeAttribute("tabindex");
      delete table.dataset.scrolls;
    }
  });
}
document.addEventListener("DOMContentLoaded", scrollableTables);
window.addEventListener("resize", scrollableTables);
