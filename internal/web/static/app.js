// Small behaviours of the console that need no server round trip. The page
// security policy forbids inline scripts, so they live here.
document.addEventListener("click", function (ev) {
  // Remove a data item row of the catalog compile form.
  var btn = ev.target.closest(".remove-item");
  if (btn) {
    btn.closest("tr").remove();
  }
});
