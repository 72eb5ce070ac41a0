// A "Copy" button (data-copy="<input id>") copies that input's text; without JS the button
// stays hidden and the read-only input can be selected and copied by hand.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const input = document.getElementById(button.dataset.copy);
  if (!input || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(input.value).then(() => {
      button.textContent = "Copied";
    });
  });
});
