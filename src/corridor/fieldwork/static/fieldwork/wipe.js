/* Signing out deletes the field-work store of this device (cases and records kept offline), then
   signs out. Loaded on every page of a signed-in user. */
(function () {
  "use strict";
  for (const form of document.querySelectorAll("form[data-wipe-offline]")) {
    form.addEventListener("submit", (event) => {
      if (form.dataset.wiped || !("indexedDB" in window)) return;
      event.preventDefault();
      const done = () => {
        form.dataset.wiped = "1";
        form.submit();
      };
      const request = indexedDB.deleteDatabase("corridor-fieldwork");
      request.onsuccess = request.onerror = request.onblocked = done;
      setTimeout(done, 2000);
    });
  }
})();
