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
