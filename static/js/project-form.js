// The new-project form: the web address follows the name as it is typed, until the
// person types an address of their own. A name without Latin letters (a Chinese name)
// leaves the address empty, and the server makes one from the language pair.
(function () {
  "use strict";

  function slugOf(text) {
    return text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 70)
      .replace(/-+$/, "");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var slug = document.querySelector("[data-slug-from]");
    var name = slug && document.getElementById(slug.dataset.slugFrom);
    if (!name) {
      return;
    }
    var ownAddress = slug.value !== "" && slug.value !== slugOf(name.value);
    slug.addEventListener("input", function () {
      ownAddress = slug.value !== "";
    });
    name.addEventListener("input", function () {
      if (!ownAddress) {
        slug.value = slugOf(name.value);
      }
    });
  });
})();
