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

/* A table wider than the screen scrolls sideways in its own box (corridor.css), as does a
   .scroll-x box: it takes the keyboard focus then, so that it can be scrolled without a mouse or
   a finger, and is named for a screen reader by its caption or the heading before it. */
function scrollableBoxes() {
  document.querySelectorAll("main table:not(.cards), main .panel table, main .scroll-x").forEach(function (box) {
    var scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      var caption = box.querySelector("caption");
      var heading = box.previousElementSibling;
      if (!(heading && /^H[1-6]$/.test(heading.tagName))) {
        var section = box.closest("section, .panel");
        heading = section && section.querySelector("h2, h3");
      }
      var name = caption ? caption.textContent : heading ? heading.textContent : "";
      if (name && !box.hasAttribute("aria-label")) box.setAttribute("aria-label", name.trim());
      if (box.tagName !== "TABLE" && name) box.setAttribute("role", "region"); // a named box
      box.dataset.scrolls = "";
    } else if (!scrolls && box.dataset.scrolls !== undefined) {
      box.removeAttribute("tabindex");
      delete box.dataset.scrolls;
    }
  });
}
document.addEventListener("DOMContentLoaded", scrollableBoxes);
window.addEventListener("resize", scrollableBoxes);
