/* Behaviour every page shares. Kept in a file rather than in attributes: the
   Content-Security-Policy runs no inline script. */
(function () {
  "use strict";

  // <form data-confirm="Delete this?">: ask before a destructive form is sent.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
