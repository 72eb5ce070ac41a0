// "Choose all" for a page's checkboxes: a box with data-select-all-for="<name>" ticks or
// clears every checkbox of that name. Without JS it stays hidden and the page's
// "Choose all" link (?select=all) does the same through the server.
document.querySelectorAll("[data-select-all]").forEach((wrapper) => {
  const master = wrapper.querySelector("input[data-select-all-for]");
  if (!master) return;
  const boxes = () => document.querySelectorAll(`input[type=checkbox][name="${master.dataset.selectAllFor}"]`);
  wrapper.hidden = false;
  master.addEventListener("change", () => {
    boxes().forEach((box) => {
      box.checked = master.checked;
    });
  });
});
